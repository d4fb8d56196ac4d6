"""A Ray cluster of two nodes on this machine (two `ray start` processes, as on two machines) runs the
demo pipeline through `corpusforge run --ray-address`, with output identical to a local run.

Each node has its own temp dir, so `ray.init()` elsewhere (the session fixture, other tests) never
finds this cluster: Ray looks for `ray_current_cluster` in its default temp dir only. Both nodes
listen on 127.0.0.1 and are stopped at teardown by signalling the two `ray start --block`
processes (which stop what they started), by PID.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from deploy_fixtures import demo_pipeline, to_toml, write_demo_warcs

from corpusforge import plan as plan_mod
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

pytestmark = [pytest.mark.ray, pytest.mark.slow]
RAY = str(Path(sys.executable).parent / "ray")
ENV = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
ENV.pop("RAY_ADDRESS", None)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _node(temp_dir: Path, log: Path, *args: str) -> subprocess.Popen:
    common = ["--node-ip-address=127.0.0.1", "--num-cpus=1", "--object-store-memory=80000000"]
    return subprocess.Popen(
        [RAY, "start", *args, *common, f"--temp-dir={temp_dir}", "--disable-usage-stats", "--block"],
        env=ENV,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def _alive_nodes(address: str) -> int:
    probe = "import ray; ray.init(address=%r, log_to_driver=False); print(sum(n['Alive'] for n in ray.nodes()))"
    out = subprocess.run([sys.executable, "-c", probe % address], env=ENV, capture_output=True, text=True, timeout=120)
    return int(out.stdout.strip() or 0) if out.returncode == 0 else 0


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)  # `ray start --block` stops its own processes on SIGTERM
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)  # its session: the processes it started, nothing else
            proc.wait()


@pytest.fixture(scope="module")
def two_node_cluster() -> Iterator[tuple[str, list[Path]]]:
    """(address, [head temp dir, worker temp dir]) of a running two-node cluster, one CPU each."""
    # A short path: Ray's unix sockets live under the temp dir and a socket path has ~100 bytes.
    base = Path(tempfile.mkdtemp(prefix="cf2n-", dir="/tmp"))
    port = _free_port()
    address = f"127.0.0.1:{port}"
    head = _node(base / "h", base / "head.log", "--head", f"--port={port}", "--include-dashboard=false")
    procs = [head]
    try:
        deadline = time.time() + 240
        while not (base / "h" / "ray_current_cluster").exists():
            assert head.poll() is None and time.time() < deadline, (base / "head.log").read_text()[-3000:]
            time.sleep(0.5)
        procs.append(_node(base / "w", base / "worker.log", f"--address={address}"))
        while _alive_nodes(address) < 2:
            assert procs[1].poll() is None and time.time() < deadline, (base / "worker.log").read_text()[-3000:]
            time.sleep(1)
        yield address, [base / "h", base / "w"]
    finally:
        for proc in reversed(procs):
            _stop(proc)
        shutil.rmtree(base, ignore_errors=True)


def _documents(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.parquet"))
        if p.relative_to(root).parts[0] in ("write", "rejected")
    }


def _ran_shards(temp_dir: Path) -> bool:
    """Whether a worker process of this node ran a shard (Ray names the task in its worker's log)."""
    logs = list(temp_dir.glob("session_*/logs/worker-*"))
    return any(
        "_run_one" in p.read_text(errors="replace") or "_SegmentActor" in p.read_text(errors="replace") for p in logs
    )


def test_a_two_node_cluster_gives_the_output_of_a_local_run(two_node_cluster, tmp_path: Path) -> None:
    address, temp_dirs = two_node_cluster
    write_demo_warcs(tmp_path / "warc", 6)
    paths = [str(tmp_path / "warc" / "*.warc.gz")]
    reference = demo_pipeline(root=str(tmp_path / "local"), paths=paths)
    run(plan_mod.from_dict(reference, check_inputs=True), LocalExecutor())

    toml = tmp_path / "cluster.toml"
    toml.write_text(to_toml(demo_pipeline(root=str(tmp_path / "cluster"), paths=paths)), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--ray-address", address, "--quiet"],
        env=ENV,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    assert _documents(tmp_path / "cluster") == _documents(tmp_path / "local")
    for name in ("train.bin", "val.bin"):
        assert (tmp_path / "cluster" / "tokens" / name).read_bytes() == (
            tmp_path / "local" / "tokens" / name
        ).read_bytes()
    for name in ("train.idx.parquet", "val.idx.parquet"):  # `source` names the shard under each root
        ours, theirs = (
            pq.read_table(r / "tokens" / name).drop_columns(["source"])
            for r in (tmp_path / "cluster", tmp_path / "local")
        )
        assert ours.equals(theirs)
    manifest = json.loads((tmp_path / "cluster" / "manifest.json").read_text(encoding="utf-8"))
    local = json.loads((tmp_path / "local" / "manifest.json").read_text(encoding="utf-8"))
    assert [(n["id"], n["in"], n["kept"], n["rejected"]) for n in manifest["nodes"]] == [
        (n["id"], n["in"], n["kept"], n["rejected"]) for n in local["nodes"]
    ]
    assert all(_ran_shards(d) for d in temp_dirs), "both nodes ran shards"
