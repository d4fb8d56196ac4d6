"""decode_body: compressed payloads are inflated (boundedly), whatever the headers say."""

from __future__ import annotations

import gzip
import zlib

import brotli
import pytest
import zstandard
from encoding_fixtures import spanish_page

from corpusforge.ingest.warc import decode_body, looks_binary

PAGE = spanish_page().encode()
LIMIT = 1 << 20


def _deflate_raw(data: bytes) -> bytes:
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


@pytest.mark.parametrize(
    ("content_encoding", "compress"),
    [
        ("gzip", lambda b: gzip.compress(b, mtime=0)),
        ("x-gzip", lambda b: gzip.compress(b, mtime=0)),
        ("deflate", zlib.compress),
        ("deflate", _deflate_raw),  # what many servers send under "deflate"
        ("br", brotli.compress),
        ("zstd", lambda b: zstandard.ZstdCompressor().compress(b)),
        ("BR", brotli.compress),
        ("gzip, br", lambda b: brotli.compress(gzip.compress(b, mtime=0))),  # applied in order, undone in reverse
    ],
    ids=["gzip", "x-gzip", "deflate-zlib", "deflate-raw", "br", "zstd", "br-upper", "gzip-then-br"],
)
def test_content_encodings_are_undone(content_encoding: str, compress) -> None:
    body = compress(PAGE)
    assert decode_body(body, {"content-encoding": content_encoding}, limit=LIMIT) == PAGE


@pytest.mark.parametrize(
    "compress",
    [lambda b: gzip.compress(b, mtime=0), lambda b: zstandard.ZstdCompressor().compress(b)],
    ids=["gzip", "zstd"],
)
def test_compressed_body_without_content_encoding_is_sniffed(compress) -> None:
    body = compress(PAGE)
    assert looks_binary(body)  # what used to reject it as ingest:binary
    assert decode_body(body, {}, limit=LIMIT) == PAGE


def test_gzip_compressed_twice_is_undone_twice() -> None:
    body = gzip.compress(gzip.compress(PAGE, mtime=0), mtime=0)
    assert decode_body(body, {"content-encoding": "gzip"}, limit=LIMIT) == PAGE


@pytest.mark.parametrize("content_encoding", ["gzip", "br", "zstd"])
def test_plain_bytes_mislabelled_as_compressed_stay_as_they_are(content_encoding: str) -> None:
    assert decode_body(PAGE, {"content-encoding": content_encoding}, limit=LIMIT) == PAGE


@pytest.mark.parametrize(
    ("content_encoding", "compress"),
    [
        ("gzip", lambda b: gzip.compress(b, compresslevel=1, mtime=0)),
        ("", lambda b: gzip.compress(b, compresslevel=1, mtime=0)),
        ("br", lambda b: brotli.compress(b, quality=1)),
        ("zstd", lambda b: zstandard.ZstdCompressor(level=1).compress(b)),
        ("", lambda b: zstandard.ZstdCompressor(level=1).compress(b)),
    ],
    ids=["gzip", "gzip-sniffed", "br", "zstd", "zstd-sniffed"],
)
def test_a_decompression_bomb_is_cut_at_the_limit(content_encoding: str, compress) -> None:
    bomb = compress(b"<p>" + b"a" * (64 << 20))  # 64 MiB that packs into a few kB
    assert len(bomb) < 1 << 20
    out = decode_body(bomb, {"content-encoding": content_encoding} if content_encoding else {}, limit=LIMIT)
    assert len(out) == LIMIT + 1  # enough to know it is over the cap, no more
    assert out.startswith(b"<p>aaa")
