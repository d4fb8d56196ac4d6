"""Iterate the records of a WARC or WARC.gz file (or a byte range of one), surviving bad input.

We parse WARC ourselves instead of going through warcio/fastwarc because both stop at the
first corrupt record, and we must keep every record after it. The cost is small: the headers
are parsed in Python, the payload is sliced, never copied more than once.

- Framing: a record's block must end where the next record (or the file) begins, after its
  CRLF CRLF. A Content-Length that lies (99,999,999, or a few bytes short) makes the record
  `error:corrupt_record`, with the bytes skipped in its `detail`, and reading resumes at the
  next line that starts with ``WARC/1.``: the records after it are all read.
- WARC.gz: every record is normally its own gzip member (the WARC standard's recommendation,
  and what Common Crawl does). A member that does not inflate is `error:corrupt_record`; we
  scan forward to the next gzip member whose inflated bytes start with ``WARC/`` and go on. A
  file that ends inside a member is `error:truncated_gzip`; everything before it is kept. A
  member holding several records (a file gzipped as one stream) is read like a plain WARC,
  re-inflated as a stream when it is larger than a page may be, so memory stays bounded.
- Plain WARC: a record whose header is not WARC is `error:corrupt_record`; we resync at the
  next line that starts with ``WARC/1.``.
- A byte range ``[start, end)`` owns the records whose first byte lies in it, so ranges that
  tile a file read each record exactly once.
- A record block larger than `max_block_bytes` is not held in memory: only its first bytes
  are kept and `RawRecord.oversized` is set.
"""

from __future__ import annotations

import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, Protocol

from corpusforge.ingest.gzip_members import CHUNK, GZIP_MAGIC, InflatedMember, inflate_member, next_member

_HEAD_KEEP = 64 * 1024  # bytes of an oversized block kept, enough for its HTTP headers


@dataclass
class RawRecord:
    """One WARC record: its headers (lower-case names), its block and where it starts.

    `inner` is the record's offset inside the inflated gzip member at `offset` when that
    member holds several records (a file gzipped as one stream); 0 otherwise.
    """

    offset: int
    headers: dict[str, str]
    block: bytes
    oversized: bool = False
    inner: int = 0

    @property
    def type(self) -> str:
        return self.headers.get("warc-type", "")


@dataclass
class RecordError:
    """Bytes that could not be read as a record; `reason` is "corrupt_record", "truncated_gzip", ...

    `detail` says what was wrong and how many bytes were skipped to the next record.
    """

    offset: int
    reason: str
    headers: dict[str, str] = field(default_factory=dict)
    detail: str = ""
    inner: int = 0


Item = RawRecord | RecordError


class _Readable(Protocol):
    def seek(self, pos: int, whence: int = 0, /) -> int: ...
    def read(self, n: int, /) -> bytes: ...


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
        yield from _plain_records(fh, start, end, size, max_block_bytes)


# --- WARC.gz -----------------------------------------------------------------------------


def _gzip_records(fh: BinaryIO, start: int, end: int, max_block_bytes: int) -> Iterator[Item]:
    pos: int | None = start if start == 0 else next_member(fh, start, end)
    cap = max_block_bytes + _HEAD_KEEP
    while pos is not None and pos < end:
        data, nxt, total, error = inflate_member(fh, pos, cap)
        cut = yield from _member_records(fh, pos, data, total, max_block_bytes, cut_reason=error)
        if error is not None and not cut:  # the damage fell between records: still one error
            yield RecordError(pos, error, detail=f"gzip member at offset {pos}: {error} after {total} inflated bytes")
        if error == "truncated_gzip":
            return
        pos = next_member(fh, pos + 1, end) if error is not None else nxt


