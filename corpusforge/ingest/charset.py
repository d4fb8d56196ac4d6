"""Decode an HTML payload to text the way the page meant it, not the way it was labelled.

Order: a byte-order mark; UTF-16/32 without one (the NULs give it away); valid UTF-8, even
when the page declares something else (a template that says ISO-8859-15 around UTF-8 text
is a classic of the web, and no single-byte page is valid multi-byte UTF-8 by chance); the
declared charset (HTTP header, then `<meta>`), read as browsers read the label (ISO-8859-1
and ASCII as windows-1252, GB2312 as GBK, ...); and for a page that declares nothing:
mostly-UTF-8 with stray Latin-1 bytes, else a Western European codepage when the bytes read
as Western text, else a charset-normalizer guess.

Why a Western prior: charset-normalizer calls Spanish in Latin-1 cp1250 (ñ -> ń, ¿ -> ż,
à -> ŕ) because both decode cleanly; for the languages this pipeline keeps, Western is
right. The test (`_reads_as_western`) is that accented letters sit next to ASCII letters,
as in "año" or "això"; in Cyrillic, Greek, Hebrew, Arabic or CJK legacy encodings the high
bytes come in runs that make up whole words, so those still go to the guess.

Costs: a page `utf8_candidate` accepts is validated in bulk by Arrow in `ingest.warc.v1`
(no Python decode at all); a declared legacy page costs one failed UTF-8 attempt more than
before (it stops at the first non-UTF-8 byte); only undeclared non-UTF-8 pages that do
not read as Western pay for the guess.
"""

from __future__ import annotations

import codecs
import re

