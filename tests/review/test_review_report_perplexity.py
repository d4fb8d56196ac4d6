"""max_perplexity is reviewable like the other rules: precision, a suggested cut and a patch.

Spanish, max_perplexity 800 today. Kept k1..k8 (q_perplexity 200..550), all "correct"; rejected
r1..r7 (900, 1000, 1500, ..., 3500): r1 and r2 "should keep", r3..r7 "correct". A French
row has no model, so a null q_perplexity, and must not disturb anything.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpusforge.review.report import build

ES_TOML = """lang_tag = "es"

[thresholds]
min_words = 50  # fixed
max_perplexity = 800  # p99.5 of held-out lid-train es +100%
"""


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


def test_perplexity_rejections_get_precision_and_a_suggested_threshold(tmp_path: Path) -> None:
    kept = {f"k{i}": 150.0 + 50 * i for i in range(1, 9)}
    cuts = [900.0, 1000.0, 1500.0, 2000.0, 2500.0, 3000.0, 3500.0]
    rejected = dict(zip([f"r{i}" for i in range(1, 8)], cuts, strict=True))
    rows = [_row(f"es-{k}", "es", "kept", None, v) for k, v in kept.items()]
    rows += [_row(f"es-{k}", "es", "rejected", "quality:max_perplexity", v) for k, v in rejected.items()]
    rows.append(_row("fr-1", "fr", "kept", None, None))
    review, thresholds = tmp_path / "review", tmp_path / "thresholds"
    review.mkdir()
    thresholds.mkdir()
    pq.write_table(pa.Table.from_pylist(rows), review / "sample.parquet")
    labels = [(k, "correct") for k in kept] + [("r1", "keep"), ("r2", "keep")]
    labels += [(f"r{i}", "correct") for i in range(3, 8)] + [("fr-1", "correct")]
    lines = [{"doc": d if d.startswith("fr") else f"es-{d}", "reviewer": "Ana", "verdict": v} for d, v in labels]
    (review / "labels.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    (thresholds / "es.toml").write_text(ES_TOML, encoding="utf-8")
    (thresholds / "default.toml").write_text('lang_tag = "default"\n\n[thresholds]\nmin_words = 50  # fixed\n')

    report = build(review, thresholds_dir=thresholds)

    precision = next(r for r in report["precision"] if (r["lang_tag"], r["rule"]) == ("es", "quality:max_perplexity"))
    assert (precision["judged"], precision["right"]) == (7, 5)
    (s,) = [s for s in report["suggestions"] if s["reason"] == "quality:max_perplexity"]
    assert s["signal"] == "q_perplexity" and s["current"] == 800.0
    assert s["current_j"] < s["suggested_j"] and 1000.0 <= s["suggested"] < 1500.0
    suggested = tomllib.loads((review / "suggested" / "es.toml").read_text(encoding="utf-8"))
    assert suggested["thresholds"]["max_perplexity"] == s["suggested"]
