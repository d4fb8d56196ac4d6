"""Robots and licence signals of a web page, read from its HTTP headers and HTML at crawl time.

What a publisher said about reuse when the page was fetched travels with the document:

- `robots`: the robots directives that apply to us, lower case, sorted, comma-joined
  ("noai,noimageai,noindex"), or None. They come from `X-Robots-Tag` headers and
  `<meta name="robots">` tags, and from both when they name an AI or Common Crawl agent
  (`<meta name="GPTBot" content="noindex">`, `X-Robots-Tag: ccbot: noai`); directives aimed
  at other agents (`googlebot: noindex`) are left out. The TDM Reservation Protocol (W3C
  TDMRep: header `tdm-reservation: 1` or `<meta name="tdm-reservation" content="1">`), the
  EU text-and-data-mining opt-out, is recorded as the pseudo-directive `tdm-reservation`.
- `license_url`: the page's licence link: the `href` of the first `<a|link rel="license">`,
  else of the first link to a Creative Commons licence or public-domain tool, made absolute.

`AI_OPTOUT` names the directives that opt a page out of AI training (`noai`, the de facto
directive, and the TDM reservation); `url.filter.v1` drops such pages with
`respect_ai_optout = true`. Cost: one regular expression for `<meta>` tags over the first 64 kB, two literal searches
(bytes.find: "icen", "publicdomain") over the whole page, and small expressions over the tags
they find; on 180 kB pages about a sixth of what resiliparse's extraction costs.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Mapping
from urllib.parse import urljoin

# Agents whose directives we obey besides the generic ones: AI-training and archive crawlers.
AI_AGENTS = frozenset(
    {
        "ccbot",
        "gptbot",
        "chatgpt-user",
        "google-extended",
        "anthropic-ai",
        "claudebot",
        "claude-web",
        "cohere-ai",
        "perplexitybot",
        "bytespider",
        "applebot-extended",
        "meta-externalagent",
        "omgilibot",
        "corpusforge",
    }
)
AI_OPTOUT = ("noai", "tdm-reservation")
TDM_RESERVATION = "tdm-reservation"
# Directives that carry a value after a colon, so "name: value" is not "agent: directive".
_VALUED = frozenset({"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"})
_HEAD_BYTES = 65_536
_META_NAMES = b"|".join(re.escape(n.encode()) for n in sorted(AI_AGENTS | {"robots", TDM_RESERVATION}))
_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)  # a literal "<" first: faster than bytes.find loops
_META_NAME = re.compile(rb"\bname\s*=\s*[\"']?(" + _META_NAMES + rb")[\"'\s/>]")
_CONTENT = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_LINK_START = re.compile(rb"<(?:a|link)\s", re.IGNORECASE)
_LICENSE_NEEDLES = (b"icen", b"publicdomain")  # rel="license", CC licence and public-domain URLs
_REL_LICENSE = re.compile(rb"""\brel\s*=\s*(?:"[^"]*\blicen[cs]e\b[^"]*"|'[^']*\blicen[cs]e\b[^']*'|licen[cs]e\b)""",
                          re.IGNORECASE)  # fmt: skip
_HREF = re.compile(rb"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_CC_URL = re.compile(r"creativecommons\.org/(licenses|publicdomain)/([a-z-]+)/(\d+(?:\.\d+)?)", re.IGNORECASE)


def header_directives(value: str | None) -> set[str]:
    """Directives of an `X-Robots-Tag` value that apply to every agent or to an AI agent.

    >>> sorted(header_directives("googlebot: noindex, ccbot: noai, nofollow"))
    ['noai', 'nofollow']
    """
    out: set[str] = set()
    agent: str | None = None
    for part in (value or "").split(","):
        name, colon, rest = part.partition(":")
        name = name.strip().lower()
        if colon and name not in _VALUED:
            agent, part = name, rest  # "agent: directive"; the agent holds until the next one
        directive = part.split(":", 1)[0].strip().lower()
        if directive and (agent is None or agent in AI_AGENTS):
            out.add(directive)
    return out


def _attr(tag: bytes, pattern: re.Pattern[bytes]) -> str | None:
    m = pattern.search(tag)
    if m is None:
        return None
    raw = next(g for g in m.groups() if g is not None)
    return html_lib.unescape(raw.decode("utf-8", "replace")).strip()


def meta_directives(head: bytes) -> set[str]:
    """Directives of `<meta name="robots|<AI agent>|tdm-reservation" content=...>` in `head`."""
    out: set[str] = set()
    for tag in _META_TAG.findall(head):
        name = _META_NAME.search(tag.lower())
        if name is None:
            continue
        content = _attr(tag, _CONTENT)
        if content is None:
            continue
        if name.group(1) == TDM_RESERVATION.encode():
            if content == "1":
                out.add(TDM_RESERVATION)
            continue
        out.update(d.strip().lower() for d in content.split(",") if d.strip())
    return out


def _enclosing_tags(body: bytes, needles: tuple[bytes, ...]) -> list[tuple[int, bytes]]:
    """(start, text) of each `<a ...>` or `<link ...>` tag that holds one of `needles`, by position.

    Found from the needles outward (bytes.find runs at memory speed) instead of by a regular
    expression over the whole page: a licence word is rare, tags are not."""
    tags: dict[int, bytes] = {}
    for needle in needles:
        at = body.find(needle)
        while at != -1:
            start = body.rfind(b"<", max(0, at - 2048), at)
            end = body.find(b">", at)
            if start != -1 and end != -1 and b">" not in body[start:at]:
                tag = body[start : end + 1]
                if _LINK_START.match(tag):
                    tags[start] = tag
            at = body.find(needle, at + len(needle))
    return sorted(tags.items())


def license_link(body: bytes, *, base_url: str = "") -> str | None:
    """The page's licence URL: a `rel="license"` link first, else a Creative Commons link."""
    cc_link = None
    for _, tag in _enclosing_tags(body, _LICENSE_NEEDLES):
        href = _attr(tag, _HREF)
        if not href:
            continue
        if _REL_LICENSE.search(tag):
            return urljoin(base_url, href)
        if cc_link is None and _CC_URL.search(href):
            cc_link = urljoin(base_url, href)
    return cc_link


def page_signals(url: str, headers: Mapping[str, str], body: bytes) -> tuple[str | None, str | None]:
    """(robots, license_url) of one HTTP response; `headers` has lower-case names."""
    directives = header_directives(headers.get("x-robots-tag"))
    directives |= meta_directives(body[:_HEAD_BYTES])
    if headers.get(TDM_RESERVATION, "").strip() == "1":
        directives.add(TDM_RESERVATION)
    robots = ",".join(sorted(directives)) or None
    return robots, license_link(body, base_url=url)


def license_id(url: str | None) -> str | None:
    """A short name for a Creative Commons licence URL ("cc-by-sa-4.0", "cc0-1.0"), else None.

    >>> license_id("https://creativecommons.org/licenses/by-sa/4.0/deed.es")
    'cc-by-sa-4.0'
    """
    m = _CC_URL.search(url or "")
    if m is None:
        return None
    kind, name, version = m.group(1).lower(), m.group(2).lower(), m.group(3)
    if kind == "publicdomain":
        return {"zero": f"cc0-{version}", "mark": f"pdm-{version}"}.get(name)
    return f"cc-{name}-{version}"


def opts_out(robots: str | None, directives: tuple[str, ...] = AI_OPTOUT) -> bool:
    """True when the `robots` value holds one of `directives` (by default: an AI-training opt-out)."""
    return bool(robots) and any(d in directives for d in robots.split(","))  # type: ignore[union-attr]
