"""`ingest.warc.v1`: HTML response records of WARC / WARC.gz files as document rows.

One shard per file, or per byte range of `split_bytes` for large files (a range owns the
records that start in it; in a WARC.gz it begins at the first gzip member after its start).
Non-HTML, non-200, binary and oversized pages are rejected under `ingest:*`; unreadable
spans (corrupt record, truncated gzip, empty file) are counted as `error:*` and the rest of
the file is still read. See `corpusforge.ingest.warc` for the reasons.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pydantic import Field

from corpusforge import io, schema
from corpusforge.ingest.warc import COLUMNS, rows_to_table, warc_rows
from corpusforge.registry import register
from corpusforge.stage import Source, StageConfig


class WarcConfig(StageConfig):
    paths: list[str] = Field(min_length=1, description="WARC / WARC.gz files or globs; local paths or fsspec URLs")
    split_bytes: int | None = Field(
        None, gt=0, description="split files larger than this into byte-range shards (None: one shard per file)"
    )
    max_html_bytes: int = Field(
        10 << 20, gt=0, description="pages with a larger payload are rejected as ingest:too_large"
    )
    # 1000 like the pipeline's batches: the batched stages after it (language id, PII) gain ~5% over 500.
    batch_size: int = Field(1000, gt=0, description="rows per emitted table (their HTML is held in memory at once)")


@register
class IngestWarc(Source):
    """Read HTML response records from WARC / WARC.gz files (globs, fsspec URLs, byte ranges)."""

    name = "ingest.warc.v1"
    Config = WarcConfig
    writes = tuple(c for c in COLUMNS if c != schema.DROP_REASON)
    reason_family = "ingest"
    config: WarcConfig

    def list_shards(self) -> list[dict[str, Any]]:
        shards: list[dict[str, Any]] = []
        paths = io.expand(self.config.paths)  # absolute: shards run in workers with another working directory
        if not paths:
            raise FileNotFoundError(f"ingest.warc.v1: no file matches {self.config.paths}")
        for path in paths:
            fs, p = io.fs_and_path(path)
            size = int(fs.size(p) or 0)
            step = self.config.split_bytes
            if step is None or size <= step:
                shards.append({"path": path})
                continue
            shards.extend({"path": path, "start": s, "end": min(s + step, size)} for s in range(0, size, step))
        return shards

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        rows: list[dict[str, Any]] = []
        for row in warc_rows(
            shard["path"],
            start=shard.get("start", 0),
            end=shard.get("end"),
            max_html_bytes=self.config.max_html_bytes,
            lazy_utf8=True,
        ):
            rows.append(row)
            if len(rows) >= self.config.batch_size:
                yield rows_to_table(rows)
                rows = []
        if rows:
            yield rows_to_table(rows)
