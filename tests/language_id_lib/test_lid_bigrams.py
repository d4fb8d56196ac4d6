"""`BigramScorer` answers what fastText's `predict` answers for the gazette model (word bigrams),
and the variety model tags alike with or without it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from lid_texts import CENTRAL_DOC, CENTRAL_LEGAL_DOC, SENTENCES, VALENCIAN_DOC

from language_id import Identifier, ftz
from language_id.bigrams import BigramScorer
from language_id.identifier import DEFAULT_MODEL, variety_path_for
from language_id.variety import VarietyModel, gazette_words

GAZETTE_MODEL = variety_path_for(DEFAULT_MODEL).with_suffix(".ftz")
ADMINISTRATIVE = [
    "La present resolució entra en vigor l'endemà de la seua publicació en el Diari Oficial. Contra "
    "aquesta resolució, que posa fi a la via administrativa, es pot interposar recurs en el termini d'un mes.",
    "Es convoquen per a l'exercici les subvencions destinades a les entitats locals, d'acord amb les bases "
    "reguladores establides en l'ordre i el procediment previst en el reglament.",
    "Les sol·licituds s'han de presentar en el termini de quinze dies hàbils, i l'òrgan instructor "
    "resoldrà l'expedient segons la normativa i els requisits de la convocatòria.",
]
# What the gazette reader may meet besides ordinary words: one-letter words, a word repeated,
# apostrophes, hyphens, middle dots, letters outside ASCII, words no model has seen.
EDGE_LINES = [
    ["a"],
    ["resolució"],
    ["termini"] * 50,
    ["l'òrgan", "dóna-li", "col·lecció", "d'aquí", "ñandú", "àèéíòóú"],
    ["zzkqx", "wvvvb", "qqq"],
    ["supercalifragilisticexpialidocious" * 10, "i", "de"],
]


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    from fasttext.FastText import _FastText

    return _FastText(model_path=str(GAZETTE_MODEL))


def _lines() -> list[list[str]]:
    texts = ADMINISTRATIVE + [VALENCIAN_DOC, CENTRAL_DOC, CENTRAL_LEGAL_DOC] + SENTENCES["ca"]
    return [w for w in (gazette_words(t) for t in texts) if w] + EDGE_LINES


def _assert_like_fasttext(model, scorer: BigramScorer, lines: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    got = scorer.probabilities(lines)
    assert got.shape == (len(lines), len(scorer.labels))
    for words, row in zip(lines, got, strict=True):
        pairs = model.f.predict(" ".join(words) + "\n", len(scorer.labels), 0.0, "strict")
        want = {label: p for p, label in pairs}
        assert row.tolist() == pytest.approx([want[label] for label in scorer.labels], abs=1e-6), words[:8]


def test_scorer_gives_fasttexts_probabilities(model) -> None:  # type: ignore[no-untyped-def]
    scorer = BigramScorer.load(model, GAZETTE_MODEL)
    assert scorer is not None  # the shipped gazette model is quantized, unpruned, with bigrams
    _assert_like_fasttext(model, scorer, _lines())
    _assert_like_fasttext(model, scorer, _lines())  # the second time every word is remembered
    _assert_like_fasttext(model, scorer, [line for line in _lines() for _ in range(2)][::-1])


def test_scorer_starts_again_when_its_table_is_full(model) -> None:  # type: ignore[no-untyped-def]
    scorer = BigramScorer.load(model, GAZETTE_MODEL)
    assert scorer is not None
    scorer.max_words = 60  # fewer than the lines' distinct words together, more than one line's
    for line in _lines():
        _assert_like_fasttext(model, scorer, [line[:60]])
    assert scorer._rows <= 60


def test_scorer_needs_a_word_per_line(model) -> None:  # type: ignore[no-untyped-def]
    scorer = BigramScorer.load(model, GAZETTE_MODEL)
    assert scorer is not None
    with pytest.raises(ValueError, match="at least one word"):
        scorer.probabilities([["termini"], []])


def test_scorer_declines_a_model_without_bigrams() -> None:
    from fasttext.FastText import _FastText

    assert BigramScorer.load(_FastText(model_path=str(DEFAULT_MODEL)), DEFAULT_MODEL) is None


def _fnv1a(word: str) -> int:
    """fastText's dictionary hash, byte by byte: each byte read as a signed char."""
    h = 2166136261
    for byte in word.encode():
        h ^= (byte - 256 if byte >= 128 else byte) & 0xFFFFFFFF
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def test_word_hashes_are_fasttexts() -> None:
    words = ["a", "</s>", "resolució", "l'òrgan", "col·lecció", "日本語", "ǅemal", "x" * 40]
    assert ftz.word_hashes(words).tolist() == [_fnv1a(w) for w in words]


def test_variety_tags_alike_with_or_without_the_scorer() -> None:
    model = VarietyModel.load(variety_path_for(DEFAULT_MODEL))
    assert model.gazette is not None and model.gazette.scorer is not None
    plain = dataclasses.replace(model, gazette=dataclasses.replace(model.gazette, scorer=None))
    texts = ADMINISTRATIVE + [VALENCIAN_DOC, CENTRAL_DOC, CENTRAL_LEGAL_DOC, "", "12 34"] + SENTENCES["ca"]
    assert sum(model.gazette.logit(t) != 0.0 for t in texts) >= 3  # the gazette model speaks
    got, want = model.tags(texts), plain.tags(texts)
    assert [tag for tag, _ in got] == [tag for tag, _ in want]
    assert np.allclose([p for _, p in got], [p for _, p in want], atol=1e-5)
    assert got == [model.tag(t) for t in texts]  # a batch answers as one text at a time


def test_identifier_tags_the_variety_alike_with_or_without_the_scorer() -> None:
    fast, plain = Identifier(), Identifier()
    assert plain.variety is not None and plain.variety.gazette is not None
    plain.variety = dataclasses.replace(plain.variety, gazette=dataclasses.replace(plain.variety.gazette, scorer=None))
    texts = ADMINISTRATIVE + [VALENCIAN_DOC, CENTRAL_LEGAL_DOC, "\n".join(ADMINISTRATIVE)] + SENTENCES["ca"]
    for got, want in zip(fast.predict(texts), plain.predict(texts), strict=True):
        assert (got.lang, got.tag) == (want.lang, want.tag)
        assert got.variety_score == pytest.approx(want.variety_score, abs=1e-5)
    for (got, got_mix), (want, want_mix) in zip(fast.identify(texts), plain.identify(texts), strict=True):
        assert (got.tag, got_mix.dominant, got_mix.shares) == (want.tag, want_mix.dominant, want_mix.shares)
