"""Paths (local or any fsspec URL), input fingerprints, atomic Parquet and JSON writes.

A file is written to a temporary name, flushed to disk (fsync of the file and, locally, of its
directory) and renamed when complete, so a power loss cannot leave a half-written file under its
final name. Where files live inside a run's root is `rundir.RunDir`'s business, not this module's.
"""

from __future__ import annotations

import contextlib
import glob as _glob
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

LOCAL = fsspec.filesystem("file")  # the local filesystem, for fast paths that skip fsspec


def fs_and_path(url: str) -> tuple[fsspec.AbstractFileSystem, str]:
    if "://" not in url and "::" not in url:  # a plain local path: skip fsspec's URL parsing
        return LOCAL, os.path.abspath(url)
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path


def join(*parts: str) -> str:
    return "/".join(p.rstrip("/") for p in parts if p)


def expand(patterns: Iterable[str]) -> list[str]:
    """Expand local globs and fsspec globs; keeps order, drops duplicates, sorts each glob."""
    seen: dict[str, None] = {}
    for pattern in patterns:
        if "://" in pattern:
            fs, path = fs_and_path(pattern)
            protocol = pattern.split("://", 1)[0]
            matches = (
                [m if "://" in m else f"{protocol}://{m}" for m in sorted(fs.glob(path))]
                if fs.exists(path) or any(ch in path for ch in "*?[")
                else []
            )
        elif any(ch in pattern for ch in "*?["):
            matches = [os.path.abspath(m) for m in sorted(_glob.glob(pattern, recursive=True))]
        else:
            matches = [os.path.abspath(pattern)]  # absolute, so any worker can open it
        for m in matches:
            seen.setdefault(m, None)
    return list(seen)


class ShardWriter:
    """Writes one Parquet shard from batches; `commit()` makes it visible atomically.

    Batches are unified into one schema so a shard is one readable file: a column missing from a
    batch is null there, and a column first seen late widens the file (never dropped).
    """

    def __init__(self, path: str, *, compression: str = "zstd") -> None:
        self.path = path
        self.tmp = temp_name(path)
        self.compression = compression
        self.rows = 0
        self._tables: list[pa.Table] = []
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._buffered = 0

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0 and self._schema is not None:
            return
        self._tables.append(table)
        self._buffered += table.num_rows
        self.rows += table.num_rows
        if self._buffered >= 20_000:
            self._flush()

    def _flush(self) -> None:
        if not self._tables:
            return
        merged = pa.concat_tables(self._tables, promote_options="permissive")
        self._tables, self._buffered = [], 0
        if self._writer is None:
            self._open(merged.schema)
        elif not set(merged.column_names) <= set(self._schema.names):  # type: ignore[union-attr]
            self._widen(merged.schema)
        merged = _conform(merged, self._schema)  # type: ignore[arg-type]
        assert self._writer is not None
        self._writer.write_table(merged)

    def _open(self, schema: pa.Schema) -> None:
        self._schema = schema
        fs, path = fs_and_path(self.tmp)
        fs.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        self._writer = pq.ParquetWriter(path, schema, compression=self.compression, filesystem=fs)

    def _widen(self, incoming: pa.Schema) -> None:
        """A column first seen after the first flush: rewrite what was written with the wider schema
        (rare: the file so far is read back once), so no column is ever dropped."""
        assert self._writer is not None and self._schema is not None
        self._writer.close()
        written = read_table(self.tmp)
        wider = pa.unify_schemas([self._schema, incoming], promote_options="permissive")
        old_tmp, self.tmp = self.tmp, temp_name(self.path)
        self._open(wider)
        assert self._writer is not None
        self._writer.write_table(_conform(written, wider))
        fs, p = fs_and_path(old_tmp)
        fs.rm(p)

    def commit(self) -> bool:
        """Finish the file and rename it into place. False when nothing was ever written."""
        return self.finish() and self.publish()

    def finish(self) -> bool:
        """Write what is buffered and flush the temporary file to disk; False when it is empty.

        A writer of several files (a partitioned sink) finishes them all, then publishes them."""
        self._flush()
        if self._writer is None:
            return False
        self._writer.close()
        fs, tmp = fs_and_path(self.tmp)
        if fs is LOCAL:
            fsync_file(tmp)
        return True

    def publish(self) -> bool:
        """Rename the finished temporary file to its name (and make the rename durable)."""
        fs, tmp = fs_and_path(self.tmp)
        _, final = fs_and_path(self.path)
        fs.mv(tmp, final)
        if fs is LOCAL:
            fsync_dir(os.path.dirname(final))
        return True

    def abort(self) -> None:
        if self._writer is not None:
            with contextlib.suppress(Exception):  # closing a writer that already failed
                self._writer.close()
        fs, tmp = fs_and_path(self.tmp)
        if fs.exists(tmp):
            fs.rm(tmp)


