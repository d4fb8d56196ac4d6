"""Several reviewers on one sample: assignment, agreement per rule, disagreements to adjudicate, export."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from app_client import serving

from corpusforge.cli import main
from corpusforge.review import metrics
from corpusforge.review.report import build
from corpusforge.review.team import assign


def test_assignment_gives_each_document_k_reviewers_and_every_pair_shared_documents() -> None:
    docs = [f"d{i}" for i in range(60)]
    plan = assign(docs, ["Ana", "Bea", "Carles", "Dolors"], 2)
    assert all(len(set(names)) == 2 for names in plan.values())
    per_reviewer = {r: sum(r in names for names in plan.values()) for r in ("Ana", "Bea", "Carles", "Dolors")}
    assert set(per_reviewer.values()) == {30}  # 60 x 2 / 4
    pairs = {tuple(sorted(names)) for names in plan.values()}
    assert len(pairs) == 6  # every pair of the four shares documents (for Cohen's kappa)
    with pytest.raises(ValueError):
        assign(docs, ["Ana"], 2)


def test_fleiss_kappa_by_hand() -> None:
    # Four documents, three raters each: 2 unanimous, 2 split 2-1.
    items = [["c", "c", "c"], ["r", "r", "r"], ["c", "c", "r"], ["c", "r", "r"]]
    agr = metrics.fleiss_kappa(items)
    # P_i: 1, 1, 1/3, 1/3 -> mean 2/3; p_c = p_r = 1/2 -> P_e = 1/2; kappa = (2/3 - 1/2) / (1/2) = 1/3
    assert agr.observed == pytest.approx(2 / 3) and agr.expected == pytest.approx(0.5)
    assert agr.kappa == pytest.approx(1 / 3)


def test_team_review_from_assignment_to_export(review_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["review", "assign", str(review_dir), "--reviewers", "Ana", "Bea", "--per-doc", "2"]) == 0
    assert "Ana" in capsys.readouterr().out
    with serving(review_dir) as app:
        docs = app.get("/api/docs")
        progress = app.get("/api/progress?reviewer=Ana")
        assert len(progress["assigned"]) == len(docs)  # two reviewers, two per document: everything
        first, second = docs[0]["id"], docs[1]["id"]
        for doc in (first, second):
            assert app.post("/api/label", {"doc": doc, "reviewer": "Ana", "verdict": "correct"}).status == 200
        assert app.post("/api/label", {"doc": first, "reviewer": "Bea", "verdict": "correct"}).status == 200
        verdict = "keep" if app.get("/api/doc?i=1")["decision"] != "kept" else "reject"
        assert (
            app.post(
                "/api/label", {"doc": second, "reviewer": "Bea", "verdict": verdict, "reason": "boilerplate"}
            ).status
            == 200
        )
        (split,) = app.get("/api/disagreements")
        assert split["id"] == second and set(split["labels"]) == {"Ana", "Bea"} and split["adjudicated"] is None
        # Reviewers do not see each other's labels; the adjudication view does.
        assert app.get("/api/doc?i=1&reviewer=Ana")["others"] is None
        assert [x["reviewer"] for x in app.get("/api/doc?i=1&reviewer=Joan&adjudicate=1")["others"]] == [
            "Ana",
            "Bea",
        ]
        assert (
            app.post("/api/label", {"doc": second, "reviewer": "Joan", "verdict": "correct", "adjudicate": True}).status
            == 200
        )
        (split,) = app.get("/api/disagreements")
        assert split["adjudicated"]["category"] == "correct"
    report = build(review_dir)
    assert report["disputed_documents"] == 0  # the adjudication settled the tie
    (pair,) = report["agreement"]
    assert pair["reviewers"] == ["Ana", "Bea"] and pair["n"] == 2
    rules_seen = {r["rule"] for r in report["agreement_per_rule"]}
    assert "all rules" in rules_seen and len(report["disagreements"]) == 1
    assert main(["review", "export", str(review_dir)]) == 0
    table = pq.read_table(review_dir / "export" / "labels.parquet")
    assert table.num_rows == 5 and set(table.column_names) >= {"doc_id", "reviewer", "verdict", "reason", "rules",
                                                                "adjudicate", "consensus", "lang_tag", "drop_reason"}  # fmt: skip
    rows = [json.loads(x) for x in (review_dir / "export" / "labels.jsonl").read_text().splitlines()]
    assert rows == table.to_pylist()
    adjudicated = [r for r in rows if r["adjudicate"]]
    assert adjudicated == [r for r in rows if r["reviewer"] == "Joan"] and adjudicated[0]["consensus"] == "correct"
    # Joinable to the run by doc_id = the run's id.
    sample_ids = set(pq.read_table(review_dir / "sample.parquet", columns=["id"]).column("id").to_pylist())
    assert set(table.column("doc_id").to_pylist()) <= sample_ids