_META = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_HEADER = re.compile(r"charset\s*=\s*[\"']?\s*([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_GUESS_BYTES = 64 * 1024
_SNIFF_BYTES = 4096
UTF8 = "utf-8"

# Labels that browsers decode with a superset (WHATWG Encoding Standard), by Python codec name.
_BROWSER_READS = {
    "iso8859-1": "cp1252",
    "ascii": "cp1252",
    "iso8859-9": "cp1254",
    "iso8859-11": "cp874",
    "tis-620": "cp874",
    "gb2312": "gbk",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
_WIDE = ("utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
# 7-bit encodings whose escape sequences are valid ASCII (and so valid UTF-8).
_SEVEN_BIT = ("utf-7", "hz", "iso2022_jp", "iso2022_jp_1", "iso2022_jp_2", "iso2022_jp_3", "iso2022_kr")
_BOMS = (
    (codecs.BOM_UTF8, UTF8),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose BOM is its prefix
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# windows-1252 as browsers decode it: its five undefined bytes map to the C1 controls (Python's cp1252 fails).
_WEB_1252 = "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252") for b in range(256))
_ESCAPED = re.compile("[\udc80-\udcff]")  # bytes that did not decode, as surrogateescape left them
_C1_BYTES = bytes(range(0x80, 0xA0))
# High bytes that are letters in cp1252 (Š Œ Ž š œ ž Ÿ ª µ º À-Ö Ø-ö ø-ÿ).
_LETTER_CLASS = rb"[\x8a\x8c\x8e\x9a\x9c\x9e\x9f\xaa\xb5\xba\xc0-\xd6\xd8-\xf6\xf8-\xff]"
_LETTER = re.compile(_LETTER_CLASS)
_LETTER_BY_ASCII = re.compile(rb"(?<=[A-Za-z0-9])" + _LETTER_CLASS + rb"|" + _LETTER_CLASS + rb"(?=[A-Za-z0-9])")
_WESTERN_MIN_SHARE = 0.5  # Latin-script text: 0.57-1.0; Cyrillic, Greek, CJK...: 0-0.17 (decode_pages.py --western)


def _known(name: str | None) -> str | None:
    if not name:
        return None
    try:
        found = codecs.lookup(name).name
    except LookupError:
        return None
    return _BROWSER_READS.get(found, found)


def declared_charset(body: bytes, content_type: str) -> str | None:
    """The charset the server or the page declares, when Python knows it, as browsers read it."""
    m = _HEADER.search(content_type or "")
    found = _known(m.group(1)) if m else None
    if found:
        return found
    m2 = _META.search(body[:4096])
    return _known(m2.group(1).decode("ascii", "replace")) if m2 else None


def wide_charset(body: bytes) -> str | None:
    """UTF-16 or UTF-32 (with its byte order) from a BOM or from where the NULs of ASCII markup fall."""
    for bom, name in _BOMS[1:]:
        if body.startswith(bom):
            return name
    head = body[:_SNIFF_BYTES]
    if b"\x00" not in head:
        return None
    quarter = len(head) // 4
    if quarter < 4:
        return None
    nul = [head[i : quarter * 4 : 4].count(0) / quarter for i in range(4)]  # share of NULs at each offset mod 4
    if min(nul[1:]) > 0.9 and nul[0] < 0.1:
        return "utf-32-le"
    if min(nul[:3]) > 0.9 and nul[3] < 0.1:
        return "utf-32-be"
    even, odd = (nul[0] + nul[2]) / 2, (nul[1] + nul[3]) / 2
    if odd > 0.5 and even < 0.1:
        return "utf-16-le"
    if even > 0.5 and odd < 0.1:
        return "utf-16-be"
    return None


def guess_charset(body: bytes) -> str:
    from charset_normalizer import from_bytes

    best = from_bytes(body[:_GUESS_BYTES]).best()
    return _known(best.encoding if best else None) or UTF8


def utf8_candidate(body: bytes, content_type: str = "") -> bytes | None:
    """The body (without a BOM) when it should be read as UTF-8 if it is valid UTF-8, else None.

    UTF-8 pages can then travel as bytes straight into an Arrow string column, whose bulk
    validation replaces a strict Python decode and re-encode; a page that fails it goes back
    through `decode_html`. Pages that declare another charset are left to `decode_html`
    (which still reads them as UTF-8 when they are), and so is UTF-16/32 text, whose ASCII
    markup is valid UTF-8 full of NULs.
    """
    if body.startswith(codecs.BOM_UTF8):
        return body[3:]
    if body.find(b"\x00", 0, _SNIFF_BYTES) != -1:
        return None
    return body if declared_charset(body, content_type) in (None, UTF8) else None


def _utf8_with_1252_fallback(body: bytes) -> tuple[str, int, int]:
    """(text, stray bytes, multi-byte characters): UTF-8 where each byte outside a valid sequence reads as cp1252.

    A UTF-8 template around text pasted from a Latin-1 database is common on Iberian sites; a
    U+FFFD for each ñ would lose what the cp1252 reading keeps. The stray bytes are counted.
    """
    text = body.decode(UTF8, "surrogateescape")
    stray = 0

    def as_1252(m: re.Match[str]) -> str:
        nonlocal stray
        stray += 1
        return _WEB_1252[ord(m.group()) - 0xDC00]

    text = _ESCAPED.sub(as_1252, text)
    multibyte = len(text) - len(text.encode("ascii", "ignore")) - stray
    return text, stray, multibyte


def _reads_as_western(body: bytes) -> bool:
    """Accented letters (read as cp1252) mostly touch an ASCII letter or digit, as in "año", "això"."""
    letters = len(_LETTER.findall(body))
    return letters == 0 or len(_LETTER_BY_ASCII.findall(body)) / letters >= _WESTERN_MIN_SHARE


def western_charset(body: bytes) -> str:
    """cp1252, or ISO-8859-15 for a page whose euro sign is 0xA4 (¤ in cp1252) and that has no 0x80-0x9F."""
    if b"\xa4" in body and len(body.translate(None, _C1_BYTES)) == len(body):
        return "iso8859-15"
    return "cp1252"


def _decode_as(body: bytes, charset: str) -> tuple[str, str, int]:
    if charset == "cp1252":
        return codecs.charmap_decode(body, "strict", _WEB_1252)[0], charset, 0
    try:
        return body.decode(charset), charset, 0
    except UnicodeDecodeError:
        text = body.decode(charset, errors="replace")
        return text, charset, text.count("\ufffd")


def _undeclared(body: bytes) -> tuple[str, str, int]:
    """A page that declares nothing and is not valid UTF-8."""
    text, stray, multibyte = _utf8_with_1252_fallback(body)
    if multibyte > stray:  # mostly UTF-8, with a few Latin-1 bytes
        return text, UTF8, stray
    if _reads_as_western(body):
        return _decode_as(body, western_charset(body))
    return _decode_as(body, guess_charset(body))


def decode_html(body: bytes, content_type: str = "") -> tuple[str, str, int]:
    """(text, charset used, number of bytes that were not valid in that charset)."""
    if body.startswith(codecs.BOM_UTF8):
        body = body[3:]
        charset: str | None = UTF8
    else:
        charset = wide_charset(body)
        if charset is not None:
            bom = next((len(b) for b, name in _BOMS if name == charset and body.startswith(b)), 0)
            return _decode_as(body[bom:], charset)
        charset = declared_charset(body, content_type)
        if charset in _WIDE:  # declared UTF-16/32 without its NULs: browsers read such a <meta> as UTF-8
            charset = UTF8
    if charset not in (None, UTF8) and (charset in _SEVEN_BIT or body.isascii()):
        return _decode_as(body, charset)
    try:
        return body.decode(UTF8), UTF8, 0
    except UnicodeDecodeError:
        pass
    if charset == UTF8:
        text, stray, _ = _utf8_with_1252_fallback(body)
        return text, UTF8, stray
    if charset is not None:
        return _decode_as(body, charset)
    return _undeclared(body)
