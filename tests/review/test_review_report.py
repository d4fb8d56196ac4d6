"""`corpusforge review report` on a hand-made sample and label file; expected numbers worked out by hand.

Galician, rule min_stopword_ratio (today 0.28):
  kept  k1..k10  q_stopword_ratio 0.30, 0.32, ..., 0.48
  rej.  r1..r6   q_stopword_ratio 0.10, 0.14, 0.18, 0.22, 0.25, 0.27
Ana: k1-k3 "should reject: boilerplate", k4-k10 "correct", r1-r4 "correct", r5 and r6 "should keep:
boilerplate" (it is not). Bea: k1 "should reject: boilerplate", k2 "should keep" (= correct on a kept
doc), k4, k5, r1, r5 "correct". k2 and r5 are ties between Ana and Bea, so they leave the precision
and threshold figures. "boilerplate" maps to min_stopword_ratio (reasons.py).
"""

from __future__ import annotations

import json
import subprocess
import tomllib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusforge.cli import main
from corpusforge.quality import rules
from corpusforge.review import metrics
from corpusforge.review.report import build
from corpusforge.review.thresholds_patch import Change, write_suggestions

KEPT = {f"k{i}": round(0.28 + 0.02 * i, 2) for i in range(1, 11)}
REJECTED = dict(zip([f"r{i}" for i in range(1, 7)], [0.10, 0.14, 0.18, 0.22, 0.25, 0.27], strict=True))
GL_TOML = """lang_tag = "gl"

[thresholds]
min_words = 50  # Gopher default (Rae et al. 2021), fixed
min_stopword_ratio = 0.28  # p0.5 of lid-train gl.txt x 0.9
"""


def _row(doc_id: str, tag: str, decision: str, reason: str | None, stop: float, score: float = 0.9) -> dict:
    return {
        "id": doc_id,
        "lang_tag": tag,
        "review_decision": decision,
        "drop_reason": reason,
        "review_stratum": f"{tag} | n | {reason or 'kept'} | band 1/1",
        "lang_score": score,
        "q_stopword_ratio": stop,
        "text": "O concello aprobou onte o orzamento.",
    }


