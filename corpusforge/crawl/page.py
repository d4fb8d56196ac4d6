"""Cheap page reading for the crawl loop: decode, pull out links and a little text.

This is not the extraction stage (trafilatura runs later on the WARC records); it only needs
enough text to guess the page's language, and the links to follow. Costs one lxml parse.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

import lxml.etree
import lxml.html

from corpusforge.ingest.charset import decode_html

_DROP_TAGS = ("script", "style", "noscript", "template", "svg")


@dataclass
class PageView:
    text: str = ""
    links: list[str] = field(default_factory=list)
    base: str | None = None
    nofollow: bool = False
    charset: str = "utf-8"


def read_html(body: bytes, *, content_type: str, max_text_chars: int = 4000) -> PageView:
    """Links (href of <a> and <area>, minus rel=nofollow) and leading visible text of a page."""
    html, charset, _ = decode_html(body, content_type)  # the same decoding as ingest.warc.v1
    view = PageView(charset=charset)
    try:
        doc = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return view
    base = doc.find(".//base[@href]")
    view.base = base.get("href") if base is not None else None
    robots_meta = " ".join(m.get("content", "") for m in doc.iterfind(".//meta[@name='robots']")).lower()
    view.nofollow = "nofollow" in robots_meta or "none" in robots_meta
    if not view.nofollow:
        for el in doc.iter("a", "area"):
            href = el.get("href")
            if href and "nofollow" not in (el.get("rel") or "").lower():
                view.links.append(href)
    for el in list(doc.iter(*_DROP_TAGS)):
        el.drop_tree()
    body_el = doc.find("body")
    text = " ".join((body_el if body_el is not None else doc).itertext())
    view.text = " ".join(text.split())[:max_text_chars]
    return view


def sitemap_urls(body: bytes) -> tuple[list[str], bool] | None:
    """(URLs, is_index) from a sitemap or sitemap index (gzip allowed); None when it is not one."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gzip.decompress(body)
        except (OSError, EOFError):
            return None
    try:
        root = lxml.etree.fromstring(body, parser=lxml.etree.XMLParser(resolve_entities=False, no_network=True))
    except (lxml.etree.XMLSyntaxError, ValueError):
        return None
    tag = lxml.etree.QName(root).localname
    if tag not in ("urlset", "sitemapindex"):
        return None
    locs = [el.text.strip() for el in root.iter("{*}loc") if el.text]
    return locs, tag == "sitemapindex"
