"""Banding parameters, candidate edges, union-find and keep policies."""

from __future__ import annotations

import numpy as np
import pytest

from dedup.clusters import components
from dedup.keep import keepers
from dedup.lsh import band_hashes, candidate_probability, choose_bands, star_edges


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.5, 64), (0.8, 112), (0.9, 256)])
def test_choose_bands_fits_and_puts_the_threshold_on_the_slope(threshold, num_perm):
    b, r = choose_bands(threshold, num_perm)
    assert b * r <= num_perm
    low = candidate_probability(threshold - 0.2, bands=b, rows=r)
    high = candidate_probability(min(threshold + 0.1, 1.0), bands=b, rows=r)
    assert low < 0.2 < 0.8 < high


def test_recall_weight_moves_the_curve_left():
    b0, r0 = choose_bands(0.8, 112, fn_weight=0.5)
    b1, r1 = choose_bands(0.8, 112, fn_weight=0.97)
    assert candidate_probability(0.8, bands=b1, rows=r1) > candidate_probability(0.8, bands=b0, rows=r0)
    assert (b1, r1) == (16, 7)


def test_choose_bands_rejects_bad_input():
    with pytest.raises(ValueError):
        choose_bands(1.2, 112)
    with pytest.raises(ValueError):
        choose_bands(0.8, 1)


def test_band_hashes_agree_exactly_on_equal_bands():
    rng = np.random.default_rng(0)
    sig = rng.integers(0, 2**32, size=(3, 12), dtype=np.uint64).astype(np.uint32)
    sig[1, :4] = sig[0, :4]  # band 0 equal
    bh = band_hashes(sig, bands=3, rows=4)
    assert bh[0, 0] == bh[1, 0]
    assert bh[0, 1] != bh[1, 1] and bh[0, 0] != bh[2, 0]


def test_star_edges_link_every_member_of_a_run_to_its_first_doc():
    keys = np.array([5, 7, 5, 5, 9, 7], dtype=np.uint64)
    docs = np.array([30, 11, 10, 20, 40, 12], dtype=np.int64)
    src, dst = star_edges([keys], docs)
    assert sorted(zip(src.tolist(), dst.tolist(), strict=True)) == [(10, 20), (10, 30), (11, 12)]


def _reference_components(edges: list[tuple[int, int]]) -> dict[int, int]:
    adj: dict[int, set[int]] = {}
    for a, b in edges:
        adj.setdefault(a, set()).add(b)
        adj.setdefault(b, set()).add(a)
    root: dict[int, int] = {}
    for start in sorted(adj):
        if start in root:
            continue
        stack, seen = [start], {start}
        while stack:
            n = stack.pop()
            for m in adj[n] - seen:
                seen.add(m)
                stack.append(m)
        for n in seen:
            root[n] = min(seen)
    return root


def test_union_find_matches_a_graph_search_and_ignores_edge_order():
    rng = np.random.default_rng(1)
    src = rng.integers(0, 2000, 1500) * 1_000_003  # sparse, large keys
    dst = rng.integers(0, 2000, 1500) * 1_000_003
    nodes, roots = components(src, dst)
    expected = _reference_components(list(zip(src.tolist(), dst.tolist(), strict=True)))
    assert dict(zip(nodes.tolist(), roots.tolist(), strict=True)) == expected
    perm = rng.permutation(len(src))
    nodes2, roots2 = components(dst[perm], src[perm])
    assert np.array_equal(nodes, nodes2) and np.array_equal(roots, roots2)


def test_union_find_of_a_long_chain():
    n = 100_000
    nodes, roots = components(np.arange(n - 1), np.arange(1, n))
    assert len(nodes) == n and (roots == 0).all()


def test_keep_policies_are_deterministic():
    roots = np.array([1, 1, 1, 8, 8])
    keys = np.array([1, 4, 6, 8, 9])
    length = np.array([10, 30, 30, 5, 5])
    score = np.array([0.2, np.nan, 0.9, 0.1, 0.3])
    assert keepers(roots, keys, policy="first").tolist() == [1, 1, 1, 8, 8]
    assert keepers(roots, keys, policy="longest", length=length).tolist() == [4, 4, 4, 8, 8]
    assert keepers(roots, keys, policy="quality", score=score).tolist() == [6, 6, 6, 9, 9]
    perm = np.array([4, 2, 0, 3, 1])
    shuffled = keepers(roots[perm], keys[perm], policy="longest", length=length[perm])
    assert shuffled.tolist() == [8, 4, 4, 8, 4]


def test_index_documents_always_win():
    roots = np.array([-5, -5, -5])
    keys = np.array([-5, 3, 7])
    assert keepers(roots, keys, policy="longest", length=np.array([1, 100, 50])).tolist() == [-5, -5, -5]
    with pytest.raises(ValueError):
        keepers(roots, keys, policy="quality")
