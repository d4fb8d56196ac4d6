"""The reported case: a third reviewer marks 6 kept Catalan pages "should reject (too short)".

The report used to count those 6 labels as evidence against every rule, and proposed moving
`max_upper_ratio`, `min_stopword_ratio`, `min_words` (and the language score) at once; applied, the
patch removed 73% of the Catalan output. Now a label counts only for the rules its reason maps to,
and a change needs enough labels among the documents it flips. The run is real: ~2,100 kept
Catalan pages out of 2,420 (tests/review/catalan_run.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from catalan_run import build as build_run

from corpusforge.review.labels import Label, LabelStore
from corpusforge.review.report import build
from corpusforge.review.sample import SampleConfig, draw

TOO_SHORT = 6


@pytest.fixture(scope="module")
def catalan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("catalan")
    run = build_run(base)
    review = base / "review"
    draw(str(run), review, SampleConfig(seed=11, bands=5, per_band=6))
    return run, review


def _label(review: Path, *, extra_short: int = 0) -> list[str]:
    """Ana confirms every rejection, Bea every kept page but the shortest, which Carles (the third
    reviewer) marks "should reject: too short". Returns Carles's documents."""
    sample = pq.read_table(review / "sample.parquet", columns=["id", "review_decision", "q_words"]).to_pylist()
    kept = sorted((r for r in sample if r["review_decision"] == "kept"), key=lambda r: (r["q_words"], r["id"]))
    short = [r["id"] for r in kept[: TOO_SHORT + extra_short]]
    store = LabelStore(review)
    (review / "labels.jsonl").unlink(missing_ok=True)
    for r in sample:
        if r["review_decision"] != "kept":
            store.append(Label(doc=r["id"], reviewer="Ana", verdict="correct"))
        elif r["id"] in short:
            store.append(Label(doc=r["id"], reviewer="Carles", verdict="reject", reason="too_short"))
        else:
            store.append(Label(doc=r["id"], reviewer="Bea", verdict="correct"))
    return short


def test_six_too_short_labels_can_only_move_min_words_and_do_not(catalan: tuple[Path, Path]) -> None:
    run, review = catalan
    short = _label(review)
    report = build(review)
    assert report["thresholds"]["changed_since_run"] is False  # the sample's snapshot is what the run used
    candidates = [s for s in report["suggestions"] if s["candidate"] is not None]
    # Only min_words has a candidate: no other rule's evidence holds a "too short" label.
    assert {(s["lang_tag"], s["rule"]) for s in candidates} == {("ca", "min_words")}
    for s in report["suggestions"]:
        docs = {p[2] for p in s["points"]}
        assert (s["rule"] == "min_words") == bool(docs & set(short)), s["rule"]
    (words,) = candidates
    assert words["current"] == 50 and words["candidate"] > 50
    # ... and it is not proposed on that little evidence: it says how many more labels it needs.
    assert words["status"] == "not enough labels" and words["needed"] == 20 - words["n_band"] > 0
    assert 0 < words["n_band"] < 20 and f"label {words['needed']} more" in words["message"]
    assert not any(s["status"] == "proposed" for s in report["suggestions"])
    assert report["patch"] is None and not (review / "suggested" / "thresholds.patch").exists()
    # The impact on the run is shown all the same, from the run's stored signals.
    impact = words["impact"]["by_tag"]["ca"]
    kept_by_quality = json.loads((run / "manifest.json").read_text())["nodes"][2]["kept"]
    assert impact["docs_now"] == kept_by_quality and impact["docs_after"] < impact["docs_now"]
    assert impact["final_lost"] == -impact["change"]
    assert len(words["impact"]["examples"]["rejected"]) == 3
    html = (review / "report.html").read_text(encoding="utf-8")
    assert "not enough labels" in html and "Impact on the run" in html


def test_enough_consistent_labels_propose_min_words_with_its_impact(catalan: tuple[Path, Path]) -> None:
    _, review = catalan
    short = _label(review, extra_short=20)  # 26 kept pages marked too short: the shortest of the sample
    report = build(review, max_drop=0.9)
    (words,) = [s for s in report["suggestions"] if s["candidate"] is not None]
    assert words["n_band"] >= 20 and words["status"] == "proposed" and words["in_patch"]
    assert words["ci"][0] > 0.5 and words["band_right"] == len(short)
    patch = (review / "suggested" / "thresholds.patch").read_text(encoding="utf-8")
    assert patch.startswith("--- a/ca.toml") and f"+min_words = {words['candidate']:g}" in patch
    # The same change with the default 10% allowance: flagged loudly and kept out of the patch.
    loud = build(review)
    (words,) = [s for s in loud["suggestions"] if s["candidate"] is not None]
    share = -words["impact"]["by_tag"]["ca"]["share"]
    assert share > 0.10 and words["warning"] and "removes" in words["warning"] and not words["in_patch"]
    assert loud["patch"] is None
