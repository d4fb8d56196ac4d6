"""Main text, title, date and language hint of one HTML page.

Three extractors with one result type: `trafilatura_extract` (precise: drops menus, cookie
banners, footers and comments; ~10-50 ms a page), `resiliparse_extract` (a C++ DOM and
main-content heuristics; ~1 ms a page) and `pruned_extract` (resiliparse skipping boilerplate
blocks and lines, see `boilerplate.py`, and trafilatura for the few pages where resiliparse's
main-content heuristics find nothing on a page full of text). The title, date and `<html lang>` come from literal
searches and small regular expressions over the page head (resiliparse: its parsed tree for
`<title>`) unless `full_metadata` asks trafilatura for them (htmldate then costs about as much
as the extraction itself).
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from corpusforge.extract.boilerplate import SKIP_SELECTORS, clean_lines, drop_placeholders

if TYPE_CHECKING:
    from resiliparse.parse.html import HTMLTree

_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*)", re.IGNORECASE)
_LANG_TEXT = re.compile(_LANG.pattern.decode("ascii"), re.IGNORECASE | re.ASCII)  # for a page held as text
_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)
_CONTENT = re.compile(rb"""\bcontent\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ISO_DAY = re.compile(rb"\s*(\d{4}-\d{2}-\d{2})")
# Case-sensitive `<time`: a literal prefix lets the regex engine skip ahead about twice as fast as
# bytes.find over a whole page (the scan costs ~50 us on a 180 kB news page).
_TIME = re.compile(rb"<time\b[^>]*?\b(?i:datetime)\s*=\s*[\"']\s*(\d{4}-\d{2}-\d{2})")
_TIME_TEXT = re.compile(_TIME.pattern.decode("ascii"), re.ASCII)  # the same, for a page held as text
_DATE_KEYS = (b"article:published_time", b"datepublished", b"pubdate", b"dc.date", b"date")
_META_KEYS = (b"og:title", *_DATE_KEYS)
_META_TAG = re.compile(
    rb"<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*[\"'](" + b"|".join(map(re.escape, _META_KEYS)) + rb")[\"'][^>]*>"
)
_HEAD_CHARS = 32_768


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    date: str | None
    html_lang: str | None


def _head(page: str | bytes) -> bytes:
    """The first `_HEAD_CHARS` of the page as UTF-8 bytes (a text page is cut before encoding)."""
    return page[:_HEAD_CHARS].encode("utf-8", "replace") if isinstance(page, str) else page[:_HEAD_CHARS]


def _head_metas(head: bytes, lower: bytes) -> dict[bytes, bytes]:
    """`content` of the first `<meta (property|name|itemprop)="key" ...>` of each of `_META_KEYS`.

    One regular-expression pass over the lower-cased head finds the tags (tag and attribute
    names in any case, attributes in any order); `content` is read from the original bytes.
    """
    found: dict[bytes, bytes] = {}
    for tag in _META_TAG.finditer(lower):
        key = tag.group(1)
        if key not in found:
            m = _CONTENT.search(head, tag.start(), tag.end())
            if m:
                found[key] = m.group(1) if m.group(1) is not None else m.group(2)
    return found


def _text(raw: bytes) -> str | None:
    return " ".join(html_lib.unescape(raw.decode("utf-8", "replace")).split()) or None


def html_lang(page: str | bytes) -> str | None:
    """The page's declared language (`<html lang="ca-ES">` -> "ca-es"), lower-case."""
    if isinstance(page, str):  # searched as text: no second encode of the head beside head_metadata's
        found = _LANG_TEXT.search(page, 0, _HEAD_CHARS)
        return found.group(1).replace("_", "-").lower() if found else None
    m = _LANG.search(page, 0, _HEAD_CHARS)
    return m.group(1).decode("ascii").replace("_", "-").lower() if m else None


def head_metadata(page: str | bytes, *, title: str | None = None) -> tuple[str | None, str | None]:
    """(title, ISO date) from the page head: og:title or <title>, then published-time metas or <time>.

    Literal searches find the few candidate tags and regular expressions only read those, so
    a page costs tens of microseconds. `title` stands in for the `<title>` element when the
    caller already has it (resiliparse's parsed tree).
    """
    head = _head(page)
    metas = _head_metas(head, head.lower())
    og = metas.get(b"og:title")
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
        content = metas.get(key)
        d = _ISO_DAY.match(content) if content is not None else None
        if d:
            date = d.group(1).decode("ascii")
            break
    return found, date if date is not None else _time_date(page)


