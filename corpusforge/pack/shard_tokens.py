"""Phase 1 of packing: tokenise one Parquet shard into a partial stream and its document index.

Each document becomes `BOS + ids + EOS` (ids without other specials). A shard's output is
`{work}/shard-{i:05d}.bin` (flat ids) and `{work}/shard-{i:05d}.idx.parquet` (offset, length,
lang_tag, doc_id, split, copies), then `shard-{i:05d}.json` (counts) written last: a shard whose
marker exists is done, so an interrupted pack resumes where it stopped.

The split and the mixture copies are decided here from the document's content hash and the seed,
so they do not depend on shard order or on how many workers ran.
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

from corpusforge import io
from corpusforge.pack import tokenizer as tk
from corpusforge.pack.sources import read_docs

SKIP_EMPTY = "pack:empty"
SKIP_TOO_LONG = "pack:too_long"
_SPLIT_SALT, _MIX_SALT = 0x51, 0x3A  # different hashes for the split and the mixture decisions


@dataclass(frozen=True, kw_only=True)
class PackOptions:
    """What decides the packed output besides the inputs and the tokenizer."""

    seq_len: int = 2048
    seed: int = 0
    val_fraction: float = 0.01
    mixture: dict[str, float] = field(default_factory=dict)  # lang_tag -> weight; absent tags weigh 1.0
    max_doc_tokens: int = 1_000_000
    batch_size: int = 2048

    def as_json(self) -> dict[str, Any]:
        return {
            "seq_len": self.seq_len,
            "seed": self.seed,
            "val_fraction": self.val_fraction,
            "mixture": dict(sorted(self.mixture.items())),
            "max_doc_tokens": self.max_doc_tokens,
        }


@dataclass(frozen=True, kw_only=True)
class ShardJob:
    index: int
    shard: str
    tokenizer_file: str
    tokenizer_sha256: str
    workdir: str
    dtype: str
    options: PackOptions
    threads: int | None = None  # tokenizer threads in this worker; None = all cores
    split: str | None = None  # "train" or "val" for every document of the shard; None: by hash (val_fraction)


def work_paths(workdir: str, index: int) -> tuple[Path, Path, Path]:
    base = Path(workdir) / f"shard-{index:05d}"
    return base.with_suffix(".bin"), base.with_suffix(".idx.parquet"), base.with_suffix(".json")


@functools.lru_cache(maxsize=2)
def _tokenizer(file: str, sha256: str) -> tk.LoadedTokenizer:
    loaded = tk.load(file)
    if loaded.sha256 != sha256:  # the file changed under a running pack
        raise tk.TokenizerError(f"{file} changed while packing (sha256 {loaded.sha256}, expected {sha256})")
    return loaded


def split_of(text: str, *, seed: int, val_fraction: float) -> str:
    u = xxhash.xxh64_intdigest(text.encode("utf-8"), seed=seed ^ _SPLIT_SALT) / 2.0**64
    return "val" if u < val_fraction else "train"


def copies_of(text: str, weight: float, *, seed: int) -> int:
    """How many times a train document appears: floor(weight), plus one with prob. frac(weight)."""
    whole = math.floor(weight)
    u = xxhash.xxh64_intdigest(text.encode("utf-8"), seed=seed ^ _MIX_SALT) / 2.0**64
    return whole + (1 if u < weight - whole else 0)


def tokenize_shard(job: ShardJob) -> dict[str, Any]:
    """Tokenise one shard (skipping it when already done); returns its counts.

    Cost: one read of text/lang_tag/id, one `encode_batch_fast` per batch (no offsets kept),
    one write of the ids. Memory: the shard's ids (4 or 2 bytes per token) plus one batch.
    """
    bin_path, idx_path, marker = work_paths(job.workdir, job.index)
    if marker.exists():
        return io.read_json(str(marker))
    if job.threads:
        os.environ.setdefault("RAYON_NUM_THREADS", str(job.threads))
        os.environ.setdefault("RAYON_RS_NUM_CPUS", str(job.threads))
    loaded = _tokenizer(job.tokenizer_file, job.tokenizer_sha256)
    opts = job.options
    dtype = np.dtype(job.dtype).newbyteorder("<")
    skipped: dict[str, int] = {}
    rows: dict[str, list[Any]] = {k: [] for k in ("offset", "length", "lang_tag", "doc_id", "split", "copies")}
    chunks: list[np.ndarray] = []
    offset = 0
    for batch in read_docs(job.shard, batch_size=opts.batch_size):
        keep = [i for i, t in enumerate(batch.texts) if t]
        skipped[SKIP_EMPTY] = skipped.get(SKIP_EMPTY, 0) + len(batch.texts) - len(keep)
        texts: list[str] = [t for t in batch.texts if t]
        encodings = loaded.tokenizer.encode_batch_fast(texts, add_special_tokens=False)
        flat: list[int] = []
        for i, text, enc in zip(keep, texts, encodings, strict=True):
            ids = enc.ids
            length = len(ids) + 2
            if length > opts.max_doc_tokens:
                skipped[SKIP_TOO_LONG] = skipped.get(SKIP_TOO_LONG, 0) + 1
                continue
            flat.append(loaded.bos_id)
            flat.extend(ids)
            flat.append(loaded.eos_id)
            split = job.split or split_of(text, seed=opts.seed, val_fraction=opts.val_fraction)
            tag = batch.tags[i]
            rows["offset"].append(offset)
            rows["length"].append(length)
            rows["lang_tag"].append(tag)
            rows["doc_id"].append(batch.ids[i])
            rows["split"].append(split)
            rows["copies"].append(1 if split == "val" else copies_of(text, opts.mixture.get(tag, 1.0), seed=opts.seed))
            offset += length
        if flat:
            chunks.append(np.array(flat, dtype=dtype))
    return _commit(job, bin_path, idx_path, marker, chunks, rows, skipped)


def _commit(
    job: ShardJob,
    bin_path: Path,
    idx_path: Path,
    marker: Path,
    chunks: list[np.ndarray],
    rows: dict[str, list[Any]],
    skipped: dict[str, int],
) -> dict[str, Any]:
    with io.atomic_path(bin_path) as tmp, open(tmp, "wb") as fh:
        for c in chunks:
            fh.write(c.tobytes())
    table = pa.table(
        {
            "offset": pa.array(rows["offset"], pa.int64()),
            "length": pa.array(rows["length"], pa.int64()),
            "lang_tag": pa.array(rows["lang_tag"], pa.string()),
            "doc_id": pa.array(rows["doc_id"], pa.string()),
            "split": pa.array(rows["split"], pa.string()),
            "copies": pa.array(rows["copies"], pa.int32()),
        }
    )
    with io.atomic_path(idx_path) as tmp_idx:
        pq.write_table(table, tmp_idx)
    result = {
        "index": job.index,
        "shard": job.shard,
        "documents": table.num_rows,
        "tokens": int(sum(rows["length"])),
        "skipped": {k: v for k, v in skipped.items() if v},
        "tokenizer_sha256": job.tokenizer_sha256,
    }
    io.write_json_atomic(str(marker), result)
    return result
