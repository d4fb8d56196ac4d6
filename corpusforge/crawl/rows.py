"""WARC response records -> document rows, the same rows `ingest.warc.v1` produces.

Both crawl sources (the focused crawl's WARC files and Common Crawl range requests) end here.
Rows the ingest would refuse keep their reason in `drop_reason` so nothing is lost silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import Any

import pyarrow as pa
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

from corpusforge import schema
from corpusforge.ingest import warc
from corpusforge.ingest.warc import response_to_row
from corpusforge.stages.ingest_warc import rows_to_table


def record_row(record: ArcWarcRecord, *, source: str) -> dict[str, Any]:
    """One warcio response record as a row, built exactly as `ingest.warc.v1` builds it."""
    headers = record.http_headers
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    return response_to_row(
        url=url,
        record_id=record.rec_headers.get_header("WARC-Record-ID") or f"{source}\n{url}",
        fetch_time=record.rec_headers.get_header("WARC-Date") or "",
        status=int(headers.get_statuscode() or 0) if headers else 0,
        content_type=(headers.get_header("Content-Type") or "") if headers else "",
        body=record.content_stream().read(),
        source=source,
        http_headers={k.lower(): v for k, v in headers.headers} if headers else None,
    )


def error_row(*, url: str, source: str, what: str) -> dict[str, Any]:
    """A record that could not be read, counted under `error:<what>` (ingest's error row)."""
    return warc.error_row(source=source, reason=what, headers={"warc-target-uri": url})


def rows_from_bytes(data: bytes, *, url: str, source: str) -> dict[str, Any]:
    """The response record held in `data` (one gzip member, as a Common Crawl range gives)."""
    try:
        for record in ArchiveIterator(BytesIO(data)):
            if record.rec_type == "response":
                row = record_row(record, source=source)
                # A range that starts inside a record now and then parses as a response with no
                # HTTP status line: that is a corrupt range, not an HTTP answer.
                return row if row[schema.HTTP_STATUS] else error_row(url=url, source=source, what="corrupt_record")
    except (ArchiveLoadFailed, OSError, EOFError, ValueError):
        return error_row(url=url, source=source, what="corrupt_record")
    return error_row(url=url, source=source, what="no_response_record")


def rows_from_warc(path: str) -> Iterator[dict[str, Any]]:
    """Every response record of a WARC file, with `source` = "path@offset"."""
    with open(path, "rb") as fh:
        it = ArchiveIterator(fh)
        try:
            for record in it:
                if record.rec_type == "response":
                    row = record_row(record, source=path)
                    # Asking the offset before the payload is read would skip the payload.
                    row[schema.SOURCE] = f"{path}@{it.get_record_offset()}"
                    yield row
        except (ArchiveLoadFailed, OSError, EOFError):
            yield error_row(url="", source=f"{path}@?", what="corrupt_warc")


def to_table(rows: list[dict[str, Any]]) -> pa.Table:
    return rows_to_table(rows)
