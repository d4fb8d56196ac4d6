"""Redact personal data in a URL without breaking it: scheme and host stay, only the values move.

A URL carries personal data where people put it: a query value (`?email=maria%40exemple.cat`,
`?tel=612+34+56+78`), a path segment (`/perfil/12345678Z/`, `/contacto-612345678.html`), the
fragment or the user-info. Each of these parts is percent-decoded, redacted as text, and — only
when something was found — encoded again, so the token lands where the identifier was
(`?email=%3CEMAIL%3E`) and every other part of the URL is byte-for-byte what it was. The host is
never rewritten: `domain` and every host-based grouping (dedup by site, the URL filter) still
hold. A URL that does not parse is redacted as plain text.

In a path, "_" joins words ("tel_612345678"): a part with "_" is redacted once whole (so an
e-mail with "_" in its local part goes entirely) and then piece by piece between the "_".
In a query value "+" may mean a space or a literal plus ("+34..."): both readings are tried and
the one that finds more is kept. Cost: a few regex passes per part, only for the URLs that the
table-level pre-filter (`table.py`) could not rule out.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import SplitResult, quote, quote_plus, unquote, unquote_plus, urlsplit, urlunsplit

from corpusforge.pii.detectors import KINDS
from corpusforge.pii.redact import Redaction, redact

# Characters left as they are when a redacted part is encoded again (RFC 3986 sub-delims and the
# characters each part may hold), so that encoding changes only what it must.
_SAFE_SEGMENT = "!$&'()*+,;=:@~"
_SAFE_VALUE = "!$'()*,;:@/?~"
_SAFE_FRAGMENT = "!$&'()*+,;=:@/?~"
_SAFE_USERINFO = "!$&'()*+,;=:~"


def redact_url(
    url: str, *, tokens: Mapping[str, str] | None = None, kinds: tuple[str, ...] = KINDS, dry_run: bool = False
) -> Redaction:
    """`url` with each identifier in its path, query, fragment or user-info replaced by its token.

    >>> redact_url("https://exemple.cat/alta?correu=maria%40exemple.cat&lang=ca").text
    'https://exemple.cat/alta?correu=%3CEMAIL%3E&lang=ca'
    """
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a malformed port, as urlsplit does on a malformed host
    except ValueError:
        return redact(url, tokens=tokens, kinds=kinds, dry_run=dry_run)
    counts = dict.fromkeys(KINDS, 0)

    def found(text: str) -> int:
        return sum(redact(text, tokens=tokens, kinds=kinds, dry_run=True).counts.values())

    def text(value: str) -> str:
        result = redact(value, tokens=tokens, kinds=kinds)
        for kind, n in result.counts.items():
            counts[kind] += n
        return result.text

    def words(value: str) -> str:
        value = text(value)
        return "_".join(text(piece) for piece in value.split("_")) if "_" in value else value

    def part(raw: str, safe: str) -> str:
        decoded = unquote(raw)
        redacted = words(decoded)
        return raw if redacted == decoded else quote(redacted, safe=safe)

    def query_value(raw: str) -> str:
        if "+" in raw and found(unquote_plus(raw)) > found(unquote(raw)):
            return quote_plus(words(unquote_plus(raw)), safe=_SAFE_VALUE)
        return part(raw, _SAFE_VALUE)

    def query_item(item: str) -> str:
        key, eq, raw = item.partition("=")
        return f"{key}={query_value(raw)}" if eq else query_value(key)

    redacted = SplitResult(
        parts.scheme,
        _netloc(parts.netloc, lambda userinfo: part(userinfo, _SAFE_USERINFO)),
        "/".join(part(segment, _SAFE_SEGMENT) for segment in parts.path.split("/")),
        "&".join(query_item(item) for item in parts.query.split("&")) if parts.query else "",
        part(parts.fragment, _SAFE_FRAGMENT) if parts.fragment else "",
    )
    # Unchanged URLs come back as given (urlunsplit would normalise a bare "?" or "#").
    out = urlunsplit(redacted) if any(counts.values()) and not dry_run else url
    return Redaction(out, counts)


def _netloc(netloc: str, redact_userinfo: Callable[[str], str]) -> str:
    """The host (and port) as they are; the user-info, which may hold a name or an e-mail, redacted."""
    userinfo, at, host = netloc.rpartition("@")
    return f"{redact_userinfo(userinfo)}@{host}" if at else netloc
