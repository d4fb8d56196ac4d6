"""WARC response records -> document rows, the same rows `ingest.warc.v1` produces.

Both crawl sources (the focused crawl's WARC files and Common Crawl range requests) end here,
and both read records with the ingest's own reader (`corpusforge.ingest.warc`), so a crawled
page and an ingested one become the same row. Rows the ingest would refuse keep their reason in
`drop_reason` so nothing is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

from corpusforge import schema
from corpusforge.ingest import warc
from corpusforge.ingest.records import RecordError, iter_records


def error_row(*, url: str, source: str, what: str) -> dict[str, Any]:
    """A record that could not be read, counted under `error:<what>` (ingest's error row)."""
    return warc.error_row(source=source, reason=what, headers={"warc-target-uri": url})


def rows_from_bytes(data: bytes, *, url: str, source: str) -> dict[str, Any]:
    """The response record held in `data` (one gzip member, as a Common Crawl range gives)."""
    for item in iter_records(BytesIO(data)):
        if isinstance(item, RecordError):
            return error_row(url=url, source=source, what="corrupt_record")
        if item.type == "response":
            row = warc.record_to_row(item, path=source, max_html_bytes=10 << 20)
            row[schema.SOURCE] = source  # the index row's place, not an offset inside the range
            # A range that starts inside a record now and then parses as a response with no
            # HTTP status line: that is a corrupt range, not an HTTP answer.
            return row if row[schema.HTTP_STATUS] else error_row(url=url, source=source, what="corrupt_record")
    return error_row(url=url, source=source, what="no_response_record")


def rows_from_warc(path: str) -> Iterator[dict[str, Any]]:
    """Every response record of a WARC file, and every unreadable span, with `source` = "path@offset"."""
    yield from warc.warc_rows(path)
