"""Iterate the records of a WARC or WARC.gz file (or a byte range of one), surviving bad input.

We parse WARC ourselves instead of going through warcio/fastwarc because both stop at the
first corrupt record, and we must keep every record after it. The cost is small: the headers
are parsed in Python, the payload is sliced, never copied more than once.

- WARC.gz: every record is its own gzip member (the WARC standard's recommendation, and
  what Common Crawl does). A member that does not inflate is `error:corrupt_record`; we scan
  forward to the next gzip member whose inflated bytes start with ``WARC/`` and go on. A file
  that ends inside a member is `error:truncated_gzip`; everything before it is kept.
- Plain WARC: a record whose header is not WARC is `error:corrupt_record`; we resync at the
  next line that starts with ``WARC/1.``.
- A byte range ``[start, end)`` owns the records whose first byte lies in it, so ranges that
  tile a file read each record exactly once.
- A record block larger than `max_block_bytes` is not held in memory: only its first bytes
  are kept and `RawRecord.oversized` is set.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from isal import isal_zlib  # Intel ISA-L: inflates about twice as fast as zlib, the same bytes out

# isal's stub declares `error` as an instance; at run time it is the exception class.
_INFLATE_ERROR: type[Exception] = isal_zlib.error  # type: ignore[assignment]

GZIP_MAGIC = b"\x1f\x8b\x08"
CHUNK = 1 << 20
_HEAD_KEEP = 64 * 1024  # bytes of an oversized block kept, enough for its HTTP headers


@dataclass
class RawRecord:
    """One WARC record: its headers (lower-case names), its block and where it starts."""

    offset: int
    headers: dict[str, str]
    block: bytes
    oversized: bool = False

    @property
    def type(self) -> str:
        return self.headers.get("warc-type", "")


@dataclass
class RecordError:
    """Bytes that could not be read as a record; `reason` is "corrupt_record", "truncated_gzip", ..."""

    offset: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)


Item = RawRecord | RecordError


def is_gzip(fh: BinaryIO) -> bool:
    fh.seek(0)
    head = fh.read(3)
    return head == GZIP_MAGIC


def iter_records(
    fh: BinaryIO, *, start: int = 0, end: int | None = None, max_block_bytes: int = 10 << 20
) -> Iterator[Item]:
    """Records of a seekable binary file whose first byte lies in ``[start, end)``."""
    fh.seek(0, 2)
    size = fh.tell()
    end = size if end is None else min(end, size)
    if size == 0:
        yield RecordError(0, "empty_file")
        return
    if is_gzip(fh):
        yield from _gzip_records(fh, start, end, max_block_bytes)
    else:
        yield from _plain_records(fh, start, end, max_block_bytes)


# --- WARC.gz -----------------------------------------------------------------------------


def _looks_like_member(fh: BinaryIO, pos: int) -> bool:
    """True when a gzip member starts at `pos` and inflates to a WARC header."""
    fh.seek(pos)
    data = fh.read(64 * 1024)
    try:
        out = zlib.decompressobj(31).decompress(data, 16)
    except zlib.error:
        return False
    return out.startswith(b"WARC/")


def _next_member(fh: BinaryIO, pos: int, end: int) -> int | None:
    """Offset of the first valid gzip member at or after `pos` and before `end`."""
    while pos < end:
        fh.seek(pos)
        window = fh.read(CHUNK + 2)
        if not window:
            return None
        i = window.find(GZIP_MAGIC)
        while i != -1 and pos + i < end:
            if _looks_like_member(fh, pos + i):
                return pos + i
            i = window.find(GZIP_MAGIC, i + 1)
        if len(window) < CHUNK + 2:
            return None
        pos += CHUNK
    return None


def _inflate_member(fh: BinaryIO, pos: int, cap: int) -> tuple[bytes, int, int, str | None]:
    """Inflate the member at `pos`: (its first `cap` bytes, next offset, inflated size, error)."""
    fh.seek(pos)
    d = isal_zlib.decompressobj(31)
    parts: list[bytes] = []
    kept = total = consumed = 0
    read_size = 64 * 1024  # most records are small: do not copy a megabyte per record
    while not d.eof:
        buf = fh.read(read_size)
        read_size = min(read_size * 4, CHUNK)
        if not buf:
            return b"".join(parts), pos + consumed, total, "truncated_gzip"
        while buf and not d.eof:
            try:
                out = d.decompress(buf, CHUNK)  # bounded output: a 50 MB page never sits in memory whole
            except _INFLATE_ERROR:
                return b"", pos + consumed, total, "corrupt_record"
            rest = d.unused_data if d.eof else d.unconsumed_tail
            consumed += len(buf) - len(rest)
            buf = b"" if d.eof else d.unconsumed_tail
            total += len(out)
            if kept < cap:
                parts.append(out[: cap - kept])
                kept += len(parts[-1])
    return b"".join(parts), pos + consumed, total, None


def _gzip_records(fh: BinaryIO, start: int, end: int, max_block_bytes: int) -> Iterator[Item]:
    pos: int | None = start if start == 0 else _next_member(fh, start, end)
    cap = max_block_bytes + _HEAD_KEEP
    while pos is not None and pos < end:
        data, nxt, total, error = _inflate_member(fh, pos, cap)
        if error is not None:
            yield RecordError(pos, error)
            if error == "truncated_gzip":
                return
            pos = _next_member(fh, pos + 1, end)
            continue
        if total > cap:
            yield from _parse_oversized(data, pos)
        else:
            yield from _parse_member(data, pos)
        pos = nxt


def _parse_member(data: bytes, offset: int) -> Iterator[Item]:
    """Records inside one inflated member (normally one; some writers put several)."""
    i = 0
    while i < len(data):
        if not data[i:].strip():
            return
        parsed = _parse_header(data, i)
        if parsed is None:
            yield RecordError(offset, "corrupt_record")
            return
        headers, body_start = parsed
        length = _content_length(headers)
        if length is None or body_start + length > len(data):
            yield RecordError(offset, "corrupt_record", headers)
            return
        yield RawRecord(offset, headers, data[body_start : body_start + length])
        i = body_start + length
        while data[i : i + 2] == b"\r\n":
            i += 2


def _parse_oversized(data: bytes, offset: int) -> Iterator[Item]:
    parsed = _parse_header(data, 0)
    if parsed is None:
        yield RecordError(offset, "corrupt_record")
        return
    headers, body_start = parsed
    yield RawRecord(offset, headers, data[body_start : body_start + _HEAD_KEEP], oversized=True)


# --- plain WARC --------------------------------------------------------------------------


def _parse_header(data: bytes, i: int) -> tuple[dict[str, str], int] | None:
    """(headers, offset of the block) for a WARC header starting at `data[i]`."""
    if not data.startswith(b"WARC/", i):
        return None
    stop = data.find(b"\r\n\r\n", i)
    sep = 4
    if stop == -1:
        stop, sep = data.find(b"\n\n", i), 2
        if stop == -1:
            return None
    lines = data[i:stop].decode("utf-8", "replace").splitlines()
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, colon, value = line.partition(":")
        if colon:
            headers[name.strip().lower()] = value.strip()
    return headers, stop + sep


def _content_length(headers: dict[str, str]) -> int | None:
    try:
        n = int(headers.get("content-length", ""))
    except ValueError:
        return None
    return n if n >= 0 else None


def _next_plain(fh: BinaryIO, pos: int, end: int) -> int | None:
    """Offset of the next line starting with ``WARC/1.`` at or after `pos`, before `end`."""
    if pos == 0:
        fh.seek(0)
        if fh.read(7) == b"WARC/1.":
            return 0
        pos = 1
    scan = pos - 1  # a match is "\nWARC/1." whose W lies at or after pos
    while scan < end:
        fh.seek(scan)
        window = fh.read(CHUNK + 8)
        i = window.find(b"\nWARC/1.")
        if i != -1:
            found = scan + i + 1
            return found if found < end else None
        if len(window) < CHUNK + 8:
            return None
        scan += CHUNK
    return None


def _plain_records(fh: BinaryIO, start: int, end: int, max_block_bytes: int) -> Iterator[Item]:
    pos = _next_plain(fh, start, end)
    while pos is not None and pos < end:
        fh.seek(pos)
        head = fh.read(_HEAD_KEEP)
        parsed = _parse_header(head, 0)
        length = _content_length(parsed[0]) if parsed else None
        if parsed is None or length is None:
            yield RecordError(pos, "corrupt_record", parsed[0] if parsed else {})
            pos = _next_plain(fh, pos + 1, end)
            continue
        headers, body_start = parsed
        fh.seek(pos + body_start)
        oversized = length > max_block_bytes
        block = fh.read(min(length, max_block_bytes if not oversized else _HEAD_KEEP))
        after = pos + body_start + length
        fh.seek(after)
        if len(block) < min(length, _HEAD_KEEP) or (not oversized and len(block) < length):
            yield RecordError(pos, "truncated_record", headers)
            return
        yield RawRecord(pos, headers, block, oversized=oversized)
        trailer = fh.read(4)
        pos = after + len(trailer) - len(trailer.lstrip(b"\r\n"))
