"""`write.parquet.v1`: the final Parquet shards, optionally partitioned by a column, with a manifest.

Files: `{path}/part-{shard:05d}-{k:04d}.parquet`, or with `partition_by = "lang_tag"`
`{path}/ca-valencia/part-{shard:05d}-{k:04d}.parquet`: one folder per value, and the column kept
in the files (the FineWeb-2 layout). Every reader then opens the folder as one dataset with the
column in it: `pq.read_table`, `pyarrow.dataset` (with or without hive partitioning), polars
`read_parquet("write/")`, DuckDB and HF `load_dataset("parquet", data_dir=...)`. (Hive folders
`lang_tag=xx` would make pyarrow infer a dictionary column that clashes with the string in the
files, and HF datasets ignores them.) Types only Arrow knows become portable ones: a map column
(`lang_mix`) is written as a list of {key, value} structs, which HF datasets reads.

Nothing but data lives in the folder: each shard's manifest goes to the sink's bookkeeping folder
(`{root}/_sinks/{node}/shards/`), merged into `{root}/_sinks/{node}/manifest.json` by `finalize`
once every shard has committed, so concurrent shards never race on it. Files are written under
temporary names, flushed to disk, and renamed on commit.
"""

from __future__ import annotations

import json
import os
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from corpusforge import io, schema
from corpusforge.registry import register
from corpusforge.stage import ShardOutput, Sink, StageConfig

NULL_PARTITION = "null"


class WriteConfig(StageConfig):
    path: str | None = Field(
        None,
        description="output directory or fsspec URL (default: the node's directory; relative: under the run's root)",
        json_schema_extra={"output_path": True},
    )
    partition_by: str | None = Field(None, description="column whose values name sub-directories (kept in the files)")
    compression: str = Field("zstd", description="Parquet compression codec")
    max_rows_per_file: int = Field(100_000, gt=0, description="start a new file after this many rows")


def partition_dir(value: Any) -> str:
    return NULL_PARTITION if value is None else quote(str(value), safe="-_.")


def portable(table: pa.Table) -> pa.Table:
    """`table` with map columns as list<struct<key, value>>: the same data, in types that every
    Parquet reader (HF datasets included) understands."""
    for i, field in enumerate(table.schema):
        if pa.types.is_map(field.type):
            chunks = []
            for chunk in table.column(i).chunks:
                entries = pa.StructArray.from_arrays([chunk.keys, chunk.items], names=["key", "value"])
                chunks.append(pa.ListArray.from_arrays(chunk.offsets, entries, mask=chunk.is_null()))
            list_type = pa.list_(pa.struct([("key", field.type.key_type), ("value", field.type.item_type)]))
            table = table.set_column(i, field.name, pa.chunked_array(chunks, type=list_type))
    return table


def from_portable(table: pa.Table) -> pa.Table:
    """The inverse of `portable` for the map columns of the document contract (`schema.TYPES`, e.g.
    `lang_mix`): a final shard's rows with the types they had in the pipeline, so they concatenate
    with rows that never met the sink (rejected/, a kept intermediate node)."""
    for i, field in enumerate(table.schema):
        want = schema.TYPES.get(field.name)
        if want is None or not pa.types.is_map(want) or not pa.types.is_list(field.type):
            continue
        chunks = [
            pa.MapArray.from_arrays(c.offsets, c.values.field("key").cast(want.key_type),
                                    c.values.field("value").cast(want.item_type), mask=c.is_null())
            for c in table.column(i).chunks
        ]  # fmt: skip
        table = table.set_column(i, field.name, pa.chunked_array(chunks, type=want))
    return table


