"""Decide whether a URL is blocked, and why.

Lists, in the order they are checked (the first match is the reason):

1. allow-list (`allow_domains`): a host equal to or under one of them is never blocked;
2. `blocked_domain`: the host or any parent domain is on the domain blocklist;
3. `blocked_url`: the exact URL (without scheme) is on the URL blocklist;
4. `blocked_word`: a whole word of the URL is a banned word ("porno" in ".../porno-gratis");
5. `soft_blocked_words`: at least `soft_word_threshold` words from the soft list;
6. `blocked_subword`: a banned sub-word occurs anywhere in the URL's letters and digits.

Where the lists come from, and their versions, is `sources.py`. The 4.6 M UT1 domains are kept as a
sorted array of 64-bit hashes (~37 MB; built once per installed archive, then memory-mapped: `ut1_cache.py`); `check_many` hashes every
candidate domain of a batch and looks them all up with one binary search, and the sub-words are one
regex built as a trie (a flat alternation of 134 words tries each at every position: ~7x slower).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import numpy as np
import xxhash

from corpusforge.urlfilter import sources, ut1_cache

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NEVER = re.compile(r"(?!)")
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


def _normalised(text: str) -> set[str]:
    """Words as they are matched: lower case, letters and digits only (datatrove's normalisation)."""
    return {_NON_ALNUM.sub("", w) for w in _read_words(text)} - {""}


def _merged(big: np.ndarray, small: np.ndarray) -> np.ndarray:
    """Two sorted hash arrays as one sorted array (a copy: `big` may be a read-only memory map)."""
    return np.insert(big, np.searchsorted(big, small), small)


def substring_pattern(words: Iterable[str]) -> re.Pattern[str]:
    """One regex that finds any of `words` as a substring, written as a trie ("porn(?:hub|o)?|sex...")."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here

    def alternation(node: dict[str, dict]) -> str:
        branches = [re.escape(ch) + alternation(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        # Any word ending here already matched: the rest only makes the match longer.
        return f"(?:{body})?" if "" in node else body

    return re.compile(alternation(trie)) if trie else _NEVER


@dataclass
class UrlFilter:
    domain_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    url_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, np.uint64))
    banned_words: set[str] = field(default_factory=set)
    soft_words: set[str] = field(default_factory=set)
    subwords: re.Pattern[str] | None = None
    soft_word_threshold: int = 2
    allow_domains: frozenset[str] = frozenset()
    origins: tuple[str, ...] = ()  # what was loaded, for logs and errors

    @classmethod
    def load(
        cls,
        *,
        ut1: bool = True,
        domain_files: Sequence[str] = (),
        word_files: Sequence[str] = (),
        extra_domains: Sequence[str] = (),
        extra_words: Sequence[str] = (),
        allow_domains: Sequence[str] = (),
        soft_word_threshold: int = 2,
    ) -> UrlFilter:
        """Build the lists: the project's own, the UT1 lists (ListMissing when not installed), the
        configured files, then `extra_*` from params."""
        domains = [d.encode() for d in _read_words(sources.own_list("blocked_domains.txt"))]
        words = _read_words(sources.own_list("banned_words.txt"))
        ut1_domains = ut1_urls = np.zeros(0, np.uint64)
        soft: set[str] = set()
        subwords: set[str] = set()
        used = ["corpusforge/urlfilter/lists"]
        if ut1:
            assets = sources.ut1_assets()
            ut1_domains, ut1_urls = ut1_cache.ut1_hashes()
            words |= _normalised((assets / "banned_words.txt").read_text("utf-8"))
            soft = _normalised((assets / "soft_banned_words.txt").read_text("utf-8"))
            subwords = _normalised((assets / "banned_subwords.txt").read_text("utf-8"))
            used.append(f"UT1 {sources.UT1_ARCHIVE} (datatrove {sources.datatrove_version()})")
        sources.check_files(tuple(domain_files) + tuple(word_files))
        for path in domain_files:
            with open(path, encoding="utf-8") as fh:
                domains += [d.encode() for d in _read_words(fh.read())]
        for path in word_files:
            with open(path, encoding="utf-8") as fh:
                words |= _read_words(fh.read())
        used += [*domain_files, *word_files]
        domains += [d.strip().lower().encode() for d in extra_domains]
        words |= {w.lower() for w in extra_words}
        allow = frozenset(d.strip().lower().rstrip(".") for d in allow_domains)
        pattern = substring_pattern(subwords) if subwords else None
        return cls(
            _merged(ut1_domains, ut1_cache.hash_sorted(domains)), np.asarray(ut1_urls), words, soft, pattern,
            soft_word_threshold, allow, tuple(used),
        )  # fmt: skip

    @staticmethod
    def _hits(hashes: np.ndarray, keys: list[str]) -> np.ndarray:
        """For each key, whether it is on the hashed list (one vectorised binary search)."""
        if not len(hashes) or not keys:
            return np.zeros(len(keys), dtype=bool)
        probe = np.fromiter((xxhash.xxh64_intdigest(k.encode()) for k in keys), np.uint64, len(keys))
        pos = np.searchsorted(hashes, probe).clip(max=len(hashes) - 1)
        return hashes[pos] == probe

    def check(self, url: str | None) -> str | None:
        """The reason the URL is blocked, or None (also for a missing URL or an allowed host)."""
        return self.check_many([url])[0]

    def check_many(self, urls: Sequence[str | None], *, hosts: Sequence[str] | None = None) -> list[str | None]:
        """`check` for a batch: the domain and URL lists are searched once for all of it. `hosts`
        (`host_of` of each URL) saves parsing the URLs again when the caller has them."""
        reasons: list[str | None] = [None] * len(urls)
        todo: list[int] = []
        keys: list[str] = []
        owners: list[int] = []
        for i, (url, host) in enumerate(zip(urls, hosts if hosts is not None else map(host_of, urls))):
            if not url or not host:
                continue
            parents = _parents(host)
            if self.allow_domains and any(p in self.allow_domains for p in parents):
                continue
            todo.append(i)
            keys += parents
            owners += [i] * len(parents)
        for i in np.unique(np.asarray(owners, dtype=np.int64)[self._hits(self.domain_hashes, keys)]):
            reasons[i] = "blocked_domain"
        todo = [i for i in todo if reasons[i] is None]
        listed = self._hits(self.url_hashes, [str(urls[i]).split("://", 1)[-1] for i in todo])
        for i, hit in zip(todo, listed):
            reasons[i] = "blocked_url" if hit else self._word_reason(str(urls[i]))
        return reasons

    def _word_reason(self, url: str) -> str | None:
        lowered = url.lower()
        url_words = set(_NON_ALNUM.split(lowered))
        if not self.banned_words.isdisjoint(url_words):
            return "blocked_word"
        if self.soft_words and len(self.soft_words & url_words) >= self.soft_word_threshold:
            return "soft_blocked_words"
        if self.subwords is not None and self.subwords.search(_NON_ALNUM.sub("", lowered)):
            return "blocked_subword"
        return None