def _conform(table: pa.Table, target: pa.Schema) -> pa.Table:
    """Cast `table` to `target`, filling columns it lacks with nulls and dropping extras."""
    cols = []
    for f in target:
        if f.name in table.column_names:
            col = table.column(f.name)
            cols.append(col if col.type == f.type else col.cast(f.type))
        else:
            cols.append(pa.nulls(table.num_rows, f.type))
    return pa.Table.from_arrays(cols, schema=target)


def read_parquet_batches(path: str, *, batch_size: int = 1000, columns: list[str] | None = None) -> Iterator[pa.Table]:
    fs, p = fs_and_path(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
            yield pa.Table.from_batches([batch])


def row_count(path: str) -> int:
    """Rows of a Parquet file, from its footer (no data read)."""
    fs, p = fs_and_path(path)
    with fs.open(p, "rb") as fh:
        return int(pq.ParquetFile(fh).metadata.num_rows)


def read_table(path: str, columns: list[str] | None = None) -> pa.Table:
    fs, p = fs_and_path(path)
    return pq.read_table(p, filesystem=fs, columns=columns)


def temp_name(path: str) -> str:
    """Where a file is written before it is renamed to `path`: `{path}.tmp-XXXXXXXX`, which a
    resumed run recognises and removes (`RunDir.remove_stale_tmp`)."""
    return f"{path}.tmp-{uuid.uuid4().hex[:8]}"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary local path to write `path` through: when the block ends without error the file is
    flushed to disk and renamed to `path` (durably); on error it is removed. The one way this package
    writes a local file atomically (fsspec paths: `ShardWriter`, `write_json_atomic`).

    >>> with atomic_path("out/train.bin") as tmp:  # doctest: +SKIP
    ...     np.save(tmp, array)
    """
    final = os.fspath(path)
    tmp = temp_name(final)
    os.makedirs(os.path.dirname(final) or ".", exist_ok=True)
    try:
        yield tmp
        commit_local(tmp, final)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def commit_local(written: str | os.PathLike[str], final: str | os.PathLike[str]) -> None:
    """Make the local file or directory `written` durable and rename it to `final` (a directory
    already at `final` is replaced). `atomic_path`'s last step, for writers that must name their own
    in-progress file (a crawl's `.open` WARC, a checkpoint directory several ranks write into)."""
    written, final = os.fspath(written), os.fspath(final)
    if os.path.isdir(written):
        for folder, _, files in os.walk(written):
            for name in files:
                fsync_file(os.path.join(folder, name))
            fsync_dir(folder)
        if os.path.isdir(final):
            shutil.rmtree(final)
    else:
        fsync_file(written)
    os.replace(written, final)
    fsync_dir(os.path.dirname(final))


def write_json_atomic(path: str, obj: Any) -> None:
    fs, p = fs_and_path(path)
    text = json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False)
    if fs is LOCAL:  # done markers and stats are many small files: skip fsspec's layers
        with atomic_path(p) as tmp, open(tmp, "w", encoding="utf-8") as fh:
            fh.write(text)
        return
    tmp = temp_name(p)
    fs.makedirs(os.path.dirname(p) or ".", exist_ok=True)
    with fs.open(tmp, "w", encoding="utf-8") as fh:
        fh.write(text)
    fs.mv(tmp, p)


def read_json(path: str) -> Any:
    fs, p = fs_and_path(path)
    with fs.open(p, "r", encoding="utf-8") as fh:
        return json.load(fh)


def exists(path: str) -> bool:
    fs, p = fs_and_path(path)
    return bool(fs.exists(p))


def file_size(path: str) -> int:
    """Bytes of a file (0 when it cannot be asked: a size is for the profile, never worth a failure)."""
    fs, p = fs_and_path(path)
    try:
        return os.path.getsize(p) if fs is LOCAL else int(fs.size(p) or 0)
    except (OSError, ValueError):
        return 0


def remove_tree(path: str) -> None:
    fs, p = fs_and_path(path)
    if fs.exists(p):
        fs.rm(p, recursive=True)


def fsync_file(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: str) -> None:
    """Make a rename in `path` durable (POSIX: the directory entry is data of the directory)."""
    try:
        fd = os.open(path or ".", os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some filesystems refuse fsync on a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


def fingerprint(path: str) -> dict[str, Any]:
    """What identifies the content of an input file without reading it: size and mtime (ns), or
    the ETag where object storage gives one."""
    fs, p = fs_and_path(path)
    if fs is LOCAL:
        st = os.stat(p)
        return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
    info = fs.info(p)
    out: dict[str, Any] = {"size": int(info.get("size") or 0)}
    etag = info.get("ETag") or info.get("etag")
    if etag:
        out["etag"] = str(etag).strip('"')
    else:
        mtime = info.get("LastModified") or info.get("mtime") or info.get("last_modified") or info.get("created")
        if mtime is not None:
            out["mtime"] = str(mtime)
    return out
