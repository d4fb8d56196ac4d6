"""Hashes of every word n-gram of many texts at once (numpy), for benchmark decontamination.

Words are those the dedup library compares (`dedup.normalize.word_hashes`): NFC, lower case,
runs of letters, digits and `·`, apostrophes and punctuation splitting words, the Catalan
punt volat unified. So "L'Ajuntament  ha APROVAT..." and "l'ajuntament ha aprovat" have the
same n-grams, and an n-gram never spans two texts.

The hash of the n-gram starting at word i is a polynomial over the word hashes,
h[i]*P^(n-1) + ... + h[i+n-1] (mod 2^64), finished with splitmix64: n vectorised passes over
the batch's words and no Python loop per word. Two different n-grams collide with probability
~2^-64; over 10^10 corpus n-grams against 10^6 evaluation n-grams that is ~5e-4 false hits
in all.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from dedup.hashing import mix64
from dedup.normalize import word_hashes

WORD_SEED = 0x5EED_DEC0
_P = np.uint64(0x100000001B3)  # an odd multiplier (FNV prime): every word hash shifts the state


@dataclass(frozen=True)
class Windows:
    """The n-grams of a batch: `hashes[k]` starts at word `start[k]` of text `doc[k]`."""

    hashes: np.ndarray  # uint64
    doc: np.ndarray  # int64, row of the batch
    start: np.ndarray  # int64, word position inside the text
    words: np.ndarray  # int64, words of every text of the batch (len = rows)


def windows(texts: pa.Array | pa.ChunkedArray, *, n: int, fold_digits: bool = False) -> Windows:
    """Every n-gram of every text (texts shorter than n words have none); nulls are empty."""
    h, offsets = word_hashes(texts, fold_digits=fold_digits, seed=WORD_SEED)
    counts = np.diff(offsets)
    m = len(h) - n + 1
    if m <= 0:
        empty = np.zeros(0, dtype=np.int64)
        return Windows(np.zeros(0, dtype=np.uint64), empty, empty, counts)
    g = np.zeros(m, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(n):
            np.multiply(g, _P, out=g)
            np.add(g, h[k : k + m], out=g)
    first = np.arange(m, dtype=np.int64)
    doc = np.searchsorted(offsets, first, side="right") - 1
    inside = first + n <= offsets[doc + 1]  # the window ends in the text it starts in
    doc = doc[inside]
    return Windows(mix64(g[inside]), doc, first[inside] - offsets[doc], counts)
