"""`ingest.parquet.v1` and `ingest.jsonl.v1`: read documents that already have `text`.

For re-runs and for data from other tools. `id` and `text` are required; other columns
are kept. Rows without them are rejected as `ingest:missing_id` / `ingest:missing_text`;
a line that is not JSON is counted as `error:bad_json` with its position in `source`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from corpusforge import io, schema
from corpusforge.registry import register
from corpusforge.stage import Source, StageConfig, with_drop_reasons


class DocsConfig(StageConfig):
    paths: list[str] = Field(min_length=1, description="files or globs (local or fsspec URLs)")
    batch_size: int = Field(1000, gt=0, description="rows per emitted table")


def _check_required(table: pa.Table) -> pa.Table:
    """Mark rows lacking an id or text instead of failing the shard."""
    reasons: list[str | None] = [None] * table.num_rows
    for col, what in ((schema.TEXT, "missing_text"), (schema.ID, "missing_id")):
        if col not in table.column_names:
            reasons = [r or f"ingest:{what}" for r in reasons]
            table = table.append_column(col, pa.nulls(table.num_rows, pa.string()))
        else:
            if table.column(col).type != pa.string():
                table = table.set_column(table.column_names.index(col), col, pc.cast(table.column(col), pa.string()))
            valid = pc.is_valid(table.column(col)).to_pylist()
            reasons = [r or (None if ok else f"ingest:{what}") for r, ok in zip(reasons, valid, strict=True)]
    return with_drop_reasons(table, pa.array(reasons, pa.string()))


def _infer(rows: list[dict[str, Any]], keys: list[str]) -> pa.Schema:
    fields = []
    for k in keys:
        values = [r.get(k) for r in rows]
        try:
            typ = pa.array(values).type
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            typ = pa.string()  # mixed types in one column: keep them as JSON text
        fields.append(pa.field(k, pa.string() if typ == pa.null() else typ))
    return pa.schema(fields)


@register
class ParquetDocs(Source):
    """Read documents from Parquet files, one shard per file."""

    name = "ingest.parquet.v1"
    Config = DocsConfig
    writes = (schema.ID, schema.TEXT)
    reason_family = "ingest"
    config: DocsConfig

    def list_shards(self) -> list[dict[str, Any]]:
        return [{"path": p} for p in io.expand(self.config.paths)]

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        for table in io.read_parquet_batches(shard["path"], batch_size=self.config.batch_size):
            yield _check_required(table)


@register
class JsonlDocs(Source):
    """Read documents from JSON Lines files (optionally .gz/.zst via fsspec), one shard per file."""

    name = "ingest.jsonl.v1"
    Config = DocsConfig
    writes = (schema.ID, schema.TEXT)
    reason_family = "ingest"
    config: DocsConfig
    extra_columns: ClassVar[tuple[str, ...]] = ()

    def list_shards(self) -> list[dict[str, Any]]:
        return [{"path": p} for p in io.expand(self.config.paths)]

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        import fsspec

        rows: list[dict[str, Any]] = []
        with fsspec.open(shard["path"], "rt", encoding="utf-8", errors="replace", compression="infer") as fh:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                rows.append(self._parse(line, shard["path"], lineno))
                if len(rows) >= self.config.batch_size:
                    yield self._to_table(rows)
                    rows = []
        if rows:
            yield self._to_table(rows)

    @staticmethod
    def _parse(line: str, path: str, lineno: int) -> dict[str, Any]:
        try:
            doc = json.loads(line)
            if not isinstance(doc, dict):
                raise ValueError("not an object")
        except ValueError:
            return {schema.SOURCE: f"{path}:{lineno}", schema.DROP_REASON: "error:bad_json"}
        doc.setdefault(schema.SOURCE, f"{path}:{lineno}")
        return doc

    @staticmethod
    def _to_table(rows: list[dict[str, Any]]) -> pa.Table:
        bad = pa.array([r.pop(schema.DROP_REASON, None) for r in rows], pa.string())
        keys = list(dict.fromkeys(k for r in rows for k in r))  # from_pylist reads only the first row's keys
        table = _check_required(pa.Table.from_pylist(rows, schema=_infer(rows, keys)))
        merged = pc.coalesce(bad, table.column(schema.DROP_REASON))
        return table.set_column(table.column_names.index(schema.DROP_REASON), schema.DROP_REASON, merged)
