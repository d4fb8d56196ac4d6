"""WARC records -> document rows: what `ingest.warc.v1` emits, reusable for single fetched records.

`response_to_row` turns one HTTP response (from a WARC file, a Common Crawl range request or
a live fetch) into a row; `warc_rows` walks a file or byte range and yields a row for every
response record and for every unreadable span. Request, metadata, warcinfo, resource and
revisit records are not documents and are skipped without a row.

Reasons (family `ingest` for refusals, `error` for damage):
`ingest:http_<status>`, `ingest:not_html`, `ingest:binary`, `ingest:too_large`,
`error:corrupt_record`, `error:truncated_gzip`, `error:truncated_record`, `error:empty_file`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

import pyarrow as pa
import xxhash

from corpusforge import schema
from corpusforge.ingest.charset import decode_html, utf8_candidate, wide_charset
from corpusforge.ingest.content_encoding import inflate
from corpusforge.ingest.records import RawRecord, RecordError, iter_records
from corpusforge.provenance.signals import page_signals

UNDECODABLE = "undecodable_bytes"
RAW_BODY = "_raw_body"  # not a column: the payload a lazy UTF-8 row falls back to
COLUMNS = (
    schema.ID,
    schema.URL,
    schema.DOMAIN,
    schema.SOURCE,
    schema.FETCH_TIME,
    schema.HTML,
    schema.HTTP_STATUS,
    schema.CONTENT_TYPE,
    schema.CHARSET,
    UNDECODABLE,
    schema.ROBOTS,
    schema.LICENSE_URL,
    schema.DROP_REASON,
)
HTML_TYPES = ("text/html", "application/xhtml+xml")
# Leading bytes of formats that servers sometimes label text/html.
_BINARY_MAGIC = (
    b"\x89PNG",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"GIF8",
    b"\xff\xd8\xff",
    b"RIFF",
    b"\x00\x00\x01\x00",
)

_CONTROL_BYTES = bytes(range(9)) + bytes(range(14, 32))


def doc_id(url: str, record_id: str) -> str:
    """Stable id: the same record read twice (or from a re-crawl of the same capture) keeps it."""
    return xxhash.xxh3_128_hexdigest(f"{record_id}\n{url}".encode())


def looks_binary(body: bytes) -> bool:
    """True for bytes that are not text whatever the label: known magic, NULs or many control bytes."""
    head = body[:4096]
    if head.startswith(_BINARY_MAGIC):
        return True
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return bool(head) and controls / len(head) > 0.1


def _wide_text(body: bytes, content_type: str) -> bool:
    """UTF-16/32 text (a BOM, NULs where ASCII markup puts them, or the header) is full of NULs and still text."""
    declared = content_type.lower().replace(" ", "")
    return "charset=utf-16" in declared or "charset=utf-32" in declared or wide_charset(body) is not None


def parse_http(block: bytes) -> tuple[int, dict[str, str], bytes]:
    """(status, lower-case headers, body) of an HTTP response block; status 0 when unparsable."""
    stop = block.find(b"\r\n\r\n")
    sep = 4
    if stop == -1:
        stop, sep = block.find(b"\n\n"), 2
        if stop == -1:
            return 0, {}, b""
    lines = block[:stop].decode("latin-1").splitlines()
    parts = lines[0].split(None, 2) if lines else []
    status = int(parts[1]) if len(parts) >= 2 and parts[1].isdigit() else 0
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return status, headers, block[stop + sep :]


def response_to_row(
    *,
    url: str,
    record_id: str,
    fetch_time: str,
    status: int,
    content_type: str,
    body: bytes,
    source: str,
    body_length: int | None = None,
    max_html_bytes: int = 10 << 20,
    lazy_utf8: bool = False,
    http_headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One HTTP response as a row; a refused one carries its `drop_reason` (and no html).

    `http_headers` (lower-case names) give the robots signals of the response (X-Robots-Tag,
    tdm-reservation); with the page's meta tags and licence link they fill `robots` and
    `license_url` (see `corpusforge.provenance.signals`).

    `body_length` is the full size when `body` holds only the first bytes of a huge payload.
    With `lazy_utf8`, a page that should be UTF-8 keeps its bytes in `html` (and the raw body
    under `RAW_BODY`) for `html_column` to validate in bulk; other pages are decoded here.
    """
    mime = content_type.split(";", 1)[0].strip().lower()
    size = len(body) if body_length is None else body_length
    reason = None
    if status != 200:
        reason = schema.reason("ingest", f"http_{status}")
    elif mime and mime not in HTML_TYPES:
        reason = schema.reason("ingest", "not_html")
    elif size > max_html_bytes:
        reason = schema.reason("ingest", "too_large")
    elif looks_binary(body) and not _wide_text(body, content_type):
        reason = schema.reason("ingest", "binary")
    html: str | bytes | None = None
    charset, bad = None, 0
    robots = license_url = None
    if reason is None:
        robots, license_url = page_signals(url, http_headers or {}, body)
        raw = utf8_candidate(body, content_type) if lazy_utf8 else None
        if raw is not None:
            html, charset = raw, "utf-8"
        else:
            html, charset, bad = decode_html(body, content_type)
    row = {
        schema.ID: doc_id(url, record_id),
        schema.URL: url,
        schema.DOMAIN: (urlsplit(url).hostname or "").lower(),
        schema.SOURCE: source,
        schema.FETCH_TIME: fetch_time,
        schema.HTML: html,
        schema.HTTP_STATUS: status,
        schema.CONTENT_TYPE: content_type,
        schema.CHARSET: charset,
        UNDECODABLE: bad,
        schema.ROBOTS: robots,
        schema.LICENSE_URL: license_url,
        schema.DROP_REASON: reason,
    }
    if isinstance(html, bytes):
        row[RAW_BODY] = body
    return row


