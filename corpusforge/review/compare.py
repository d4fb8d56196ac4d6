"""The passages two texts share, for showing a near-duplicate beside the document it duplicates.

Words are compared as MinHash dedup compares them (lower case, digits folded, runs of `n` words):
every word inside a run of `n` words that both texts contain is marked, and neighbouring marked
words merge into one span. Linear in the two texts' words (one set of n-gram hashes each).
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGIT = re.compile(r"\d")


def _words(text: str) -> list[tuple[str, int, int]]:
    return [(_DIGIT.sub("0", m.group().lower()), m.start(), m.end()) for m in _WORD.finditer(text)]


def _grams(words: list[tuple[str, int, int]], n: int) -> list[tuple[str, ...]]:
    keys = [w for w, _, _ in words]
    return [tuple(keys[i : i + n]) for i in range(len(keys) - n + 1)]


def _spans(words: list[tuple[str, int, int]], grams: list[tuple[str, ...]], shared: set, n: int) -> list[list[int]]:
    marked = [False] * len(words)
    for i, gram in enumerate(grams):
        if gram in shared:
            marked[i : i + n] = [True] * n
    out: list[list[int]] = []
    for (_, start, end), on, before in zip(words, marked, [False, *marked], strict=False):
        if on and before:
            out[-1][1] = end  # the previous word was marked too: one span
        elif on:
            out.append([start, end])
    return out


def shared_spans(a: str, b: str, *, n: int = 5) -> tuple[list[list[int]], list[list[int]]]:
    """[start, end) character spans of `a` and of `b` that lie in word n-grams both contain.

    >>> shared_spans("one two three four five six", "zero one two three four five", n=5)
    ([[0, 23]], [[5, 28]])
    """
    wa, wb = _words(a), _words(b)
    ga, gb = _grams(wa, n), _grams(wb, n)
    shared = set(ga) & set(gb)
    return _spans(wa, ga, shared, n), _spans(wb, gb, shared, n)
