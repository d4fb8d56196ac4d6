"""A rotating WARC writer (warcio) whose files stay valid when the crawl is killed.

Files are named `{prefix}-p{partition:05d}-{seq:05d}.warc.gz`; the file being written carries
an extra `.open` suffix and is renamed when it is rotated or closed, so every `*.warc.gz`
is complete. Each record is its own gzip member and is flushed at once; the crawl stores
the offset after a page's records in the frontier in the same transaction as the page's
outcome, and `recover` cuts an `.open` file back to that offset after a kill.

Per page: a `request` record and a `response` record (3xx and 4xx/5xx included), linked by
WARC-Concurrent-To, as ingest.warc.v1 and Common Crawl tooling expect. The request record
holds the request line and headers as sent (Host included); both carry WARC-IP-Address.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusforge.crawl.fetcher import FetchResult
from corpusforge.io import commit_local


class RotatingWarcWriter:
    """Append page records; rotate past `max_bytes`. Not thread-safe: the crawl loop owns it."""

    def __init__(
        self, directory: str | Path, *, prefix: str, partition: int, max_bytes: int, software: str, operator: str
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.prefix = f"{prefix}-p{partition:05d}"
        self.max_bytes = max_bytes
        self.info = {"software": software, "operator": operator, "format": "WARC File Format 1.1"}
        self._fh: io.BufferedWriter | None = None
        self._writer: WARCWriter | None = None
        self.current: str | None = None  # final name (without .open) of the file being written

    # -- files -------------------------------------------------------------------------------
    def _next_name(self) -> str:
        taken = {p.name.removesuffix(".open") for p in self.directory.glob(f"{self.prefix}-*.warc.gz*")}
        seq = 0
        while f"{self.prefix}-{seq:05d}.warc.gz" in taken:
            seq += 1
        return f"{self.prefix}-{seq:05d}.warc.gz"

    def _open(self) -> None:
        self.current = self._next_name()
        self._fh = open(self.directory / (self.current + ".open"), "wb")  # noqa: SIM115 - kept open across calls
        self._writer = WARCWriter(self._fh, gzip=True, warc_version="1.1")
        record = self._writer.create_warcinfo_record(self.current, self.info)
        self._writer.write_record(record)
        self._fh.flush()

    def offset(self) -> int:
        return self._fh.tell() if self._fh is not None else 0

    def rotate_if_full(self) -> str | None:
        """Close the current file when it is past `max_bytes`; returns the closed name."""
        if self._fh is not None and self.offset() >= self.max_bytes:
            return self.close()
        return None

    def close(self) -> str | None:
        if self._fh is None or self.current is None:
            return None
        self._fh.close()
        commit_local(self.directory / (self.current + ".open"), self.directory / self.current)
        closed, self.current, self._fh, self._writer = self.current, None, None, None
        return closed

    @staticmethod
    def recover(directory: str | Path, name: str, good_bytes: int) -> None:
        """Cut `name`.open back to `good_bytes` (the last page the frontier knows of) and close it."""
        path = Path(directory) / (name + ".open")
        if not path.exists():
            return
        if good_bytes <= 0:
            path.unlink()
            return
        with open(path, "r+b") as fh:
            fh.truncate(good_bytes)
        commit_local(path, Path(directory) / name)

    # -- records -----------------------------------------------------------------------------
    def write_page(self, result: FetchResult, *, extra: dict[str, str] | None = None) -> int:
        """Write the request and response records of one fetch; returns the offset after them."""
        if self._writer is None:
            self._open()
        assert self._writer is not None and self._fh is not None
        when = datetime.fromtimestamp(result.started, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        common = {"WARC-Date": when}
        if result.ip:
            common["WARC-IP-Address"] = result.ip
        response = self._writer.create_warc_record(
            result.url,
            "response",
            payload=io.BytesIO(result.body),
            length=len(result.body),
            http_headers=StatusAndHeaders(
                f"{result.status} {result.reason}".strip(), result.headers, protocol=result.http_version
            ),
            warc_headers_dict={**common, **(extra or {})},
        )
        parts = urlsplit(result.url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        request = self._writer.create_warc_record(
            result.url,
            "request",
            payload=io.BytesIO(b""),
            length=0,
            http_headers=StatusAndHeaders(
                f"GET {target} {result.http_version}", result.request_headers, is_http_request=True
            ),
            warc_headers_dict={**common, "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID")},
        )
        self._writer.write_record(request)
        self._writer.write_record(response)
        self._fh.flush()
        return self.offset()
