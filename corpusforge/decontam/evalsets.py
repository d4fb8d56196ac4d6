"""Evaluation sets to decontaminate against: text files, JSONL or Parquet, local or fsspec URLs.

- `.txt` (and any other suffix): one record per non-blank line;
- `.jsonl` / `.json`: one JSON object per line; each of `fields` that is present gives a record
  (a string, or each string of a list: the choices of a multiple-choice item);
- `.parquet`: the same fields, as columns.
Compressed files (`.gz`, `.bz2`, `.xz`, `.zst`) are read through fsspec's compression.
A record is named by its file and its line (or row) number, counted from 1.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass

import fsspec
import pyarrow.parquet as pq

from corpusforge import io

_COMPRESSED = (".gz", ".bz2", ".xz", ".zst")


class EvalSetError(ValueError):
    """An evaluation set that cannot be read, naming the file (and line)."""


@dataclass(frozen=True, kw_only=True)
class EvalSet:
    name: str
    paths: tuple[str, ...]
    fields: tuple[str, ...] = ("text",)


@dataclass(frozen=True)
class Record:
    file: str
    line: int
    text: str


def files_of(paths: tuple[str, ...] | list[str]) -> list[str]:
    """The files the paths and globs name (a directory: the files in it), sorted; EvalSetError
    for a pattern that matches no file."""
    found: list[str] = []
    for pattern in paths:
        matches = []
        for m in io.expand([pattern]):
            fs, p = io.fs_and_path(m)
            if fs.isdir(p):
                matches += sorted(io.join(m, f.rsplit("/", 1)[-1]) for f in fs.ls(p, detail=False) if fs.isfile(f))
            elif fs.exists(p):
                matches.append(m)
        if not matches:
            raise EvalSetError(f"{pattern!r} matches no file")
        found += matches
    return sorted(dict.fromkeys(found))


def _kind(path: str) -> str:
    name = path.lower()
    for ext in _COMPRESSED:
        name = name.removesuffix(ext)
    if name.endswith(".parquet"):
        return "parquet"
    if name.endswith((".jsonl", ".json", ".ndjson")):
        return "jsonl"
    return "text"


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def records(path: str, fields: tuple[str, ...]) -> Iterator[Record]:
    """Every record of one file, in order."""
    kind = _kind(path)
    if kind == "parquet":
        yield from _parquet_records(path, fields)
        return
    with fsspec.open(path, "rt", encoding="utf-8", compression="infer") as fh:
        for lineno, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            if kind == "text":
                yield Record(path, lineno, line.rstrip("\n"))
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise EvalSetError(f"{path}:{lineno}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict):
                raise EvalSetError(f"{path}:{lineno}: expected a JSON object")
            for f in fields:
                for text in _strings(obj.get(f)):
                    yield Record(path, lineno, text)


def _parquet_records(path: str, fields: tuple[str, ...]) -> Iterator[Record]:
    with fsspec.open(path, "rb") as fh:
        pf = pq.ParquetFile(fh)
        present = [f for f in fields if f in pf.schema_arrow.names]
        if not present:
            raise EvalSetError(f"{path}: none of the fields {list(fields)} is a column")
        row = 0
        for batch in pf.iter_batches(columns=present, batch_size=4096):
            columns = [batch.column(f).to_pylist() for f in present]
            for i in range(batch.num_rows):
                for col in columns:
                    for text in _strings(col[i]):
                        yield Record(path, row + i + 1, text)
            row += batch.num_rows


def check(evalset: EvalSet) -> int:
    """Read every record of the set (so a broken file fails at plan time); returns how many."""
    return sum(1 for f in files_of(evalset.paths) for _ in records(f, evalset.fields))


def fingerprint(evalset: EvalSet) -> str:
    """SHA-256 of the set's files (names and bytes) and fields: what decides the index.

    The plan asks for it each time it computes its hash; files unchanged since (same size and
    mtime or ETag) are not read again."""
    files = files_of(evalset.paths)
    return _fingerprint(evalset.fields, tuple((f, json.dumps(io.fingerprint(f), sort_keys=True)) for f in files))


@functools.lru_cache(maxsize=64)
def _fingerprint(fields: tuple[str, ...], files: tuple[tuple[str, str], ...]) -> str:
    digest = hashlib.sha256(json.dumps(list(fields)).encode())
    for path, _ in files:
        digest.update(path.rsplit("/", 1)[-1].encode() + b"\0")
        with fsspec.open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()
