"""`normalize.normalize_batch` gives `normalize_words` and `normalize` of every text, and the word
scorer sums a numbered batch exactly as it sums word lists."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from language_id import codepoints
from language_id.identifier import Identifier
from language_id.normalize import _APOSTROPHES, _PUNCT, normalize, normalize_batch, normalize_words

# Every kind of character the normalisation treats apart, and some it must leave alone.
_PIECES = [*"abcçñàéíòóúüÀÉÍÒÓÚÇÑ", *_PUNCT, *_APOSTROPHES, "'", "·", "-", " ", "  ", "\u2028", "\u3000", "\x1c"]
_PIECES += ["\x85", "\u200b", "\x00", "İ", "ẞ", "Σ", "ΑΣ", "д", "中", "𝒜", "😀", "\u0301", "l’home", "donar-li"]
_PIECES += ["col·lecció", "https://example.org/a?b=c", "www.x.es", "nom@example.org", "2024", "ǅ", "ﬃ"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 50)))


@pytest.mark.parametrize("seed", range(3))
def test_batch_words_and_texts_are_normalize_words(seed: int) -> None:
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(800)]
    batch = normalize_batch(texts, max_chars=30)
    for i, text in enumerate(texts):
        assert batch.words(i) == normalize_words(text, max_chars=30), repr(text)
        assert batch.norms[i] == normalize(text, max_chars=30)
    assert len(set(batch.distinct)) == len(batch.distinct)
    assert batch.offsets.tolist()[-1] == len(batch.ids)


def test_lower_casing_never_makes_or_removes_a_separator() -> None:
    """The batch lower-cases before it classifies; `normalize_words` classifies first. That is
    the same only because of this, for every code point."""
    separators = set(_PUNCT + _APOSTROPHES)
    for c in codepoints.every_code_point():
        lowered = c.lower()
        if lowered == c:
            continue
        assert not (c in separators or c.isspace()), hex(ord(c))
        assert not any(x in separators or x.isspace() for x in lowered), hex(ord(c))


def test_empty_batch_and_texts_without_words() -> None:
    batch = normalize_batch([])
    assert batch.distinct == [] and batch.offsets.tolist() == [0] and batch.norms == []
    batch = normalize_batch(["", " ,.; ", "\u3000"])
    assert batch.norms == ["", "", ""] and batch.offsets.tolist() == [0, 0, 0, 0]


def test_scorer_sums_a_numbered_batch_as_it_sums_word_lists() -> None:
    ident = Identifier()
    scorer = ident._scorer
    if scorer is None:
        pytest.skip("the shipped model is one the word scorer declines")
    rng = random.Random(5)
    texts = [_text(rng) for _ in range(300)] + ["el gat menja peix", "etxeko atea irekita zegoen"]
    batch = normalize_batch(texts)
    got = scorer.batch_sums(batch)
    scorer._reset()  # cold again: the other path learns the same words from nothing
    want = scorer.sums([normalize_words(t) for t in texts])
    assert np.array_equal(got, want)
    scorer.max_words = 64  # fewer than the batch's words: they are summed through word lists
    assert np.array_equal(scorer.batch_sums(batch), want)


def test_a_batch_with_sigma_or_capital_i_with_dot_is_normalized_text_by_text() -> None:
    texts = ["ΑΣ, ΟΔΟΣ.", "İstanbul İZMİR", "el gat", "ΣΑΣ'Σ"]
    for batch in (texts, texts[:1], texts[1:2], texts[2:]):
        got = normalize_batch(batch)
        assert [got.words(i) for i in range(len(batch))] == [normalize_words(t) for t in batch]


def test_matching_is_the_regular_expression_on_every_code_point() -> None:
    """The tables the batch splits classify with (`codepoints.matching`) are `re`'s own answer."""
    sample = range(0, 0x110000, 97)  # every plane, surrogates and NUL included
    for char_class in (r"\s", r"\w", r"[^\W\d_]"):
        table = codepoints.matching(char_class)
        pattern = re.compile(char_class)
        assert [bool(table[c]) for c in sample] == [pattern.fullmatch(chr(c)) is not None for c in sample]
        assert not table[0]
    assert codepoints.matching(r"[\x00a]")[0]  # a class that holds NUL keeps it
