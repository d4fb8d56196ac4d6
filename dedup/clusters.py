"""Connected components of candidate edges: a vectorised union-find over int64 document keys.

Each round hooks the larger root of every edge under the smaller one (`np.minimum.at`), then
compresses paths by pointer jumping until every node points at its root. Rounds are
O(log(component diameter)); each costs a few passes over the edges, so 10 million edges take
a few seconds and ~0.5 GB. The root of a component is its smallest key, which makes the
result independent of edge order.
"""

from __future__ import annotations

import numpy as np


def components(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(nodes, roots): every key that appears in an edge, sorted, and its component's smallest key."""
    src = np.asarray(src, dtype=np.int64)
    dst = np.asarray(dst, dtype=np.int64)
    if src.shape != dst.shape:
        raise ValueError("src and dst must have the same length")
    nodes, inverse = np.unique(np.concatenate([src, dst]), return_inverse=True)
    u, v = inverse[: len(src)], inverse[len(src) :]
    parent = np.arange(len(nodes), dtype=np.int64)
    while True:
        pu, pv = parent[u], parent[v]
        differ = pu != pv
        if not differ.any():
            break
        lo = np.minimum(pu[differ], pv[differ])
        hi = np.maximum(pu[differ], pv[differ])
        np.minimum.at(parent, hi, lo)  # hi is a root: hook it under the smallest neighbouring root
        parent = _compress(parent)
    return nodes, nodes[parent]


def _compress(parent: np.ndarray) -> np.ndarray:
    while True:
        grand = parent[parent]
        if np.array_equal(grand, parent):
            return parent
        parent = grand