class ParquetShard(ShardOutput):
    """Buffers one shard's rows per partition and writes files of at most `max_rows` rows."""

    def __init__(self, *, base: str, meta_dir: str, shard: int, config: WriteConfig) -> None:
        self.base, self.meta_dir, self.shard, self.config = base, meta_dir, shard, config
        self._open: dict[str, io.ShardWriter] = {}  # partition -> the file being filled
        self._done: list[tuple[io.ShardWriter, dict[str, Any]]] = []  # finished files, not yet published
        self._counts: dict[str, int] = {}  # files started per partition
        self._columns: list[str] = []
        self._remove_previous_attempt()

    def _remove_previous_attempt(self) -> None:
        """A shard rerun after a kill starts clean: its old files and temp files go."""
        fs, base = io.fs_and_path(self.base)
        prefix = f"part-{self.shard:05d}-"
        if fs is io.LOCAL:  # the same search as below without fsspec's glob (a run has many shards)
            if not os.path.isdir(base):
                return
            dirs = [base, *(e.path for e in os.scandir(base) if e.is_dir())]
            for d in dirs:
                for entry in os.scandir(d):
                    if entry.name.startswith(prefix):
                        os.remove(entry.path)
            return
        if not fs.exists(base):
            return
        for pattern in (f"{prefix}*", f"*/{prefix}*"):
            for p in fs.glob(f"{base}/{pattern}"):
                fs.rm(p)

    def write(self, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        table = portable(table)
        if not self._columns:
            self._columns = table.column_names
        col = self.config.partition_by
        if col is None:
            self._add("", table)
            return
        if col not in table.column_names:
            raise KeyError(f"write.parquet.v1: partition_by column {col!r} is not in the table")
        for value in pc.unique(table.column(col)).to_pylist():
            mask = pc.is_null(table.column(col)) if value is None else pc.equal(table.column(col), value)
            self._add(partition_dir(value), table.filter(mask))

    def _add(self, part: str, table: pa.Table) -> None:
        limit = self.config.max_rows_per_file
        while table.num_rows:
            writer = self._open.get(part) or self._start(part)
            room = limit - writer.rows
            writer.write(table.slice(0, room))
            table = table.slice(room)
            if writer.rows >= limit:
                self._finish(part)

    def _start(self, part: str) -> io.ShardWriter:
        k = self._counts.get(part, 0)
        self._counts[part] = k + 1
        rel = io.join(part, f"part-{self.shard:05d}-{k:04d}.parquet")
        writer = io.ShardWriter(io.join(self.base, rel), compression=self.config.compression)
        writer.relative = rel  # type: ignore[attr-defined]
        self._open[part] = writer
        return writer

    def _finish(self, part: str) -> None:
        writer = self._open.pop(part)
        if writer.finish():
            info = {"path": writer.relative, "partition": part, "rows": writer.rows}  # type: ignore[attr-defined]
            self._done.append((writer, info))

    def commit(self) -> int:
        for part in list(self._open):
            self._finish(part)
        for writer, _ in self._done:  # every file is on disk before any becomes visible
            writer.publish()
        files = [info for _, info in self._done]
        rows = sum(f["rows"] for f in files)
        shard_manifest = {"shard": self.shard, "rows": rows, "columns": self._columns, "files": files}
        io.write_json_atomic(io.join(self.meta_dir, "shards", f"shard-{self.shard:05d}.json"), shard_manifest)
        return rows

    def abort(self) -> None:
        for writer in [*self._open.values(), *(w for w, _ in self._done)]:
            writer.abort()


def rebuild_manifest(meta_dir: str, *, partition_by: str | None = None) -> dict[str, Any]:
    """Merge the per-shard manifests under `meta_dir` into `meta_dir/manifest.json`; safe to call any time."""
    fs, p = io.fs_and_path(io.join(meta_dir, "shards"))
    shards = [json.loads(fs.cat_file(f)) for f in sorted(fs.glob(f"{p}/shard-*.json"))] if fs.exists(p) else []
    columns: list[str] = next((s["columns"] for s in shards if s["columns"]), [])
    files = sorted((f for s in shards for f in s["files"]), key=lambda f: f["path"])
    by_partition: dict[str, int] = {}
    for f in files:
        by_partition[f["partition"]] = by_partition.get(f["partition"], 0) + f["rows"]
    manifest = {
        "format": "parquet",
        "partition_by": partition_by,
        "shards": len(shards),
        "rows": sum(s["rows"] for s in shards),
        "columns": columns,
        "rows_by_partition": by_partition if partition_by else {},
        "files": files,
    }
    io.write_json_atomic(io.join(meta_dir, "manifest.json"), manifest)
    return manifest


@register
class WriteParquet(Sink):
    """Write the final documents as zstd Parquet files (optionally one folder per value of a column)."""

    name = "write.parquet.v1"
    Config = WriteConfig
    reason_family = "write"
    config: WriteConfig

    def open_shard(self, shard_index: int, node_dir: str, meta_dir: str) -> ParquetShard:
        return ParquetShard(base=self.config.path or node_dir, meta_dir=meta_dir, shard=shard_index, config=self.config)

    def finalize(self, node_dir: str, meta_dir: str) -> None:
        rebuild_manifest(meta_dir, partition_by=self.config.partition_by)
