"""`langid.iberian.v1` and `langid.filter.v1` on in-memory tables."""

from __future__ import annotations

import pyarrow as pa
from lid_texts import BASQUE_SPANISH_PAGE, SENTENCES, VALENCIAN_DOC

from corpusforge import registry, schema
from corpusforge.stages.langid import IberianLanguageId, LanguageFilter


def _identified(texts: list[str | None]) -> pa.Table:
    stage = IberianLanguageId()
    stage.setup()
    table = pa.table({"id": [str(i) for i in range(len(texts))], "text": pa.array(texts, pa.string())})
    return stage.process_batch(table)


def test_identify_stage_adds_columns_row_for_row() -> None:
    texts = [SENTENCES["es"][0], VALENCIAN_DOC, BASQUE_SPANISH_PAGE, "", None, SENTENCES["fr"][0]]
    out = _identified(texts)
    assert out.num_rows == len(texts)
    assert out.column("id").to_pylist() == [str(i) for i in range(len(texts))]
    # The bilingual page holds more Spanish characters (208) than Basque (179): its dominant
    # language is Spanish, whatever fastText made of the page as a whole.
    assert out.column(schema.LANG_TAG).to_pylist() == ["es", "ca-valencia", "es", "und", "und", "fr"]
    assert out.column(schema.LANG).to_pylist()[1] == "ca"
    assert out.schema.field(schema.LANG_MIX).type == schema.TYPES[schema.LANG_MIX]
    assert out.schema.field(schema.LANG_SCORE).type == pa.float32()
    assert out.column("lang_codeswitch").to_pylist() == [False, False, True, False, False, False]
    mix = dict(out.column(schema.LANG_MIX)[2].as_py())
    assert set(mix) == {"eu", "es"}


def test_filter_keeps_targets_and_says_why_it_drops() -> None:
    texts = [SENTENCES["gl"][0], SENTENCES["pt"][0], VALENCIAN_DOC, "12345", SENTENCES["eu"][0]]
    identified = _identified(texts)
    reasons = LanguageFilter().process_batch(identified).column(schema.DROP_REASON).to_pylist()
    assert reasons == [None, "lang:pt", None, "lang:und", None]


def test_filter_per_language_minimum_score() -> None:
    table = pa.table({schema.LANG_TAG: ["gl", "gl", "es", "ca-valencia"], schema.LANG_SCORE: [0.95, 0.6, 0.6, 0.6]})
    config = LanguageFilter.Config(keep=["gl", "es", "ca-valencia"], min_score={"gl": 0.9}, default_min_score=0.5)
    reasons = LanguageFilter(config).process_batch(table).column(schema.DROP_REASON).to_pylist()
    assert reasons == [None, "lang:low_score", None, None]


def test_stages_are_registered_with_documented_params() -> None:
    stages = registry.all_stages()
    assert stages["langid.iberian.v1"] is IberianLanguageId
    assert stages["langid.filter.v1"] is LanguageFilter
    for cls in (IberianLanguageId, LanguageFilter):
        for field in cls.Config.model_fields.values():
            assert field.description
