"""Runtime: accounting, rejected rows, resume after SIGKILL, and the Ray executor."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from framework_fixtures import pipeline_toml, read_ids, write_corpus

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.runtime import RunConflict, run
from corpusforge.runtime.local import LocalExecutor
from corpusforge.runtime.segment import split_rejected


def _load(tmp_path: Path, *, files: int = 3, docs: int = 40, executor: str = "local", extra: str = ""):
    write_corpus(tmp_path / "in", files=files, docs_per_file=docs)
    toml = tmp_path / "p.toml"
    toml.write_text(
        pipeline_toml(tmp_path / "run", str(tmp_path / "in" / "*.jsonl"), executor=executor, extra_nodes=extra)
    )
    return plan_mod.load(toml), toml


def test_every_row_is_kept_or_rejected_with_a_reason(tmp_path):
    plan, _ = _load(tmp_path)
    manifest = run(plan, LocalExecutor())
    root = Path(plan.root)
    for node_stats in stats.load_run(str(root)).values():
        for shard in node_stats:
            assert shard.balanced, shard.to_json()
    ingest = {n["id"]: n for n in manifest["nodes"]}["ingest"]
    total_lines = 3 * 40
    assert ingest["in"] == total_lines
    assert ingest["errors"] == {"error:bad_json": sum(1 for n in range(total_lines) if n % 7 == 3)}
    assert ingest["rejected"]["ingest:missing_text"] > 0
    rejected = pq.read_table(root / "rejected" / "ingest" / "part-00000.parquet")
    assert set(rejected.column("drop_node").to_pylist()) == {"ingest"}
    kept_ids = read_ids(root / "normalize")
    assert len(kept_ids) == len(set(kept_ids)) == ingest["kept"]
    text = pq.read_table(root / "normalize" / "part-00000.parquet").column("text").to_pylist()
    assert all("\x00" not in t and "  " not in t for t in text)


def test_failing_stage_batch_is_counted_not_fatal(tmp_path):
    from corpusforge import registry
    from corpusforge.stage import Stage

    @registry.register
    class Explodes(Stage):
        name = "test.explodes.v1"
        reads = ("text",)

        def process_batch(self, table):
            if any("Document 4." in t for t in table.column("text").to_pylist()):
                raise ValueError("boom")
            return table

    extra = '[[node]]\nid = "boom"\nstage = "test.explodes.v1"\ninputs = ["normalize"]\n'
    plan, _ = _load(tmp_path, files=1, docs=40, extra=extra)
    manifest = run(plan, LocalExecutor())
    boom = {n["id"]: n for n in manifest["nodes"]}["boom"]
    rejected = pq.read_table(Path(plan.root) / "rejected" / "boom" / "part-00000.parquet")
    assert boom["errors"] == {"error:exception:ValueError": rejected.num_rows}
    assert 0 < rejected.num_rows < boom["in"], "only the failing batch is lost to the error"
    assert boom["kept"] == boom["in"] - rejected.num_rows
    assert "boom" in rejected.column("error_detail")[0].as_py()


def test_rerun_skips_finished_shards_and_refuses_other_config(tmp_path):
    plan, toml = _load(tmp_path)
    run(plan, LocalExecutor())
    part = Path(plan.root) / "normalize" / "part-00001.parquet"
    mtime = part.stat().st_mtime_ns
    run(plan, LocalExecutor())
    assert part.stat().st_mtime_ns == mtime
    changed = plan_mod.load(toml)
    changed.nodes["normalize"].config = changed.nodes["normalize"].cls.Config(form="NFKC")
    with pytest.raises(RunConflict):
        run(changed, LocalExecutor())
    run(changed, LocalExecutor(), fresh=True)


def _parts(directory: Path, *, drop: tuple[str, ...] = ()) -> dict[str, list[dict]]:
    return {
        p.name: pq.read_table(p).drop_columns(list(drop)).to_pylist() for p in sorted(directory.glob("part-*.parquet"))
    }


def test_killed_run_resumes_to_identical_output(tmp_path):
    """SIGKILL a run midway; the rerun's output equals an uninterrupted run's."""
    write_corpus(tmp_path / "in", files=24, docs_per_file=1500)
    glob = str(tmp_path / "in" / "*.jsonl")
    reference = tmp_path / "reference.toml"
    reference.write_text(pipeline_toml(tmp_path / "ref", glob))
    run(plan_mod.load(reference), LocalExecutor())

    toml = tmp_path / "killed.toml"
    toml.write_text(pipeline_toml(tmp_path / "killed", glob))
    done_dir = tmp_path / "killed" / "_done" / "ingest"
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline and len(list(done_dir.glob("*.json"))) < 3:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    finished = len(list(done_dir.glob("*.json")))
    assert 3 <= finished < 24, "the kill should land mid-run"

    run(plan_mod.load(toml), LocalExecutor())
    assert _parts(tmp_path / "killed" / "normalize") == _parts(tmp_path / "ref" / "normalize")
    assert _parts(tmp_path / "killed" / "rejected" / "ingest") == _parts(tmp_path / "ref" / "rejected" / "ingest")
    ids = read_ids(tmp_path / "killed" / "normalize")
    assert len(ids) == len(set(ids))
    assert json.loads((tmp_path / "killed" / "manifest.json").read_text())["hash"] == plan_mod.load(toml).hash


@pytest.mark.ray
def test_ray_executor_matches_local(tmp_path, ray_session):
    from corpusforge.runtime.ray import RayExecutor

    plan, _ = _load(tmp_path, files=4, docs=30, executor="ray")
    run(plan, RayExecutor())
    local_plan, _ = _load(tmp_path / "local", files=4, docs=30)
    run(local_plan, LocalExecutor())
    # `source` names the input file, which lives in a different folder for each run.
    ours, theirs = Path(plan.root) / "normalize", Path(local_plan.root) / "normalize"
    assert _parts(ours, drop=("source",)) == _parts(theirs, drop=("source",))
    untimed = dict.fromkeys(stats.MEASURED, 0)  # times and sizes read differ between runs; counts may not
    assert [s.to_json() | untimed for s in stats.funnel(plan.root)] == [
        s.to_json() | untimed for s in stats.funnel(local_plan.root)
    ]


@pytest.mark.parametrize("reasons", [[None, None, None], ["q:a", "q:b", "q:c"], [None, "q:a", None]])
def test_split_rejected_partitions_rows_and_marks_the_node(reasons):
    table = pa.table({"id": ["a", "b", "c"], "html": ["<p>1</p>", "<p>2</p>", "<p>3</p>"], "drop_reason": reasons})
    kept, rejected = split_rejected(table, "quality")
    assert kept.column_names == ["id", "html"]
    assert kept.column("id").to_pylist() == [i for i, r in zip("abc", reasons, strict=True) if r is None]
    assert rejected.column("id").to_pylist() == [i for i, r in zip("abc", reasons, strict=True) if r is not None]
    assert rejected.column("drop_reason").to_pylist() == [r for r in reasons if r is not None]
    assert rejected.column("drop_node").to_pylist() == ["quality"] * rejected.num_rows


GLOBAL_TAIL = (
    '[[node]]\nid = "exact"\nstage = "dedup.exact.v1"\ninputs = ["normalize"]\nparams = { partitions = 8 }\n'
    '[[node]]\nid = "near"\nstage = "dedup.minhash.v1"\ninputs = ["exact"]\nparams = { partitions = 8 }\n'
)


def _files(root: Path) -> dict[str, bytes]:
    """Every data file under a run root (bookkeeping aside), by relative path, as bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*.parquet"))
        if not any(part.startswith("_") for part in p.relative_to(root).parts)
    }


