"""Main text, title, date and language hint of one HTML page.

Two extractors with one result type: `trafilatura_extract` (precise: drops menus, cookie
banners, footers and comments; ~10-50 ms a page) and `resiliparse_extract` (a C++ DOM and
main-content heuristics; ~1 ms a page). The title, date and `<html lang>` come from cheap
regular expressions over the page head unless `full_metadata` asks trafilatura for them
(htmldate then costs about as much as the extraction itself).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass

_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.IGNORECASE)
_TITLE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_OG_TITLE = re.compile(r"<meta[^>]+property=[\"']og:title[\"'][^>]+content=[\"']([^\"']*)", re.IGNORECASE)
_DATE = re.compile(
    r"<meta[^>]+(?:property|name|itemprop)=[\"'](?:article:published_time|date|pubdate|datePublished|dc\.date)"
    r"[\"'][^>]+content=[\"'](\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)
_TIME = re.compile(r"<time[^>]+datetime=[\"'](\d{4}-\d{2}-\d{2})", re.IGNORECASE)
_HEAD_CHARS = 32_768


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    date: str | None
    html_lang: str | None


def html_lang(page: str) -> str | None:
    """The page's declared language (`<html lang="ca-ES">` -> "ca-es"), lower-case."""
    m = _LANG.search(page[:_HEAD_CHARS])
    return m.group(1).replace("_", "-").lower() if m else None


def head_metadata(page: str) -> tuple[str | None, str | None]:
    """(title, ISO date) from the page head: og:title or <title>, then published-time metas or <time>."""
    head = page[:_HEAD_CHARS]
    m = _OG_TITLE.search(head) or _TITLE.search(head)
    title = " ".join(html_lib.unescape(m.group(1)).split()) or None if m else None
    d = _DATE.search(head) or _TIME.search(page)
    return title, d.group(1) if d else None


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
    )
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    if full_metadata and doc is not None:
        return Extracted(text, getattr(doc, "title", None), getattr(doc, "date", None), html_lang(page))
    title, date = head_metadata(page)
    return Extracted(text, title, date, html_lang(page))


def resiliparse_extract(page: str) -> Extracted:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    tree = HTMLTree.parse(page)
    text = extract_plain_text(tree, main_content=True, alt_texts=False, links=False, comments=False, noscript=False)
    title, date = head_metadata(page)
    return Extracted(text.strip(), title or (tree.title or None), date, html_lang(page))
