"""Selective Common Crawl ingestion: filter the columnar index, then fetch only the chosen records.

The columnar index (cc-index/table/cc-main/warc/crawl=.../subset=warc/*.parquet) has one row
per capture with `url`, `url_host_tld`, `content_languages` ("spa,eng"), `fetch_status`,
`content_mime_detected`, `warc_filename`, `warc_record_offset`, `warc_record_length`. Rows
are selected with Arrow predicate push-down (status, TLD, languages) and RE2 URL patterns,
so an index file is read column by column, not row by row. Each selected record is one HTTP
range request (`Range: bytes=offset-(offset+length-1)`) against `warc_base` + `warc_filename`:
about 10-30 KB per page instead of a 1 GB WARC file.

Throttling (429/503 "Slow Down") and connection errors are retried with exponential backoff,
honouring Retry-After; a record that still fails is returned as an error, never dropped.
"""

from __future__ import annotations

import gzip
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import requests

from corpusforge import io
from corpusforge.errors import UserError

INDEX_COLUMNS = ("url", "warc_filename", "warc_record_offset", "warc_record_length")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@dataclass(frozen=True, kw_only=True)
class IndexFilter:
    """Which captures to take. Languages are ISO 639-3 as in Common Crawl (spa, cat, eus, glg)."""

    languages: tuple[str, ...] = ("spa", "cat", "eus", "glg")
    primary_language_only: bool = True
    tlds: tuple[str, ...] = ()
    url_patterns: tuple[str, ...] = ()
    statuses: tuple[int, ...] = (200,)
    mimes: tuple[str, ...] = ("text/html", "application/xhtml+xml")

    def expression(self, names: set[str]) -> ds.Expression | None:
        """The push-down part of the filter (columns the index file has)."""
        parts: list[ds.Expression] = []
        if self.statuses and "fetch_status" in names:
            parts.append(ds.field("fetch_status").isin(list(self.statuses)))
        if self.tlds and "url_host_tld" in names:
            parts.append(ds.field("url_host_tld").isin([t.lower().lstrip(".") for t in self.tlds]))
        if self.mimes and "content_mime_detected" in names:
            parts.append(ds.field("content_mime_detected").isin(list(self.mimes)))
        if not parts:
            return None
        expr = parts[0]
        for p in parts[1:]:
            expr = expr & p
        return expr

    def mask(self, table: pa.Table) -> pa.ChunkedArray | pa.Array:
        """Language and URL-pattern selection on a batch (RE2, vectorised)."""
        keep = pa.array([True] * table.num_rows)
        if self.languages:
            langs = pc.fill_null(table.column("content_languages"), "")
            hits = [
                pc.starts_with(langs, lang) if self.primary_language_only else pc.match_substring(langs, lang)
                for lang in self.languages
            ]
            any_lang = hits[0]
            for h in hits[1:]:
                any_lang = pc.or_(any_lang, h)
            keep = pc.and_(keep, any_lang)
        if self.url_patterns:
            urls = table.column("url")
            any_url = pc.match_substring_regex(urls, self.url_patterns[0])
            for pat in self.url_patterns[1:]:
                any_url = pc.or_(any_url, pc.match_substring_regex(urls, pat))
            keep = pc.and_(keep, any_url)
        return keep


def select(
    index_path: str, flt: IndexFilter, *, batch_size: int = 10_000, counts: Counter[str] | None = None
) -> Iterator[pa.Table]:
    """Batches of index rows (url, warc location, ...) that pass `flt`, from one index file.

    `counts` gets `index_rows_scanned` (rows read) and `index_rows_selected` (rows that pass). The
    filter runs on each batch rather than inside the scan, so every row read is counted; the scan
    still reads only the columns it needs."""
    fs, path = io.fs_and_path(index_path)
    dataset = ds.dataset(path, filesystem=fs, format="parquet")
    names = set(dataset.schema.names)
    filter_columns = [c for c in ("fetch_status", "url_host_tld", "content_mime_detected") if c in names]
    extra = [c for c in ("content_languages", "fetch_time", "crawl", *filter_columns) if c in names]
    wanted = list(dict.fromkeys([*INDEX_COLUMNS, *extra]))
    if flt.languages and "content_languages" not in names:
        raise ValueError(f"{index_path}: no content_languages column to filter languages on")
    expression = flt.expression(names)
    counts = counts if counts is not None else Counter()
    for batch in dataset.to_batches(columns=wanted, batch_size=batch_size):
        table = pa.Table.from_batches([batch])
        counts["index_rows_scanned"] += table.num_rows
        if expression is not None and table.num_rows:
            table = table.filter(expression)
        if table.num_rows:
            chosen = table.filter(flt.mask(table))
            counts["index_rows_selected"] += chosen.num_rows
            if chosen.num_rows:
                yield chosen.drop_columns(filter_columns)


# -- the index's file list ---------------------------------------------------------------------
CC_BASE = "https://data.commoncrawl.org/"
LISTING_SUFFIXES = (".paths", ".paths.gz")
CRAWL_ID = re.compile(r"^CC-MAIN-\d{4}-\d{2}$")


class ListingError(UserError):
    """A list of index files (`cc-index-table.paths.gz`) that cannot be read."""


def is_listing(path: str) -> bool:
    """`cc-index-table.paths.gz`, or a list written by `corpusforge cc paths` (`*.paths`)."""
    return path.endswith(LISTING_SUFFIXES)


