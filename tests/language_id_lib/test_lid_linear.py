"""`WordScorer` answers what fastText's `multilinePredict` answers, from per-word sums."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from lid_texts import BASQUE_SPANISH_PAGE, CATALAN_SPANISH_PAGE, CENTRAL_LEGAL_DOC, SENTENCES, VALENCIAN_DOC

from language_id import Identifier, ftz
from language_id.identifier import DEFAULT_MODEL
from language_id.linear import WordScorer
from language_id.normalize import normalize_words

# Lines as the identifier hands them over (normalised words), plus what fastText's reader treats
# specially: a NUL inside a word splits it, a "__label__" token is no word, unknown words have
# only character n-grams, a word may be one letter or very long.
EDGE_LINES = [
    ["a"],
    ["zzkqx", "wvvvb", "qqq"],
    ["el", "gat\x00menja", "peix"],
    ["__label__es", "la", "casa", "es", "grande"],
    ["__label__eu"],
    ["supercalifragilisticexpialidocious" * 20, "i", "ja", "està"],
    ["l'home", "dóna-li", "col·lecció", "d'aquí"],
    ["ñandú", "pingüino", "cigüeña", "àèéíòóú"],
    ["etxe"] * 300,
]


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    from fasttext.FastText import _FastText

    return _FastText(model_path=str(DEFAULT_MODEL))


def _lines() -> list[list[str]]:
    texts = [s for group in SENTENCES.values() for s in group]
    texts += [VALENCIAN_DOC, CENTRAL_LEGAL_DOC, BASQUE_SPANISH_PAGE, CATALAN_SPANISH_PAGE]
    return [normalize_words(t) for t in texts] + EDGE_LINES


def _assert_like_fasttext(model, scorer: WordScorer, lines: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    labels, probs, known = scorer.predict(lines, 3)
    want_labels, want_probs = model.f.multilinePredict([" ".join(w) + "\n" for w in lines], 3, 0.0, "strict")
    vocabulary = set(model.get_words())
    for i, words in enumerate(lines):
        assert labels[i][0] == want_labels[i][0], words[:8]
        assert probs[i] == pytest.approx(want_probs[i].tolist(), rel=1e-5, abs=1e-7), words[:8]
        assert known[i] == sum(w in vocabulary for w in words)


def test_scorer_gives_fasttexts_labels_and_probabilities(model) -> None:  # type: ignore[no-untyped-def]
    scorer = WordScorer.load(model, DEFAULT_MODEL)
    assert scorer is not None
    _assert_like_fasttext(model, scorer, _lines())
    _assert_like_fasttext(model, scorer, _lines())  # the second time every word is remembered


def test_scorer_starts_again_when_its_table_is_full(model) -> None:  # type: ignore[no-untyped-def]
    scorer = WordScorer.load(model, DEFAULT_MODEL)
    assert scorer is not None
    scorer.max_words = 40  # far fewer than the lines' distinct words
    lines = _lines()
    _assert_like_fasttext(model, scorer, lines)
    assert scorer._rows <= 40


def test_scorer_declines_a_file_it_cannot_read(model, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # fastText reads the file from the start and ignores what follows; the scorer reads the
    # output matrix from the end, so trailing bytes must make it decline, not misread.
    padded = tmp_path / "padded.ftz"
    shutil.copy(DEFAULT_MODEL, padded)
    with padded.open("ab") as f:
        f.write(b"\x01" * 64)
    from fasttext.FastText import _FastText

    assert WordScorer.load(_FastText(model_path=str(padded)), padded) is None


def test_identifier_answers_the_same_with_or_without_the_scorer() -> None:
    fast = Identifier()
    plain = Identifier()
    plain._scorer = None
    assert fast._scorer is not None
    texts = [s for group in SENTENCES.values() for s in group]
    texts += [VALENCIAN_DOC, CENTRAL_LEGAL_DOC, BASQUE_SPANISH_PAGE, CATALAN_SPANISH_PAGE, "", None, "12 34"]
    for (got, got_mix), (want, want_mix) in zip(fast.identify(texts), plain.identify(texts), strict=True):
        assert (got.lang, got.tag) == (want.lang, want.tag)
        assert got.score == pytest.approx(want.score, abs=1e-6)
        assert got.other == pytest.approx(want.other, abs=1e-6)
        assert got_mix.shares == want_mix.shares
        assert [(s.start, s.end, s.tag) for s in got_mix.segments] == [
            (s.start, s.end, s.tag) for s in want_mix.segments
        ]


def test_the_file_reader_finds_the_rows_fasttext_finds(model) -> None:  # type: ignore[no-untyped-def]
    quantized = ftz.read(DEFAULT_MODEL)
    assert quantized is not None  # the shipped model is quantized and unpruned
    words = [w for line in _lines() for part in line for w in part.split("\x00") if w and "__label__" not in w]
    words = list(dict.fromkeys(words + ["ñandú", "日本語", "ǅemal", "x", "co·l·lecció", "l'àvia"]))
    ids, owner = quantized.word_rows(words)
    for i, word in enumerate(words):
        assert sorted(ids[owner == i].tolist()) == sorted(model.get_subwords(word)[1].tolist()), word
    by_rows = np.zeros((len(words), model.get_dimension()))
    np.add.at(by_rows, owner, quantized.rows[ids])
    one_by_one = np.array([model.get_word_vector(w) * len(model.get_subwords(w)[1]) for w in words])
    assert np.allclose(by_rows, one_by_one, atol=1e-4)


def test_the_scorer_answers_alike_with_or_without_the_file_reader(model) -> None:  # type: ignore[no-untyped-def]
    with_reader = WordScorer.load(model, DEFAULT_MODEL)
    assert with_reader is not None and with_reader._quantized is not None
    output = with_reader._output_t.T
    without = WordScorer(model, output, quantized=None)
    lines = _lines()
    got_labels, got_probs, got_known = with_reader.predict(lines, 3)
    want_labels, want_probs, want_known = without.predict(lines, 3)
    assert (got_labels, got_known) == (want_labels, want_known)
    for got, want in zip(got_probs, want_probs, strict=True):
        assert got == pytest.approx(want, rel=1e-5, abs=1e-7)  # float32 rows summed in another order
