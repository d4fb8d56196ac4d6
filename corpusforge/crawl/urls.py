"""URL canonicalisation and scope rules: one spelling per page, so the frontier fetches it once.

`canonicalize` lowercases scheme and host (IDNA for non-ASCII hosts), drops the fragment,
the default port and tracking parameters (utm_*, gclid, fbclid, ...), resolves "." and ".."
segments, normalises percent-encoding and sorts the query. It returns None for a URL that
cannot be fetched (not http(s), no host, a bad port, spaces in the host).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from corpusforge.crawl.config import Scope

DEFAULT_PORTS = {"http": 80, "https": 443}
TRACKING_PARAMS = frozenset(
    {"gclid", "fbclid", "msclkid", "yclid", "dclid", "igshid", "mc_cid", "mc_eid", "_ga", "_gl", "ref_src"}
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_")
_HOST_OK = re.compile(r"^[a-z0-9.-]+$|^\[[0-9a-f:.]+\]$")
# Characters left unescaped in paths and queries (RFC 3986 unreserved + sub-delims + ":@/").
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = ":@!$'()*+,;/?-._~%"


def canonicalize(url: str, *, base: str | None = None) -> str | None:
    """The canonical form of `url` (resolved against `base`), or None when it is not crawlable.

    >>> canonicalize("HTTP://Example.GAL:80/a/../b/?utm_source=x&z=1&a=2#top")
    'http://example.gal/b/?a=2&z=1'
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


def _clean_path(path: str) -> str:
    if not path:
        return "/"
    normal = posixpath.normpath(path)
    normal = "/" + normal.lstrip("/") if normal != "." else "/"
    if path.endswith("/") and not normal.endswith("/"):
        normal += "/"
    return quote(normal, safe=_PATH_SAFE)


def _clean_query(query: str) -> str:
    if not query:
        return ""
    pairs = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if k.lower() not in TRACKING_PARAMS and not k.lower().startswith(TRACKING_PREFIXES)
    ]
    return urlencode(sorted(pairs), quote_via=quote, safe=_QUERY_SAFE)


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
