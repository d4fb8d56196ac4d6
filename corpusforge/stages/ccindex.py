"""`ingest.ccindex.v1`: the Common Crawl pages of our languages, without downloading whole WARC files.

Reads the columnar CC index (Parquet; a local path or any fsspec URL such as
s3://commoncrawl/cc-index/table/cc-main/warc/crawl=CC-MAIN-2024-33/subset=warc/*.parquet),
keeps captures whose `content_languages` start with (or contain) spa, cat, eus or glg, with
optional TLD and URL-pattern filters, and fetches each chosen record with one HTTP range
request from `warc_base` (https://data.commoncrawl.org/ by default). Rows are the same as
`ingest.warc.v1`'s. A record that cannot be fetched after the retries is counted as
`error:cc_<what>` (cc_http_503, cc_timeout, cc_missing_file, ...); one that is not a valid
WARC record as `error:corrupt_record`. One shard per index file. `index_paths` may name Common
Crawl's own list of index files (`cc-index-table.paths.gz`, by URL or downloaded) or one written by
`corpusforge cc paths`. The funnel counts the index rows scanned, selected and skipped per node.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pyarrow as pa
from pydantic import Field

from corpusforge import io
from corpusforge.ingest.warc import rows_to_table
from corpusforge.registry import register
from corpusforge.stage import Resources, Source, StageConfig
from corpusforge.stages.ingest_warc import IngestWarc


class CcIndexConfig(StageConfig):
    index_paths: list[str] = Field(
        min_length=1,
        description="CC index Parquet files or globs (local or fsspec URLs), or lists of them: Common Crawl's "
        "cc-index-table.paths.gz (local or URL) or a file written by `corpusforge cc paths` (*.paths)",
    )
    index_base: str | None = Field(
        default=None,
        description="prefix of the relative lines of a list; default: the list's host or bucket "
        "(https://data.commoncrawl.org/ for a local list)",
    )
    index_subset: str = Field(
        default="warc", description="keep the list's index files under subset=<this> (not crawldiagnostics, robotstxt)"
    )
    max_index_files: int | None = Field(
        default=None, gt=0, description="read only the first N index files (a sample; ~300 make a whole crawl)"
    )
    languages: list[str] = Field(
        default_factory=lambda: ["spa", "cat", "eus", "glg"],
        description="ISO 639-3 codes matched against content_languages; empty = any language",
    )
    primary_language_only: bool = Field(
        default=True, description="match only the first (main) language of a page, not any language it contains"
    )
    tlds: list[str] = Field(default_factory=list, description="keep only these url_host_tld values (cat, eus, gal, es)")
    url_patterns: list[str] = Field(default_factory=list, description="RE2 regexes; a URL must match one")
    statuses: list[int] = Field(default_factory=lambda: [200], description="fetch_status values to keep")
    mimes: list[str] = Field(
        default_factory=lambda: ["text/html", "application/xhtml+xml"], description="content_mime_detected values"
    )
    warc_base: str = Field(
        default="https://data.commoncrawl.org/",
        description="prefix of warc_filename: an HTTP(S) base or s3://commoncrawl/",
    )
    max_records: int | None = Field(default=None, gt=0, description="stop a shard after this many records (sampling)")
    concurrency: int = Field(default=8, gt=0, description="range requests in flight per shard")
    max_retries: int = Field(default=5, ge=0, description="retries on throttling (429/503), 5xx and connection errors")
    backoff_base_s: float = Field(default=1.0, gt=0, description="first retry waits this long, then doubles")
    backoff_max_s: float = Field(default=60.0, gt=0, description="longest wait between retries of a range request")
    timeout_s: float = Field(
        default=30.0, gt=0, description="seconds before a range request is given up (then retried)"
    )
    user_agent: str = Field(
        default="corpusforge/0.1 (+https://github.com/corpusforge)", description="User-Agent of the range requests"
    )
    batch_size: int = Field(default=200, gt=0, description="records per yielded table")


@register
class CcIndexIngest(Source):
    """Common Crawl pages chosen by language, TLD or URL pattern, fetched with range requests."""

    name = "ingest.ccindex.v1"
    Config = CcIndexConfig
    writes = IngestWarc.writes  # the same rows as ingest.warc.v1
    reason_family = "ingest"
    resources = Resources(cpus=0.5)
    config: CcIndexConfig

    def __init__(self, config: CcIndexConfig | None = None) -> None:
        super().__init__(config)
        self._counts: Counter[str] = Counter()  # index rows of the shard being read

    def input_patterns(self) -> list[str]:
        return list(self.config.index_paths)

    def list_shards(self) -> list[dict[str, Any]]:
        from corpusforge.crawl import ccindex

        c = self.config
        paths: list[str] = []
        for pattern in c.index_paths:
            if ccindex.is_listing(pattern):
                paths += ccindex.read_listing(pattern, base=c.index_base, subset=c.index_subset or None)
            else:
                paths += _expand(pattern)  # an HTTP(S) file cannot be globbed, and is listed as given
        unique = list(dict.fromkeys(paths))
        return [{"index": p} for p in unique[: c.max_index_files]]

    def shard_counters(self) -> dict[str, int]:
        counts = dict(self._counts)
        if counts:
            counts["index_rows_skipped"] = counts.get("index_rows_scanned", 0) - counts.get("index_rows_selected", 0)
        return counts

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        from corpusforge.crawl import ccindex, rows

        c = self.config
        flt = ccindex.IndexFilter(
            languages=tuple(c.languages),
            primary_language_only=c.primary_language_only,
            tlds=tuple(c.tlds),
            url_patterns=tuple(c.url_patterns),
            statuses=tuple(c.statuses),
            mimes=tuple(c.mimes),
        )
        fetcher = ccindex.RangeFetcher(
            c.warc_base,
            user_agent=c.user_agent,
            max_retries=c.max_retries,
            backoff_base_s=c.backoff_base_s,
            backoff_max_s=c.backoff_max_s,
            timeout_s=c.timeout_s,
        )

        def fetch_one(entry: dict[str, Any]) -> dict[str, Any]:
            source = ccindex.index_row_source(entry)
            try:
                data = fetcher.fetch(entry["warc_filename"], entry["warc_record_offset"], entry["warc_record_length"])
            except ccindex.FetchError as exc:
                return rows.error_row(url=entry["url"], source=source, what=f"cc_{exc.what}")
            return rows.rows_from_bytes(data, url=entry["url"], source=source)

        taken = 0
        self._counts = Counter({"index_rows_scanned": 0, "index_rows_selected": 0})
        with ThreadPoolExecutor(max_workers=c.concurrency) as pool:
            for selected in ccindex.select(shard["index"], flt, counts=self._counts):
                entries = selected.to_pylist()
                if c.max_records is not None:
                    entries = entries[: c.max_records - taken]
                for start in range(0, len(entries), c.batch_size):
                    yield rows_to_table(list(pool.map(fetch_one, entries[start : start + c.batch_size])))
                taken += len(entries)
                if c.max_records is not None and taken >= c.max_records:
                    return


def _expand(pattern: str) -> list[str]:
    return [pattern] if pattern.startswith(("http://", "https://")) else io.expand([pattern])
