"""max_perplexity is reviewable like the other rules: precision and a threshold candidate.

Spanish, max_perplexity 800 in the run. Kept k1..k8 (q_perplexity 200..550), all "correct"; rejected
r1..r7 (900, 1000, 1500, ..., 3500): r1 and r2 "should keep", r3..r7 "correct". A French
row has no model, so a null q_perplexity, and must not disturb anything.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpusforge.review.report import build


def _row(doc_id: str, tag: str, decision: str, reason: str | None, ppl: float | None) -> dict:
    return {
        "id": doc_id,
        "lang_tag": tag,
        "review_decision": decision,
        "drop_reason": reason,
        "review_stratum": f"{tag} | n | {reason or 'kept'} | band 1/1",
        "lang_score": 0.95,
        "q_stopword_ratio": 0.4,
        "q_perplexity": ppl,
        "text": "El ayuntamiento aprobó ayer el presupuesto.",
    }


def test_perplexity_rejections_get_precision_and_a_threshold_candidate(tmp_path: Path) -> None:
    kept = {f"k{i}": 150.0 + 50 * i for i in range(1, 9)}
    cuts = [900.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3500.0]
    rejected = dict(zip([f"r{i}" for i in range(1, 8)], cuts, strict=True))
    rows = [_row(f"es-{k}", "es", "kept", None, v) for k, v in kept.items()]
    rows += [_row(f"es-{k}", "es", "rejected", "quality:max_perplexity", v) for k, v in rejected.items()]
    rows.append(_row("fr-1", "fr", "kept", None, None))
    review, run = tmp_path / "review", tmp_path / "run"
    review.mkdir()
    run.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), review / "sample.parquet")
    run_thresholds = {"quality": {"es": {"min_words": 50, "max_perplexity": 800}, "default": {"min_words": 50}}}
    (review / "sample.json").write_text(json.dumps({"run_dir": str(run), "thresholds": run_thresholds}))
    labels = [(k, "correct", None) for k in kept] + [("r1", "keep", "spam"), ("r2", "keep", "spam")]
    labels += [(f"r{i}", "correct", None) for i in range(3, 8)] + [("fr-1", "correct", None)]
    lines = [
        {"doc": d if d.startswith("fr") else f"es-{d}", "reviewer": "Ana", "verdict": v, **({"reason": r} if r else {})}
        for d, v, r in labels
    ]
    (review / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")

    report = build(review, min_labels=2)

    precision = next(r for r in report["precision"] if (r["lang_tag"], r["rule"]) == ("es", "quality:max_perplexity"))
    assert (precision["judged"], precision["right"]) == (7, 5)
    (s,) = [s for s in report["suggestions"] if s["rule"] == "max_perplexity"]
    assert s["signal"] == "q_perplexity" and s["current"] == 800.0
    assert s["current_j"] < s["candidate_j"] and 1000.0 <= s["candidate"] < 1500.0
