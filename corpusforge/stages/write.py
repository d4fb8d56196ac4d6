"""`write.parquet.v1`: the final Parquet shards, optionally partitioned by a column, with a manifest.

Files: `{path}/part-{shard:05d}-{k:04d}.parquet`, or with `partition_by = "lang_tag"`
`{path}/lang_tag=ca-valencia/part-{shard:05d}-{k:04d}.parquet` (Hive layout, so pyarrow,
DuckDB and Spark read the partition back as a column). Each file is written under a
temporary name and renamed on commit. Shards finish in parallel, so every shard writes its
own `_manifests/shard-{shard:05d}.json`; the driver then merges them into `manifest.json`
once every shard has committed (`finalize`), so concurrent shards never race on it.
"""

from __future__ import annotations

import json
import os
import uuid
from typing import Any
from urllib.parse import quote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from pydantic import Field

from corpusforge import io
from corpusforge.registry import register
from corpusforge.stage import ShardOutput, Sink, StageConfig

NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"


class WriteConfig(StageConfig):
    path: str | None = Field(
        None,
        description="output directory or fsspec URL (default: the node's directory; relative: under the run's root)",
        json_schema_extra={"output_path": True},
    )
    partition_by: str | None = Field(None, description="column whose values name sub-directories col=value")
    compression: str = Field("zstd", description="Parquet compression codec")
    max_rows_per_file: int = Field(100_000, gt=0, description="start a new file after this many rows")


def _partition_dir(column: str, value: Any) -> str:
    text = NULL_PARTITION if value is None else quote(str(value), safe="-_.")
    return f"{column}={text}"


class ParquetShard(ShardOutput):
    """Buffers one shard's rows per partition and writes files of at most `max_rows` rows."""

    def __init__(self, *, base: str, shard: int, config: WriteConfig) -> None:
        self.base, self.shard, self.config = base, shard, config
        self._buffers: dict[str, list[pa.Table]] = {}
        self._files: list[dict[str, Any]] = []  # relative path, tmp path, rows
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
            self._add(_partition_dir(col, value), table.filter(mask))

    def _add(self, part: str, table: pa.Table) -> None:
        buf = self._buffers.setdefault(part, [])
        buf.append(table)
        while sum(t.num_rows for t in buf) >= self.config.max_rows_per_file:
            merged = pa.concat_tables(buf, promote_options="permissive")
            self._flush(part, merged.slice(0, self.config.max_rows_per_file))
            buf[:] = [merged.slice(self.config.max_rows_per_file)]

    def _flush(self, part: str, table: pa.Table) -> None:
        if table.num_rows == 0:
            return
        k = sum(1 for f in self._files if f["partition"] == part)
        rel = io.join(part, f"part-{self.shard:05d}-{k:04d}.parquet")
        tmp = io.join(self.base, f"{rel}.tmp-{uuid.uuid4().hex[:8]}")
        fs, p = io.fs_and_path(tmp)
        fs.makedirs(p.rsplit("/", 1)[0], exist_ok=True)
        pq.write_table(table, p, filesystem=fs, compression=self.config.compression)
        self._files.append({"path": rel, "partition": part, "rows": table.num_rows, "tmp": tmp})

    def commit(self) -> int:
        for part, buf in self._buffers.items():
            if buf:
                self._flush(part, pa.concat_tables(buf, promote_options="permissive"))
        self._buffers = {}
        fs, _ = io.fs_and_path(self.base)
        for f in self._files:
            fs.mv(io.fs_and_path(f.pop("tmp"))[1], io.fs_and_path(io.join(self.base, f["path"]))[1])
        rows = sum(f["rows"] for f in self._files)
        shard_manifest = {"shard": self.shard, "rows": rows, "columns": self._columns, "files": self._files}
        io.write_json_atomic(io.join(self.base, "_manifests", f"shard-{self.shard:05d}.json"), shard_manifest)
        return rows


def rebuild_manifest(base: str, *, partition_by: str | None = None) -> dict[str, Any]:
    """Merge the per-shard manifests under `base` into `base/manifest.json`; safe to call any time."""
    fs, p = io.fs_and_path(io.join(base, "_manifests"))
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
    io.write_json_atomic(io.join(base, "manifest.json"), manifest)
    return manifest


@register
class WriteParquet(Sink):
    """Write the final documents as zstd Parquet files (optionally partitioned) plus manifest.json."""

    name = "write.parquet.v1"
    Config = WriteConfig
    reason_family = "write"
    config: WriteConfig

    def open_shard(self, shard_index: int, node_dir: str) -> ParquetShard:
        return ParquetShard(base=self.config.path or node_dir, shard=shard_index, config=self.config)

    def finalize(self, node_dir: str) -> None:
        rebuild_manifest(self.config.path or node_dir, partition_by=self.config.partition_by)
