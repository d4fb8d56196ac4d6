"""The shipped identifier on hand-written sentences, varieties, and bad input."""

from __future__ import annotations

import pytest
from lid_texts import CENTRAL_DOC, CENTRAL_LEGAL_DOC, SENTENCES, VALENCIAN_DOC

from language_id import Identifier, Prediction


@pytest.fixture(scope="module")
def ident() -> Identifier:
    return Identifier()


@pytest.mark.parametrize(("lang", "text"), [(lang, t) for lang, texts in SENTENCES.items() for t in texts])
def test_sentence_language(ident: Identifier, lang: str, text: str) -> None:
    pred = ident.predict([text])[0]
    assert pred.lang == lang
    assert 0.5 < pred.score <= 1.0


def test_batch_keeps_order_and_length(ident: Identifier) -> None:
    texts = [t for texts in SENTENCES.values() for t in texts]
    preds = ident.predict(texts)
    assert len(preds) == len(texts)
    assert [p.lang for p in preds] == [lang for lang, ts in SENTENCES.items() for _ in ts]


def test_valencian_and_central_catalan(ident: Identifier) -> None:
    valencian, central, legal = ident.predict([VALENCIAN_DOC, CENTRAL_DOC, CENTRAL_LEGAL_DOC])
    assert (valencian.lang, valencian.tag) == ("ca", "ca-valencia")
    assert (central.lang, central.tag) == ("ca", "ca")
    assert legal.tag == "ca"
    assert valencian.variety_score is not None and valencian.variety_score > 0.5


def test_tag_equals_lang_outside_catalan(ident: Identifier) -> None:
    for pred in ident.predict(SENTENCES["es"] + SENTENCES["gl"]):
        assert pred.tag == pred.lang
        assert pred.variety_score is None


BAD_INPUT = [
    "",
    "   \t  ",
    "1234567890 42 3.14",
    "😀😂🎉👍",
    "https://www.example.com/path?query=1&x=2",
    "Привет, как дела? Это текст на русском языке.",
    "这是一个中文句子。",
    None,
]


def test_bad_input_is_und_never_an_exception(ident: Identifier) -> None:
    preds = ident.predict(BAD_INPUT)  # type: ignore[arg-type]
    assert len(preds) == len(BAD_INPUT)
    assert all(isinstance(p, Prediction) for p in preds)
    assert all(p.lang == "und" and p.tag == "und" for p in preds)


def test_one_megabyte_line_and_mixed_scripts(ident: Identifier) -> None:
    huge = "La ciutat celebra la festa major amb concerts i focs artificials. " * 16_000
    mixed = "El mercado abre a las nueve. Рынок открывается в девять. 市场九点开门。"
    preds = ident.predict([huge, mixed, "\x00\x01 hola"])
    assert len(preds) == 3
    assert preds[0].lang == "ca"
    assert preds[1].lang in {"es", "und"}


def test_scores_are_probabilities(ident: Identifier) -> None:
    for pred in ident.predict(["Hola", "Kaixo", "Bon dia", "ok", "a"]):
        assert 0.0 <= pred.score <= 1.0


def test_missing_model_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="model not found"):
        Identifier(tmp_path / "nope.ftz")


def test_batch_single_and_raw_scores_agree(ident: Identifier) -> None:
    """`predict`, `predict_one` and the calibration's input (`raw_scores`) see the same numbers."""
    texts = [t for texts in SENTENCES.values() for t in texts] + ["Ye preciso reservar permisos con antelación."]
    for text, batch in zip(texts, ident.predict(texts), strict=True):
        single = ident.predict_one(text)
        assert (single.lang, single.tag) == (batch.lang, batch.tag)
        assert single.score == pytest.approx(batch.score)
        raw = ident.raw_scores(text)
        best = max(raw, key=raw.__getitem__)
        assert best == batch.lang
        assert ident.info.calibration(raw[best]) == pytest.approx(batch.score)
