"""Main text, title, date and language hint of one HTML page.

Two extractors with one result type: `trafilatura_extract` (precise: drops menus, cookie
banners, footers and comments; ~10-50 ms a page) and `resiliparse_extract` (a C++ DOM and
main-content heuristics; ~1 ms a page, fed UTF-8 bytes without a str round trip). The title,
date and `<html lang>` come from literal searches and small regular expressions over the page
head (resiliparse: its parsed tree for `<title>` and `<time>`) unless `full_metadata` asks
trafilatura for them (htmldate then costs about as much as the extraction itself).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from resiliparse.parse.html import HTMLTree

_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.IGNORECASE)
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CONTENT = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_NAME_ATTR = re.compile(rb"(?:property|name|itemprop)\s*=\s*$")
_ISO_DAY = re.compile(rb"\s*(\d{4}-\d{2}-\d{2})")
_TIME = re.compile(rb"<time\b[^>]*?\bdatetime\s*=\s*[\"']\s*(\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_DATE_KEYS = (b"article:published_time", b"datepublished", b"pubdate", b"dc.date", b"date")
_HEAD_CHARS = 32_768


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    date: str | None
    html_lang: str | None


def _utf8(page: str | bytes) -> bytes:
    return page.encode("utf-8", "replace") if isinstance(page, str) else page


def _meta_content(head: bytes, lower: bytes, key: bytes) -> bytes | None:
    """`content` of the first `<meta (property|name|itemprop)="key" ...>` in the head (any case, any order)."""
    if key not in lower:  # the usual case: one scan instead of one per quote style
        return None
    for quote in (b'"', b"'"):
        needle = quote + key + quote
        i = lower.find(needle)
        while i != -1:
            start, stop = lower.rfind(b"<", 0, i), lower.find(b">", i)
            if start != -1 and stop != -1 and lower.startswith(b"<meta", start) and _NAME_ATTR.search(lower, start, i):
                m = _CONTENT.search(head, start, stop)
                if m:
                    return m.group(1) if m.group(1) is not None else m.group(2)
            i = lower.find(needle, i + 1)
    return None


def _text(raw: bytes) -> str | None:
    return " ".join(html_lib.unescape(raw.decode("utf-8", "replace")).split()) or None


def html_lang(page: str | bytes) -> str | None:
    """The page's declared language (`<html lang="ca-ES">` -> "ca-es"), lower-case."""
    m = _LANG.search(_utf8(page)[:_HEAD_CHARS])
    return m.group(1).decode("ascii").replace("_", "-").lower() if m else None


def head_metadata(
    page: str | bytes, *, title: str | None = None, tree: HTMLTree | None = None
) -> tuple[str | None, str | None]:
    """(title, ISO date) from the page head: og:title or <title>, then published-time metas or <time>.

    Literal searches over the lower-cased head find the few candidate tags; regular
    expressions only read those, so a page costs tens of microseconds. `title` stands in for
    the `<title>` element and `tree` (resiliparse's parsed page) finds the `<time>` elements
    when the caller already has them.
    """
    data = _utf8(page)
    head = data[:_HEAD_CHARS]
    lower = head.lower()
    og = _meta_content(head, lower, b"og:title")
    found = _text(og) if og is not None else None
    if found is None:
        if title is None:
            m = _TITLE.search(head)
            title = _text(m.group(1)) if m else None
        else:
            title = " ".join(title.split()) or None
        found = title
    date = None
    for key in _DATE_KEYS:
        content = _meta_content(head, lower, key)
        d = _ISO_DAY.match(content) if content is not None else None
        if d:
            date = d.group(1).decode("ascii")
            break
    if date is None:
        date = _time_date(data) if tree is None else _tree_time_date(tree)
    return found, date


def _time_date(data: bytes) -> str | None:
    """The day of the first `<time datetime="YYYY-MM-DD...">` of the page."""
    i = data.find(b"<time")
    while i != -1:
        m = _TIME.match(data, i)
        if m:
            return m.group(1).decode("ascii")
        i = data.find(b"<time", i + 1)
    return None


def _tree_time_date(tree: HTMLTree) -> str | None:
    """`_time_date` on a parsed page: a C-level element lookup instead of a scan of the bytes."""
    root = tree.body or tree.document
    if root is None:
        return None
    for el in root.get_elements_by_tag_name("time")[:8]:
        value = el.getattr("datetime")
        m = _ISO_DAY.match(value.encode("utf-8", "replace")) if value else None
        if m:
            return m.group(1).decode("ascii")
    return None


# Class or id tokens of "follow us on <social networks>" blocks, which trafilatura keeps when they
# sit inside the article container (es/gl "síguenos", ca "segueix-nos", en "follow us").
_FOLLOW_TOKENS = ("siguenos", "Siguenos", "seguenos", "segueix-nos", "segueixnos", "follow-us", "followus", "follow_us")


def _follow_prune(page: str) -> list[str] | None:
    """XPaths pruning the follow-us blocks of `page`; None (no XPath pass at all) when none can be there."""
    found = [t for t in _FOLLOW_TOKENS if t in page]
    if not found:
        return None
    cond = " or ".join(f"contains(@class, '{t}') or contains(@id, '{t}')" for t in found)
    return [f"//*[@class or @id][{cond}]"]


def trafilatura_extract(
    page: str, *, url: str | None = None, favor_precision: bool = True, full_metadata: bool = False
) -> Extracted:
    import trafilatura

    doc = trafilatura.bare_extraction(
        page,
        url=url,
        favor_precision=favor_precision,
        include_comments=False,
        include_tables=True,
        with_metadata=full_metadata,
        deduplicate=False,
        prune_xpath=_follow_prune(page),
    )
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    data = page.encode("utf-8", "replace")
    if full_metadata and doc is not None:
        return Extracted(text, getattr(doc, "title", None), getattr(doc, "date", None), html_lang(data))
    title, date = head_metadata(data)
    return Extracted(text, title, date, html_lang(data))


def resiliparse_extract(page: str | bytes) -> Extracted:
    """Main text with resiliparse; `page` is the HTML as text or as UTF-8 bytes (cheaper: no re-encoding)."""
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    data = _utf8(page)
    tree = HTMLTree.parse_from_bytes(data, "utf-8")
    text = extract_plain_text(tree, main_content=True, alt_texts=False, links=False, comments=False, noscript=False)
    title, date = head_metadata(data, title=tree.title or "", tree=tree)
    return Extracted(text.strip(), title, date, html_lang(data))
