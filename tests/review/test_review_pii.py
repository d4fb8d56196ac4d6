"""The review app never shows personal data, even from a sample drawn before rejected rows were redacted."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from corpusforge.review.sample import SAMPLE_FILE, load
from corpusforge.review.server import ReviewData

RAW = ("12345678Z", "xose.lopez@concello.gal", "981 12 34 56", "ES91 2100 0418 4502 0005 1332")


def _old_sample(review_dir: Path) -> None:
    """A sample.parquet as `corpusforge sample` wrote it before: rejected rows with raw PII."""
    review_dir.mkdir()
    row = {
        "id": "gl-001",
        "url": "https://concello.gal/rexistro/12345678Z?correo=xose.lopez%40concello.gal",
        "domain": "concello.gal",
        "title": "Rexistro de xose.lopez@concello.gal",
        "text": "O veciño con DNI 12345678Z e conta ES91 2100 0418 4502 0005 1332 pode chamar ao 981 12 34 56.",
        "lang_tag": "gl",
        "drop_reason": "quality:min_words",
        "review_stratum": "gl | quality | quality:min_words | band 1/5",
        "review_band": 0,
        "review_node": "quality",
        "review_decision": "rejected",
        "review_score_column": "q_words",
        "review_score": 20.0,
        "review_hash": 1,
    }
    pq.write_table(pa.Table.from_pylist([row]), review_dir / SAMPLE_FILE)


def test_an_old_sample_is_redacted_when_loaded_and_served(tmp_path):
    review = tmp_path / "review"
    _old_sample(review)
    shown = json.dumps(ReviewData(review).doc(0, "ana"), ensure_ascii=False)
    for raw in RAW:
        assert raw not in shown
    assert "<DNI>" in shown and "<EMAIL>" in shown and "<PHONE>" in shown and "<IBAN>" in shown
    table = load(review)
    assert table.column("domain").to_pylist() == ["concello.gal"]
    assert table.column("pii_redacted").to_pylist() == [6]
