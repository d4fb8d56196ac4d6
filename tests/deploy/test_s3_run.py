"""A whole pipeline on object storage: WARCs read from s3://, shards, rejected rows, done markers,
the lease and the manifest written to s3://, a kill -9 and a resume, against a real S3-compatible
server (moto's server mode) listening on 127.0.0.1 and named by `AWS_ENDPOINT_URL`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from deploy_fixtures import demo_pipeline, demo_warc_files, to_toml

pytest.importorskip("s3fs")
moto_server = pytest.importorskip("moto.server")

BUCKET = "corpus"
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
TTL_S = 15  # the lease lives this long without a heartbeat: longer than a CLI start, short enough to wait for


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    """An S3-compatible server on 127.0.0.1 with one bucket; the environment that points at it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {**CREDENTIALS, "AWS_ENDPOINT_URL": f"http://{host}:{port}", "CORPUSFORGE_LEASE_TTL_S": str(TTL_S)}
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        fs = _fs()
        fs.mkdir(BUCKET)
        yield env
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        server.stop()


def _fs():  # noqa: ANN202 - s3fs.S3FileSystem
    import s3fs

    return s3fs.S3FileSystem(endpoint_url=os.environ["AWS_ENDPOINT_URL"], skip_instance_cache=True)


def _upload_inputs(files: list[bytes]) -> str:
    fs = _fs()
    for i, chunk in enumerate(files):
        fs.pipe(f"{BUCKET}/warc/demo-{i:02d}.warc.gz", chunk)
    return f"s3://{BUCKET}/warc/*.warc.gz"


def _corpusforge(args: list[str], env: dict[str, str], **kw) -> subprocess.Popen:  # noqa: ANN003
    return subprocess.Popen(
        [sys.executable, "-m", "corpusforge.cli", *args],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kw,
    )


def _snapshot(prefix: str) -> dict[str, bytes]:
    """Every document file under a run's root, by path relative to it, with its bytes."""
    fs = _fs()
    out = {}
    for path in sorted(fs.find(prefix)):
        rel = path[len(prefix) + 1 :]
        if rel.startswith(("write/", "rejected/")):
            out[rel] = fs.cat_file(path)
    return out


def _local_snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.parquet"))
        if p.relative_to(root).parts[0] in ("write", "rejected")
    }


