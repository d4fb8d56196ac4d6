"""decontam.ngram.v1 in a pipeline: reasons, accounting, passage cuts, plan-time errors, Ray."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from decontam_fixtures import (
    EVAL_CA,
    EVAL_ES,
    EVAL_EU,
    EVAL_GL,
    FILLER,
    norm_words,
    write_docs,
    write_eval_jsonl,
    write_eval_parquet,
    write_eval_txt,
)

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.decontam import read_matches, read_summary
from corpusforge.plan import PlanError
from corpusforge.rundir import RunDir
from corpusforge.runtime import run


def _sets(tmp_path: Path) -> list[dict]:
    return [
        {"name": "flores-mini", "paths": [write_eval_txt(tmp_path / "eval" / "flores" / "es.txt", [EVAL_ES]),
                                          write_eval_txt(tmp_path / "eval" / "flores" / "ca.txt", [EVAL_CA])]},
        {"name": "qa", "paths": [write_eval_jsonl(tmp_path / "eval" / "qa.jsonl", [
            {"question": EVAL_EU, "choices": ["bai", EVAL_GL]}, {"question": "Zer ordutan?", "choices": []}])],
         "fields": ["question", "choices"]},
    ]  # fmt: skip


DOCS = [
    [("es-copy", f"{FILLER[1]}\n{EVAL_ES}"), ("clean-0", FILLER[0]), ("gl-choice", f"{EVAL_GL}\n{FILLER[4]}")],
    [("ca-copy", f"{EVAL_CA}"), ("clean-1", f"{FILLER[2]}\n{FILLER[3]}"), ("eu-q", f"Galdera: {EVAL_EU}")],
]


def _plan(tmp_path: Path, *, executor: str = "local", **params):
    raw = {
        "pipeline": {"name": "decontam-test", "root": str(tmp_path / "run"), "executor": executor, "batch_size": 2},
        "node": [
            {"id": "ingest", "stage": "ingest.jsonl.v1",
             "params": {"paths": [write_docs(tmp_path / "in", DOCS)], "batch_size": 2}},
            {"id": "decontam", "stage": "decontam.ngram.v1", "inputs": ["ingest"],
             "params": {"sets": _sets(tmp_path), **params}},
        ],
    }  # fmt: skip
    return plan_mod.from_dict(raw)


def _rows(directory: Path) -> dict[str, dict]:
    return {r["id"]: r for p in sorted(directory.glob("part-*.parquet")) for r in pq.read_table(p).to_pylist()}


def _check_document_mode(root: Path) -> None:
    rejected = _rows(root / "rejected" / "decontam")
    assert {k: v["drop_reason"] for k, v in rejected.items()} == {
        "es-copy": "decontam:flores-mini",
        "ca-copy": "decontam:flores-mini",
        "gl-choice": "decontam:qa",
        "eu-q": "decontam:qa",
    }
    kept = _rows(root / "decontam")
    assert set(kept) == {"clean-0", "clean-1"} and {r["decontam_words"] for r in kept.values()} == {0}
    assert rejected["es-copy"]["decontam_words"] == norm_words(DOCS[0][0][1])
    funnel = {s.node: s for s in stats.funnel(str(root))}["decontam"]
    assert funnel.balanced and (funnel.docs_in, funnel.kept) == (6, 2)
    assert dict(funnel.rejected) == {"decontam:flores-mini": 2, "decontam:qa": 2}
    summary = read_summary(RunDir(str(root)).reports("decontam"))
    assert summary["documents"] == 6 and summary["documents_removed"] == 4
    assert summary["sets"]["qa"]["records"] == 4 and summary["sets"]["qa"]["too_short"] == 2  # "bai", "Zer ordutan?"
    assert summary["sets"]["qa"]["words_removed"] == norm_words(DOCS[0][2][1]) + norm_words(DOCS[1][2][1])
    matches = read_matches(RunDir(str(root)).reports("decontam")).to_pylist()
    by_id = {m["id"]: m for m in matches}
    assert by_id["gl-choice"]["eval_text"] == EVAL_GL and by_id["gl-choice"]["eval_line"] == 1
    assert by_id["ca-copy"]["eval_file"].endswith("flores/ca.txt") and by_id["ca-copy"]["shard"] == 1


def test_document_mode_rejects_contaminated_documents_with_the_set_as_reason(tmp_path):
    from corpusforge.runtime.local import LocalExecutor

    run(_plan(tmp_path), LocalExecutor())
    _check_document_mode(tmp_path / "run")


@pytest.mark.ray
def test_document_mode_on_ray(tmp_path, ray_session):
    from corpusforge.runtime.ray import RayExecutor

    run(_plan(tmp_path, executor="ray"), RayExecutor())
    _check_document_mode(tmp_path / "run")


def test_passage_mode_cuts_lines_and_rejects_what_is_left_empty(tmp_path):
    from corpusforge.runtime.local import LocalExecutor

    run(_plan(tmp_path, mode="passage"), LocalExecutor())
    root = tmp_path / "run"
    kept = _rows(root / "decontam")
    assert kept["es-copy"]["text"] == f"{FILLER[1]}\n"
    assert kept["es-copy"]["decontam_words"] == norm_words(EVAL_ES)
    assert kept["gl-choice"]["text"] == FILLER[4]
    assert kept["clean-1"]["text"] == f"{FILLER[2]}\n{FILLER[3]}" and kept["clean-1"]["decontam_words"] == 0
    rejected = _rows(root / "rejected" / "decontam")
    assert {k: v["drop_reason"] for k, v in rejected.items()} == {
        "ca-copy": "decontam:flores-mini",
        "eu-q": "decontam:qa",
    }
    summary = read_summary(RunDir(str(root)).reports("decontam"))
    assert (summary["documents_cut"], summary["documents_removed"]) == (2, 2)


def test_parquet_evaluation_sets_with_list_columns(tmp_path):
    from corpusforge.runtime.local import LocalExecutor

    path = write_eval_parquet(tmp_path / "eval" / "mc.parquet", {"prompt": [EVAL_ES], "answers": [[EVAL_EU, "ez"]]})
    raw = _plan(tmp_path).raw
    raw["node"][1]["params"]["sets"] = [{"name": "mc", "paths": [path], "fields": ["prompt", "answers"]}]
    run(plan_mod.from_dict(raw), LocalExecutor())
    rejected = _rows(tmp_path / "run" / "rejected" / "decontam")
    assert set(rejected) == {"es-copy", "eu-q"}


@pytest.mark.parametrize(
    ("sets", "field", "message"),
    [
        ([{"name": "gone", "paths": ["{tmp}/nothing/*.txt"]}], "params.sets", "matches no file"),
        ([{"name": "bad", "paths": ["{tmp}/broken.jsonl"]}], "params.sets", "broken.jsonl:2: not valid JSON"),
        ([{"name": "a b", "paths": ["{tmp}/ok.txt"]}], "params.sets.0.name", "letters, digits"),
        (
            [{"name": "x", "paths": ["{tmp}/ok.txt"]}, {"name": "x", "paths": ["{tmp}/ok.txt"]}],
            "params.sets",
            "repeated: x",
        ),
        ([], "params.sets", "at least 1"),
    ],
)
def test_bad_evaluation_sets_fail_at_plan_time_naming_node_and_field(tmp_path, sets, field, message):
    write_eval_txt(tmp_path / "ok.txt", [EVAL_ES])
    (tmp_path / "broken.jsonl").write_text('{"text": "bé"}\n{"text": \n', encoding="utf-8")
    raw = _plan(tmp_path).raw
    fill = str(tmp_path)
    raw["node"][1]["params"]["sets"] = [{**s, "paths": [p.replace("{tmp}", fill) for p in s["paths"]]} for s in sets]
    with pytest.raises(PlanError) as err:
        plan_mod.from_dict(raw)
    assert err.value.node == "decontam" and err.value.field == field
    assert message in str(err.value)


def test_changing_an_evaluation_file_changes_the_plan_hash(tmp_path):
    before = _plan(tmp_path).hash
    write_eval_txt(tmp_path / "eval" / "flores" / "es.txt", [EVAL_ES, FILLER[0]])
    raw = _plan(tmp_path).raw  # _plan rewrites the files; write the changed one again after it
    write_eval_txt(tmp_path / "eval" / "flores" / "es.txt", [EVAL_ES, FILLER[0]])
    assert plan_mod.from_dict(raw).hash != before
