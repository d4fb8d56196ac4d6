"""Spill files: Parquet tables and numpy arrays on any fsspec path, written atomically."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq


def join(*parts: str) -> str:
    return "/".join(p.rstrip("/") for p in parts if p)


def _fs(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


@contextlib.contextmanager
def atomic(url: str) -> Iterator[tuple[fsspec.AbstractFileSystem, str]]:
    """(filesystem, temporary path) to write `url` through: renamed to `url` when the block ends,
    removed on error, so readers never see half a file. (`dedup` imports nothing from corpusforge,
    so this is its own copy of `corpusforge.io.atomic_path`.)"""
    fs, path = _fs(url)
    fs.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    tmp = f"{path}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        yield fs, tmp
    except BaseException:
        if fs.exists(tmp):
            fs.rm(tmp)
        raise
    fs.mv(tmp, path)


def write_table(url: str, table: pa.Table) -> None:
    with atomic(url) as (fs, tmp):
        pq.write_table(table, tmp, filesystem=fs, compression="zstd")


def read_table(url: str, columns: list[str] | None = None) -> pa.Table:
    fs, path = _fs(url)
    return pq.read_table(path, filesystem=fs, columns=columns)


def read_dir(url: str, schema: pa.Schema) -> pa.Table:
    """Concatenate every *.parquet file of a directory (zero rows of `schema` when none)."""
    fs, path = _fs(url)
    if not fs.exists(path):
        return schema.empty_table()
    files = sorted(p for p in fs.ls(path, detail=False) if p.endswith(".parquet"))
    tables = [pq.read_table(f, filesystem=fs, schema=schema) for f in files]
    return pa.concat_tables(tables) if tables else schema.empty_table()


def write_array(url: str, array: np.ndarray) -> None:
    with atomic(url) as (fs, tmp), fs.open(tmp, "wb") as fh:
        np.save(fh, array, allow_pickle=False)


def write_rows(url: str, parts: Iterable[np.ndarray], *, rows: int, cols: int, dtype: Any) -> None:
    """Write a (rows, cols) .npy file from row blocks, never holding the whole array (atomic)."""
    dt = np.dtype(dtype)
    header = {"descr": np.lib.format.dtype_to_descr(dt), "fortran_order": False, "shape": (rows, cols)}
    written = 0
    with atomic(url) as (fs, tmp):
        with fs.open(tmp, "wb") as fh:
            np.lib.format.write_array_header_1_0(fh, header)
            for part in parts:
                block = np.ascontiguousarray(part, dtype=dt).reshape(-1, cols)
                fh.write(block.tobytes())
                written += len(block)
        if written != rows:
            raise ValueError(f"write_rows: {written} rows written, {rows} announced")


def read_array(url: str) -> np.ndarray:
    """Memory-mapped when local (only the rows used are paged in), else read whole."""
    from fsspec.implementations.local import LocalFileSystem

    fs, path = _fs(url)
    if isinstance(fs, LocalFileSystem):
        return np.load(path, mmap_mode="r", allow_pickle=False)
    with fs.open(path, "rb") as fh:
        return np.load(fh, allow_pickle=False)


def write_json(url: str, obj: Any) -> None:
    with atomic(url) as (fs, tmp), fs.open(tmp, "w", encoding="utf-8") as fh:
        json.dump(obj, fh, indent=1, sort_keys=True)


def read_json(url: str) -> Any:
    fs, path = _fs(url)
    with fs.open(path, "r", encoding="utf-8") as fh:
        return json.load(fh)


def exists(url: str) -> bool:
    fs, path = _fs(url)
    return bool(fs.exists(path))
