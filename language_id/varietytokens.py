"""The variety model's reading of a batch of texts at once, with array operations.

The variety model reads a Catalan text three times: `markers.TOKEN_RE` (letter runs, two of them
joined by one middle dot: col·lecció) for the marker features, `variety._GAZETTE_TOKEN` (letter
runs chained by middle dots, apostrophes and hyphens: l'home, dóna-li) for the gazette model,
and `markers.REGISTER_RE` for its administrative words. These regular expressions cost more
than the model itself. Here a batch's code points are classified once (`codepoints.py`), letter
runs found and numbered once, both token kinds made by joining neighbouring runs, and register
words counted among the runs. The answers are exactly the regular expressions' (tests check it).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from language_id import codepoints
from language_id.markers import REGISTER_WORDS, register_hits
from language_id.normalize import LOWER_EXPANDS

_MIDDLE_DOT = 0xB7
_GAZETTE_JOINERS = np.array([_MIDDLE_DOT, ord("'"), 0x2019, ord("-")], dtype=np.uint32)
_LETTER = 1  # `_classes()` bits: matches `[^\W\d_]`
_WORD = 2  # matches `\w`
# Register words are letters, but for two joined by a middle dot: matched as a pair of runs.
_PLAIN_REGISTER = frozenset(w for w in REGISTER_WORDS if "·" not in w)
_DOT_REGISTER = tuple(w.split("·") for w in REGISTER_WORDS if "·" in w)


@cache
def _classes() -> np.ndarray:
    """Per code point: `_LETTER` and `_WORD` bits, asked of `re` itself."""
    letters, words = codepoints.matching(r"[^\W\d_]"), codepoints.matching(r"\w")
    return (letters * _LETTER + words * _WORD).astype(np.uint8)


@dataclass(frozen=True)
class VarietyTokens:
    """What the variety model reads of a batch of texts."""

    markers: Tokens  # markers.TOKEN_RE's tokens
    gazette: Tokens  # variety._GAZETTE_TOKEN's tokens
    register_hits: list[int]  # markers.register_hits of each text


@dataclass(frozen=True)
class Tokens:
    """Tokens of a batch, numbered: text i's are `[distinct[j] for j in ids[offsets[i] : offsets[i + 1]]]`."""

    distinct: list[str]
    ids: np.ndarray  # int64
    offsets: np.ndarray  # int64[len(texts) + 1]

    def of(self, i: int) -> list[str]:
        return [self.distinct[j] for j in self.ids[self.offsets[i] : self.offsets[i + 1]].tolist()]


def tokenize(texts: list[str]) -> VarietyTokens:
    """The marker and gazette tokens of every text, numbered, and its register words."""
    batch = "\x00".join(texts) + "\x00"  # NUL: neither a letter nor a joiner
    codes = codepoints.codes_of(batch)
    classes = _classes()[codes]
    starts, ends = codepoints.runs((classes & _LETTER).astype(bool))
    text_starts = codepoints.starts(texts)
    # Most tokens are one letter run: runs are numbered once, and only joined tokens are sliced.
    covered = np.zeros(len(codes) + 1, dtype=np.int8)
    covered[starts] = 1  # runs neither overlap nor touch: no index is set twice
    covered[ends] = -1
    runs = codepoints.number(codes[np.cumsum(covered[:-1], dtype=np.int8) > 0], ends - starts)
    # Run i and run i + 1 touch through one character (the batch ends in NUL: ends[i] is in range).
    gap = codes[ends[:-1]]
    one_apart = starts[1:] - ends[:-1] == 1
    dot = one_apart & (gap == _MIDDLE_DOT)
    chained = one_apart & np.isin(gap, _GAZETTE_JOINERS)
    return VarietyTokens(
        _tokens(batch, starts, ends, runs, _dot_pairs(dot, len(starts)), text_starts),
        _tokens(batch, starts, ends, runs, _chains(chained, len(starts)), text_starts),
        _register_hits(texts, classes, starts, ends, runs, dot, text_starts),
    )


def _register_hits(
    texts: list[str],
    classes: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    runs: tuple[list[str], np.ndarray],
    dot: np.ndarray,
    text_starts: np.ndarray,
) -> list[int]:
    """`markers.register_hits` of each text. REGISTER_RE finds a word between `\\b`s of the
    lower-cased text. Lower-casing maps each code point to one of the same `\\w` class (but for
    `LOWER_EXPANDS`, whose texts are asked of REGISTER_RE itself), and digits and `_` to
    themselves, so a hit is a letter run, lower-cased, with no `\\w` on either side (or two such
    runs around a middle dot)."""
    distinct, run_ids = runs
    lowered = [w.lower() for w in distinct]
    plain = np.fromiter(map(_PLAIN_REGISTER.__contains__, lowered), dtype=bool, count=len(lowered))[run_ids]
    # Either neighbour of a run: the code point before the batch's first is its last, a NUL.
    alone_before = (classes[starts - 1] & _WORD) == 0
    alone_after = (classes[ends] & _WORD) == 0
    hits = plain & alone_before & alone_after
    for left, right in _DOT_REGISTER:
        pair = np.array([w == left for w in lowered], dtype=bool)[run_ids[:-1]] & dot
        pair &= np.array([w == right for w in lowered], dtype=bool)[run_ids[1:]]
        hits[:-1] |= pair & alone_before[:-1] & alone_after[1:]
    text_of = np.searchsorted(text_starts, starts[hits], side="right") - 1
    out = np.bincount(text_of, minlength=len(texts)).tolist()
    for i, text in enumerate(texts):
        if LOWER_EXPANDS in text:
            out[i] = register_hits(text)
    return out


def _dot_pairs(dot: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """TOKEN_RE's tokens as (first run, last run): a run takes the next one through a middle
    dot unless it was taken itself, so a chain a·b·c·d pairs as a·b, c·d (and a·b·c as a·b, c)."""
    index = np.arange(n)
    if not n:
        return index, index
    after_dot = np.concatenate([[False], dot])  # run i follows a dot from run i - 1
    chain_start = np.maximum.accumulate(np.where(after_dot, 0, index))
    takes_next = np.concatenate([dot, [False]]) & ((index - chain_start) % 2 == 0)
    first = index[~np.concatenate([[False], takes_next[:-1]])]
    return first, first + takes_next[first]


def _chains(chained: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The gazette's tokens as (first run, last run): a chain of runs joined by joiners is one."""
    index = np.arange(n)
    if not n:
        return index, index
    return index[~np.concatenate([[False], chained])], index[~np.concatenate([chained, [False]])]


def _tokens(
    batch: str,
    starts: np.ndarray,
    ends: np.ndarray,
    runs: tuple[list[str], np.ndarray],
    first_last: tuple[np.ndarray, np.ndarray],
    text_starts: np.ndarray,
) -> Tokens:
    """Tokens made of runs `first..last` of the batch, numbered: a one-run token by its run's
    number, a joined one (it holds a joiner, so it is never a run) by a number after them."""
    distinct, run_ids = runs
    first, last = first_last
    ids = run_ids[first]
    joined = np.flatnonzero(first != last)
    if len(joined):
        numbers: dict[str, int] = {}
        pieces = [batch[a:b] for a, b in zip(starts[first[joined]].tolist(), ends[last[joined]].tolist(), strict=True)]
        ids[joined] = [len(distinct) + numbers.setdefault(piece, len(numbers)) for piece in pieces]
        distinct = distinct + list(numbers)
    return Tokens(distinct, ids, np.searchsorted(starts[first], text_starts))