def html_column(rows: list[dict[str, Any]]) -> pa.ChunkedArray | pa.Array:
    """The `html` values of `rows` as an Arrow string column.

    Rows from `response_to_row(lazy_utf8=True)` may hold UTF-8 bytes: they become the
    column without a Python decode, checked by Arrow's UTF-8 validation. When a batch fails
    it, its byte rows are decoded one by one and the invalid ones go through `decode_html`
    (U+FFFD replacement and counting, or the charset guess), updating `charset` and
    `undecodable_bytes` in place.
    """
    values = [r[schema.HTML] for r in rows]
    if not any(isinstance(v, bytes) for v in values):
        return pa.array(values, pa.string())
    try:
        return _utf8_array(values)
    except pa.ArrowInvalid:
        pass
    for r in rows:
        html = r[schema.HTML]
        if not isinstance(html, bytes):
            continue
        try:
            html.decode("utf-8")
        except UnicodeDecodeError:
            text, r[schema.CHARSET], r[UNDECODABLE] = decode_html(r[RAW_BODY], r[schema.CONTENT_TYPE] or "")
            r[schema.HTML] = text
    return _utf8_array([r[schema.HTML] for r in rows])


_TYPES = dict(schema.TYPES) | {UNDECODABLE: pa.int32()}


def rows_to_table(rows: list[dict[str, Any]]) -> pa.Table:
    """Rows of `warc_rows` / `response_to_row` (lazy UTF-8 or not) as a table of `COLUMNS`."""
    html = html_column(rows)  # first: a page that fails UTF-8 validation updates its charset columns
    columns = COLUMNS + ((schema.ERROR_DETAIL,) if any(r.get(schema.ERROR_DETAIL) for r in rows) else ())
    return pa.table(
        {
            c: html if c == schema.HTML else pa.array([r.get(c) for r in rows], _TYPES.get(c, pa.string()))
            for c in columns
        }
    )


def _utf8_array(values: list[Any]) -> pa.ChunkedArray | pa.Array:
    as_bytes = [v.encode("utf-8", "surrogatepass") if isinstance(v, str) else v for v in values]
    return pa.array(as_bytes, pa.binary()).cast(pa.string())


