"""`batchsplit.split_batch` gives exactly what the patterns' `re.findall` gives, numbered as
`BatchTokens.of` numbers it."""

from __future__ import annotations

import random
import re

import numpy as np
import pytest

from corpusforge.quality.batchsplit import split_batch
from corpusforge.quality.lm.text import line_token_pattern
from corpusforge.quality.tokenise import CA_CLITICS, GL_CLITICS, BatchTokens, word_pattern

TAGS = ["es", "ca", "ca-valencia", "gl", "eu", "pt", None, ""]
# Pieces that exercise every rule: joiners between, before and after words, weak pronouns and
# words that only start like one, line breaks with blanks around them, other scripts, digits,
# "_", NUL, letters outside the Basic Multilingual Plane and emoji.
_LETTERS = [*"abcdeilnorstxyzñçàéíïòóúü", *"-'’·`´", "_", "7", "²", "Ⅻ", "ß", "i̇", "ς", "Ω", "д", "中", "𝒜", "😀"]
_SPACES = [" ", "  ", "\t", "\r", "\f", "\v", "\n", "\n\n", " \n", "\n ", "\n \t\n", "\x0b\n", "\x00"]
_SPACES += ["\u00a0", "\u2028"]
_WORDS = ["\u0301", "col·lecció", "l'home", "d’aigua", "donar-li-ho", "porta'l", "fes-ho", "vint-i-un", "a-la", "-lo"]
_WORDS += ["-l·l", "fixémo-lo", "-lles", "-che", "ehu-ko", "2015-eko", "franco-alemán", "o'donnell", "-lix", "-los-"]
_PIECES = _LETTERS + _SPACES + _WORDS + [f"-{c}" for c in CA_CLITICS + GL_CLITICS]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))


def _tokens_of(batch: BatchTokens, i: int) -> list[str]:
    return [batch.distinct[j] for j in batch.ids[batch.offsets[i] : batch.offsets[i + 1]].tolist()]


@pytest.mark.parametrize("seed", range(4))
def test_split_is_findall_for_every_language_and_flag(seed: int) -> None:
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(600)]
    tags = [rng.choice(TAGS) for _ in texts]
    breaks = np.array([rng.random() < 0.7 for _ in texts])
    split = split_batch(texts, tags, line_breaks=breaks)
    expected = [
        (line_token_pattern(tag) if keep else word_pattern(tag)).findall(text)
        for text, tag, keep in zip(texts, tags, breaks.tolist(), strict=True)
    ]
    for i, want in enumerate(expected):
        assert _tokens_of(split.tokens, i) == want, (texts[i], tags[i])
        assert split.break_at_edge[i] == (bool(want) and "\n" in (want[0], want[-1]))
    reference = BatchTokens.of(expected)  # the same numbering, not only the same tokens
    assert split.tokens.distinct == reference.distinct
    assert split.tokens.ids.tolist() == reference.ids.tolist()
    assert split.tokens.offsets.tolist() == reference.offsets.tolist()


def test_catalan_and_galician_hyphens_before_weak_pronouns_split() -> None:
    split = split_batch(
        ["donar-li-ho a la col·lecció, vint-i-un", "fixémo-lo cun guarda-chuvas", "franco-alemán"],
        ["ca", "gl", "es"],
        line_breaks=False,
    )
    assert [_tokens_of(split.tokens, i) for i in range(3)] == [
        ["donar", "li", "ho", "a", "la", "col·lecció", "vint-i-un"],
        ["fixémo", "lo", "cun", "guarda-chuvas"],
        ["franco-alemán"],
    ]


def test_one_line_break_token_per_run_of_breaks_and_blanks() -> None:
    split = split_batch(["\n a \n\n \t\nb\n", "c \n d", ""], ["es", "es", "es"])
    assert [_tokens_of(split.tokens, i) for i in range(3)] == [["\n", "a", "\n", "b", "\n"], ["c", "\n", "d"], []]
    assert split.break_at_edge.tolist() == [True, False, False]


def test_word_characters_are_those_of_re_on_every_plane() -> None:
    rng = random.Random(7)
    points = [rng.randrange(0x110000) for _ in range(20_000)] + list(range(0x3000))
    chars = [chr(p) for p in points if not 0xD800 <= p < 0xE000]
    split = split_batch(chars, ["es"] * len(chars), line_breaks=False)
    got = np.diff(split.tokens.offsets) > 0
    assert got.tolist() == [re.fullmatch(r"\w", c) is not None for c in chars]


def test_empty_batch_and_texts_without_tokens() -> None:
    assert split_batch([], []).tokens.offsets.tolist() == [0]
    split = split_batch(["", " ", "—"], ["ca", "gl", None])
    assert split.tokens.distinct == [] and split.tokens.offsets.tolist() == [0, 0, 0, 0]
