"""Phase 2 of packing: from per-shard partial streams to the final `{split}.bin` + `{split}.idx.parquet`.

Per split, documents are listed from every shard index, train documents repeated by their mixture
copies, and put in one seeded permutation (document-level shuffle: a document's tokens stay
contiguous). Tokens are then gathered from the shard files (memmaps) in that order. The output
depends only on the inputs, the tokenizer and the options, not on the number of workers.

Cost: reads every token once more and writes it once; memory is one chunk of documents plus the
index (~50 bytes per document).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge import io
from corpusforge.pack.shard_tokens import PackOptions, work_paths

SPLITS = ("train", "val")
_GATHER_DOCS = 8192  # documents copied per write


def load_work_index(results: list[dict[str, Any]], workdir: str) -> pa.Table:
    """All shards' document rows, with `shard` (position in `results`) and `source` (shard path)."""
    tables = []
    for pos, r in enumerate(results):
        _, idx_path, _ = work_paths(workdir, r["index"])
        t = pq.read_table(idx_path)
        t = t.append_column("shard", pa.array(np.full(t.num_rows, pos, dtype=np.int32)))
        tables.append(t.append_column("source", pa.array([r["shard"]] * t.num_rows, pa.string())))
    return pa.concat_tables(tables)


def stream_order(index: pa.Table, split: str, *, seed: int) -> pa.Table:
    """The split's rows in final stream order: mixture repeats, then one seeded permutation."""
    rows = index.filter(pc.equal(index.column("split"), split))
    copies = rows.column("copies").to_numpy()
    repeated = np.repeat(np.arange(rows.num_rows), copies)
    rng = np.random.default_rng([seed, SPLITS.index(split)])
    return rows.take(pa.array(repeated[rng.permutation(len(repeated))]))


def write_split(
    ordered: pa.Table, *, results: list[dict[str, Any]], workdir: str, out: Path, split: str, dtype: np.dtype
) -> dict[str, Any]:
    """Write `{split}.bin` and `{split}.idx.parquet` atomically; return the split's counts."""
    streams = [_open_stream(work_paths(workdir, r["index"])[0], dtype) for r in results]
    shard = ordered.column("shard").to_numpy()
    src_off = ordered.column("offset").to_numpy()
    length = ordered.column("length").to_numpy()
    offsets = np.concatenate([[0], np.cumsum(length)[:-1]]).astype(np.int64) if len(length) else np.zeros(0, np.int64)
    index = pa.table(
        {
            "offset": pa.array(offsets, pa.int64()),
            "length": pa.array(length, pa.int64()),
            "lang_tag": ordered.column("lang_tag"),
            "source": ordered.column("source"),
            "doc_id": ordered.column("doc_id"),
        }
    )
    # Both files are on disk before either gets its name.
    with io.atomic_path(out / f"{split}.bin") as bin_tmp, io.atomic_path(out / f"{split}.idx.parquet") as idx_tmp:
        with open(bin_tmp, "wb") as fh:
            for start in range(0, len(length), _GATHER_DOCS):
                stop = start + _GATHER_DOCS
                pieces = [
                    streams[s][o : o + n]
                    for s, o, n in zip(shard[start:stop], src_off[start:stop], length[start:stop], strict=True)
                ]
                fh.write(np.concatenate(pieces).astype(dtype, copy=False).tobytes())
        pq.write_table(index, idx_tmp)
    return {
        "tokens": int(length.sum()),
        "documents": int(len(length)),
        "tokens_by_lang": _sum_by(index, "lang_tag"),
        "documents_by_lang": _count_by(index, "lang_tag"),
        "files": [f"{split}.bin", f"{split}.idx.parquet"],
    }


def assemble(results: list[dict[str, Any]], *, workdir: str, out: Path, dtype: str, options: PackOptions) -> dict:
    """Write every split; returns {"splits": ..., "tokens_by_source": ..., "corpus_tokens_by_lang": ...}."""
    index = load_work_index(results, workdir)
    np_dtype = np.dtype(dtype).newbyteorder("<")
    splits = {
        split: write_split(
            stream_order(index, split, seed=options.seed),
            results=results,
            workdir=workdir,
            out=out,
            split=split,
            dtype=np_dtype,
        )
        for split in SPLITS
    }
    return {
        "splits": splits,
        "tokens_by_source": _sum_by(index, "source"),
        "corpus_tokens_by_lang": _sum_by(index, "lang_tag"),
    }


def _open_stream(path: Path, dtype: np.dtype) -> np.ndarray:
    if path.stat().st_size == 0:  # np.memmap refuses empty files
        return np.zeros(0, dtype=dtype)
    return np.memmap(path, dtype=dtype, mode="r")


def _sum_by(table: pa.Table, key: str) -> dict[str, int]:
    if table.num_rows == 0:
        return {}
    grouped = table.group_by(key).aggregate([("length", "sum")]).to_pydict()
    return dict(sorted(zip(grouped[key], (int(v) for v in grouped["length_sum"]), strict=True)))


def _count_by(table: pa.Table, key: str) -> dict[str, int]:
    if table.num_rows == 0:
        return {}
    grouped = table.group_by(key).aggregate([("length", "count")]).to_pydict()
    return dict(sorted(zip(grouped[key], (int(v) for v in grouped["length_count"]), strict=True)))
