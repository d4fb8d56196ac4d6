"""Which document of a duplicate cluster survives: a deterministic keep policy.

- `first`: the first seen (smallest key; keys are (shard << 32) | row, i.e. input order);
- `longest`: the longest text (ties: first seen);
- `quality`: the highest quality score, e.g. a `q_*` column (missing scores lose; ties: first seen).

Documents of a persisted index (negative keys, from an earlier run) always win: they were
already published, so the new copy is the duplicate. One lexsort over the clustered documents.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

KeepPolicy = Literal["first", "longest", "quality"]
POLICIES: tuple[str, ...] = ("first", "longest", "quality")


def keepers(
    roots: np.ndarray,
    keys: np.ndarray,
    *,
    policy: KeepPolicy = "first",
    length: np.ndarray | None = None,
    score: np.ndarray | None = None,
) -> np.ndarray:
    """For each clustered document, the key of the document its cluster keeps."""
    keys = np.asarray(keys, dtype=np.int64)
    if policy == "first":
        rank = np.zeros(len(keys), dtype=np.float64)
    elif policy == "longest":
        if length is None:
            raise ValueError("keep policy 'longest' needs document lengths")
        rank = -np.asarray(length, dtype=np.float64)
    elif policy == "quality":
        if score is None:
            raise ValueError("keep policy 'quality' needs a score per document")
        s = np.asarray(score, dtype=np.float64)
        rank = np.where(np.isnan(s), np.inf, -s)
    else:
        raise ValueError(f"unknown keep policy {policy!r} (one of {', '.join(POLICIES)})")
    is_new = (keys >= 0).astype(np.int8)
    order = np.lexsort((keys, rank, is_new, roots))
    sorted_roots = roots[order]
    head = np.ones(len(order), dtype=bool)
    head[1:] = sorted_roots[1:] != sorted_roots[:-1]
    group = np.cumsum(head) - 1
    winner_sorted = keys[order][head][group]
    out = np.empty_like(keys)
    out[order] = winner_sorted
    return out
