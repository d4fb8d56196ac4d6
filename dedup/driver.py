"""`run_dedup`: phases 1-3 of `partitioned.py` (signatures, clusters, resolve) on any parallel map;
the caller does phase 4, the filter, per shard with `decisions(workdir, shard)`.

    from dedup import DedupSpec, run_dedup
    summary = run_dedup(DedupSpec(mode="minhash", threshold=0.8), inputs=parts, workdir="/tmp/dd")
    # then per shard: dedup.decisions("/tmp/dd", shard) -> rows to drop, with their cluster

`map_fn(fn, items)` runs the per-shard and per-partition phases; the default is the builtin
`map` (one core). Pass a process pool's or Ray's map to use more cores.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from dedup import index, store
from dedup.partitioned import DedupSpec, cluster_phase, signature_phase
from dedup.resolve import resolve

MapFn = Callable[[Callable[[Any], Any], list[Any]], list[Any]]


def _serial_map(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    return [fn(x) for x in items]


def run_dedup(
    spec: DedupSpec,
    *,
    inputs: list[str],
    workdir: str,
    map_fn: MapFn | None = None,
    index_in: str | None = None,
    index_out: str | None = None,
    shard_ids: list[int] | None = None,
) -> dict[str, Any]:
    """Run phases 1-3 over Parquet `inputs`; returns a summary with timings.

    Shard `shard_ids[k]` is `inputs[k]` (default: shard k), and `decisions(workdir, shard)` takes
    that id: a caller whose shards have stable ids with gaps keeps them. Ids order the documents
    for `keep="first"`."""
    pmap = map_fn or _serial_map
    by_id = dict(zip(shard_ids if shard_ids is not None else range(len(inputs)), inputs, strict=True))
    generation = 1
    if index_in:
        info = index.check(spec, index_in)
        generation = int(info["generation"]) + 1
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    counts = pmap(signature_phase, [(spec, workdir, i, path) for i, path in by_id.items()])
    timings["signatures_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    pmap(cluster_phase, [(spec, workdir, p, index_in) for p in range(spec.partitions)])
    timings["clusters_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    summary = resolve(spec, workdir, inputs=by_id, index_dir=index_in)
    timings["resolve_s"] = time.perf_counter() - t0
    if index_out:
        t0 = time.perf_counter()
        pmap(
            index.write_partition, [(spec, workdir, p, index_in, index_out, generation) for p in range(spec.partitions)]
        )
        index.write_docs(
            spec, workdir, shards=list(by_id), index_in=index_in, index_out=index_out, generation=generation
        )
        timings["index_s"] = time.perf_counter() - t0
    bands, rows = spec.banding()
    summary.update(
        docs=sum(c["docs"] for c in counts),
        short_docs=sum(c["short"] for c in counts),
        shards=len(inputs),
        bands=bands,
        rows=rows,
        **{k: round(v, 3) for k, v in timings.items()},
    )
    store.write_json(store.join(workdir, "summary.json"), summary)
    return summary
