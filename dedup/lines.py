"""Site-level boilerplate removal (CCNet-style line/paragraph dedup), bounded in memory.

Menus, cookie notices and "all rights reserved" lines repeat on every page of a site while
the documents around them differ, so document-level dedup keeps them. Here every line (or
paragraph) is normalised -- `normalize.normalize` with digits folded, punctuation removed --
and keyed by (site, normalised text); a unit found in more than `max_repeats` documents of
the same site is boilerplate and is removed from all of them. A document whose every
non-empty unit was removed is left empty (the stage rejects it as `dup:lines`).

Phases, like `partitioned.py`, each a pure function of its inputs writing files atomically:

    1. count, per input shard (parallel): distinct (site, unit) keys per document, counted per
       shard, spilled to `lines/p=<partition>/<shard>.parquet` by key % partitions; the key of
       every unit, row by row, kept in `keys/<shard>.parquet`;
    2. frequent, per partition (parallel): sum the counts, keep keys seen in more than
       `max_repeats` documents -> `frequent/<partition>.parquet`;
    3. strip, per batch (the caller): `strip(texts, sites, frequent_keys(workdir), spec,
       keys=shard_keys(workdir, shard).slice(first_row, rows))`. With the keys of phase 1 each
       unit is normalised and hashed once in the run; without them `strip` keys the units again.

Memory: phase 1 one shard's keys (~16 bytes per line), phase 2 one partition of the corpus's
distinct keys, phase 3 the boilerplate keys (8 bytes each; typically a few per site) and one
shard's unit keys (8 bytes per line, also the disk phase 1 spills for them).
Units whose normalised text is empty (blank lines, rules of dashes) are never counted or
removed. The site is the `domain` column, else the host of `url` (lower case, without `www.`), else one
site for all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from dedup import store
from dedup.hashing import combine, hash_strings
from dedup.normalize import fold_case, squeeze_words

COUNTS = pa.schema([("key", pa.uint64()), ("docs", pa.int64())])
FREQUENT = pa.schema([("key", pa.uint64())])
UNIT_KEYS = pa.schema([("keys", pa.large_list(pa.uint64()))])  # one row per document, its units' keys
_HOST = r"^[A-Za-z][A-Za-z0-9+.\-]*://(?:[^@/?#]*@)?(?P<host>[^/:?#]+)"
_BLANK_LINE = r"\n[ \t\r\f\v]*\n"
_SEPARATORS = {"line": "\n", "paragraph": "\n\n"}


@dataclass(frozen=True, kw_only=True)
class LinesSpec:
    """What decides which units are boilerplate (shipped to every task)."""

    unit: Literal["line", "paragraph"] = "line"
    max_repeats: int = 3  # a unit in more than this many documents of one site is removed
    scope: Literal["site", "corpus"] = "site"  # count per site, or across the whole corpus
    fold_digits: bool = True
    partitions: int = 16
    text_column: str = "text"
    domain_column: str = "domain"
    url_column: str = "url"
    batch_rows: int = 8192


@dataclass(frozen=True)
class Units:
    """The units of a batch: `values` (raw text), `parent` (document row), `keys` (0 = empty unit)."""

    values: pa.Array
    parent: np.ndarray
    keys: np.ndarray


def sites(table: pa.Table | pa.RecordBatch, spec: LinesSpec) -> pa.Array:
    """The site of every row: domain, else the host of url, else "" (lower case)."""
    n = table.num_rows
    names = table.schema.names
    out: pa.Array = pa.nulls(n, pa.string())
    if spec.scope == "corpus":
        return pa.array([""] * n, pa.string())
    if spec.domain_column in names:
        out = _column(table, spec.domain_column)
    if spec.url_column in names and (out.null_count or pc.any(pc.equal(out, "")).as_py()):
        url = _column(table, spec.url_column)
        host = pc.struct_field(pc.extract_regex(url, _HOST), [0])
        out = pc.coalesce(pc.if_else(pc.equal(out, ""), pa.nulls(n, pa.string()), out), host)
    return pc.replace_substring_regex(pc.utf8_lower(pc.fill_null(out, "")), r"^www[0-9]*\.", "")


def _column(table: pa.Table | pa.RecordBatch, name: str) -> pa.Array:
    col = table.column(name)
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return col.cast(pa.string())


def _split(texts: pa.Array | pa.ChunkedArray, spec: LinesSpec) -> tuple[pa.Array, np.ndarray]:
    """(every unit's raw text, the row it belongs to)."""
    arr = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    arr = pc.fill_null(arr.cast(pa.string()), "")
    # lines split on every newline; paragraphs on blank lines (spaces allowed in them)
    lists = pc.split_pattern(arr, "\n") if spec.unit == "line" else pc.split_pattern_regex(arr, _BLANK_LINE)
    return pc.list_flatten(lists), pc.list_parent_indices(lists).to_numpy().astype(np.int64)


def units(texts: pa.Array | pa.ChunkedArray, site: pa.Array, spec: LinesSpec) -> Units:
    """Split texts into units and key each by (site, normalised text); vectorised in Arrow/numpy."""
    values, parent = _split(texts, spec)
    # `normalize`, then every run of non-letters and non-digits as one space (see `squeeze_words`)
    norm = squeeze_words(fold_case(values), fold_digits=spec.fold_digits)
    empty = pc.equal(pc.binary_length(norm), 0).to_numpy(zero_copy_only=False)
    site_hash = hash_strings(site.cast(pa.string()), seed=7)
    keys = combine([site_hash[parent], hash_strings(norm, seed=11)], seed=13)
    keys[keys == 0] = 1  # 0 marks an empty unit
    keys[empty] = 0
    return Units(values=values, parent=parent, keys=keys)


def _shard_batches(spec: LinesSpec, path: str) -> Any:
    import fsspec

    fs, p = fsspec.core.url_to_fs(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        names = set(pf.schema_arrow.names)
        cols = [c for c in (spec.text_column, spec.domain_column, spec.url_column) if c in names]
        yield from pf.iter_batches(batch_size=spec.batch_rows, columns=cols)


def count_phase(task: tuple[LinesSpec, str, int, str]) -> dict[str, int]:
    """Phase 1 for one shard: documents per (site, unit) key, spilled by partition."""
    spec, workdir, shard, path = task
    keys: list[np.ndarray] = []
    per_row: list[pa.Array] = []
    docs = nunits = 0
    for batch in _shard_batches(spec, path):
        u = units(batch.column(spec.text_column), sites(batch, spec), spec)
        per_row.append(_per_row(u, batch.num_rows))
        live = u.keys != 0
        nunits += int(live.sum())
        docs += batch.num_rows
        # one count per document: the distinct (document, key) pairs of this batch
        k = u.keys[live]
        _, first = np.unique(combine([u.parent[live].astype(np.uint64), k]), return_index=True)
        keys.append(k[first])
    store.write_table(
        store.join(workdir, "keys", f"{shard:05d}.parquet"), pa.Table.from_arrays([_concat(per_row)], schema=UNIT_KEYS)
    )
    allk = np.concatenate(keys) if keys else np.zeros(0, np.uint64)
    uniq, counts = np.unique(allk, return_counts=True)
    part = (uniq % np.uint64(spec.partitions)).astype(np.int64)
    for p in range(spec.partitions):
        sel = part == p
        table = pa.table({"key": uniq[sel], "docs": counts[sel].astype(np.int64)}, schema=COUNTS)
        store.write_table(store.join(workdir, "lines", f"p={p:04d}", f"{shard:05d}.parquet"), table)
    return {"docs": docs, "units": nunits}


def _per_row(u: Units, rows: int) -> pa.Array:
    """The units' keys as one list per row (units come out of `_split` in row order)."""
    offsets = np.zeros(rows + 1, dtype=np.int64)
    np.cumsum(np.bincount(u.parent, minlength=rows), out=offsets[1:])
    return pa.LargeListArray.from_arrays(pa.array(offsets), pa.array(u.keys, pa.uint64()))


def _concat(arrays: list[pa.Array]) -> pa.Array:
    return pa.concat_arrays(arrays) if arrays else pa.array([], UNIT_KEYS.field("keys").type)


def frequent_phase(task: tuple[LinesSpec, str, int]) -> dict[str, int]:
    """Phase 2 for one partition: keys found in more than `max_repeats` documents."""
    spec, workdir, p = task
    counts = store.read_dir(store.join(workdir, "lines", f"p={p:04d}"), COUNTS)
    keys = counts.column("key").to_numpy()
    docs = counts.column("docs").to_numpy()
    order = np.argsort(keys, kind="stable")
    keys, docs = keys[order], docs[order]
    head = np.ones(len(keys), dtype=bool)
    head[1:] = keys[1:] != keys[:-1]
    starts = np.flatnonzero(head)
    total = np.add.reduceat(docs, starts) if len(starts) else np.zeros(0, np.int64)
    uniq = keys[starts]
    frequent = uniq[total > spec.max_repeats]
    store.write_table(store.join(workdir, "frequent", f"{p:04d}.parquet"), pa.table({"key": frequent}, schema=FREQUENT))
    return {"distinct": int(len(uniq)), "frequent": int(len(frequent))}


def frequent_keys(workdir: str) -> np.ndarray:
    """Sorted uint64 keys of every boilerplate unit of the run."""
    keys = store.read_dir(store.join(workdir, "frequent"), FREQUENT).column("key").to_numpy()
    return np.sort(keys)


def shard_keys(workdir: str, shard: int) -> pa.Array:
    """Every unit's key of shard `shard`, one list per row, as phase 1 found them (see `strip`)."""
    table = store.read_table(store.join(workdir, "keys", f"{shard:05d}.parquet"))
    return table.column("keys").combine_chunks()


def strip(
    texts: pa.Array | pa.ChunkedArray,
    site: pa.Array,
    frequent: np.ndarray,
    spec: LinesSpec,
    *,
    keys: pa.Array | None = None,
) -> tuple[pa.Array, np.ndarray, np.ndarray]:
    """(texts without boilerplate units, units removed per row, row left empty).

    Rows with nothing removed keep their text byte for byte; others are re-joined with "\\n"
    (lines) or "\\n\\n" (paragraphs). A row left empty (every non-empty unit removed) keeps its
    text too: the caller rejects it whole. `keys`, the rows' slice of `shard_keys`, spares keying
    every unit again; keys that do not line up with the texts' units are not used.
    """
    arr = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    n = len(arr)
    u = _counted_units(arr, keys, spec) if keys is not None else None
    if u is None:
        u = units(arr, site, spec)
    pos = np.searchsorted(frequent, u.keys)
    hit = (u.keys != 0) & (pos < len(frequent))
    hit[hit] = frequent[pos[hit]] == u.keys[hit]
    removed = np.bincount(u.parent[hit], minlength=n)
    live_left = np.bincount(u.parent[(u.keys != 0) & ~hit], minlength=n)
    emptied = (removed > 0) & (live_left == 0)
    if not removed.any():
        return arr, removed, emptied
    keep = ~hit
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(u.parent[keep], minlength=n), out=offsets[1:])
    lists = pa.LargeListArray.from_arrays(pa.array(offsets), u.values.filter(pa.array(keep)))
    joined = pc.binary_join(lists, _SEPARATORS[spec.unit])
    out = pc.if_else(pa.array((removed > 0) & ~emptied), joined.cast(arr.type), arr)
    return out, removed, emptied


def _counted_units(texts: pa.Array, keys: pa.Array, spec: LinesSpec) -> Units | None:
    """The units of `texts` with the keys phase 1 gave them; None when `keys` are not theirs."""
    values, parent = _split(texts, spec)
    if len(keys) != len(texts) or not np.array_equal(
        pc.list_value_length(keys).to_numpy(zero_copy_only=False), np.bincount(parent, minlength=len(texts))
    ):
        return None
    return Units(values=values, parent=parent, keys=pc.list_flatten(keys).to_numpy())


def run_lines(
    spec: LinesSpec,
    *,
    inputs: list[str],
    workdir: str,
    map_fn: Callable[[Callable[[Any], Any], list[Any]], list[Any]] | None = None,
    shard_ids: list[int] | None = None,
) -> dict[str, Any]:
    """Phases 1-2 over Parquet `inputs` (shard `shard_ids[k]` is `inputs[k]`); then `strip` each
    batch with `frequent_keys(workdir)`."""
    pmap = map_fn or (lambda fn, items: [fn(x) for x in items])
    ids = shard_ids if shard_ids is not None else list(range(len(inputs)))
    t0 = time.perf_counter()
    counts = pmap(count_phase, [(spec, workdir, i, path) for i, path in zip(ids, inputs, strict=True)])
    t1 = time.perf_counter()
    parts = pmap(frequent_phase, [(spec, workdir, p) for p in range(spec.partitions)])
    t2 = time.perf_counter()
    summary = {
        "docs": sum(c["docs"] for c in counts),
        "units": sum(c["units"] for c in counts),
        "distinct_units": sum(p["distinct"] for p in parts),
        "frequent_units": sum(p["frequent"] for p in parts),
        "shards": len(inputs),
        "count_s": round(t1 - t0, 3),
        "frequent_s": round(t2 - t1, 3),
    }
    store.write_json(store.join(workdir, "summary.json"), summary)
    return summary
