"""One HTTP GET with the crawl's limits; no retries here (the crawl loop schedules them).

Redirects are never followed here: a 3xx is returned as is, so that the crawl loop
canonicalises, scope-checks and robots-checks the target like any other link, and counts the
hops. The body is read in chunks and abandoned past `max_bytes` or `total_timeout_s` (or, with
`truncate`, cut there: robots.txt keeps its first 500 KiB); a media type outside
`content_types` is not downloaded at all.

What is archived is what was sent: the Host header is set here rather than left to the HTTP
library, so the WARC request record carries it, and the peer's address is read from the
socket before the body is, for WARC-IP-Address.

requests decodes gzip/br transfer encodings; the returned headers say so the way Common
Crawl does (Content-Encoding becomes X-Crawler-Content-Encoding) so the WARC record is
self-consistent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from corpusforge.crawl.config import Limits

_HOP_HEADERS = ("content-encoding", "transfer-encoding", "content-length")


@dataclass
class FetchResult:
    """What came back. `error` is set ("timeout", "connection", "too_large", "content_type") when
    there is no usable response; `status` may still be set (e.g. a 200 that was too large)."""

    url: str
    status: int = 0
    reason: str = ""
    http_version: str = "HTTP/1.1"
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    request_headers: list[tuple[str, str]] = field(default_factory=list)
    error: str | None = None
    truncated: bool = False
    started: float = 0.0
    elapsed_s: float = 0.0
    ip: str | None = None

    def header(self, name: str) -> str:
        name = name.lower()
        return next((v for k, v in self.headers if k.lower() == name), "")

    @property
    def media_type(self) -> str:
        return self.header("content-type").split(";")[0].strip().lower()


class Fetcher:
    """A requests session with the crawl's User-Agent; one per crawl, shared by its threads."""

    def __init__(self, *, user_agent: str, limits: Limits, pool_size: int = 16) -> None:
        self.limits = limits
        self.session = requests.Session()
        adapter = _PeerAdapter(pool_connections=pool_size, pool_maxsize=pool_size, max_retries=0)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update(
            {
                "User-Agent": user_agent,
                "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5",
                "Accept-Language": "es,ca,eu,gl;q=0.9,*;q=0.5",
            }
        )

    def close(self) -> None:
        self.session.close()

    def request_url(self, url: str) -> str:
        """The URL requests will send for `url` (its own quoting applied); robots.txt is checked on it.

        Only the URL step of preparing a request (the session adds no query parameters): ~12 us.
        """
        prepared = requests.PreparedRequest()
        prepared.prepare_url(url, None)
        return str(prepared.url)

    def get(
        self, url: str, *, accept_any_type: bool = False, max_bytes: int | None = None, truncate: bool = False
    ) -> FetchResult:
        """Fetch `url`; never raises for network or HTTP trouble (it is in `result.error`).

        `max_bytes` replaces the crawl's limit; with `truncate`, a longer body is cut there
        (`result.truncated`) instead of being abandoned as `too_large`.
        """
        lim = self.limits
        limit = lim.max_bytes if max_bytes is None else max_bytes
        result = FetchResult(url=url, started=time.time())
        t0 = time.monotonic()
        try:
            resp = self.session.get(
                url,
                headers={"Host": urlsplit(url).netloc.rsplit("@", 1)[-1]},
                stream=True,
                allow_redirects=False,
                timeout=(lim.connect_timeout_s, lim.read_timeout_s),
            )
        except requests.Timeout:
            return _failed(result, "timeout", t0)
        except (requests.ConnectionError, requests.exceptions.InvalidURL, requests.exceptions.InvalidHeader):
            return _failed(result, "connection", t0)
        except requests.RequestException:
            return _failed(result, "connection", t0)
        with resp:
            result.status = resp.status_code
            result.reason = resp.reason or ""
            result.http_version = "HTTP/1.0" if resp.raw.version == 10 else "HTTP/1.1"
            result.headers = _archive_headers(resp)
            result.request_headers = [(k, str(v)) for k, v in resp.request.headers.items()]
            result.ip = _peer_ip(resp)
            declared = resp.headers.get("content-length", "")
            if not truncate and declared.isdigit() and int(declared) > limit:
                return _failed(result, "too_large", t0)
            if not accept_any_type and 200 <= resp.status_code < 300 and not _accepted(result.media_type, lim):
                return _failed(result, "content_type", t0)
            result.error = _read_body(resp, result, lim, t0, limit=limit, truncate=truncate)
        result.elapsed_s = time.monotonic() - t0
        return result


def _accepted(media_type: str, lim: Limits) -> bool:
    return media_type == "" or media_type in lim.content_types


class _PeerAdapter(requests.adapters.HTTPAdapter):
    """Notes the server's address on each response while it still holds its connection.

    Later is too late: for a 3xx requests reads the body at once and hands the connection back.
    """

    def build_response(self, req: requests.PreparedRequest, resp: Any) -> requests.Response:
        response = super().build_response(req, resp)
        try:
            response.peer_ip = str(resp.connection.sock.getpeername()[0])  # type: ignore[attr-defined]
        except (AttributeError, OSError, IndexError):
            response.peer_ip = None  # type: ignore[attr-defined]
        return response


def _peer_ip(resp: requests.Response) -> str | None:
    return getattr(resp, "peer_ip", None)


def _read_body(
    resp: requests.Response, result: FetchResult, lim: Limits, t0: float, *, limit: int, truncate: bool
) -> str | None:
    chunks: list[bytes] = []
    size = 0
    try:
        for chunk in resp.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > limit:
                if not truncate:
                    return "too_large"
                chunks.append(chunk[: len(chunk) - (size - limit)])
                result.truncated = True
                break
            if time.monotonic() - t0 > lim.total_timeout_s:
                return "timeout"
            chunks.append(chunk)
    except requests.Timeout:
        return "timeout"
    except (requests.RequestException, OSError):
        return "connection"
    result.body = b"".join(chunks)
    result.headers.append(("Content-Length", str(len(result.body))))
    return None


def _archive_headers(resp: requests.Response) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for key, value in resp.raw.headers.items():
        out.append((f"X-Crawler-{key}", value) if key.lower() in _HOP_HEADERS else (key, value))
    return out


def _failed(result: FetchResult, error: str, t0: float) -> FetchResult:
    result.error = error
    result.elapsed_s = time.monotonic() - t0
    return result
