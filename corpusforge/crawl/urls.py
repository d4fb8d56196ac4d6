"""URL canonicalisation and scope rules: one spelling per page, so the frontier fetches it once.

Two forms, for two jobs:

- `canonicalize` gives the URL as it will be requested, and robots.txt is checked against
  exactly that. It lowercases scheme and host (IDNA for non-ASCII hosts), drops the fragment,
  userinfo, the default port and tracking parameters (utm_*, gclid, fbclid, ...), decodes
  escaped unreserved characters (`%2e` is ".", `%7E` is "~") and upper-cases other escapes,
  removes "." and ".." segments (RFC 3986 section 5.2.4, as `urljoin` and browsers do) and
  merges repeated slashes.
  The query keeps its order and spelling: `Disallow: /*?replytocom` must see
  `/wp/?replytocom=5&p=3` as the server will. The result is a fixed point of the HTTP
  client's own preparation (requests re-quotes and decodes unreserved escapes; urllib3
  drops dot segments), so the path checked is the path sent. It returns None for a URL
  that cannot be fetched (not http(s), no host, a bad port, spaces in the host).
- `dedup_key` is the frontier's key: w3lib's `canonicalize_url` of the requested form, which
  also sorts the query and spells spaces and empty values one way, so `?b=2&a=1` and `?a=1&b=2`
  are fetched once.

Repeated slashes are merged because common servers do (nginx's default `merge_slashes`): kept,
`//private/x` would pass `Disallow: /private/` and still be served from /private/. The path
sent has neither dot segments nor repeated slashes, so every server reads it the same way.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

from corpusforge.crawl.config import Scope

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset(
    {"gclid", "fbclid", "msclkid", "yclid", "dclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ref_src"}
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_HOST_OK = re.compile(r"^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$")
_UNRESERVED = frozenset(string.ascii_letters + string.digits + "-._~")
_ESCAPE = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
# Characters left unescaped (RFC 3986 pchar: unreserved, sub-delims, ":" "@"; "/" in paths, "/?" in queries).
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = "/?:@!$&'()*+,;=-._~%"


def canonicalize(url: str, *, base: str | None = None) -> str | None:
    """The URL as it will be requested (resolved against `base`), or None when it is not crawlable.

    >>> canonicalize("HTTP://Example.GAL:80/a/%2e%2e/b/?utm_source=x&z=1&a=2#top")
    'http://example.gal/b/?z=1&a=2'
    """
    url = url.strip()
    if not url or any(ch in url for ch in "\x00\n\r\t"):
        return None
    try:
        if base is not None:
            url = urljoin(base, url)
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        port = parts.port
        host = parts.hostname
    except ValueError:  # bad port, unbalanced IPv6 brackets, ...
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii").lower() if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    host = host.rstrip(".")
    if not host or not _HOST_OK.match(host):
        return None
    if ":" in host:
        host = f"[{host.strip('[]')}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, _clean_path(parts.path), _clean_query(parts.query), ""))


def dedup_key(url: str) -> str:
    """The frontier's key for a canonical URL: the query sorted, spaces and blank values spelt one way."""
    return canonicalize_url(url)


def _normal_escapes(text: str, safe: str) -> str:
    """Decode escaped unreserved characters, upper-case other escapes, escape what must be."""
    text = _STRAY_PERCENT.sub("%25", text)

    def one(m: re.Match[str]) -> str:
        char = chr(int(m.group(1), 16))
        return char if char in _UNRESERVED else "%" + m.group(1).upper()

    return quote(_ESCAPE.sub(one, text), safe=safe)


def _clean_path(path: str) -> str:
    path = _normal_escapes(path, _PATH_SAFE)
    path = _remove_dot_segments(path) if path.startswith("/") else "/" + path
    return re.sub("/{2,}", "/", path)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4 for an absolute path: "/a/b/../c/./d" -> "/a/c/d"."""
    out: list[str] = []
    segments = path.split("/")[1:]
    for seg in segments:
        if seg == "..":
            if out:
                out.pop()
        elif seg != ".":
            out.append(seg)
    if segments[-1] in (".", ".."):
        out.append("")  # "/a/b/.." names the directory "/a/"
    return "/" + "/".join(out)


def _clean_query(query: str) -> str:
    kept = [p for p in query.split("&") if not _is_tracking(p)] if query else []
    return _normal_escapes("&".join(kept), _QUERY_SAFE)


def _is_tracking(param: str) -> bool:
    key = unquote(param.split("=", 1)[0]).lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def host_of(url: str) -> str:
    """The host key used for politeness and partitioning: "host" or "host:port"."""
    return urlsplit(url).netloc


def tld_of(host: str) -> str:
    name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
    return name.rsplit(".", 1)[-1]


@dataclass(frozen=True)
class ScopeRules:
    """Which canonical URLs the crawl may fetch. `seed_hosts` stand in for an empty domain list."""

    scope: Scope
    seed_hosts: frozenset[str]

    def __post_init__(self) -> None:
        object.__setattr__(self, "_allow", [re.compile(p) for p in self.scope.allow_paths])
        object.__setattr__(self, "_deny", [re.compile(p) for p in self.scope.deny_paths])

    def check(self, url: str, *, depth: int) -> str | None:
        """None when `url` is in scope, else the reason ("depth", "domain", "tld", "path")."""
        if depth > self.scope.max_depth:
            return "depth"
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if not self._host_allowed(host, parts.netloc):
            return "domain"
        if self.scope.tlds and tld_of(host) not in {t.lower().lstrip(".") for t in self.scope.tlds}:
            return "tld"
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if self._allow and not any(p.search(path) for p in self._allow):  # type: ignore[attr-defined]
            return "path"
        if any(p.search(path) for p in self._deny):  # type: ignore[attr-defined]
            return "path"
        return None

    def _host_allowed(self, host: str, netloc: str) -> bool:
        if self.scope.domains:
            return any(host == d or host.endswith("." + d) for d in (x.lower() for x in self.scope.domains))
        if self.scope.tlds:
            return True  # a TLD scope alone opens every host under those TLDs
        return netloc in self.seed_hosts