def _member_records(
    fh: BinaryIO, pos: int, data: bytes, total: int, max_block_bytes: int, *, cut_reason: str | None
) -> Generator[Item, None, bool]:
    """The records of one inflated member (`data`: its first bytes, `total`: its size).

    Fast path: a member that is exactly one record (what WARC writers produce) is sliced from
    `data`. Anything else (several records, a lying Content-Length, a stream too large to hold)
    goes through the plain-WARC parser, over `data` or over the member re-inflated as a stream.
    Returns True when a record ran past the member's end and was reported under `cut_reason`.
    """
    parsed = _parse_header(data, 0) if cut_reason is None else None
    if parsed is not None:
        headers, body_start = parsed
        length = _content_length(headers)
        after = body_start + length if length is not None else -1
        if after >= 0 and 0 <= total - after <= 4 and not data[after:].strip(b"\r\n"):
            oversized = total > len(data)
            block = data[body_start : body_start + _HEAD_KEEP] if oversized else data[body_start:after]
            yield RawRecord(pos, headers, block, oversized=oversized)
            return False
    view: _Readable = io.BytesIO(data) if total <= len(data) else InflatedMember(fh, pos)
    cut = False
    for item in _plain_records(view, 0, total, total, max_block_bytes, cut_reason or "corrupt_record"):
        item.offset, item.inner = pos, item.offset
        if isinstance(item, RecordError) and item.reason == cut_reason:
            cut = True
        yield item
    return cut


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


def _next_plain(fh: _Readable, pos: int, end: int) -> int | None:
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


def _after_block(fh: _Readable, after: int) -> tuple[int, bytes]:
    """(offset past the CRLFs that follow a block ending at `after`, the first bytes there)."""
    fh.seek(after)
    tail = fh.read(16)
    pos = after
    while tail[:1] in (b"\r", b"\n"):  # the CRLF CRLF after a block, or a few more
        stripped = tail.lstrip(b"\r\n")
        pos += len(tail) - len(stripped)
        tail = stripped if len(stripped) >= 7 else stripped + fh.read(16)
    return pos, tail


def _skipped(pos: int, nxt: int | None, size: int, what: str) -> str:
    to = f"the next record at offset {nxt}" if nxt is not None else "the end of the file"
    return f"{what}; skipped {(size if nxt is None else nxt) - pos} bytes to {to}"


def _plain_records(
    fh: _Readable, start: int, end: int, size: int, max_block_bytes: int, cut_reason: str = "truncated_record"
) -> Iterator[Item]:
    """Records of a plain WARC (or of one inflated gzip member) starting in ``[start, end)``.

    A block must end where the next record (or the file) begins, after its CRLF CRLF. When
    it does not, the Content-Length lied: the record is `error:corrupt_record` and reading
    resumes at the next ``WARC/1.`` line after its header. Two cases keep the record: its
    block ends with the CRLF trailer and no header lies inside it (then the damage is in what
    follows, counted on its own). A record that runs past `size` is `cut_reason`.
    """
    if size == 0:
        return
    pos = _next_plain(fh, start, size)
    if start == 0 and pos != 0:  # the file does not begin with a record
        yield RecordError(0, "corrupt_record", detail=_skipped(0, pos, size, "no WARC header at the start"))
    while pos is not None and pos < end:
        fh.seek(pos)
        head = fh.read(_HEAD_KEEP)
        parsed = _parse_header(head, 0)
        length = _content_length(parsed[0]) if parsed else None
        if parsed is None or length is None:
            nxt = _next_plain(fh, pos + 1, size)
            if nxt is None and parsed is None and head.startswith(b"WARC/") and pos + len(head) >= size:
                yield RecordError(pos, cut_reason, detail="the file ends inside a WARC header")
                return
            what = "not a WARC header" if parsed is None else "no valid Content-Length"
            yield RecordError(pos, "corrupt_record", parsed[0] if parsed else {}, _skipped(pos, nxt, size, what))
            pos = nxt
            continue
        headers, body_start = parsed
        after = pos + body_start + length
        block, nxt, tail = b"", after, b""
        if after <= size:  # the block first, then what follows: an inflated stream reads forward
            fh.seek(pos + body_start)
            block = fh.read(_HEAD_KEEP if length > max_block_bytes else length)
            nxt, tail = _after_block(fh, after)
            if not tail or tail.startswith(b"WARC/1."):
                yield RawRecord(pos, headers, block, oversized=length > max_block_bytes)
                pos = nxt
                continue
        resync = _next_plain(fh, pos + 1, size)
        if after <= size and nxt > after and (resync is None or resync >= after):
            yield RawRecord(pos, headers, block, oversized=length > max_block_bytes)
            pos = nxt  # the next iteration counts the damaged bytes there
            continue
        if resync is None and after > size:
            yield RecordError(pos, cut_reason, headers, f"the block ends {after - size} bytes past the end")
            return
        what = f"Content-Length {length} does not end at a record boundary"
        yield RecordError(pos, "corrupt_record", headers, _skipped(pos, resync, size, what))
        pos = resync
