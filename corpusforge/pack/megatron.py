"""Megatron-LM `.bin/.idx` (MMapIndexedDataset) next to a pack, without copying tokens.

Megatron reads `{prefix}.bin` (flat token ids) and `{prefix}.idx`; our `{split}.bin` already is
such a file, so writing `{split}.idx` makes `{out}/{split}` a Megatron prefix. Each document is
one sequence. uint32 packs are declared int32 (Megatron has no uint32; ids < 2**31 read the same).

Index layout (little-endian): b"MMIDIDX\\x00\\x00", version u64 = 1, dtype code u8 (uint16 = 8,
int32 = 4), sequence count u64, document count u64 (sequences + 1), sequence lengths i32[],
sequence byte offsets i64[], document starts i64[] (0..n).
"""

from __future__ import annotations

import struct
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from corpusforge import io

HEADER = b"MMIDIDX\x00\x00"
DTYPE_CODES = {"uint16": 8, "uint32": 4}  # uint32 ids are read by Megatron as int32
ITEM_SIZE = {"uint16": 2, "uint32": 4}


def write_index(out: str | Path, split: str, *, dtype: str) -> Path:
    """Write `{out}/{split}.idx` for `{out}/{split}.bin`; cost: reads the split's Parquet index only."""
    out_dir = Path(out)
    index = pq.read_table(out_dir / f"{split}.idx.parquet", columns=["offset", "length"])
    lengths = index.column("length").to_numpy().astype(np.int64)
    if len(lengths) and lengths.max() >= 2**31:
        raise ValueError("a document longer than 2**31 tokens cannot be a Megatron sequence")
    pointers = index.column("offset").to_numpy().astype(np.int64) * ITEM_SIZE[dtype]
    n = len(lengths)
    target = out_dir / f"{split}.idx"
    with io.atomic_path(target) as tmp, open(tmp, "wb") as fh:
        fh.write(HEADER)
        fh.write(struct.pack("<Q", 1))
        fh.write(struct.pack("<B", DTYPE_CODES[dtype]))
        fh.write(struct.pack("<Q", n))
        fh.write(struct.pack("<Q", n + 1))
        fh.write(lengths.astype("<i4").tobytes())
        fh.write(pointers.astype("<i8").tobytes())
        fh.write(np.arange(n + 1, dtype="<i8").tobytes())
    return target


def read_index(path: str | Path) -> tuple[int, np.ndarray, np.ndarray, np.ndarray]:
    """(dtype code, sequence lengths, byte offsets, document starts) of a Megatron `.idx` file."""
    data = Path(path).read_bytes()
    if not data.startswith(HEADER):
        raise ValueError(f"{path}: not a Megatron MMIDIDX index")
    pos = len(HEADER)
    (version,) = struct.unpack_from("<Q", data, pos)
    (code,) = struct.unpack_from("<B", data, pos + 8)
    n, docs = struct.unpack_from("<QQ", data, pos + 9)
    if version != 1:
        raise ValueError(f"{path}: index version {version}, expected 1")
    pos += 9 + 16
    lengths = np.frombuffer(data, dtype="<i4", count=n, offset=pos)
    pointers = np.frombuffer(data, dtype="<i8", count=n, offset=pos + 4 * n)
    doc_idx = np.frombuffer(data, dtype="<i8", count=docs, offset=pos + 12 * n)
    return int(code), lengths, pointers, doc_idx