def _time_date(page: str | bytes) -> str | None:
    """The day of the first `<time datetime="YYYY-MM-DD...">` of the page (text or bytes: no encoding)."""
    if isinstance(page, str):
        m = _TIME_TEXT.search(page)
        return m.group(1) if m else None
    found = _TIME.search(page)
    return found.group(1).decode("ascii") if found else None


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
    text = drop_placeholders((getattr(doc, "text", None) or "") if doc is not None else "")
    if full_metadata and doc is not None:
        return Extracted(text, getattr(doc, "title", None), getattr(doc, "date", None), html_lang(page))
    title, date = head_metadata(page)
    return Extracted(text, title, date, html_lang(page))


def _parse(page: str | bytes) -> tuple[str, HTMLTree]:
    """(the page as text, its resiliparse tree).

    Text goes to `HTMLTree.parse`: resiliparse 2's `parse_from_bytes` decodes the bytes to a str
    and encodes them back before parsing, which costs more than our one decode.
    """
    from resiliparse.parse.html import HTMLTree

    if isinstance(page, bytes):
        page = page.decode("utf-8", "replace")
    # lexbor skips a byte-order mark in bytes but keeps one in text as a character, which opens
    # the body early and moves the <title> into the main text.
    return page, HTMLTree.parse(page[1:] if page.startswith("\ufeff") else page)


def _main_text(tree: HTMLTree, skip: list[str] | None = None) -> str:
    from resiliparse.extract.html2text import extract_plain_text

    return extract_plain_text(
        tree, main_content=True, alt_texts=False, links=False, comments=False, noscript=False, skip_elements=skip
    )


def resiliparse_extract(page: str | bytes) -> Extracted:
    """Main text with resiliparse; `page` is the HTML as text (cheaper) or as UTF-8 bytes."""
    page, tree = _parse(page)
    text = _main_text(tree)
    title, date = head_metadata(page, title=tree.title or "")
    return Extracted(text.strip(), title, date, html_lang(page))


_SKIP = [", ".join(SKIP_SELECTORS)]  # one selector list: parsed once per page instead of once per selector
# resiliparse "missed the article" when its main text is this short while the page's whole text holds
# this much more prose than it kept: seen on 3 of the 50 gold pages (an element it takes for
# boilerplate around the article). Menus, banners and footers are short lines, not prose, so a page
# with no article (a list of links, an error page) stays with resiliparse's answer and costs nothing more.
MISSED_BELOW_CHARS = 200
MISSED_PROSE_CHARS = 800
_PROSE_LINE_CHARS = 100
_SENTENCE_END = tuple('.!?…"”»')


def _prose_chars(text: str) -> int:
    """Characters in lines of at least `_PROSE_LINE_CHARS` that end a sentence."""
    return sum(len(s) for s in text.split("\n") if len(s) >= _PROSE_LINE_CHARS and s.rstrip().endswith(_SENTENCE_END))


def pruned_extract(page: str | bytes, *, url: str | None = None, fallback: bool = True) -> tuple[Extracted, bool]:
    """resiliparse's main text without boilerplate blocks and lines; (result, whether trafilatura made it).

    When resiliparse keeps under `MISSED_BELOW_CHARS` of a page whose whole text holds at least
    `MISSED_PROSE_CHARS` more prose, its main-content heuristics missed the article and, with
    `fallback`, trafilatura extracts the page instead (a few percent of real pages at most, so a
    few percent of trafilatura's cost).
    """
    from resiliparse.extract.html2text import extract_plain_text

    page, tree = _parse(page)
    text = clean_lines(_main_text(tree, _SKIP))
    if (
        fallback
        and len(text) < MISSED_BELOW_CHARS
        and _prose_chars(extract_plain_text(tree)) - len(text) >= MISSED_PROSE_CHARS
    ):
        return trafilatura_extract(page, url=url), True
    title, date = head_metadata(page, title=tree.title or "")
    return Extracted(text, title, date, html_lang(page)), False
