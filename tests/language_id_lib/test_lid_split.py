"""Mixed pages: dominant language, the `share` and `split` policies of `langid.filter.v1`, and
exact accounting when a page is split into per-language documents in a pipeline run."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from lid_texts import (
    BASQUE_SPANISH_PAGE,
    CATALAN_SPANISH_PAGE,
    OTHER_LANGUAGES,
    SENTENCES,
    SPANISH_PAGE_WITH_CATALAN_PASSAGE,
    VALENCIAN_DOC,
)

from corpusforge import plan as plan_mod
from corpusforge import schema, stats
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor
from corpusforge.stages.langid import IberianLanguageId, LanguageFilter


def _identified(texts: list[str | None]) -> pa.Table:
    stage = IberianLanguageId()
    stage.setup()
    table = pa.table(
        {
            "id": [f"p{i}" for i in range(len(texts))],
            "url": [f"https://example.org/{i}" for i in range(len(texts))],
            "text": pa.array(texts, pa.string()),
        }
    )
    return stage.process_batch(table)


def _split(table: pa.Table, **params: object) -> pa.Table:
    return LanguageFilter(LanguageFilter.Config(policy="split", **params)).process_batch(table)


def test_segments_cover_the_page_with_their_languages() -> None:
    out = _identified([CATALAN_SPANISH_PAGE])
    segments = out.column(schema.LANG_SEGMENTS)[0].as_py()
    assert [s["lang"] for s in segments] == ["ca", "ca", "es", "es"]
    for seg in segments:
        piece = CATALAN_SPANISH_PAGE[seg["start"] : seg["end"]]
        assert piece.strip() == piece and piece
    assert out.column(schema.LANG_CODESWITCH)[0].as_py() is True


def test_split_makes_one_document_per_language_with_its_parent() -> None:
    out = _split(_identified([CATALAN_SPANISH_PAGE, SENTENCES["gl"][0]]))
    assert schema.DROP_REASON not in out.column_names or out.column(schema.DROP_REASON).null_count == out.num_rows
    rows = out.to_pylist()
    assert [r["id"] for r in rows] == ["p0#ca", "p0#es", "p1"]
    assert [r[schema.PARENT_ID] for r in rows] == ["p0", "p0", None]
    assert [r[schema.LANG_TAG] for r in rows] == ["ca", "es", "gl"]
    ca, es = rows[0]["text"], rows[1]["text"]
    assert "L'ajuntament ha presentat" in ca and "El ayuntamiento" not in ca
    assert "El ayuntamiento ha presentado" in es and "L'ajuntament" not in es
    assert dict(rows[0][schema.LANG_MIX]) == {"ca": 1.0}
    assert rows[0]["url"] == rows[1]["url"] == "https://example.org/0"
    # offsets of a child's segments point into the child's own text
    for row in rows[:2]:
        for seg in row[schema.LANG_SEGMENTS]:
            assert row["text"][seg["start"] : seg["end"]].strip()


def test_catalan_passage_in_a_spanish_page_is_not_lost_as_spanish() -> None:
    identified = _identified([SPANISH_PAGE_WITH_CATALAN_PASSAGE])
    assert identified.column(schema.LANG_TAG)[0].as_py() == "es"
    rows = _split(identified).to_pylist()
    by_tag = {r[schema.LANG_TAG]: r for r in rows}
    assert set(by_tag) == {"es", "ca"}
    assert "Quan el sol es pon" in by_tag["ca"]["text"]
    assert "Quan el sol" not in by_tag["es"]["text"]


def test_split_children_are_judged_like_documents() -> None:
    page = SENTENCES["es"][0] * 3 + "\n" + " ".join(OTHER_LANGUAGES["de"]) * 2
    out = _split(_identified([page]), split_min_chars=100)
    reasons = dict(zip(out.column(schema.LANG_TAG).to_pylist(), out.column(schema.DROP_REASON).to_pylist()))
    assert reasons == {"es": None, "und": "lang:other"}


def test_minor_language_below_split_min_chars_stays_with_the_page() -> None:
    page = "\n".join(SENTENCES["es"] * 3 + ["Eskerrik asko zure laguntzagatik, bihar arte."])
    rows = _split(_identified([page]), split_min_chars=200).to_pylist()
    assert len(rows) == 1 and rows[0]["id"] == "p0" and rows[0][schema.PARENT_ID] is None


def test_share_policy_keeps_a_page_whose_target_share_passes() -> None:
    identified = _identified([BASQUE_SPANISH_PAGE, CATALAN_SPANISH_PAGE])
    keep_eu = LanguageFilter.Config(policy="share", keep=["eu"], min_share=0.3)
    reasons = LanguageFilter(keep_eu).process_batch(identified).column(schema.DROP_REASON).to_pylist()
    assert reasons == [None, "lang:low_share"]


def test_other_language_is_rejected_as_other() -> None:
    identified = _identified([" ".join(OTHER_LANGUAGES["nl"]), "", VALENCIAN_DOC])
    reasons = LanguageFilter().process_batch(identified).column(schema.DROP_REASON).to_pylist()
    assert reasons == ["lang:other", "lang:und", None]


def test_split_policy_is_checked_when_planned() -> None:
    with pytest.raises(ValueError):
        LanguageFilter.Config(policy="explode")


def test_split_in_a_run_keeps_exact_accounting(tmp_path: Path) -> None:
    pages = [
        CATALAN_SPANISH_PAGE,
        SPANISH_PAGE_WITH_CATALAN_PASSAGE,
        SENTENCES["eu"][0],
        " ".join(OTHER_LANGUAGES["pl"]),
    ]
    corpus = tmp_path / "in.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"d{i}", "text": t}) + "\n" for i, t in enumerate(pages)))
    toml = tmp_path / "p.toml"
    toml.write_text(
        f"""
[pipeline]
name = "split-test"
root = "{tmp_path / "run"}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{corpus}"] }}

[[node]]
id = "langid"
stage = "langid.iberian.v1"
inputs = ["ingest"]

[[node]]
id = "langfilter"
stage = "langid.filter.v1"
inputs = ["langid"]
params = {{ policy = "split" }}
"""
    )
    manifest = run(plan_mod.load(toml), LocalExecutor())
    node = {n["id"]: n for n in manifest["nodes"]}["langfilter"]
    assert node["in"] == 4
    assert node["split"] == 2 and node["split_into"] == 4
    assert node["rejected"] == {"lang:other": 1}
    assert node["in"] - node["split"] + node["split_into"] == node["kept"] + 1
    for shards in stats.load_run(str(tmp_path / "run")).values():
        assert all(s.balanced for s in shards)
    kept = pq.read_table(tmp_path / "run" / "langfilter").to_pylist()
    assert sorted(r["id"] for r in kept) == ["d0#ca", "d0#es", "d1#ca", "d1#es", "d2"]
    assert {r[schema.PARENT_ID] for r in kept} == {"d0", "d1", None}
