"""Decide whether a URL is blocked, and why.

Lists, in the order they are checked (the first match is the reason):

1. allow-list (`allow_domains`): a host equal to or under one of them is never blocked;
2. `blocked_domain`: the host or any parent domain is on the domain blocklist;
3. `blocked_url`: the exact URL is on the URL blocklist;
4. `blocked_word`: a whole word of the URL is a banned word ("porno" in ".../porno-gratis");
5. `soft_blocked_words`: at least `soft_word_threshold` words from the soft list;
6. `blocked_subword`: a banned sub-word occurs anywhere in the URL's letters and digits.

The domain and URL lists are the UT1 blacklists (Université Toulouse 1, CC BY-SA) that
datatrove ships in its assets, read from the installed datatrove when present; without it
only the project's small lists (`lists/`) apply. The 4.6 M domains are kept as a sorted
array of 64-bit hashes (~37 MB, ~1 s to load once per worker), looked up by binary search.
"""

from __future__ import annotations

import importlib.util
import re
import tarfile
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

import numpy as np
import xxhash

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
TLD_HINTS = {"es": "es", "cat": "cat", "eus": "eus", "gal": "gal"}


def host_of(url: str | None) -> str:
    """Lower-case host of a URL without port or trailing dot ('' when there is none)."""
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")


def tld_hint(host: str) -> str | None:
    """'es', 'cat', 'eus' or 'gal' for hosts under those TLDs, else None."""
    return TLD_HINTS.get(host.rsplit(".", 1)[-1]) if host else None


def _parents(host: str) -> list[str]:
    """'a.b.example.com' -> ['a.b.example.com', 'b.example.com', 'example.com'] (no bare TLD)."""
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)] or [host]


def _read_words(text: str) -> set[str]:
    words = (line.strip().lower() for line in text.splitlines())
    return {w for w in words if w and not w.startswith("#")}


def _hash_sorted(items: list[bytes]) -> np.ndarray:
    hashes = np.fromiter(map(xxhash.xxh64_intdigest, items), dtype=np.uint64, count=len(items))
    hashes.sort()
    return hashes


def _datatrove_assets() -> Path | None:
    spec = importlib.util.find_spec("datatrove")
    if spec is None or not spec.submodule_search_locations:
        return None
    assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
    return assets if (assets / "url_filterblacklistsv0_3_0.tar.gz").exists() else None


@dataclass
class UrlFilter:
    domain_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    url_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    banned_words: set[str] = field(default_factory=set)
    soft_words: set[str] = field(default_factory=set)
    subwords: re.Pattern[str] | None = None
    soft_word_threshold: int = 2
    allow_domains: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()

    @classmethod
    def load(
        cls,
        *,
        use_datatrove: bool = True,
        extra_domains: list[str] | tuple[str, ...] = (),
        extra_words: list[str] | tuple[str, ...] = (),
        allow_domains: list[str] | tuple[str, ...] = (),
        soft_word_threshold: int = 2,
    ) -> UrlFilter:
        """Build the lists: project lists + extras, plus datatrove's UT1 lists when installed."""
        own = resources.files("corpusforge.urlfilter.lists")
        domains = [d.encode() for d in _read_words(own.joinpath("blocked_domains.txt").read_text("utf-8"))]
        domains += [d.strip().lower().encode() for d in extra_domains]
        words = _read_words(own.joinpath("banned_words.txt").read_text("utf-8")) | {w.lower() for w in extra_words}
        urls: list[bytes] = []
        soft: set[str] = set()
        subwords: set[str] = set()
        sources = ["corpusforge/urlfilter/lists"]
        assets = _datatrove_assets() if use_datatrove else None
        if assets is not None:
            with tarfile.open(assets / "url_filterblacklistsv0_3_0.tar.gz", "r:gz") as tar:
                for name, sink in (("domains", domains), ("urls", urls)):
                    member = tar.extractfile(name)
                    if member is not None:
                        sink.extend(line.strip() for line in member.read().split(b"\n") if line.strip())
            normal = lambda text: {_NON_ALNUM.sub("", w) for w in _read_words(text)} - {""}  # noqa: E731
            words |= normal((assets / "banned_words.txt").read_text("utf-8"))
            soft = normal((assets / "soft_banned_words.txt").read_text("utf-8"))
            subwords = normal((assets / "banned_subwords.txt").read_text("utf-8"))
            sources.append(f"datatrove UT1 lists ({assets})")
        pattern = re.compile("|".join(sorted(map(re.escape, subwords), key=len, reverse=True))) if subwords else None
        allow = frozenset(d.strip().lower().rstrip(".") for d in allow_domains)
        return cls(
            _hash_sorted(domains), _hash_sorted(urls), words, soft, pattern, soft_word_threshold, allow, tuple(sources)
        )

    def _listed(self, hashes: np.ndarray, keys: list[str]) -> bool:
        if not len(hashes):
            return False
        probe = np.fromiter((xxhash.xxh64_intdigest(k.encode()) for k in keys), np.uint64, len(keys))
        pos = np.searchsorted(hashes, probe).clip(max=len(hashes) - 1)
        return bool((hashes[pos] == probe).any())

    def check(self, url: str | None) -> str | None:
        """The reason the URL is blocked, or None (also for a missing URL or an allowed host)."""
        host = host_of(url)
        if not url or not host:
            return None
        parents = _parents(host)
        if self.allow_domains and any(p in self.allow_domains for p in parents):
            return None
        if self._listed(self.domain_hashes, parents):
            return "blocked_domain"
        if self._listed(self.url_hashes, [url.split("://", 1)[-1]]):
            return "blocked_url"
        lowered = url.lower()
        url_words = set(_NON_ALNUM.split(lowered))
        if not self.banned_words.isdisjoint(url_words):
            return "blocked_word"
        if self.soft_words and len(self.soft_words & url_words) >= self.soft_word_threshold:
            return "soft_blocked_words"
        if self.subwords is not None and self.subwords.search(_NON_ALNUM.sub("", lowered)):
            return "blocked_subword"
        return None
