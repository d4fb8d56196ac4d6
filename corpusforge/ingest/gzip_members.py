"""Gzip members of a WARC.gz: find them, inflate one, and read a large one as a seekable stream.

Common Crawl and most writers put every record in its own gzip member, which `inflate_member`
inflates in one call. Some files are a single gzip stream holding every record (`gzip
file.warc`); `InflatedMember` lets the plain-WARC record parser walk such a member with
bounded memory instead of holding it whole.
"""

from __future__ import annotations

import zlib
from typing import BinaryIO

from isal import isal_zlib  # Intel ISA-L: inflates about twice as fast as zlib, the same bytes out

# isal's stub declares `error` as an instance; at run time it is the exception class.
INFLATE_ERROR: type[Exception] = isal_zlib.error  # type: ignore[assignment]

GZIP_MAGIC = b"\x1f\x8b\x08"
CHUNK = 1 << 20


def looks_like_member(fh: BinaryIO, pos: int) -> bool:
    """True when a gzip member starts at `pos` and inflates to a WARC header."""
    fh.seek(pos)
    data = fh.read(64 * 1024)
    try:
        out = zlib.decompressobj(31).decompress(data, 16)
    except zlib.error:
        return False
    return out.startswith(b"WARC/")


def next_member(fh: BinaryIO, pos: int, end: int) -> int | None:
    """Offset of the first valid gzip member at or after `pos` and before `end`."""
    while pos < end:
        fh.seek(pos)
        window = fh.read(CHUNK + 2)
        if not window:
            return None
        i = window.find(GZIP_MAGIC)
        while i != -1 and pos + i < end:
            if looks_like_member(fh, pos + i):
                return pos + i
            i = window.find(GZIP_MAGIC, i + 1)
        if len(window) < CHUNK + 2:
            return None
        pos += CHUNK
    return None


def inflate_member(fh: BinaryIO, pos: int, cap: int) -> tuple[bytes, int, int, str | None]:
    """Inflate the member at `pos`: (its first `cap` bytes, next offset, inflated size, error).

    On an error ("truncated_gzip", "corrupt_record") the bytes and size are those inflated
    before it, so the records they hold can still be read.
    """
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
            except INFLATE_ERROR:
                return b"".join(parts), pos + consumed, total, "corrupt_record"
            rest = d.unused_data if d.eof else d.unconsumed_tail
            consumed += len(buf) - len(rest)
            buf = b"" if d.eof else d.unconsumed_tail
            total += len(out)
            if kept < cap:
                parts.append(out[: cap - kept])
                kept += len(parts[-1])
    return b"".join(parts), pos + consumed, total, None


class InflatedMember:
    """A read-only, seekable file over the inflated bytes of the gzip member at `start` of `fh`.

    Reading forward inflates as it goes and keeps the last `WINDOW` bytes, so the record
    parser's short backward seeks (from a record's head back to its block) cost nothing. A
    seek further back inflates again from the member's start: that happens only to resync
    after a corrupt record. An inflate error ends the stream where it occurred.
    """

    WINDOW = 4 * CHUNK

    def __init__(self, fh: BinaryIO, start: int) -> None:
        self._fh = fh
        self._start = start
        self._pos = 0
        self._restart()

    def _restart(self) -> None:
        self._d = isal_zlib.decompressobj(31)
        self._next_in = self._start  # file offset of the next compressed byte to read
        self._pending = b""  # compressed bytes read but not yet inflated
        self._buf = bytearray()
        self._buf_start = 0  # inflated offset of self._buf[0]
        self._done = False

    def seek(self, pos: int, whence: int = 0) -> int:
        if whence != 0:
            raise ValueError("InflatedMember seeks from the start only")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def read(self, n: int) -> bytes:
        if self._pos < self._buf_start:
            self._restart()
        self._fill(self._pos + n)
        i = self._pos - self._buf_start
        out = bytes(self._buf[i : i + n]) if i >= 0 else b""
        self._pos += len(out)
        return out

    def _fill(self, upto: int) -> None:
        while self._buf_start + len(self._buf) < upto and not self._done:
            if not self._pending:
                self._fh.seek(self._next_in)
                self._pending = self._fh.read(CHUNK)
                self._next_in += len(self._pending)
                if not self._pending:
                    self._done = True
                    return
            try:
                out = self._d.decompress(self._pending, CHUNK)
            except INFLATE_ERROR:
                self._done = True
                return
            self._pending = b"" if self._d.eof else self._d.unconsumed_tail
            self._done = self._d.eof
            self._buf += out
            drop = min(len(self._buf), self._pos - self.WINDOW - self._buf_start)
            if drop > 0:  # far behind the reader: a skipped block is never held whole
                del self._buf[:drop]
                self._buf_start += drop
