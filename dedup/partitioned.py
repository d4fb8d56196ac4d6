"""Corpus-scale dedup in phases that spill to Parquet, so memory is bounded by partition size.

    1. signatures, per input shard (parallel): keys per document -- the exact hash, or one
       hash per LSH band -- written to `keys/p=<partition>/<shard>.parquet` by hash % partitions;
       per-document metadata to `meta/`, MinHash signatures to `sig/` (for verification);
    2. clusters, per partition (parallel): sort the keys, runs of equal keys -> candidate edges;
    3. resolve (one process): verify candidates (exact Jaccard of the shingles, recomputed for
       the candidate documents only, or the estimate from signatures), connected components
       over the edges only, keep policy per cluster -> `decisions/<shard>.parquet`;
    4. filter, per shard (the caller): rows listed as duplicates are dropped.

Memory: phase 1 holds one shard's keys, phase 2 one partition (~docs x bands / partitions x
26 bytes), phase 3 the duplicate edges and the signatures of clustered documents only.
Every phase is a pure function of its inputs writing files atomically, so a crashed task that
is retried produces the same files. `map_fn` is any parallel map (Ray, a process pool, `map`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dedup import store
from dedup.exact import exact_hashes
from dedup.keep import KeepPolicy
from dedup.lsh import VERIFIED_FN_WEIGHT, band_hashes, choose_bands, star_edges
from dedup.minhash import SIGNATURE_VERSION, MinhashParams, shingle, signatures

KEYS = pa.schema([("band", pa.int16()), ("h1", pa.uint64()), ("h2", pa.uint64()), ("doc", pa.int64())])
META = pa.schema([("doc", pa.int64()), ("id", pa.string()), ("length", pa.int64()), ("score", pa.float64()),
                  ("short", pa.bool_())])  # fmt: skip
EDGES = pa.schema([("src", pa.int64()), ("dst", pa.int64())])
DECISIONS = pa.schema([("row", pa.int64()), ("id", pa.string()), ("cluster", pa.string()), ("reason", pa.string())])
MAX_SHARDS = 1 << 20  # a document key is (shard << 32) | row


@dataclass(frozen=True, kw_only=True)
class DedupSpec:
    """Everything that decides the result of a run (one frozen value, shipped to every task)."""

    mode: Literal["exact", "minhash"] = "minhash"
    minhash: MinhashParams = field(default_factory=MinhashParams)
    threshold: float = 0.8
    bands: int = 0  # 0: chosen from threshold and num_perm (lsh.choose_bands)
    rows: int = 0
    verify: Literal["exact", "estimated", "none"] = "exact"
    keep: KeepPolicy = "first"
    partitions: int = 16
    fold_digits: bool = False  # exact mode; minhash folds per `minhash.fold_digits`
    text_column: str = "text"
    id_column: str = "id"
    score_column: str | None = None
    batch_rows: int = 8192

    def banding(self) -> tuple[int, int]:
        if self.mode == "exact":
            return 1, 0
        if self.bands and self.rows:
            return self.bands, self.rows
        weight = VERIFIED_FN_WEIGHT if self.verify != "none" else 0.5
        return choose_bands(self.threshold, self.minhash.num_perm, fn_weight=weight)

    def fingerprint(self) -> dict[str, Any]:
        """What an index must share with a run that uses it."""
        bands, rows = self.banding()
        out: dict[str, Any] = {"mode": self.mode, "partitions": self.partitions, "bands": bands, "rows": rows}
        if self.mode == "minhash":
            m = self.minhash
            out.update(num_perm=m.num_perm, ngram=m.ngram, seed=m.seed, fold_digits=m.fold_digits,
                       signature_version=SIGNATURE_VERSION)  # fmt: skip
        else:
            out.update(fold_digits=self.fold_digits)
        return out


def _part_dir(root: str, p: int) -> str:
    return store.join(root, "keys", f"p={p:04d}")


def _batches(spec: DedupSpec, path: str) -> Any:
    import fsspec

    cols = [spec.id_column, spec.text_column] + ([spec.score_column] if spec.score_column else [])
    fs, p = fsspec.core.url_to_fs(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        names = set(pf.schema_arrow.names)
        yield from pf.iter_batches(batch_size=spec.batch_rows, columns=[c for c in cols if c in names])


def signature_phase(task: tuple[DedupSpec, str, int, str]) -> dict[str, int]:
    """Phase 1 for one shard: keys by partition, metadata and signatures. Returns counts."""
    spec, workdir, shard, path = task
    if shard >= MAX_SHARDS:
        raise ValueError(f"at most {MAX_SHARDS} shards")
    bands, rows = spec.banding()
    keys: list[pa.Table] = []
    metas: list[pa.Table] = []
    sigs: list[np.ndarray] = []
    row0 = short_docs = 0
    for batch in _batches(spec, path):
        n = batch.num_rows
        text = batch.column(spec.text_column)
        doc = (np.int64(shard) << np.int64(32)) | (row0 + np.arange(n, dtype=np.int64))
        short = np.zeros(n, dtype=bool)
        if spec.mode == "exact":
            h1, h2 = exact_hashes(text, fold_digits=spec.fold_digits)
            band = np.zeros(n, dtype=np.int16)
        else:
            sh = shingle(text, spec.minhash)
            sig = signatures(sh, spec.minhash)
            sigs.append(sig)
            short = sh.short
            h1 = band_hashes(sig, bands=bands, rows=rows).ravel()
            h2 = np.zeros(len(h1), dtype=np.uint64)
            band = np.tile(np.arange(bands, dtype=np.int16), n)
            doc = np.repeat(doc, bands)
        keys.append(pa.table({"band": band, "h1": h1, "h2": h2, "doc": doc}, schema=KEYS))
        metas.append(_meta(spec, batch, row0, shard, short))
        short_docs += int(short.sum())
        row0 += n
    _write_partitions(spec, workdir, shard, pa.concat_tables(keys) if keys else KEYS.empty_table())
    store.write_table(
        store.join(workdir, "meta", f"{shard:05d}.parquet"),
        pa.concat_tables(metas, promote_options="permissive") if metas else META.empty_table(),
    )
    if spec.mode == "minhash":
        sig_all = np.concatenate(sigs) if sigs else np.zeros((0, spec.minhash.num_perm), dtype=np.uint32)
        store.write_array(store.join(workdir, "sig", f"{shard:05d}.npy"), sig_all)
    return {"docs": row0, "short": short_docs}


def _meta(spec: DedupSpec, batch: pa.RecordBatch, row0: int, shard: int, short: np.ndarray) -> pa.Table:
    n = batch.num_rows
    names = batch.schema.names
    text = batch.column(spec.text_column)
    length = pc.fill_null(pc.utf8_length(text.cast(pa.string())), 0).cast(pa.int64())
    if spec.score_column and spec.score_column in names:
        score = pc.cast(batch.column(spec.score_column), pa.float64())
    else:
        score = pa.nulls(n, pa.float64())
    ids = batch.column(spec.id_column).cast(pa.string()) if spec.id_column in names else pa.nulls(n, pa.string())
    doc = (np.int64(shard) << np.int64(32)) | (row0 + np.arange(n, dtype=np.int64))
    return pa.table({"doc": doc, "id": ids, "length": length, "score": score, "short": short}, schema=META)


def _write_partitions(spec: DedupSpec, workdir: str, shard: int, keys: pa.Table) -> None:
    part = (keys.column("h1").to_numpy() % np.uint64(spec.partitions)).astype(np.int64)
    order = np.argsort(part, kind="stable")
    bounds = np.searchsorted(part[order], np.arange(spec.partitions + 1))
    for p in range(spec.partitions):
        rows = order[bounds[p] : bounds[p + 1]]
        store.write_table(store.join(_part_dir(workdir, p), f"{shard:05d}.parquet"), keys.take(rows))


def cluster_phase(task: tuple[DedupSpec, str, int, str | None]) -> int:
    """Phase 2 for one partition: runs of equal keys -> candidate edges. Returns the edge count."""
    spec, workdir, p, index_dir = task
    keys = store.read_dir(_part_dir(workdir, p), KEYS)
    if index_dir:
        keys = pa.concat_tables([store.read_dir(_part_dir(index_dir, p), KEYS), keys])
    cols = [keys.column(c).to_numpy() for c in ("band", "h1", "h2")]
    doc = keys.column("doc").to_numpy()
    src, dst = star_edges(cols, doc)
    if spec.mode == "minhash" and spec.verify != "none":
        # a member that fails verification against the run's head may still match its neighbour
        csrc, cdst = _chain_edges(cols, doc)
        src, dst = np.concatenate([src, csrc]), np.concatenate([dst, cdst])
    src, dst = _unique_edges(src, dst)
    fresh = (src >= 0) | (dst >= 0)  # index documents were deduplicated among themselves already
    src, dst = src[fresh], dst[fresh]
    store.write_table(
        store.join(workdir, "edges", f"{p:04d}.parquet"), pa.table({"src": src, "dst": dst}, schema=EDGES)
    )
    return len(src)


def _chain_edges(cols: list[np.ndarray], doc: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(doc) < 2:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    order = np.lexsort((doc, *reversed(cols)))
    same = np.ones(len(doc) - 1, dtype=bool)
    for c in cols:
        s = c[order]
        same &= s[1:] == s[:-1]
    d = doc[order]
    return d[:-1][same], d[1:][same]


def _unique_edges(src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(src) == 0:
        return src.astype(np.int64), dst.astype(np.int64)
    lo, hi = np.minimum(src, dst), np.maximum(src, dst)
    order = np.lexsort((hi, lo))
    lo, hi = lo[order], hi[order]
    keep = np.ones(len(lo), dtype=bool)
    keep[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
    return lo[keep], hi[keep]