def error_row(*, source: str, reason: str, headers: dict[str, str] | None = None, detail: str = "") -> dict[str, Any]:
    """A span that could not be read as a record, counted under `error:<reason>`; `detail` says
    what was wrong (it goes to the `error_detail` column of rejected/)."""
    headers = headers or {}
    url = headers.get("warc-target-uri", "")
    return {
        schema.ID: doc_id(url, source),
        schema.URL: url,
        schema.DOMAIN: (urlsplit(url).hostname or "").lower() if url else "",
        schema.SOURCE: source,
        schema.FETCH_TIME: headers.get("warc-date", ""),
        schema.HTML: None,
        schema.HTTP_STATUS: None,
        schema.CONTENT_TYPE: None,
        schema.CHARSET: None,
        UNDECODABLE: 0,
        schema.DROP_REASON: schema.reason(schema.ERROR_FAMILY, reason),
        schema.ERROR_DETAIL: detail or None,
    }


def record_source(path: str, item: RawRecord | RecordError) -> str:
    """`file@offset`, and `+inner` for a record inside a gzip member that holds several."""
    return f"{path}@{item.offset}+{item.inner}" if item.inner else f"{path}@{item.offset}"


def _dechunk(body: bytes) -> bytes:
    """Undo `Transfer-Encoding: chunked`; a malformed chunk stream is returned as it was."""
    out, i = [], 0
    while i < len(body):
        eol = body.find(b"\r\n", i)
        try:
            size = int(body[i:eol].split(b";", 1)[0], 16) if eol != -1 else -1
        except ValueError:
            return body
        if size < 0:
            return body
        if size == 0:
            break
        out.append(body[eol + 2 : eol + 2 + size])
        i = eol + 2 + size + 2
    return b"".join(out)


def decode_body(body: bytes, http_headers: dict[str, str], *, limit: int) -> bytes:
    """The payload as the server meant it: de-chunked and inflated (at most `limit` + 1 bytes).

    Content codings gzip, deflate, br and zstd are undone, and so are gzip or zstd bodies that
    came without a `Content-Encoding` (see `corpusforge.ingest.content_encoding`).
    """
    if "chunked" in http_headers.get("transfer-encoding", "").lower():
        body = _dechunk(body)
    return inflate(body, http_headers.get("content-encoding", ""), limit=limit)


def record_to_row(record: RawRecord, *, path: str, max_html_bytes: int, lazy_utf8: bool = False) -> dict[str, Any]:
    status, http_headers, body = parse_http(record.block)
    body = decode_body(body, http_headers, limit=max_html_bytes)
    length = None
    if record.oversized or len(body) > max_html_bytes:
        length = max_html_bytes + 1  # we kept only the head; the size is known to be over the cap
    return response_to_row(
        url=record.headers.get("warc-target-uri", ""),
        record_id=record.headers.get("warc-record-id", record_source(path, record)),
        fetch_time=record.headers.get("warc-date", ""),
        status=status,
        content_type=http_headers.get("content-type", ""),
        body=body,
        source=record_source(path, record),
        body_length=length,
        max_html_bytes=max_html_bytes,
        lazy_utf8=lazy_utf8,
        http_headers=http_headers,
    )


def warc_rows(
    path: str, *, start: int = 0, end: int | None = None, max_html_bytes: int = 10 << 20, lazy_utf8: bool = False
) -> Iterator[dict[str, Any]]:
    """A row per response record and per unreadable span of `path` (any fsspec URL).

    `lazy_utf8`: see `response_to_row`; pass the rows through `html_column` before use.
    """
    import fsspec

    with fsspec.open(path, "rb") as fh:
        for item in iter_records(fh, start=start, end=end, max_block_bytes=max_html_bytes + 64 * 1024):
            if isinstance(item, RecordError):
                source = record_source(path, item)
                yield error_row(source=source, reason=item.reason, headers=item.headers, detail=item.detail)
            elif item.type == "response":
                yield record_to_row(item, path=path, max_html_bytes=max_html_bytes, lazy_utf8=lazy_utf8)