@pytest.fixture
def hand_made(tmp_path: Path) -> tuple[Path, Path]:
    rows = [_row(f"gl-{k}", "gl", "kept", None, v) for k, v in KEPT.items()]
    rows += [_row(f"gl-{k}", "gl", "rejected", "quality:min_stopword_ratio", v) for k, v in REJECTED.items()]
    rows += [_row(f"es-l{i}", "es", "rejected", "lang:low_score", 0.4, score=0.3) for i in (1, 2, 3)]
    rows += [_row(f"es-k{i}", "es", "kept", None, 0.4) for i in (1, 2)]
    review = tmp_path / "review"
    review.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), review / "sample.parquet")
    labels = [("Ana", f"gl-k{i}", "reject") for i in (1, 2, 3)] + [("Ana", f"gl-k{i}", "correct") for i in range(4, 11)]
    labels += [("Ana", f"gl-r{i}", "correct") for i in (1, 2, 3, 4)] + [
        ("Ana", "gl-r5", "keep"),
        ("Ana", "gl-r6", "keep"),
    ]
    labels += [("Bea", "gl-k1", "reject"), ("Bea", "gl-k2", "keep")]
    labels += [("Bea", d, "correct") for d in ("gl-k4", "gl-k5", "gl-r1", "gl-r5")]
    lines = [
        {"doc": d, "reviewer": who, "verdict": v, **({"reason": "boilerplate"} if v in ("keep", "reject") else {})}
        for who, d, v in labels
    ]
    lines += [
        {"doc": "es-l1", "reviewer": "Ana", "verdict": "lang", "lang": "ca"},  # a target language: wrong rejection
        {"doc": "es-l2", "reviewer": "Ana", "verdict": "lang", "lang": "pt"},  # not ours: right rejection
        {"doc": "es-l3", "reviewer": "Ana", "verdict": "correct"},
        {"doc": "es-k1", "reviewer": "Ana", "verdict": "variety", "note": "és valencià"},
        {"doc": "es-k2", "reviewer": "Ana", "verdict": "lang", "lang": "gl"},
        {"doc": "es-k2", "reviewer": "Ana", "verdict": "lang", "lang": "gl"},  # a repeat counts once
    ]
    (review / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    thresholds = tmp_path / "thresholds"
    thresholds.mkdir()
    (thresholds / "gl.toml").write_text(GL_TOML, encoding="utf-8")
    (thresholds / "default.toml").write_text('lang_tag = "default"\n\n[thresholds]\nmin_words = 50  # fixed\n')
    return review, thresholds


def _precision(report: dict, tag: str, rule: str) -> dict:
    return next(r for r in report["precision"] if (r["lang_tag"], r["rule"]) == (tag, rule))


def test_precision_per_language_and_rule(hand_made: tuple[Path, Path]) -> None:
    review, thresholds = hand_made
    report = build(review, thresholds_dir=thresholds)
    kept = _precision(report, "gl", "kept")  # judged k1, k3 (wrong) and k4..k10 (right); k2 tied
    assert (kept["labelled"], kept["judged"], kept["right"]) == (9, 9, 7)
    assert kept["precision"] == pytest.approx(7 / 9)
    assert (kept["ci_low"], kept["ci_high"]) == pytest.approx((0.4526, 0.9368), abs=1e-4)  # Wilson, by hand
    stop = _precision(report, "gl", "quality:min_stopword_ratio")  # r1..r4 right, r6 wrong; r5 tied
    assert (stop["judged"], stop["right"]) == (5, 4)
    assert (stop["ci_low"], stop["ci_high"]) == pytest.approx((0.3755, 0.9638), abs=1e-4)
    low = _precision(report, "es", "lang:low_score")
    assert (low["judged"], low["right"], low["wrong_lang"]) == (3, 2, 2)
    es_kept = _precision(report, "es", "kept")  # "wrong variety" does not judge the keep
    assert (es_kept["labelled"], es_kept["judged"], es_kept["right"], es_kept["wrong_variety"]) == (2, 1, 0, 1)
    assert report["disputed_documents"] == 2
    assert report["notes"] == [{"id": "es-k1", "lang_tag": "es", "rule": "kept", "notes": ["Ana: és valencià"]}]


def test_cohen_kappa_of_two_reviewers(hand_made: tuple[Path, Path]) -> None:
    review, thresholds = hand_made
    (agreement,) = build(review, thresholds_dir=thresholds)["agreement"]
    # Shared: k1 k2 k4 k5 r1 r5. Ana: reject reject correct correct correct keep;
    # Bea: reject correct correct correct correct correct. Observed 4/6; chance (2*1 + 3*5) / 36 = 17/36.
    assert agreement["reviewers"] == ["Ana", "Bea"] and agreement["n"] == 6
    assert agreement["observed"] == pytest.approx(4 / 6)
    assert agreement["expected"] == pytest.approx(17 / 36)
    assert agreement["kappa"] == pytest.approx(7 / 19)


def test_threshold_candidate_and_how_many_more_labels(hand_made: tuple[Path, Path]) -> None:
    review, thresholds = hand_made
    (tmp_run := review.parent / "run").mkdir()
    (review / "sample.json").write_text(json.dumps({"run_dir": str(tmp_run), "thresholds": _gl_thresholds()}))
    report = build(review, thresholds_dir=thresholds, min_labels=2)
    (s,) = [s for s in report["suggestions"] if s["rule"] == "min_stopword_ratio"]
    # should reject: r1-r4, k1, k3 (6); should keep: r6, k4-k10 (8). Today 0.28 rejects r1-r4 and r6:
    # J = 4/6 + 7/8 - 1. At 0.35 (between k3 = 0.34 and k4 = 0.36) it rejects all six and r6: J = 1 + 7/8 - 1.
    assert sum(p[1] for p in s["points"]) == 6 and sum(not p[1] for p in s["points"]) == 8
    assert s["n_about"] == 7  # k1, k3, r1-r4, r6: the kept pages labelled correct are not about the rule
    assert s["current"] == 0.28 and s["current_j"] == pytest.approx(4 / 6 + 7 / 8 - 1)
    assert s["candidate"] == 0.35 and s["candidate_j"] == pytest.approx(7 / 8)
    # The change flips k1 and k3 only, both rightly: 2 labels reach min_labels = 2, but the Wilson
    # interval of 2/2 starts at 34%; at this rate 4 of 4 would pass 50%: 2 more.
    assert (s["n_band"], s["band_right"]) == (2, 2) and s["ci"][0] == pytest.approx(0.3424, abs=1e-4)
    assert s["status"] == "not enough labels" and s["needed"] == 2 and "about 2 more" in s["message"]
    assert report["patch"] is None
    html = (review / "report.html").read_text(encoding="utf-8")
    assert "<svg" in html and "min_stopword_ratio" in html and "src=" not in html and "href=" not in html


def _gl_thresholds() -> dict:
    return {"quality": {"gl": {"min_words": 50, "min_stopword_ratio": 0.28}, "default": {"min_words": 50}},
            "lang_min_score": {"*": 0.5}}  # fmt: skip


def test_patch_applies_to_a_project_directory_and_creates_missing_languages(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "gl.toml").write_text(GL_TOML, encoding="utf-8")
    changes = [
        Change("gl", "min_stopword_ratio", 0.28, 0.35, "review 2026-11: 24 of 25 flipped right"),
        Change("eu", "min_words", 50, 40, "review 2026-11: short Basque news are fine"),
    ]
    patch = write_suggestions(project, changes, tmp_path / "suggested")
    assert patch is not None
    text = patch.read_text(encoding="utf-8")
    assert "-min_stopword_ratio = 0.28  # p0.5 of lid-train gl.txt x 0.9" in text
    assert "+min_stopword_ratio = 0.35  # review 2026-11: 24 of 25 flipped right" in text
    assert "--- /dev/null" in text and "+++ b/eu.toml" in text
    subprocess.run(["patch", "-s", "-d", str(project), "-p1", "-i", str(patch)], check=True)
    for name in ("gl.toml", "eu.toml"):
        assert (project / name).read_text() == (tmp_path / "suggested" / name).read_text()
    # The new file holds only the change: everything else comes from the shipped eu.toml.
    assert tomllib.loads((project / "eu.toml").read_text())["thresholds"] == {"min_words": 40}
    sets = rules.load_dir(project)
    assert {r.name: r.value for r in sets["eu"].rules} == {**{r.name: r.value for r in rules.load_dir()["eu"].rules},
                                                          "min_words": 40.0}  # fmt: skip


def test_report_cli(hand_made: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    review, thresholds = hand_made
    assert main(["review", "report", str(review), "--thresholds", str(thresholds), "--min-labels", "2"]) == 0
    out = capsys.readouterr().out
    assert "kappa 0.37" in out and "candidate 0.35: not enough labels" in out and (review / "report.json").exists()
    assert main(["review", "report", str(review), "--thresholds", str(thresholds), "--min-labels", "2", "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json.loads((review / "report.json").read_text())  # what the report wrote, printed as JSON


def test_best_cut_prefers_the_current_threshold_on_ties() -> None:
    values, reject = [0.1, 0.2, 0.6, 0.7], [True, True, False, False]
    assert metrics.best_cut(values, reject, "min", current=0.5).value == 0.5  # 0.5 separates as well as 0.4
    assert metrics.best_cut(values, reject, "min", current=None).value == 0.4
    assert metrics.best_cut([1, 2, 8, 9], [False, False, True, True], "max", current=None).value == 5
    assert metrics.wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=1e-4)  # the textbook example


def test_language_score_cut_uses_the_manifest_threshold(tmp_path: Path) -> None:
    run = tmp_path / "run"
    run.mkdir()
    nodes = [{"id": "langid", "params": {"min_score": {"eu": 0.5, "gl": 0.6}}}]
    (run / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    review = tmp_path / "review"
    review.mkdir()
    (review / "sample.json").write_text(json.dumps({"run_dir": str(run), "created": "2026-11-24T10:00:00"}))
    scores = {"eu-a": 0.30, "eu-b": 0.35, "eu-c": 0.40, "eu-d": 0.45, "eu-e": 0.55, "eu-f": 0.60, "eu-g": 0.70}
    rows = [
        _row(d, "eu", "rejected" if v < 0.5 else "kept", "lang:low_score" if v < 0.5 else None, 0.4, score=v)
        for d, v in scores.items()
    ]
    pq.write_table(pa.Table.from_pylist(rows), review / "sample.parquet")
    # eu-a, eu-b truly not Basque enough; eu-c, eu-d were wrongly rejected; all keeps right.
    verdicts = {"eu-a": "correct", "eu-b": "correct", "eu-c": "keep", "eu-d": "keep"}
    lines = [
        {"doc": d, "reviewer": "Miren", "verdict": verdicts.get(d, "correct"), "reason": "wrong_language"}
        for d in scores
    ]
    (review / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    report = build(review, thresholds_dir=None, min_labels=2)
    (s,) = report["suggestions"]
    assert (s["rule"], s["current"], s["candidate"]) == ("min_lang_score", 0.5, 0.38)  # between 0.35 and 0.40
    assert s["current_j"] == pytest.approx(2 / 2 + 3 / 5 - 1) and s["candidate_j"] == pytest.approx(1.0)
    assert s["n_band"] == 2 and s["impact"] is None  # eu-c and eu-d; refilter re-filters quality thresholds only
    assert report["patch"] is None  # the language filter's threshold lives in the pipeline file, not in TOML