@pytest.mark.slow
def test_pipeline_on_s3_survives_kill_and_resumes_to_identical_output(s3_env, tmp_path: Path) -> None:
    from corpusforge import plan as plan_mod
    from corpusforge.runtime import run
    from corpusforge.runtime.local import LocalExecutor

    # The reference: an uninterrupted run of the same pipeline reading the same s3:// inputs, on local disk.
    paths = _upload_inputs(demo_warc_files(8))
    fs = _fs()
    ref = demo_pipeline(root=str(tmp_path / "ref"), paths=[paths])
    run(plan_mod.from_dict(ref, check_inputs=True), LocalExecutor())
    reference = _local_snapshot(tmp_path / "ref")
    assert any(k.startswith("write/eu/") for k in reference) and any(
        k.startswith("rejected/ingest/") for k in reference
    )

    # The same pipeline with its inputs and root on s3://, killed (SIGKILL) once some shards are done.
    killed = tmp_path / "killed.toml"
    on_s3 = demo_pipeline(root=f"s3://{BUCKET}/killed", paths=[paths])
    tokens = next(n for n in on_s3["node"] if n["id"] == "tokens")
    tokens["params"] = dict(tokens["params"], out=str(tmp_path / "killed-tokens"))  # memmaps: local disk
    killed.write_text(to_toml(on_s3))
    plan = _corpusforge(["plan", str(killed)], s3_env)
    _, err = plan.communicate(timeout=120)
    assert plan.returncode == 0, err
    proc = _corpusforge(["run", str(killed), "--executor", "local", "--quiet"], s3_env)
    markers = f"{BUCKET}/killed/_done/ingest"
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None:
        fs.invalidate_cache()
        if len(fs.glob(f"{markers}/*.json")) >= 2:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate()
    fs.invalidate_cache()
    finished = len(fs.glob(f"{markers}/*.json"))
    assert 2 <= finished < 8, "the kill should land mid-run"
    assert not fs.exists(f"{BUCKET}/killed/manifest.json")

    # The lease of the killed run is still fresh: a second run is refused, naming the holder.
    refused = _corpusforge(["run", str(killed), "--executor", "local", "--quiet"], s3_env)
    _, err = refused.communicate(timeout=120)
    assert refused.returncode == 2, err
    assert "is in use by another run" in err and "lease renewed" in err

    # Once it has expired (no heartbeat for TTL_S), the rerun takes it over and finishes the work.
    time.sleep(TTL_S + 0.5)
    resumed = _corpusforge(["run", str(killed), "--executor", "local", "--quiet"], s3_env)
    _, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0, err
    assert "took over the expired lease" in err
    assert _snapshot(f"{BUCKET}/killed") == reference, "s3 output, killed and resumed, equals the local run's"
    for name in ("train.bin", "val.bin", "tokenizer/tokenizer.json"):
        assert (tmp_path / "killed-tokens" / name).read_bytes() == (tmp_path / "ref" / "tokens" / name).read_bytes()
    for name in ("train.idx.parquet", "val.idx.parquet"):  # `source` names the shard under each run's root
        ours, theirs = (
            pq.read_table(d / name).to_pylist() for d in (tmp_path / "killed-tokens", tmp_path / "ref" / "tokens")
        )
        for row in ours + theirs:
            row["source"] = row["source"].rsplit("/", 2)[-2:]
        assert ours == theirs
    assert sorted(p.name for p in (tmp_path / "killed-tokens").iterdir()) == sorted(
        p.name for p in (tmp_path / "ref" / "tokens").iterdir()
    )
    fs.invalidate_cache()
    assert not [p for p in fs.find(f"{BUCKET}/killed") if ".tmp-" in p], "no temporary file is left behind"
    assert json.loads(fs.cat_file(f"{BUCKET}/killed/_run/lease.json"))["released"] is True
    manifest = json.loads(fs.cat_file(f"{BUCKET}/killed/manifest.json"))
    local = json.loads((tmp_path / "ref" / "manifest.json").read_text(encoding="utf-8"))
    assert [(n["id"], n["in"], n["kept"], n["rejected"], n["errors"]) for n in manifest["nodes"]] == [
        (n["id"], n["in"], n["kept"], n["rejected"], n["errors"]) for n in local["nodes"]
    ]
    assert len(manifest["inputs"]["ingest"]) == 8
    assert all("etag" in shard for shard in manifest["inputs"]["ingest"]), "object-storage inputs keyed by ETag"


def test_token_streams_need_local_disk_when_the_root_is_on_object_storage(tmp_path: Path) -> None:
    """Token streams are memmaps written by every worker: on an s3:// root, `out` must name a
    local (on a cluster: shared) folder, and `corpusforge plan` says so, naming node and field."""
    from corpusforge import plan as plan_mod

    raw = demo_pipeline(root="s3://corpus/run", paths=["s3://corpus/warc/*.warc.gz"])
    with pytest.raises(plan_mod.PlanError) as err:
        plan_mod.from_dict(raw, file="p.toml")
    assert "node 'tokens', field 'params.out'" in str(err.value)
    assert "local" in str(err.value)
    tokens = next(n for n in raw["node"] if n["id"] == "tokens")
    tokens["params"] = dict(tokens["params"], out="s3://corpus/tokens")
    with pytest.raises(plan_mod.PlanError, match="params.out"):
        plan_mod.from_dict(raw, file="p.toml")
    tokens["params"]["out"] = str(tmp_path / "tokens")
    plan = plan_mod.from_dict(raw, file="p.toml")
    assert plan.nodes["tokens"].config.out == str(tmp_path / "tokens")
