"""`refilter.input.v1`: the rows a quality filter saw, as `corpusforge refilter` rebuilt them.

The source of the derived run that `corpusforge refilter` builds (docs/review.md, "Re-filter"):
one shard per rebuilt Parquet part, read in file order and passed on unchanged (unlike
`ingest.parquet.v1`, which rejects rows without text: a row that reached the quality filter must
reach it again, whatever it holds). Not meant for pipeline files of your own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pydantic import Field

from corpusforge import io
from corpusforge.registry import register
from corpusforge.stage import Source, StageConfig


class RefilterInputConfig(StageConfig):
    paths: list[str] = Field(min_length=1, description="the rebuilt parts (one shard each, in shard order)")
    columns: list[str] = Field(default_factory=list, description="the columns the rows carry (for the planner)")
    batch_size: int = Field(1000, gt=0, description="rows per batch")


@register
class RefilterInput(Source):
    """Read the rows a quality filter saw, rebuilt by `corpusforge refilter`, unchanged."""

    name = "refilter.input.v1"
    Config = RefilterInputConfig
    reason_family = "refilter"
    config: RefilterInputConfig

    @classmethod
    def declared_writes(cls, config: StageConfig) -> tuple[str, ...]:
        assert isinstance(config, RefilterInputConfig)
        return tuple(config.columns)

    def list_shards(self) -> list[dict[str, Any]]:
        return [{"path": p} for p in io.expand(self.config.paths)]

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        yield from io.read_parquet_batches(shard["path"], batch_size=self.config.batch_size)
