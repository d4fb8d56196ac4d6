"""`crawl.focused.v1`: a focused, polite crawl as a pipeline source.

Shards are host partitions (hosts split by hash, `partitions` in the crawl config), so each
host is crawled by one worker and its politeness delay holds with many Ray workers. A shard
crawls its partition to exhaustion, writing WARC files and its frontier under the crawl's
`output`, then yields one row per response record of its WARC files, like `ingest.warc.v1`
(non-200 and non-HTML records are rejected with `ingest:http_<status>` / `ingest:not_html`).

Links to other partitions' hosts are handed over through files; a partition reads the
hand-offs that exist when it runs. For a crawl that must follow every cross-partition link,
run `corpusforge crawl CONFIG` (rounds until no partition has work) and read its WARC files
with `ingest.warc.v1`. A re-run resumes each partition's crawl without refetching.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from pydantic import Field

from corpusforge.ingest.warc import rows_to_table
from corpusforge.registry import register
from corpusforge.stage import Resources, Source, StageConfig
from corpusforge.stages.ingest_warc import IngestWarc


class FocusedCrawlConfig(StageConfig):
    config: str = Field(description="path of the crawl config (TOML, see docs/crawl.md)")
    output: str | None = Field(default=None, description="override the crawl config's output directory")
    batch_size: int = Field(default=500, gt=0, description="rows per yielded table")


@register
class FocusedCrawl(Source):
    """Crawl the sites of a language community politely; rows like ingest.warc.v1."""

    name = "crawl.focused.v1"
    Config = FocusedCrawlConfig
    writes = IngestWarc.writes  # the same rows as ingest.warc.v1
    reason_family = "ingest"
    resources = Resources(cpus=0.5)  # waits on the network most of the time
    config: FocusedCrawlConfig

    def _crawl_config(self):  # noqa: ANN202 - CrawlConfig
        from corpusforge.crawl import config as crawl_config

        return crawl_config.load(self.config.config, output=self.config.output)

    def list_shards(self) -> list[dict[str, Any]]:
        cfg = self._crawl_config()
        return [{"partition": p, "of": cfg.partitions} for p in range(cfg.partitions)]

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        from corpusforge.crawl import distributed, rows

        cfg = self._crawl_config()
        distributed.run_partition((cfg.model_dump(mode="json"), shard["partition"]))
        batch: list[dict[str, Any]] = []
        for path in distributed.warc_files(cfg.output, partition=shard["partition"]):
            for row in rows.rows_from_warc(str(path)):
                batch.append(row)
                if len(batch) >= self.config.batch_size:
                    yield rows_to_table(batch)
                    batch = []
        if batch:
            yield rows_to_table(batch)
