"""The run's profile: CPU and I/O per node, shard tasks per segment, global phases, the executor."""

from __future__ import annotations

import json
import os
from pathlib import Path

from framework_fixtures import pipeline_toml, write_corpus

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.cli import main
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

EXACT = """
[[node]]
id = "exact"
stage = "dedup.exact.v1"
inputs = ["normalize"]
params = { partitions = 3 }
"""


def _run(tmp_path: Path) -> tuple[Path, dict]:
    paths = write_corpus(tmp_path / "in", files=3, docs_per_file=40)
    toml = tmp_path / "p.toml"
    toml.write_text(pipeline_toml(tmp_path / "run", str(tmp_path / "in" / "*.jsonl"), extra_nodes=EXACT))
    manifest = run(plan_mod.load(toml), LocalExecutor())
    return tmp_path / "run", manifest | {"_inputs": paths}


def test_markers_and_manifest_hold_cpu_and_bytes_per_node(tmp_path):
    root, manifest = _run(tmp_path)
    by_node = {n["id"]: n for n in manifest["nodes"]}
    # The source read its files; the global stage's segment read the parts "normalize" wrote.
    assert by_node["ingest"]["bytes_read"] == sum(os.path.getsize(p) for p in manifest["_inputs"])
    # (normalize's parts are deleted once the run is done; the manifest recorded their size)
    assert by_node["exact"]["bytes_read"] == by_node["normalize"]["bytes"] > 0
    assert by_node["normalize"]["bytes_read"] == 0  # fused behind the source: nothing read from disk
    for node in ("ingest", "normalize"):
        assert by_node[node]["cpu_seconds"] > 0 and by_node[node]["seconds"] > 0
    assert by_node["normalize"]["write_seconds"] > 0  # it is the input of a global stage: written
    heads = [
        stats.NodeStats.from_json(json.loads(p.read_text())[0]) for p in (root / "_done" / "ingest").glob("0*.json")
    ]
    assert len(heads) == 3 and all(h.task_seconds >= h.seconds > 0 for h in heads)


def test_manifest_profile_names_the_executor_segments_and_phases(tmp_path):
    _, manifest = _run(tmp_path)
    profile = manifest["profile"]
    assert profile["executor"] == "local" and profile["workers"] == 1 and profile["startup_seconds"] == 0
    assert profile["run_seconds"] > 0 and profile["driver_cpu_seconds"] > 0
    assert profile["segments"]["ingest"]["nodes"] == ["ingest", "normalize"]
    assert profile["segments"]["ingest"]["shards"] == 3 and profile["segments"]["ingest"]["prepare"] is None
    prepare = profile["segments"]["exact"]["prepare"]
    assert [p["phase"] for p in prepare["phases"]] == ["signature", "cluster"]
    signature, cluster = prepare["phases"]
    assert signature["tasks"] == 3 and cluster["tasks"] == 3
    assert all(p["cpu_seconds"] > 0 and p["seconds"] >= 0 for p in prepare["phases"])


def test_stats_profile_prints_nodes_segments_phases_and_executor(tmp_path, capsys):
    root, _ = _run(tmp_path)
    assert main(["stats", str(root), "--profile"]) == 0
    out = capsys.readouterr().out
    header, *rows = out.splitlines()
    assert header.split()[:4] == ["node", "in", "stage", "s"]
    assert [r.split()[0] for r in rows[:3]] == ["ingest", "normalize", "exact"]
    assert "segment ingest (ingest > normalize): 3 shard(s)" in out
    assert "prepare():" in out and "signature" in out and "cluster" in out
    assert "executor local (1 worker(s))" in out


def test_stats_profile_of_a_run_in_progress(tmp_path, capsys):
    root, _ = _run(tmp_path)
    (root / "manifest.json").unlink()  # as if the run were still going
    assert main(["stats", str(root), "--profile"]) == 0
    out = capsys.readouterr().out
    assert "segment exact (exact)" in out and "run in progress or interrupted" in out
