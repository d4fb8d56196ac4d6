"""`ingest.parquet.v1` and `ingest.jsonl.v1`: read documents that already have `text`.

For re-runs and for data from other tools. `id` and `text` are required; other columns are
kept. Rows without them are rejected as `ingest:missing_id` / `ingest:missing_text`. Bad
input is counted, never fatal: a bad JSONL line is an error row naming its file and line
(`error:bad_json`, `error:bad_type`, `error:undecodable`), an unreadable Parquet file or row
group one error row naming its path (`error:unreadable_file`, `error:bad_schema`,
`error:corrupt_row_group`); the rest of the file is read. An input `drop_reason` column is
not a rejection: it is renamed `input_drop_reason` (see `corpusforge.ingest.docs`).

Other columns pass through, but the planner only knows the ones a node lists in `columns`: a
later node that reads `url` (url.filter.v1) needs `columns = ["url"]` here. A listed column a
file lacks is added as nulls, so every batch has what the plan promised.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pydantic import Field

from corpusforge import io, schema
from corpusforge.ingest.jsonl import JsonlReader
from corpusforge.ingest.parquet_docs import parquet_batches
from corpusforge.registry import register
from corpusforge.stage import Source, StageConfig


class DocsConfig(StageConfig):
    paths: list[str] = Field(min_length=1, description="files or globs (local or fsspec URLs)")
    batch_size: int = Field(1000, gt=0, description="rows per emitted table")
    columns: list[str] = Field(
        default_factory=list,
        description="columns the files carry besides id and text that later nodes read (e.g. url); "
        "declared for the planner, and null where a file lacks them",
    )


class _DocsSource(Source):
    """What both document sources share: shards are files, and declared columns are present."""

    reason_family = "ingest"
    config: DocsConfig

    @classmethod
    def declared_writes(cls, config: StageConfig) -> tuple[str, ...]:
        assert isinstance(config, DocsConfig)
        return (schema.ID, schema.TEXT, *config.columns)

    def list_shards(self) -> list[dict[str, Any]]:
        return [{"path": p} for p in io.expand(self.config.paths)]

    def with_declared(self, table: pa.Table) -> pa.Table:
        for name in self.config.columns:
            if name not in table.column_names:
                table = table.append_column(name, pa.nulls(table.num_rows, schema.TYPES.get(name, pa.string())))
        return table


@register
class ParquetDocs(_DocsSource):
    """Read documents from Parquet files, one shard per file."""

    name = "ingest.parquet.v1"
    Config = DocsConfig
    writes = (schema.ID, schema.TEXT)

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        for table in parquet_batches(shard["path"], batch_size=self.config.batch_size):
            yield self.with_declared(table)


@register
class JsonlDocs(_DocsSource):
    """Read documents from JSON Lines files (optionally .gz/.zst via fsspec), one shard per file."""

    name = "ingest.jsonl.v1"
    Config = DocsConfig
    writes = (schema.ID, schema.TEXT)

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        for table in JsonlReader(shard["path"], batch_size=self.config.batch_size).batches():
            yield self.with_declared(table)
