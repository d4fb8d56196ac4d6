"""Golden file: the demo's final documents, row by row, against a checked-in expectation.

Golden counts catch a stage that drops more or fewer pages; this catches a page that changes
(a different text kept, another variety tag) while the counts stay the same. Each kept row is
stored as its url, lang_tag and the SHA-256 of its text, sorted, in `demo_final.jsonl`.

A change to the demo's output that is meant: regenerate the file and review its diff,
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/golden
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from corpusforge.cli import main

GOLDEN = Path(__file__).with_name("demo_final.jsonl")
REGENERATE = "UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/golden"


def final_rows(write_dir: Path) -> list[str]:
    """One JSON line per kept document: url, lang_tag, sha256 of text; sorted."""
    table = ds.dataset(write_dir, format="parquet", partitioning="hive").to_table(columns=["url", "lang_tag", "text"])
    rows = [
        json.dumps(
            {"url": r["url"], "lang_tag": r["lang_tag"], "text_sha256": hashlib.sha256(r["text"].encode()).hexdigest()},
            ensure_ascii=False,
            sort_keys=True,
        )
        for r in table.to_pylist()
    ]
    return sorted(rows)


def test_demo_final_documents_match_the_golden_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--executor", "local", "--quiet"]) == 0
    rows = final_rows(tmp_path / "runs" / "demo" / "write")
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text("".join(r + "\n" for r in rows), encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8").splitlines()
    gone, new = sorted(set(expected) - set(rows)), sorted(set(rows) - set(expected))
    assert rows == expected, (
        f"the demo's final documents differ from {GOLDEN.name}: {len(gone)} row(s) gone, {len(new)} new "
        f"({len(rows)} now, {len(expected)} expected)\n  gone: {gone[:3]}\n  new:  {new[:3]}\n"
        f"If the change is meant, regenerate the file and review its diff: {REGENERATE}"
    )
