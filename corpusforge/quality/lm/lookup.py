"""Finding many n-gram keys at once in a model's sorted table of keys (numpy).

A key's answer is its index in the sorted table, or -1 when the n-gram is not kept.

- `sorted_find`: `np.searchsorted` of the keys in sorted order, so that each binary search
  starts where the one before ended (~3x faster than in text order, sort included).
- `KeyBitmap`, for a table whose keys are small (a word bigram of an 11-bit vocabulary is a
  22-bit key): one bit per possible key, and per 64-bit word the number of keys before it; a
  key's index is that number plus the bits set below it in its word. ~10 vector operations
  and two look-ups in 0.8 MB, ~5x faster than `sorted_find`; needs numpy's `bitwise_count`.
"""

from __future__ import annotations

import numpy as np

MAX_BITMAP_BITS = 24  # 2 MB of bits: keys of up to 24 bits get a bitmap
_ONE = np.uint64(1)


def sorted_find(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Index of each key in `table` (sorted, distinct), -1 where absent."""
    if not len(table):
        return np.full(len(keys), -1, dtype=np.int64)
    order = np.argsort(keys)
    pos = np.empty(len(keys), dtype=np.int64)
    pos[order] = np.searchsorted(table, keys[order])
    pos = np.minimum(pos, len(table) - 1)
    return np.where(table[pos] == keys, pos, -1)


class KeyBitmap:
    """The keys of a sorted table as a bitmap with ranks; keys must be below 2**`key_bits`."""

    def __init__(self, table: np.ndarray, key_bits: int) -> None:
        table = np.asarray(table, dtype=np.uint64)
        self.words = np.zeros(((1 << key_bits) + 63) // 64, dtype=np.uint64)
        np.bitwise_or.at(self.words, table >> np.uint64(6), _ONE << (table & np.uint64(63)))
        counts = np.bitwise_count(self.words).astype(np.int64)
        self.before = np.cumsum(counts) - counts  # keys in the words before each word

    @staticmethod
    def usable(key_bits: int) -> bool:
        return key_bits <= MAX_BITMAP_BITS and hasattr(np, "bitwise_count")

    def find(self, keys: np.ndarray) -> np.ndarray:
        """Index of each key in the table, -1 where absent."""
        keys = np.asarray(keys, dtype=np.uint64)
        at = (keys >> np.uint64(6)).astype(np.int64)
        bit = keys & np.uint64(63)
        word = self.words[at]
        index = self.before[at] + np.bitwise_count(word & ((_ONE << bit) - _ONE))
        return np.where((word >> bit) & _ONE, index, -1)
