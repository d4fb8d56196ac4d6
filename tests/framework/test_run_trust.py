"""Runs that can be trusted: inputs keyed by identity, one run per root, degenerate runs, error rates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from framework_fixtures import pipeline_toml, read_ids, write_corpus

from corpusforge import plan as plan_mod
from corpusforge.rundir import RunDir
from corpusforge.runtime import run
from corpusforge.runtime.inputs import InputsChanged
from corpusforge.runtime.local import LocalExecutor
from corpusforge.runtime.lock import RunLock, RunLocked

EXACT = '[[node]]\nid = "exact"\nstage = "dedup.exact.v1"\ninputs = ["normalize"]\nparams = { partitions = 2 }\n'


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    return subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


def _plan(
    tmp_path: Path, name: str, glob: str, extra: str = EXACT, keep: tuple[str, ...] = ("normalize",)
) -> tuple[plan_mod.Plan, Path]:
    toml = tmp_path / f"{name}.toml"
    toml.write_text(pipeline_toml(tmp_path / name, glob, extra_nodes=extra, keep=keep))
    return plan_mod.load(toml), toml


def _kept(root: Path, node: str) -> list[str]:
    return sorted(read_ids(root / node))


@pytest.mark.parametrize("keep", [("normalize",), ()], ids=["kept", "released"])
def test_adding_a_file_that_sorts_first_processes_exactly_it(tmp_path, keep):
    """The bug: shards numbered by glob position made a rerun skip one file and read another twice.

    Without `keep`, the intermediate output of `normalize` is deleted after the first run and must
    be rebuilt for the global stage after it to see every shard."""
    write_corpus(tmp_path / "in", files=3, docs_per_file=30, bad_lines=False)
    glob = str(tmp_path / "in" / "*.jsonl")
    plan, _ = _plan(tmp_path, "run", glob, keep=keep)
    first_manifest = run(plan, LocalExecutor())
    assert (tmp_path / "run" / "normalize").exists() == bool(keep)
    assert run(plan, LocalExecutor()) == first_manifest, "a finished run with the same inputs has nothing to do"
    # A new file whose name sorts before the others, with ids of its own and one exact duplicate.
    first = json.loads((tmp_path / "in" / "docs-000.jsonl").read_text().splitlines()[0])
    lines = [
        json.dumps({"id": f"new{i}", "text": f"Un document nou, el número {i}, sobre el temps."}) for i in range(9)
    ]
    lines.append(json.dumps({"id": "new-dup", "text": first["text"]}))
    (tmp_path / "in" / "aaa-00.jsonl").write_text("\n".join(lines) + "\n")

    manifest = run(plan_mod.load(tmp_path / "run.toml"), LocalExecutor())
    fresh, _ = _plan(tmp_path, "fresh", glob, keep=keep)
    reference = run(fresh, LocalExecutor())
    if keep:
        assert _kept(tmp_path / "run", "normalize") == _kept(tmp_path / "fresh", "normalize")
        ids = read_ids(tmp_path / "run" / "normalize")
        assert len(ids) == len(set(ids)) == 3 * 30 + 10, "every document read exactly once"
    # The global stage after it was redone over all shards: the new duplicate is found. Inputs keep
    # the order they arrived in, so of the two copies the one read first (d0) is kept, where a fresh
    # run over all four files, the new one first by name, keeps the other.
    dup_rejected = pq.read_table(tmp_path / "run" / "rejected" / "exact" / "part-00003.parquet")
    assert dup_rejected.column("id").to_pylist() == ["new-dup"]
    assert len(_kept(tmp_path / "run", "exact")) == len(_kept(tmp_path / "fresh", "exact"))
    by_node = {n["id"]: n for n in manifest["nodes"]}
    ref_nodes = {n["id"]: n for n in reference["nodes"]}
    for node in ("ingest", "normalize", "exact"):
        assert by_node[node]["in"] == ref_nodes[node]["in"] and by_node[node]["kept"] == ref_nodes[node]["kept"]
    assert by_node["exact"]["rejected"] == {"dup:exact": 1}
    recorded = manifest["inputs"]["ingest"]
    assert [Path(e["path"]).name for e in recorded] == [
        "docs-000.jsonl",
        "docs-001.jsonl",
        "docs-002.jsonl",
        "aaa-00.jsonl",
    ]
    assert all("size" in e and "mtime_ns" in e for e in recorded)


def test_a_changed_or_removed_input_is_refused_naming_it(tmp_path):
    write_corpus(tmp_path / "in", files=3, docs_per_file=20, bad_lines=False)
    plan, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"))
    run(plan, LocalExecutor())
    changed = tmp_path / "in" / "docs-001.jsonl"
    changed.write_text(changed.read_text() + json.dumps({"id": "late", "text": "Un text afegit després."}) + "\n")
    with pytest.raises(InputsChanged, match="changed: .*docs-001.jsonl"):
        run(plan_mod.load(toml), LocalExecutor())
    (tmp_path / "in" / "docs-002.jsonl").unlink()
    done = cli("run", str(toml), "--executor", "local", "--quiet")
    assert done.returncode == 2, done.stderr
    assert "docs-001.jsonl" in done.stderr and "removed: " in done.stderr and "docs-002.jsonl" in done.stderr
    assert "--fresh" in done.stderr and "Traceback" not in done.stderr
    assert cli("run", str(toml), "--executor", "local", "--quiet", "--fresh").returncode == 0


def test_a_second_run_on_a_held_root_exits_2_naming_the_holder(tmp_path):
    write_corpus(tmp_path / "in", files=1, docs_per_file=10, bad_lines=False)
    plan, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"))
    with RunLock(RunDir(plan.root)):
        done = cli("run", str(toml), "--executor", "local", "--quiet")
    assert done.returncode == 2
    assert f"pid {os.getpid()}" in done.stderr and "in use by another run" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "run" / "manifest.json").exists()


def test_two_runs_at_once_one_refused_and_the_output_is_right(tmp_path):
    write_corpus(tmp_path / "in", files=8, docs_per_file=400, bad_lines=False)
    plan, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"))
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    args = [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--executor", "local", "--quiet"]
    procs = [
        subprocess.Popen(args, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, env=env) for _ in (0, 1)
    ]
    codes = sorted(p.wait(timeout=300) for p in procs)
    errors = [p.stderr.read() for p in procs if p.stderr]
    assert codes in ([0, 0], [0, 2]), errors  # the second either found the run finished or was refused
    reference, _ = _plan(tmp_path, "reference", str(tmp_path / "in" / "*.jsonl"))
    run(reference, LocalExecutor())
    assert _kept(tmp_path / "run", "exact") == _kept(tmp_path / "reference", "exact")


def test_a_lock_left_by_a_killed_run_is_taken_over_with_a_message(tmp_path):
    write_corpus(tmp_path / "in", files=1, docs_per_file=10, bad_lines=False)
    plan, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"))
    lock = Path(RunDir(plan.root).state("lock"))
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"pid": 999999, "host": "gone", "started": "2026-01-01T00:00:00"}))
    done = cli("run", str(toml), "--executor", "local", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "took over the lock" in done.stderr and "pid 999999" in done.stderr


def test_a_lease_on_object_storage_refuses_a_live_holder_and_takes_an_expired_one():
    root = RunDir("memory://corpusforge-lease-test/run")
    first = RunLock(root, ttl_s=30)
    with first, pytest.raises(RunLocked, match="in use by another run"):
        RunLock(root, ttl_s=30).__enter__()
    with RunLock(root, ttl_s=30) as again:  # released: free to take
        assert again.message is None
    # A holder that died without releasing: its lease expires after ttl_s.
    from corpusforge import io

    io.write_json_atomic(
        root.state("lease.json"), {"owner": "dead", "pid": 1, "host": "h", "heartbeat": 0, "ttl_s": 30}
    )
    with RunLock(root, ttl_s=30) as taker:
        assert taker.message and "expired lease" in taker.message


def test_stale_temporary_files_are_removed_on_resume(tmp_path):
    write_corpus(tmp_path / "in", files=2, docs_per_file=10, bad_lines=False)
    plan, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"))
    run(plan, LocalExecutor())
    stale = [tmp_path / "run" / "normalize" / "part-00001.parquet.tmp-deadbeef", tmp_path / "run" / "_done" / "x.tmp-1"]
    for path in stale:
        path.write_bytes(b"half a file")
    run(plan_mod.load(toml), LocalExecutor())
    assert not any(p.exists() for p in stale)


def test_a_shard_killed_after_committing_is_cleaned_before_it_is_redone(tmp_path):
    write_corpus(tmp_path / "in", files=2, docs_per_file=10, bad_lines=False)
    plan, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"), extra="")
    run(plan, LocalExecutor())
    reference = read_ids(tmp_path / "run" / "normalize")
    # As if killed between committing shard 1's files and writing its marker, then the file vanished.
    (tmp_path / "run" / "_done" / "ingest" / "00001.json").unlink()
    for unfinished in ("manifest.json", "_run/released.json"):  # a killed run writes neither
        (tmp_path / "run" / unfinished).unlink()
    (tmp_path / "in" / "docs-001.jsonl").unlink()
    run(plan_mod.load(toml), LocalExecutor())
    assert not (tmp_path / "run" / "normalize" / "part-00001.parquet").exists()
    assert read_ids(tmp_path / "run" / "normalize") == reference[:10]


def test_committed_files_are_fsynced_before_the_done_marker(tmp_path, monkeypatch):
    write_corpus(tmp_path / "in", files=1, docs_per_file=10, bad_lines=False)
    plan, _ = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"), extra="")
    events: list[tuple[str, str]] = []
    real_fsync, real_replace, real_rename = os.fsync, os.replace, os.rename

    def fsync(fd: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{fd}")))
        real_fsync(fd)

    def replace(src: str, dst: str) -> None:
        events.append(("rename", str(dst)))
        real_replace(src, dst)

    def rename(src: str, dst: str) -> None:
        events.append(("rename", str(dst)))
        real_rename(src, dst)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    monkeypatch.setattr(os, "rename", rename)
    run(plan, LocalExecutor())
    part = str(tmp_path / "run" / "normalize" / "part-00000.parquet")
    marker = str(tmp_path / "run" / "_done" / "ingest" / "00000.json")
    part_synced = next(
        i for i, (kind, path) in enumerate(events) if kind == "fsync" and ".tmp-" in path and "normalize" in path
    )
    part_renamed = events.index(("rename", part))
    dir_synced = next(i for i, e in enumerate(events) if e == ("fsync", str(tmp_path / "run" / "normalize")))
    marker_renamed = events.index(("rename", marker))
    assert part_synced < part_renamed < dir_synced < marker_renamed


def test_a_run_where_every_document_is_rejected_ends_cleanly(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps({"id": f"d{i}"}) + "\n" for i in range(5)))
    extra = (
        EXACT + '[[node]]\nid = "tokens"\nstage = "pack.tokens.v1"\ninputs = ["exact"]\nparams = { vocab_size = 300 }\n'
    )
    _, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"), extra=extra)
    done = cli("run", str(toml), "--executor", "local", "--quiet")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    nodes = {n["id"]: n for n in manifest["nodes"]}
    assert set(nodes) == {"ingest", "normalize", "exact", "tokens"}
    assert nodes["ingest"]["rejected"] == {"ingest:missing_text": 5}
    assert nodes["exact"]["in"] == nodes["tokens"]["in"] == 0
    packed = json.loads((tmp_path / "run" / "tokens" / "manifest.json").read_text())
    assert packed["empty"] is True and packed["documents"] == 0
    for node in ("ingest", "normalize", "exact", "tokens"):
        assert node in done.stdout


def test_past_max_error_rate_the_run_finishes_and_exits_3(tmp_path):
    write_corpus(tmp_path / "in", files=2, docs_per_file=20)  # every 7th line is broken JSON: ~14%
    _, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"), extra="")
    done = cli("run", str(toml), "--executor", "local", "--quiet")
    assert done.returncode == 3
    assert "max_error_rate" in done.stderr and "ingest" in done.stderr and "Traceback" not in done.stderr
    assert (tmp_path / "run" / "manifest.json").exists(), "the run finished its shards"
    text = toml.read_text().replace('executor = "local"', 'executor = "local"\nmax_error_rate = 0.5')
    toml.write_text(text)
    assert cli("run", str(toml), "--quiet", "--fresh").returncode == 0


def test_a_global_stage_after_a_shard_with_no_kept_rows(tmp_path):
    """A shard whose rows were all rejected leaves no part: shard ids then have a gap."""
    write_corpus(tmp_path / "in", files=3, docs_per_file=12, bad_lines=False)
    (tmp_path / "in" / "docs-001.jsonl").write_text("".join(json.dumps({"id": f"x{i}"}) + "\n" for i in range(4)))
    dup = json.loads((tmp_path / "in" / "docs-000.jsonl").read_text().splitlines()[3])
    with (tmp_path / "in" / "docs-002.jsonl").open("a") as fh:
        fh.write(json.dumps({"id": "dup-of-3", "text": dup["text"]}) + "\n")
    plan, _ = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"))
    manifest = run(plan, LocalExecutor())
    exact = {n["id"]: n for n in manifest["nodes"]}["exact"]
    assert exact["rejected"] == {"dup:exact": 1} and exact["errors"] == {}
    assert [i for i, _ in RunDir(plan.root).parts("normalize")] == [0, 2]
    rejected = pq.read_table(tmp_path / "run" / "rejected" / "exact" / "part-00002.parquet")
    assert rejected.column("id").to_pylist() == ["dup-of-3"]


def test_relative_output_paths_live_under_each_root(tmp_path):
    write_corpus(tmp_path / "in", files=1, docs_per_file=10, bad_lines=False)
    extra = EXACT.replace("partitions = 2", 'partitions = 2, index_out = "dedup-index"')
    _, toml = _plan(tmp_path, "run", str(tmp_path / "in" / "*.jsonl"), extra=extra)
    for root in ("r1", "r2"):
        done = cli("run", str(toml), "--executor", "local", "--quiet", "--root", str(tmp_path / root), cwd=tmp_path)
        assert done.returncode == 0, done.stderr
        assert (tmp_path / root / "dedup-index" / "index.json").exists()
    assert not (tmp_path / "dedup-index").exists()


def test_cli_version_and_stats_of_a_missing_run():
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("corpusforge ")
    stats = cli("stats", "/nonexistent/run")
    assert stats.returncode == 2 and "no such run directory" in stats.stderr and not stats.stdout
