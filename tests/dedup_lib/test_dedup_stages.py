"""dedup.exact.v1 and dedup.minhash.v1 in a real pipeline: local executor and Ray."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from dedup_fixtures import PARAGRAPHS, edit_words, long_doc, write_jsonl

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.plan import PlanError
from corpusforge.runtime import run


def _corpus(tmp_path: Path) -> str:
    shard0 = [long_doc(i) for i in range(30)] + ["", "Hola", PARAGRAPHS[0]]
    shard1 = [long_doc(i) for i in range(30, 60)] + ["", "hola!", PARAGRAPHS[0], PARAGRAPHS[0]]
    shard1[0] = edit_words(long_doc(4), changes=1, seed=7)  # near copy across shards
    shard1[1] = long_doc(9).replace(" ", "   ")  # exact after whitespace folding
    return write_jsonl(tmp_path / "in", [shard0, shard1])


def _plan(tmp_path: Path, corpus_glob: str, *, executor: str = "local", minhash_params: dict | None = None):
    raw = {
        "pipeline": {"name": "dedup-test", "root": str(tmp_path / "run"), "executor": executor, "batch_size": 7},
        "node": [
            {"id": "ingest", "stage": "ingest.jsonl.v1", "params": {"paths": [corpus_glob], "batch_size": 7}},
            {"id": "exact", "stage": "dedup.exact.v1", "inputs": ["ingest"], "params": {"partitions": 3}},
            {"id": "near", "stage": "dedup.minhash.v1", "inputs": ["exact"], "params": minhash_params or {}},
        ],
    }
    return plan_mod.from_dict(raw)


def _rejected(root: Path, node: str) -> dict[str, tuple[str, str]]:
    out = {}
    for part in sorted((root / "rejected" / node).glob("part-*.parquet")):
        t = pq.read_table(part)
        for row in t.select(["id", "drop_reason", "dup_cluster"]).to_pylist():
            out[row["id"]] = (row["drop_reason"], row["dup_cluster"])
    return out


def _check(tmp_path: Path) -> None:
    root = tmp_path / "run"
    exact = _rejected(root, "exact")
    assert exact == {
        "j1-1": ("dup:exact", "j0-9"),
        "j1-30": ("dup:exact", "j0-30"),
        "j1-32": ("dup:exact", "j0-32"),
        "j1-33": ("dup:exact", "j0-32"),
    }
    near = _rejected(root, "near")
    # "hola!" survives exact dedup (punctuation counts there) but has too few words for shingles
    assert near == {"j1-0": ("dup:near", "j0-4"), "j1-31": ("dup:exact", "j0-31")}
    kept = pq.read_table(sorted((root / "near").glob("part-*.parquet"))[0]).to_pylist()
    by_id = {r["id"]: r for r in kept}
    assert by_id["j0-4"]["dup_cluster"] == "j0-4" and by_id["j0-5"]["dup_cluster"] is None
    funnel = {s.node: s for s in stats.funnel(str(root))}
    assert funnel["exact"].docs_in == 67 and funnel["exact"].kept == 63
    assert funnel["near"].docs_in == 63 and funnel["near"].kept == 61
    assert dict(funnel["near"].rejected) == {"dup:near": 1, "dup:exact": 1}


def test_dedup_stages_on_the_local_executor(tmp_path):
    from corpusforge.runtime.local import LocalExecutor

    plan = _plan(tmp_path, _corpus(tmp_path))
    run(plan, LocalExecutor())
    _check(tmp_path)


@pytest.mark.ray
def test_dedup_stages_on_ray(tmp_path, ray_session):
    from corpusforge.runtime.ray import RayExecutor

    plan = _plan(tmp_path, _corpus(tmp_path), executor="ray")
    run(plan, RayExecutor())
    _check(tmp_path)


def test_dedup_stages_on_the_pool_executor(tmp_path):
    from corpusforge.runtime.pool import PoolExecutor

    plan = _plan(tmp_path, _corpus(tmp_path), executor="pool")
    executor = PoolExecutor(2)
    try:
        run(plan, executor)
    finally:
        executor.close()
    _check(tmp_path)


def test_bad_parameters_are_refused_at_plan_time(tmp_path):
    with pytest.raises(PlanError, match="bands"):
        _plan(tmp_path, "x.jsonl", minhash_params={"bands": 20, "rows": 8})
    with pytest.raises(PlanError, match="score_column"):
        _plan(tmp_path, "x.jsonl", minhash_params={"keep": "quality"})


def test_cli_plan_prints_the_curve(capsys):
    from corpusforge.cli import main

    assert main(["dedup", "plan", "--threshold", "0.8"]) == 0
    out = capsys.readouterr().out
    assert "bands 16 x rows 7" in out and "0.80" in out
    assert main(["dedup", "plan", "--threshold", "0.8", "--bands", "20", "--rows", "8"]) == 2
