"""Undo HTTP content encodings (gzip, deflate, br, zstd), bounded so that a bomb cannot fill memory.

`inflate(body, content_encoding, limit=)` returns at most `limit + 1` bytes: one more than
any caller keeps, so "over the cap" stays visible (the page is then rejected as
`ingest:too_large`) while a 64 MiB payload packed into a few kilobytes costs 1 MiB, not 64.

WARC files hold what servers sent, and servers lie both ways: plain bytes labelled gzip
(left as they are: the binary sniff decides), and gzip or zstd bodies sent without any
`Content-Encoding` (recognised by their magic bytes and inflated). Brotli has no magic
number, so an unlabelled brotli body cannot be recognised and stays binary.
"""

from __future__ import annotations

import io
import zlib

import brotli
import zstandard

_GZIP_MAGIC = b"\x1f\x8b\x08"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_MAGIC = (_GZIP_MAGIC, _ZSTD_MAGIC)
_MAX_LAYERS = 3  # gzip inside gzip happens (a proxy compressing again); more is noise
_CHUNK = 1 << 16


def _zlib(body: bytes, wbits: int, limit: int) -> bytes:
    return zlib.decompressobj(wbits).decompress(body, limit + 1)


def _deflate(body: bytes, limit: int) -> bytes:
    """RFC 9110 says zlib-wrapped; many servers send raw deflate under the same name."""
    try:
        return _zlib(body, 15, limit)
    except zlib.error:
        return _zlib(body, -15, limit)


def _brotli(body: bytes, limit: int) -> bytes:
    d = brotli.Decompressor()
    # brotli >= 1.2: the output buffer stops growing at the limit (it may overshoot by its last step).
    return d.process(body, output_buffer_limit=limit + 1)[: limit + 1]


def _zstd(body: bytes, limit: int) -> bytes:
    # A streaming read: a one-shot decompress would trust (and allocate) the size the frame header claims.
    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(body), read_across_frames=True)
    parts, size = [], 0
    while size <= limit:
        part = reader.read(min(_CHUNK, limit + 1 - size))
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


def _one(body: bytes, coding: str, limit: int) -> bytes | None:
    """`body` with one coding undone; None when the coding is unknown or the bytes are not in it."""
    try:
        if coding in ("gzip", "x-gzip"):
            return _zlib(body, 47, limit)  # 47: gzip or zlib header, auto-detected
        if coding == "deflate":
            return _deflate(body, limit)
        if coding == "br":
            return _brotli(body, limit)
        if coding == "zstd":
            return _zstd(body, limit)
    except (zlib.error, brotli.error, zstandard.ZstdError):
        return None
    return None


def inflate(body: bytes, content_encoding: str, *, limit: int) -> bytes:
    """The payload with its content codings undone (last applied, first undone) and sniffed gzip/zstd layers."""
    if not content_encoding and not body.startswith(_MAGIC):
        return body  # the common case, at the cost of one check
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip()]
    for coding in reversed(codings):
        if coding == "identity":
            continue
        decoded = _one(body, coding, limit)
        if decoded is None:
            return body  # mislabelled: keep what we have, the binary sniff decides
        body = decoded
    for _ in range(_MAX_LAYERS):
        sniffed = "gzip" if body.startswith(_GZIP_MAGIC) else "zstd" if body.startswith(_ZSTD_MAGIC) else None
        decoded = _one(body, sniffed, limit) if sniffed else None
        if decoded is None:
            break
        body = decoded
    return body
