"""The numpy look-ups behind the speed of the quality signals: each against its plain definition."""

from __future__ import annotations

import numpy as np
import pytest

from corpusforge.quality.lm.lookup import KeyBitmap, sorted_find
from corpusforge.quality.ngrams import _stable_order


def _definition(table: np.ndarray, keys: np.ndarray) -> np.ndarray:
    where = {int(k): i for i, k in enumerate(table)}
    return np.array([where.get(int(k), -1) for k in keys], dtype=np.int64)


@pytest.mark.parametrize("key_bits", [8, 22])
def test_bitmap_and_sorted_search_find_each_key_at_its_index(key_bits: int) -> None:
    rng = np.random.default_rng(key_bits)
    top = (1 << key_bits) - 1
    table = np.unique(np.concatenate([rng.integers(0, top, min(3000, top // 3)), [0, top]])).astype(np.uint64)
    keys = np.concatenate([table[::3], rng.integers(0, top + 1, 5000).astype(np.uint64), [0, top]])
    rng.shuffle(keys)
    expected = _definition(table, keys)
    assert (expected >= 0).any() and (expected < 0).any()
    assert np.array_equal(sorted_find(table, keys), expected)
    assert KeyBitmap.usable(key_bits)
    assert np.array_equal(KeyBitmap(table, key_bits).find(keys), expected)
    assert np.array_equal(sorted_find(table[:0], keys), np.full(len(keys), -1))


def test_keys_too_long_for_a_bitmap_are_searched() -> None:
    assert not KeyBitmap.usable(33)


@pytest.mark.parametrize("top", [10, 2**40, 2**62])  # packed with the index; and too large to pack
def test_stable_order_is_numpys_stable_argsort(top: int) -> None:
    keys = np.random.default_rng(top % 97).integers(0, top, 20_000, dtype=np.int64)
    assert np.array_equal(_stable_order(keys), np.argsort(keys, kind="stable"))
