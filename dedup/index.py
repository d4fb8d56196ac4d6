"""A persisted dedup index: the keys (band hashes or exact hashes) of the documents a run kept.

Layout: `index.json` (the spec fingerprint and a generation number), `keys/p=<partition>/`
(same partitioning as a run, so a new run reads one index partition per cluster task),
`docs.parquet` (key -> document id, to name clusters) and, for MinHash, `sig.npy` (the
signatures, so that matches against the index are verified on their estimated Jaccard). A new run given `index_in` clusters its
documents together with the index; documents matching the index are duplicates (the indexed
copy was already published), and `index_out` then holds the old keys plus the new run's kept
documents: deduplicating crawl after crawl, last year's corpus included, costs one partition
read per cluster task. Index keys are negative: -(1 + (generation << 52 | shard << 32 | row)).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from dedup import store
from dedup.partitioned import KEYS, DedupSpec, _part_dir

INDEX_DOCS = pa.schema([("doc", pa.int64()), ("id", pa.string())])
MAX_GENERATION = (1 << 11) - 1


class IndexMismatch(ValueError):
    """The index was built with other parameters than this run."""


def check(spec: DedupSpec, index_dir: str) -> dict[str, Any]:
    """The index's description; raises IndexMismatch when its fingerprint differs from `spec`."""
    info = store.read_json(store.join(index_dir, "index.json"))
    want = spec.fingerprint()
    if info.get("fingerprint") != want:
        raise IndexMismatch(f"index {index_dir} was built with {info.get('fingerprint')}, this run uses {want}")
    return info


def to_index_keys(docs: np.ndarray, generation: int) -> np.ndarray:
    if not 0 < generation <= MAX_GENERATION:
        raise ValueError(f"index generation must be in 1..{MAX_GENERATION}")
    return -(np.int64(1) + ((np.int64(generation) << np.int64(52)) | docs))


def write_partition(task: tuple[DedupSpec, str, int, str | None, str, int]) -> int:
    """Index partition p = the old index's keys + this run's keys of kept documents."""
    spec, workdir, p, index_in, index_out, generation = task
    keys = store.read_dir(_part_dir(workdir, p), KEYS)
    dups = store.read_table(store.join(workdir, "dups.parquet")).column("doc").to_numpy()
    doc = keys.column("doc").to_numpy()
    kept = keys.filter(pa.array(~np.isin(doc, dups)))
    kept = kept.set_column(3, "doc", pa.array(to_index_keys(kept.column("doc").to_numpy(), generation)))
    parts = [kept]
    if index_in:
        parts.insert(0, store.read_dir(_part_dir(index_in, p), KEYS))
    table = pa.concat_tables(parts)
    store.write_table(store.join(_part_dir(index_out, p), "part.parquet"), table)
    return table.num_rows


def write_docs(
    spec: DedupSpec, workdir: str, *, shards: list[int], index_in: str | None, index_out: str, generation: int
) -> int:
    """docs.parquet (ids, old ones first) and sig.npy, streamed shard by shard. Returns the count.

    Row i of sig.npy is the signature of docs.parquet row i: index matches are verified on it.
    Memory: one shard's ids and signatures (and one block of the old index), not the index.
    """
    import pyarrow.parquet as pq

    dups = store.read_table(store.join(workdir, "dups.parquet")).column("doc").to_numpy()
    kept: dict[int, np.ndarray] = {}
    for shard in shards:
        doc = store.read_table(store.join(workdir, "meta", f"{shard:05d}.parquet"), columns=["doc"]).column("doc")
        kept[shard] = ~np.isin(doc.to_numpy(), dups)
    old_rows = int(store.read_json(store.join(index_in, "index.json"))["documents"]) if index_in else 0
    total = old_rows + int(sum(k.sum() for k in kept.values()))

    with (
        store.atomic(store.join(index_out, "docs.parquet")) as (fs, tmp),
        fs.open(tmp, "wb") as fh,
        pq.ParquetWriter(fh, INDEX_DOCS, compression="zstd") as writer,
    ):
        if index_in:
            ofs, opath = store._fs(store.join(index_in, "docs.parquet"))
            with ofs.open(opath, "rb") as ofh:
                for batch in pq.ParquetFile(ofh).iter_batches(batch_size=1 << 16):
                    writer.write_table(pa.Table.from_batches([batch]).cast(INDEX_DOCS))
        for shard in shards:
            meta = store.read_table(store.join(workdir, "meta", f"{shard:05d}.parquet"), columns=["doc", "id"])
            meta = meta.filter(pa.array(kept[shard]))
            keys = to_index_keys(meta.column("doc").to_numpy(), generation)
            writer.write_table(pa.table({"doc": keys, "id": meta.column("id")}, schema=INDEX_DOCS))
    if spec.mode == "minhash":

        def blocks():
            if index_in:
                old_sig = store.read_array(store.join(index_in, "sig.npy"))
                for i in range(0, len(old_sig), 1 << 16):
                    yield np.asarray(old_sig[i : i + (1 << 16)])
            for shard in shards:
                yield np.asarray(store.read_array(store.join(workdir, "sig", f"{shard:05d}.npy")))[kept[shard]]

        store.write_rows(
            store.join(index_out, "sig.npy"), blocks(), rows=total, cols=spec.minhash.num_perm, dtype=np.uint32
        )
    store.write_json(
        store.join(index_out, "index.json"),
        {"fingerprint": spec.fingerprint(), "generation": generation, "documents": total},
    )
    return total
