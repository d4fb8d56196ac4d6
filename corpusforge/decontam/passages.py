"""Where a contaminated document's matches sit in its text, and which lines remove them.

Only documents with hits come here (a few per million), so this runs per document in Python:
the words are found again with a regular expression that gives their character spans, and
each is checked against the vectorised word hashes (`dedup.normalize.word_hashes`) so a span
is trusted only when both tokenisations agree word for word. When they do not (text that is
not NFC, an exotic case mapping), the spans are unknown: the excerpt is the start of the text
and, in passage mode, the whole document is removed rather than leave a match in it.

A passage is a line: every line that a matched n-gram touches is cut (with its newline), so
the text left reads as whole lines. A document with no word left is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

from corpusforge.decontam.ngrams import WORD_SEED
from dedup.normalize import word_hashes

# Letters and digits (str.isalnum, as the vectorised words), the middle dot, and a punt volat
# written with another dot between two l's ("col.legi"), which normalisation unifies.
_WORD = re.compile(r"(?:[^\W_]|·|(?<=[lL])[.•‧∙](?=[lL]))+")
EXCERPT_CHARS = 400
_CONTEXT = 60


@dataclass(frozen=True)
class Placement:
    aligned: bool  # the spans below are trustworthy
    runs: list[tuple[int, int]] = field(default_factory=list)  # character ranges of merged matches
    cuts: list[tuple[int, int]] = field(default_factory=list)  # character ranges of the lines to cut
    removed_words: int = 0
    emptied: bool = False
    excerpt: str = ""


def word_spans(text: str, *, fold_digits: bool) -> list[tuple[int, int]] | None:
    """Character span of every word of `text`, or None when the two tokenisations disagree."""
    spans = [m.span() for m in _WORD.finditer(text)]
    doc_hashes, _ = word_hashes(pa.array([text], pa.string()), fold_digits=fold_digits, seed=WORD_SEED)
    if len(spans) != len(doc_hashes):
        return None
    one_by_one, offsets = word_hashes(
        pa.array([text[s:e] for s, e in spans], pa.string()), fold_digits=fold_digits, seed=WORD_SEED
    )
    if len(one_by_one) != len(spans) or not np.array_equal(np.diff(offsets), np.ones(len(spans), np.int64)):
        return None
    return spans if np.array_equal(one_by_one, doc_hashes) else None


def _merge(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for start, end in sorted(ranges):
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return out


def _line_of(text: str, start: int, end: int) -> tuple[int, int]:
    """The lines covering [start, end), with the newline that ends the last one."""
    first = text.rfind("\n", 0, start) + 1
    last = text.find("\n", max(end - 1, start))
    return first, len(text) if last == -1 else last + 1


def place(text: str, starts: np.ndarray, *, n: int, fold_digits: bool, passage: bool) -> Placement:
    """Locate the matched n-grams starting at word positions `starts` of `text`."""
    spans = word_spans(text, fold_digits=fold_digits)
    if spans is None:
        words = len(_WORD.findall(text))
        return Placement(aligned=False, removed_words=words, emptied=True, excerpt=text[:EXCERPT_CHARS])
    runs = _merge([(spans[s][0], spans[s + n - 1][1]) for s in starts.tolist()])
    first = runs[0]
    excerpt = text[max(0, first[0] - _CONTEXT) : first[1] + _CONTEXT][:EXCERPT_CHARS]
    if not passage:
        return Placement(aligned=True, runs=runs, removed_words=len(spans), emptied=True, excerpt=excerpt)
    cuts = _merge([_line_of(text, s, e) for s, e in runs])
    bounds = np.array(cuts, dtype=np.int64).ravel()
    word_starts = np.array([s for s, _ in spans], dtype=np.int64)
    inside = np.searchsorted(bounds, word_starts, side="right") % 2 == 1  # odd: between a cut's start and end
    removed = int(inside.sum())
    return Placement(aligned=True, runs=runs, cuts=cuts, removed_words=removed, emptied=removed == len(spans),
                     excerpt=excerpt)  # fmt: skip


def apply_cuts(text: str, cuts: list[tuple[int, int]]) -> str:
    """`text` without the character ranges `cuts` (sorted, disjoint)."""
    pieces, at = [], 0
    for start, end in cuts:
        pieces.append(text[at:start])
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