@pytest.mark.parametrize("when", ["exact/_prepare", "near/shards", "release"])
def test_a_run_killed_in_a_global_stage_resumes_to_identical_bytes(tmp_path, when):
    """SIGKILL while dedup prepares, while it filters shards, or while outputs are deleted."""
    write_corpus(tmp_path / "in", files=6, docs_per_file=400)
    glob = str(tmp_path / "in" / "*.jsonl")
    reference = tmp_path / "reference.toml"
    reference.write_text(
        pipeline_toml(tmp_path / "ref", glob, extra_nodes=GLOBAL_TAIL).replace("batch_size = 16", "batch_size = 64")
    )
    run(plan_mod.load(reference), LocalExecutor())

    toml = tmp_path / "killed.toml"
    toml.write_text(
        pipeline_toml(tmp_path / "killed", glob, extra_nodes=GLOBAL_TAIL).replace("batch_size = 16", "batch_size = 64")
    )
    root = tmp_path / "killed"
    landed = {
        "exact/_prepare": lambda: (root / "_work" / "exact").exists(),
        "near/shards": lambda: len(list((root / "_done" / "near").glob("0*.json"))) >= 1,
        "release": lambda: (root / "manifest.json").exists(),
    }[when]
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not landed() and proc.poll() is None:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    if when != "release":  # the deletion at the end is quick: the run may be done before the kill lands
        assert proc.returncode == -signal.SIGKILL, "the kill landed mid-run"

    run(plan_mod.load(toml), LocalExecutor())
    assert _files(root) == _files(tmp_path / "ref")
    assert sorted(p.name for p in root.iterdir() if not p.name.startswith("_")) == ["manifest.json", "near", "rejected"]