def listing_url(crawl: str, base: str = CC_BASE) -> str:
    if not CRAWL_ID.match(crawl):
        raise ListingError(
            f"{crawl!r} is not a Common Crawl crawl id; they look like CC-MAIN-2024-33 "
            "(the list: https://index.commoncrawl.org/collinfo.json)"
        )
    return f"{base.rstrip('/')}/crawl-data/{crawl}/cc-index-table.paths.gz"


def listing_base(path: str) -> str:
    """Where the relative lines of a listing live: the listing's host or bucket; Common Crawl's
    HTTPS host for a local file."""
    if "://" not in path:
        return CC_BASE
    scheme, rest = path.split("://", 1)
    return f"{scheme}://{rest.split('/', 1)[0]}/"


def read_listing(
    path: str, *, base: str | None = None, subset: str | None = "warc", timeout_s: float = 60
) -> list[str]:
    """The index files a listing names, as paths or URLs, in its order.

    Lines are relative to `base` (default: `listing_base(path)`) unless absolute; with `subset`, a
    line in another `subset=` folder of the index (crawldiagnostics, robotstxt) is left out."""
    data = _read_bytes(path, timeout_s=timeout_s)
    if path.endswith(".gz") or data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise ListingError(f"{path}: not a gzip file ({exc})") from None
    prefix = base or listing_base(path)
    prefix = prefix if prefix.endswith("/") else prefix + "/"
    out = []
    for raw in data.decode("utf-8", errors="replace").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if subset and "/subset=" in line and f"/subset={subset}/" not in line:
            continue
        out.append(line if "://" in line or line.startswith("/") else prefix + line)
    return out


def _read_bytes(path: str, *, timeout_s: float) -> bytes:
    if path.startswith(("http://", "https://")):
        try:
            resp = requests.get(path, timeout=timeout_s)
        except requests.RequestException as exc:
            raise ListingError(f"{path}: cannot be fetched ({type(exc).__name__})") from None
        if resp.status_code != 200:
            raise ListingError(f"{path}: HTTP {resp.status_code} (is the crawl id right?)")
        return resp.content
    fs, p = io.fs_and_path(path)
    try:
        with fs.open(p, "rb") as fh:
            return bytes(fh.read())
    except FileNotFoundError:
        raise ListingError(f"{path}: no such file") from None


class RangeFetcher:
    """Byte ranges of WARC files over HTTP(S) (requests) or any fsspec URL, with retries."""

    def __init__(
        self,
        base: str,
        *,
        user_agent: str,
        max_retries: int = 5,
        backoff_base_s: float = 1.0,
        backoff_max_s: float = 60.0,
        timeout_s: float = 30.0,
    ) -> None:
        self.base = base if base.endswith("/") else base + "/"
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.backoff_max_s = backoff_max_s
        self.timeout_s = timeout_s
        self.http = self.base.startswith(("http://", "https://"))
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent

    def fetch(self, filename: str, offset: int, length: int) -> bytes:
        """The raw (gzip member) bytes of one record; raises FetchError after the last retry."""
        last = "unknown"
        for attempt in range(self.max_retries + 1):
            try:
                return self._http(filename, offset, length) if self.http else self._fsspec(filename, offset, length)
            except _Retry as exc:
                last = exc.what
                time.sleep(min(exc.wait_s or self.backoff_base_s * 2**attempt, self.backoff_max_s))
            except OSError as exc:
                last = "io"
                if isinstance(exc, FileNotFoundError):
                    raise FetchError("missing_file") from None
                time.sleep(min(self.backoff_base_s * 2**attempt, self.backoff_max_s))
        raise FetchError(last)

    def _http(self, filename: str, offset: int, length: int) -> bytes:
        headers = {"Range": f"bytes={offset}-{offset + length - 1}"}
        try:
            resp = self.session.get(self.base + filename, headers=headers, timeout=self.timeout_s)
        except requests.Timeout:
            raise _Retry("timeout") from None
        except requests.RequestException:
            raise _Retry("connection") from None
        if resp.status_code in RETRY_STATUSES:
            after = resp.headers.get("Retry-After", "")
            raise _Retry(f"http_{resp.status_code}", float(after) if after.isdigit() else None)
        if resp.status_code == 404:
            raise FetchError("missing_file")
        if resp.status_code == 200 and len(resp.content) != length:
            raise FetchError("no_range_support")  # the server sent the whole file
        if resp.status_code not in (200, 206):
            raise FetchError(f"http_{resp.status_code}")
        if len(resp.content) != length:
            raise _Retry("short_read")
        return resp.content

    def _fsspec(self, filename: str, offset: int, length: int) -> bytes:
        fs, path = io.fs_and_path(self.base + filename)
        data = fs.cat_file(path, start=offset, end=offset + length)
        if len(data) != length:
            raise FetchError("short_read")
        return bytes(data)


class FetchError(Exception):
    """A record that could not be fetched; `what` becomes the reason (error:cc_<what>)."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


class _Retry(Exception):
    def __init__(self, what: str, wait_s: float | None = None) -> None:
        super().__init__(what)
        self.what = what
        self.wait_s = wait_s


def index_row_source(row: dict[str, Any]) -> str:
    return f"{row['warc_filename']}@{row['warc_record_offset']}"
