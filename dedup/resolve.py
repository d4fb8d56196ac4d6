"""Phase 3 of the partitioned run: candidate edges -> verified clusters -> per-shard decisions.

Runs in one process over the duplicate edges only (unique documents never appear), so its
memory grows with the number of duplicates, not with the corpus: ~100 bytes per edge plus
num_perm x 4 bytes per clustered document when verifying.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyarrow as pa

from dedup import store
from dedup.clusters import components
from dedup.keep import keepers
from dedup.minhash import estimated_jaccard
from dedup.partitioned import DECISIONS, EDGES, DedupSpec, _unique_edges
from dedup.verify import verify_exact

VERIFY_BLOCK = 1 << 16


def resolve(
    spec: DedupSpec, workdir: str, *, inputs: Mapping[int, str], index_dir: str | None = None
) -> dict[str, Any]:
    """Write `decisions/<shard>.parquet` (clustered rows only) and `dups.parquet`; return counts."""
    edges = store.read_dir(store.join(workdir, "edges"), EDGES)
    src, dst = _unique_edges(edges.column("src").to_numpy(), edges.column("dst").to_numpy())
    candidates = len(src)
    if spec.mode == "minhash" and spec.verify != "none" and len(src):
        exact = spec.verify == "exact"
        ok = verify_exact(spec, inputs, src, dst) if exact else _verify(spec, workdir, src, dst, index_dir)
        if exact and index_dir:  # the index keeps signatures, not text: estimate those pairs
            old = (src < 0) | (dst < 0)
            ok[old] = _verify(spec, workdir, src[old], dst[old], index_dir)
        src, dst = src[ok], dst[ok]
    nodes, roots = components(src, dst)
    meta = _meta_of(workdir, nodes, index_dir)
    win = keepers(
        roots,
        nodes,
        policy=spec.keep,
        length=meta["length"],
        score=meta["score"] if spec.keep == "quality" else None,
    )
    winner_id = meta["id"][np.searchsorted(nodes, win)]
    is_dup = win != nodes
    exact_like = np.full(len(nodes), spec.mode == "exact") | meta["short"]
    reason = np.where(exact_like, "exact", "near").astype(object)
    reason[~is_dup] = None
    new = nodes >= 0
    shard_of = nodes >> np.int64(32)
    for shard in np.unique(shard_of[new]).tolist():
        sel = new & (shard_of == shard)
        table = pa.table(
            {
                "row": nodes[sel] & np.int64(0xFFFFFFFF),
                "id": pa.array(meta["id"][sel], pa.string()),
                "cluster": pa.array(winner_id[sel], pa.string()),
                "reason": pa.array(reason[sel], pa.string()),
            },
            schema=DECISIONS,
        )
        store.write_table(store.join(workdir, "decisions", f"{shard:05d}.parquet"), table)
    dups = nodes[new & is_dup]
    store.write_table(store.join(workdir, "dups.parquet"), pa.table({"doc": dups}))
    summary = {
        "candidate_pairs": int(candidates),
        "verified_pairs": int(len(src)),
        "clustered_docs": int(new.sum()),
        "clusters": int(len(np.unique(roots[new]))) if new.any() else 0,
        "duplicates": int(len(dups)),
        "duplicates_exact": int((new & is_dup & exact_like).sum()),
        "duplicates_of_index": int((new & is_dup & (win < 0)).sum()),
    }
    store.write_json(store.join(workdir, "resolve.json"), summary)
    return summary


def _verify(spec: DedupSpec, workdir: str, src: np.ndarray, dst: np.ndarray, index_dir: str | None) -> np.ndarray:
    """Keep candidate pairs whose estimated Jaccard (from the signatures) reaches the threshold."""
    ends = np.unique(np.concatenate([src, dst]))
    sig = np.zeros((len(ends), spec.minhash.num_perm), dtype=np.uint32)
    shard_of = ends >> np.int64(32)
    new = ends >= 0
    for shard in np.unique(shard_of[new]).tolist():
        sel = np.flatnonzero(new & (shard_of == shard))
        arr = store.read_array(store.join(workdir, "sig", f"{shard:05d}.npy"))
        sig[sel] = arr[ends[sel] & np.int64(0xFFFFFFFF)]
    if index_dir and not new.all():
        keys = store.read_table(store.join(index_dir, "docs.parquet"), columns=["doc"]).column("doc").to_numpy()
        order = np.argsort(keys)
        sel = np.flatnonzero(~new)
        rows = order[np.searchsorted(keys[order], ends[sel])]
        sig[sel] = store.read_array(store.join(index_dir, "sig.npy"))[np.sort(rows)][np.argsort(np.argsort(rows))]
    ok = np.ones(len(src), dtype=bool)
    idx = np.arange(len(src))
    for i in range(0, len(idx), VERIFY_BLOCK):
        part = idx[i : i + VERIFY_BLOCK]
        a = sig[np.searchsorted(ends, src[part])]
        b = sig[np.searchsorted(ends, dst[part])]
        ok[part] = estimated_jaccard(a, b) >= spec.threshold
    return ok


def _meta_of(workdir: str, nodes: np.ndarray, index_dir: str | None) -> dict[str, np.ndarray]:
    """id, length, score and short flag of every clustered document, in `nodes` order."""
    n = len(nodes)
    out: dict[str, np.ndarray] = {
        "id": np.empty(n, dtype=object),
        "length": np.zeros(n, dtype=np.int64),
        "score": np.full(n, np.nan),
        "short": np.zeros(n, dtype=bool),
    }
    shard_of = nodes >> np.int64(32)
    new = nodes >= 0
    for shard in np.unique(shard_of[new]).tolist():
        meta = store.read_table(store.join(workdir, "meta", f"{shard:05d}.parquet"))
        docs = meta.column("doc").to_numpy()
        sel = np.flatnonzero(new & (shard_of == shard))
        pos = np.searchsorted(docs, nodes[sel])
        out["id"][sel] = np.asarray(meta.column("id").take(pa.array(pos)).to_pylist(), dtype=object)
        out["length"][sel] = meta.column("length").to_numpy()[pos]
        out["score"][sel] = meta.column("score").to_numpy(zero_copy_only=False)[pos]
        out["short"][sel] = meta.column("short").to_numpy(zero_copy_only=False)[pos]
    old = np.flatnonzero(~new)
    if len(old) and index_dir:
        docs = store.read_table(store.join(index_dir, "docs.parquet"))
        keys = docs.column("doc").to_numpy()
        order = np.argsort(keys)
        pos = order[np.searchsorted(keys[order], nodes[old])]
        out["id"][old] = np.asarray(docs.column("id").take(pa.array(pos)).to_pylist(), dtype=object)
    return out


def decisions(workdir: str, shard: int) -> pa.Table:
    """The clustered rows of one shard, sorted by row (empty when the shard has no duplicates)."""
    path = store.join(workdir, "decisions", f"{shard:05d}.parquet")
    if not store.exists(path):
        return DECISIONS.empty_table()
    return store.read_table(path).sort_by("row")


__all__ = ["decisions", "resolve"]
