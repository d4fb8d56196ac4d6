"""Decode an HTML payload to text: HTTP header charset, then <meta charset>, then a guess.

Undecodable bytes are replaced (U+FFFD) and counted, never fatal. The guess
(charset-normalizer) only runs on pages that are neither declared nor valid UTF-8, so the
common case costs one strict UTF-8 decode, and `ingest.warc.v1` skips even that: a page
`utf8_candidate` accepts goes to Arrow as bytes and is validated there in bulk.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_GUESS_BYTES = 64 * 1024


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def declared_charset(body: bytes, content_type: str) -> str | None:
    """The charset the server or the page declares, when Python knows it."""
    m = _HEADER.search(content_type or "")
    found = _known(m.group(1)) if m else None
    if found:
        return found
    m2 = _META.search(body[:4096])
    return _known(m2.group(1).decode("ascii", "replace")) if m2 else None


def guess_charset(body: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:_GUESS_BYTES]).best()
    return _known(best.encoding if best else None) or "utf-8"


def utf8_candidate(body: bytes, content_type: str = "") -> bytes | None:
    """The body (without a BOM) when `decode_html` would read it as UTF-8, else None.

    UTF-8 pages can then travel as bytes straight into an Arrow string column, whose bulk
    validation replaces a strict Python decode and re-encode; a page that fails it goes back
    through `decode_html` (replacement and counting, or the guess when nothing was declared).
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:]
    return body if declared_charset(body, content_type) in (None, "utf-8") else None


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str, int]:
    """(text, charset used, number of undecodable bytes replaced)."""
    if body.startswith(codecs.BOM_UTF8):
        charset: str | None = "utf-8"
        body = body[3:]
    else:
        charset = declared_charset(body, content_type)
    if charset is None:
        try:
            return body.decode("utf-8"), "utf-8", 0
        except UnicodeDecodeError:
            charset = guess_charset(body)
    try:
        return body.decode(charset), charset, 0
    except UnicodeDecodeError:
        text = body.decode(charset, errors="replace")
        return text, charset, text.count("\ufffd")
