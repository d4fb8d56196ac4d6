"""What the crawl does with one finished fetch: record it, retry it, follow it, or give up on it.

Called in the crawl loop's thread, inside one frontier transaction per page, after the
page's WARC records are flushed, so the frontier never points past what the WARC holds.
"""

from __future__ import annotations

from email.utils import parsedate_to_datetime
from typing import Protocol

from corpusforge.crawl.config import CrawlConfig
from corpusforge.crawl.fetcher import FetchResult
from corpusforge.crawl.frontier import Entry, Frontier
from corpusforge.crawl.page import read_html, sitemap_urls
from corpusforge.crawl.urls import canonicalize, host_of
from corpusforge.crawl.warcout import RotatingWarcWriter


class Crawler(Protocol):
    """What settling a fetch needs of the crawl (the `Crawler` in crawler.py is one)."""

    cfg: CrawlConfig
    frontier: Frontier
    warc: RotatingWarcWriter

    def add_link(
        self, url: str, *, depth: int, priority: int, via: str | None, kind: str = "page", redirects: int = 0
    ) -> int: ...

    def follow_links(self, page_url: str, hrefs: list[str], *, base: str | None, depth: int, priority: int) -> None: ...

    def guess_language(self, text: str) -> tuple[str | None, bool]: ...


RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
RETRY_ERRORS = ("timeout", "connection")


def handle_result(crawler: Crawler, entry: Entry, result: FetchResult, now: float) -> float:
    """Settle one fetch; returns an extra wait (seconds) the host asked for (429/503), else 0."""
    lim = crawler.cfg.limits
    retryable = result.error in RETRY_ERRORS or (result.error is None and result.status in RETRY_STATUSES)
    offset = crawler.warc.write_page(result) if result.error is None else None
    host_wait = 0.0
    if result.status in (429, 503):
        host_wait = retry_after_s(result.header("retry-after"), now=now) or 0.0
        host_wait = min(host_wait, lim.backoff_max_s)
    with crawler.frontier as fr:
        if offset is not None and crawler.warc.current is not None:
            fr.set_warc(crawler.warc.current, offset)
        if retryable and entry.attempts < lim.max_retries:
            backoff = min(lim.backoff_base_s * 2**entry.attempts, lim.backoff_max_s)
            fr.retry(entry.url, at=now + max(backoff, host_wait), status=result.status or None)
        elif result.error is not None:
            fr.finish(entry.url, result.error, status=result.status or None)
        elif 300 <= result.status < 400:
            _redirect(crawler, entry, result)
        elif 200 <= result.status < 300:
            _success(crawler, entry, result)
        else:
            fr.finish(entry.url, f"http_{result.status}", status=result.status, nbytes=len(result.body))
    closed = crawler.warc.rotate_if_full()
    if closed is not None:
        with crawler.frontier as fr:
            fr.set_warc(closed, (crawler.warc.directory / closed).stat().st_size, closed=True)
    return host_wait


def _redirect(crawler: Crawler, entry: Entry, result: FetchResult) -> None:
    fr = crawler.frontier
    target = canonicalize(result.header("location"), base=entry.url) if result.header("location") else None
    if target is None:
        fr.finish(entry.url, "bad_redirect", status=result.status)
        return
    if target == entry.url or target in fr.via_chain(entry.url):
        fr.finish(entry.url, "redirect_loop", status=result.status)
        return
    fr.finish(entry.url, "redirect", status=result.status, nbytes=len(result.body))
    if entry.redirects + 1 > crawler.cfg.limits.max_redirects:
        fr.add(target, host=host_of(target), depth=entry.depth, via=entry.url, outcome="too_many_redirects")
        return
    # A redirect is the same page under another name: same depth, ahead in the queue.
    crawler.add_link(
        target,
        depth=entry.depth,
        priority=entry.priority + 1,
        via=entry.url,
        kind=entry.kind,
        redirects=entry.redirects + 1,
    )


def _success(crawler: Crawler, entry: Entry, result: FetchResult) -> None:
    fr = crawler.frontier
    if entry.kind == "sitemap":
        parsed = sitemap_urls(result.body)
        if parsed is None:
            fr.finish(entry.url, "bad_sitemap", status=result.status, nbytes=len(result.body))
            return
        locs, is_index = parsed
        fr.finish(entry.url, "sitemap", status=result.status, nbytes=len(result.body))
        for loc in locs:
            url = canonicalize(loc)
            if url is None:
                fr.bad_input("sitemap_entry", loc, "malformed_url")
                continue
            crawler.add_link(url, depth=0, priority=50, via=None, kind="sitemap" if is_index else "page")
        return
    media = result.media_type
    if media not in ("", "text/html", "application/xhtml+xml"):
        fr.finish(entry.url, "fetched", status=result.status, nbytes=len(result.body))
        return
    view = read_html(result.body, content_type=result.header("content-type"))
    lang, on_target = crawler.guess_language(view.text)
    fr.finish(entry.url, "fetched", status=result.status, nbytes=len(result.body), lang=lang)
    boost = crawler.cfg.focus.on_target_boost if on_target else 0
    crawler.follow_links(entry.url, view.links, base=view.base, depth=entry.depth + 1, priority=boost - entry.depth - 1)


def retry_after_s(value: str, *, now: float) -> float | None:
    """Seconds asked for by a Retry-After header (delta seconds or an HTTP date)."""
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None
