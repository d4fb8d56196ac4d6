"""PII detectors: a candidate pattern, a validator, and a cheap shape that skips the pattern.

Each detector finds candidates with a regular expression and keeps only those its
validator accepts (check letters, mod-97, Luhn, octet ranges). Numeric patterns refuse to
start or end inside a longer run of digits ("digit, separator, digit" around them), so a
16-digit card never yields a 9-digit "phone" and an IBAN's groups never yield a card.

Spanish phone numbers: 9 digits starting 6, 7, 8 or 9, optionally after +34 / 0034 / (+34),
with spaces or hyphens anywhere between digits ("612 34 56 78", "91-123-45-67"). Dots are
accepted only after a +34 prefix, because "900.000.000" in running text is an amount far
more often than a phone; a number followed by €, % or "euros" is never a phone, nor one that the
words around it make a count ("registró 600 123 456 visitas", see `context.py`). A dotted
quad after "apartado", "article", "versión" ... is a section or version number, not an IP.

Shapes: every match of a detector's pattern contains its `shape` (an "@"; nine digits with single
separators; seven digits with at most two dots; a dotted quad or two colons), so a text without
it is not searched. The shapes have no look-arounds, so a search for one skips along the text
(~3x faster than the pattern); a date ("2024-05-01") or an amount ("1.234 euros") has none of
them. Their union is what the table-level pre-filter looks for (`SHAPES`, `table.py`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from corpusforge.pii import validators as v
from corpusforge.pii.context import is_quantity

# Not inside a word, and not right after "digit + separator" (the tail of a longer number).
_PRE = r"(?<![\w+])(?<!\d[ .\-])"
# Not followed by a word character or by "separator + digit" (a longer number).
_POST = r"(?![\w])(?![ .\-]\d)"


# What a match of each pattern contains (see the module docstring); `\d` as in the patterns.
EMAIL_SHAPE = re.compile(r"@")
LONG_NUMBER = re.compile(r"\d(?:[ .\-]?\d){8}")  # phone, card (13+ digits), IBAN (22 digits)
ID_NUMBER = re.compile(r"\d\d\.?\d\d\d\.?\d\d")  # DNI, NIE, CIF: 7-8 digits, dots only
IP_SHAPE = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|:[0-9A-Fa-f]{0,4}:")  # dotted quad, IPv6 colons


@dataclass(frozen=True)
class Detector:
    kind: str  # column suffix and default token: "dni" -> pii_dni, <DNI>
    pattern: re.Pattern[str]
    valid: Callable[[str], bool]  # gets the match with separators removed, upper-cased
    shape: re.Pattern[str]  # found in every match of `pattern`: a text without it is not searched
    # Vetoes a match by the words around it: (text, start, end) -> keep?
    context_ok: Callable[[str, int, int], bool] = lambda text, start, end: True


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-()+]", "", text).upper()


def _phone_ok(raw: str) -> bool:
    digits = re.sub(r"\D", "", raw)
    if raw.lstrip().startswith(("+", "(")) or (digits.startswith("0034") and len(digits) == 13):
        digits = digits[-9:]
    return len(digits) == 9 and digits[0] in "6789"


# "apartado 3.2.1.2", "versió 1.2.3.4": numbered sections and versions look like IPv4 addresses.
_NOT_IP_BEFORE = re.compile(
    r"(?:apartados?|apartats?|art[íi]culos?|articles?|artigos?|art\.|secci[óo]n|secci[óo]|epígrafe|punto|punt|"
    r"puntua|atala|artikulua|cap[íi]tulo|capítol|anexo|annex|versi[óo]n|versió|versión|bertsioa|v)[\s.:ºª]*$",
    re.IGNORECASE,
)


def _ip_context_ok(text: str, start: int, end: int) -> bool:
    return _NOT_IP_BEFORE.search(text[max(0, start - 24) : start]) is None


def _phone_context_ok(text: str, start: int, end: int) -> bool:
    """A +34 number is a phone; a bare one is not when the words around it count something."""
    return text[start] in "+(0" or not is_quantity(text, start, end)


DETECTORS: tuple[Detector, ...] = (
    Detector(
        "email",
        re.compile(r"(?<![\w.+\-])[\w+\-]+(?:\.[\w+\-]+)*@[\w\-]+(?:\.[\w\-]+)*\.[A-Za-z]{2,24}(?![\w\-])"),
        lambda s: True,
        EMAIL_SHAPE,
    ),
    Detector(
        "iban",
        re.compile(r"(?<![\w])ES\d{2}(?:[ \-]?\d{4}){5}" + _POST, re.IGNORECASE),
        lambda s: v.iban_ok(s),
        LONG_NUMBER,
    ),
    Detector(
        "card",
        re.compile(
            _PRE + r"(?:[2-6]\d{12,18}"  # contiguous
            r"|[2-6]\d{3}([ \-])\d{4}\1\d{4}\1\d{1,4}(?:\1\d{1,3})?"  # 4-4-4-4(-3)
            r"|3\d{3}([ \-])\d{6}\2\d{4,5})" + _POST  # Amex 4-6-5, Diners 4-6-4
        ),
        lambda s: v.luhn_ok(s),
        LONG_NUMBER,
    ),
    Detector(
        "nie",
        re.compile(r"(?<![\w])[XYZ][ \-]?\d{7}[ \-]?[A-Za-z](?![\w])"),
        lambda s: v.nie_ok(s),
        ID_NUMBER,
    ),
    Detector(
        "cif",
        re.compile(r"(?<![\w])[" + v.CIF_TYPES + r"][ \-]?\d{2}\.?\d{3}\.?\d{2}[ \-]?[0-9A-J](?![\w])"),
        lambda s: v.cif_ok(s),
        ID_NUMBER,
    ),
    Detector(
        "dni",
        re.compile(_PRE + r"\d{2}\.?\d{3}\.?\d{3}[ \-]?[A-Za-z](?![\w])"),
        lambda s: v.dni_ok(s),
        ID_NUMBER,
    ),
    Detector(
        "ip",
        re.compile(
            r"(?<![\w.:])(?:(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)"  # IPv4
            r"|(?=[0-9A-Fa-f:]*\d)(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:]))"  # IPv6 with a digit
        ),
        lambda s: v.ip_ok(s) and (s.count(":") >= 2 or s.count(".") == 3) and len(s) >= 7,
        IP_SHAPE,
        _ip_context_ok,
    ),
    Detector(
        "phone",
        re.compile(
            _PRE
            + r"(?:(?:(?:\+|00)34|\(\+?34\))[ .\-]?[6789](?:[ .\-]?\d){8}|[6789](?:[ \-]?\d){8})"
            + _POST
            + r"(?![ ]?(?:€|%|euros?\b|EUR\b))"
        ),
        _phone_ok,
        LONG_NUMBER,
        _phone_context_ok,
    ),
)
KINDS: tuple[str, ...] = tuple(d.kind for d in DETECTORS)
SHAPES: tuple[re.Pattern[str], ...] = tuple(dict.fromkeys(d.shape for d in DETECTORS))


def raw_value(kind: str, match: str) -> str:
    """What the validator sees: IP addresses as written, the rest compacted and upper-cased."""
    return match if kind in ("ip", "phone") else _compact(match)
