"""The crawl loop of one partition: pick a polite URL, fetch it in a thread, record, follow links.

One thread (the caller's) owns the frontier, the robots cache and the WARC writer; fetches
run in a thread pool of `politeness.concurrency`. A host is eligible when it has fewer than
`per_host_concurrency` requests in flight and its politeness clock has passed: after each
request to a host, robots.txt fetches included, the next one waits `max(delay_s, robots
Crawl-delay)` from the moment the previous one finished (and longer after a 429/503,
honouring Retry-After). The clock is kept in the frontier, so it survives a kill (see
`Frontier.recover_hosts`).

Before a page is requested, its origin's robots.txt (fetched first when unknown or older than
`robots_max_age_s`) must allow the URL as the HTTP client will send it. A robots.txt that
answers 5xx/429 or not at all is fetched again with the same backoff as pages; meanwhile
nothing on that origin is requested.

Retries: 429, 5xx, time-outs and connection errors are re-queued with exponential backoff
(`backoff_base_s * 2**(attempt-1)`, capped) up to `max_retries`, then end as `http_503`,
`timeout`, ... Every response is written to the WARC, including errors and redirects.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path
from urllib.parse import urlsplit

from corpusforge.crawl import partition as parts
from corpusforge.crawl.config import CrawlConfig
from corpusforge.crawl.fetcher import Fetcher, FetchResult
from corpusforge.crawl.focus import LanguageGuess
from corpusforge.crawl.frontier import Entry, Frontier
from corpusforge.crawl.handle import handle_result
from corpusforge.crawl.report import CrawlReport, from_frontiers
from corpusforge.crawl.robots import RobotsCache, RobotsFetch, RobotsReading, StoredRobots, fetch_robots
from corpusforge.crawl.urls import ScopeRules, canonicalize, host_of
from corpusforge.crawl.warcout import RotatingWarcWriter


def frontier_path(output: str | Path, partition: int) -> Path:
    return Path(output) / "frontier" / f"part-{partition:05d}.sqlite"


def warc_dir(output: str | Path) -> Path:
    return Path(output) / "warc"


class Crawler:
    """Crawls the hosts of one partition until its queue is empty, a limit is hit or `stop()`."""

    def __init__(self, config: CrawlConfig, *, partition: int = 0, identify: LanguageGuess | None = None) -> None:
        self.cfg = config
        self.partition = partition
        self.identify = identify if config.focus.languages else None
        self.frontier = Frontier(frontier_path(config.output, partition))
        self.fetcher = Fetcher(
            user_agent=config.identity.header, limits=config.limits, pool_size=config.politeness.concurrency
        )
        self.robots = RobotsCache(
            self._robots_from_store,
            user_agent=config.identity.user_agent,
            max_delay_s=config.politeness.max_crawl_delay_s,
            enabled=config.politeness.respect_robots,
        )
        self.warc = RotatingWarcWriter(
            warc_dir(config.output),
            prefix=config.warc.prefix,
            partition=partition,
            max_bytes=config.warc.max_bytes,
            software="corpusforge crawl.focused.v1",
            operator=config.identity.contact_url,
        )
        seed_hosts = {host_of(u) for u in (canonicalize(s) for s in config.seeds + config.sitemaps) if u}
        self.scope = ScopeRules(config.scope, seed_hosts=frozenset(seed_hosts))
        self.outbox = parts.Outbox(config.output, partition)
        self._stop = threading.Event()
        self._ready_at: dict[str, float] = {}
        self._busy: Counter[str] = Counter()
        self._host_requests: dict[str, int] = {}
        self._robots_inflight: set[str] = set()  # hosts whose robots.txt is being fetched
        self.requests = self.frontier.total_requests()

    # -- public --------------------------------------------------------------------------------
    def stop(self) -> None:
        """Finish the requests in flight, record them, and return from `run` (safe from a signal)."""
        self._stop.set()

    @property
    def stopped(self) -> bool:
        """True when `stop()` or `max_pages` ended the run before the queue was empty."""
        return self._stop.is_set() or self._limit_reached()

    def run(self) -> CrawlReport:
        self._recover()
        with self.frontier:
            self._add_seeds()
            self._read_inbox()
        self._ready_at = self.frontier.host_ready_at()
        inflight: dict[Future[tuple[str, object]], Entry | str] = {}
        with ThreadPoolExecutor(max_workers=self.cfg.politeness.concurrency, thread_name_prefix="crawl") as pool:
            while True:
                if not self._stop.is_set():
                    self._dispatch(pool, inflight)
                if inflight:
                    done, _ = wait(inflight, timeout=self._idle_wait(), return_when=FIRST_COMPLETED)
                    for fut in done:
                        self._complete(inflight.pop(fut), fut.result())
                    continue
                if self._stop.is_set() or self._limit_reached():
                    break
                if self.frontier.queued() == 0:
                    with self.frontier:
                        if self._read_inbox() == 0:
                            break
                    continue
                self._stop.wait(self._idle_wait())
        self.close()
        return self.report()

    def report(self) -> CrawlReport:
        return from_frontiers([self.frontier], targets=tuple(self.cfg.focus.languages))

    def close(self) -> None:
        name = self.warc.close()
        if name is not None:
            self.frontier.set_warc(name, (warc_dir(self.cfg.output) / name).stat().st_size, closed=True)
        self.fetcher.close()

    # -- start-up ------------------------------------------------------------------------------
    def _recover(self) -> None:
        """Undo what a kill left half done: in-flight URLs and the open WARC file."""
        with self.frontier:
            self.frontier.recover_interrupted()
            self.frontier.recover_hosts(now=time.time())
            for name, good, closed in self.frontier.warc_files():
                if not closed:
                    RotatingWarcWriter.recover(warc_dir(self.cfg.output), name, good)
                    self.frontier.set_warc(name, good, closed=True)
        # An .open file the frontier never heard of holds no committed page.
        for stray in warc_dir(self.cfg.output).glob(f"{self.warc.prefix}-*.warc.gz.open"):
            stray.unlink()

    def _add_seeds(self) -> None:
        for kind, urls in (("page", self.cfg.seeds), ("sitemap", self.cfg.sitemaps)):
            for raw in urls:
                url = canonicalize(raw)
                if url is None:
                    # Every partition sees the seeds; partition 0 alone reports the malformed ones.
                    if self.partition == 0 and not self._bad_input_known(kind, raw):
                        self.frontier.bad_input(f"seed:{kind}", raw, "malformed_url")
                    continue
                self.add_link(url, depth=0, priority=100, kind=kind, via=None)

    def _bad_input_known(self, what: str, value: str) -> bool:
        return any(w == f"seed:{what}" and v == value for w, v, _ in self.frontier.bad_inputs())

    def _read_inbox(self) -> int:
        """Queue links other partitions found for our hosts; returns how many were new."""
        known: dict[str, int] = {}
        new = 0
        for file, count, items in parts.read_new(self.cfg.output, self.partition, known_lines(self.frontier, known)):
            for item in items:
                new += self.add_link(
                    item["url"], depth=item["depth"], priority=item["priority"], via=None, kind=item.get("kind", "page")
                )
            self.frontier.set_inbox_lines(file, count)
        return new

    # -- scheduling ----------------------------------------------------------------------------
    def _blocked_hosts(self, now: float) -> list[str]:
        limit = self.cfg.politeness.per_host_concurrency
        late = [h for h, at in self._ready_at.items() if at > now]
        return list({*late, *self._robots_inflight, *(h for h, n in self._busy.items() if n >= limit)})

    def _idle_wait(self) -> float:
        """How long to sleep until a host's politeness clock or a retry time may have passed."""
        now = time.time()
        times = [t for t in self._ready_at.values() if t > now]
        retry = self.frontier.earliest_retry(blocked_hosts=())
        if retry is not None and retry > now:
            times.append(retry)
        return max(0.005, min(0.5, min(times) - now)) if times else 0.05

    def _limit_reached(self) -> bool:
        return self.requests >= max(1, self.cfg.scope.max_pages // self.cfg.partitions)

    def _dispatch(self, pool: ThreadPoolExecutor, inflight: dict) -> None:
        while len(inflight) < self.cfg.politeness.concurrency:
            if self._limit_reached():
                return  # the rest stays queued; raise max_pages and rerun to continue
            now = time.time()
            with self.frontier:
                entry = self.frontier.next_ready(now=now, blocked_hosts=self._blocked_hosts(now))
                if entry is None:
                    return
                job = self._admit(entry, now)
                if job == "page":
                    self.frontier.mark_inflight(entry.url)
                if job is not None:  # committed before the request goes out: a kill cannot lose it
                    self.frontier.host_dispatched(entry.host, delay_s=self._delay(entry.url))
            if job is None:
                continue
            host = entry.host
            self._busy[host] += 1
            self._ready_at[host] = now + self._delay(entry.url)
            if job == "robots":
                origin = _origin(entry.url)
                self._robots_inflight.add(host)
                inflight[pool.submit(self._robots_job, origin)] = origin
            else:
                self._host_requests[host] = self._requests_on(host) + 1
                self.requests += 1
                inflight[pool.submit(self._page_job, entry)] = entry

    def _admit(self, entry: Entry, now: float) -> str | None:
        """ "page" to fetch it, "robots" to fetch the origin's robots.txt first, None when settled here."""
        if self.robots.enabled:
            reading = self.robots.reading(_origin(entry.url))
            if reading is None or now - reading.fetched_at > self.cfg.politeness.robots_max_age_s:
                return "robots"
            rules = reading.rules
            if rules.failed and self._robots_retry_s(reading) is not None:
                return "robots"  # the host's clock kept it back for the backoff
            if rules.failed:
                self.frontier.finish(
                    entry.url, "host_unreachable" if rules.kind == "unreachable" else "robots_unavailable"
                )
                return None
            ua = self.cfg.identity.user_agent
            # The canonical URL is what requests sends; checking its own preparation too costs little.
            if not (rules.allows(entry.url, ua) and rules.allows(self.fetcher.request_url(entry.url), ua)):
                self.frontier.finish(entry.url, "disallowed")
                return None
        if self._requests_on(entry.host) >= self.cfg.scope.max_pages_per_host:
            self.frontier.finish(entry.url, "host_limit")
            return None
        return "page"

    def _robots_retry_s(self, reading: RobotsReading) -> float | None:
        """The backoff before fetching a failed robots.txt again; None when no retry is left."""
        lim = self.cfg.limits
        if not reading.rules.retryable or reading.failures > lim.max_retries:
            return None
        return min(lim.backoff_base_s * 2 ** (reading.failures - 1), lim.backoff_max_s)

    def _requests_on(self, host: str) -> int:
        if host not in self._host_requests:
            self._host_requests[host] = self.frontier.host_requests(host)
        return self._host_requests[host]

    def _delay(self, url: str) -> float:
        reading = self.robots.reading(_origin(url)) if self.robots.enabled else None
        robots_delay = reading.rules.crawl_delay_s if reading is not None else None
        return max(self.cfg.politeness.delay_s, robots_delay or 0.0)

    # -- work done in pool threads (no frontier access) ----------------------------------------
    def _page_job(self, entry: Entry) -> tuple[str, object]:
        return "page", self.fetcher.get(entry.url, accept_any_type=entry.kind == "sitemap")

    def _robots_job(self, origin: str) -> tuple[str, object]:
        return "robots", fetch_robots(self.fetcher, origin)

    def _robots_from_store(self, origin: str) -> StoredRobots | None:
        stored = self.frontier.robots(origin)
        if stored is None:
            return None
        status, content_type, body, fetched_at, failures = stored
        return RobotsFetch(status, body, content_type), fetched_at, failures

    # -- completion (loop thread) --------------------------------------------------------------
    def _complete(self, item: Entry | str, outcome: tuple[str, object]) -> None:
        kind, value = outcome
        now = time.time()
        if kind == "robots":
            assert isinstance(item, str) and isinstance(value, RobotsFetch)
            host = item.split("://", 1)[1]
            reading = self.robots.record(item, value, at=now)  # its Crawl-delay governs the next request
            with self.frontier:
                self.frontier.save_robots(
                    item, value.status, value.content_type, value.body, fetched_at=now, failures=reading.failures
                )
            self._robots_inflight.discard(host)
            self._finish_host(host, now, max(self._delay(item + "/"), self._robots_retry_s(reading) or 0.0))
            return
        assert isinstance(item, Entry) and isinstance(value, FetchResult)
        extra_wait = handle_result(self, item, value, now)
        self._finish_host(item.host, now, max(self._delay(item.url), extra_wait))

    def _finish_host(self, host: str, now: float, wait_s: float) -> None:
        self._busy[host] -= 1
        self._ready_at[host] = max(self._ready_at.get(host, 0.0), now + wait_s)
        with self.frontier:
            self.frontier.host_finished(host, ready_at=self._ready_at[host])

    # -- links ---------------------------------------------------------------------------------
    def add_link(
        self, url: str, *, depth: int, priority: int, via: str | None, kind: str = "page", redirects: int = 0
    ) -> int:
        """Queue a canonical URL, or record why not (scope, another partition's host)."""
        host = host_of(url)
        if self.frontier.known(url):
            self.frontier.add(url, host=host, depth=depth, priority=priority, kind=kind, via=via)
            return 0
        out = self.scope.check(url, depth=depth)
        if out is not None:
            return int(self.frontier.add(url, host=host, depth=depth, outcome=f"out_of_scope:{out}", via=via))
        owner = parts.partition_of(host, self.cfg.partitions)
        if owner != self.partition:
            self.outbox.send(owner, {"url": url, "depth": depth, "priority": priority, "kind": kind})
            return int(self.frontier.add(url, host=host, depth=depth, outcome="handoff", via=via))
        return int(
            self.frontier.add(url, host=host, depth=depth, priority=priority, kind=kind, via=via, redirects=redirects)
        )

    def follow_links(self, page_url: str, hrefs: list[str], *, base: str | None, depth: int, priority: int) -> None:
        for href in hrefs:
            url = canonicalize(href, base=urljoin_base(page_url, base))
            if url is None:  # mailto:, javascript:, broken markup: not a page to fetch
                continue
            self.add_link(url, depth=depth, priority=priority, via=page_url)

    def guess_language(self, text: str) -> tuple[str | None, bool]:
        """("lang|tag", on target?) for a page's leading text; (None, False) when focus is off."""
        if self.identify is None or len(text) < 20:
            return None, False
        lang, tag, score = self.identify([text])[0]
        targets = self.cfg.focus.languages
        on_target = score >= self.cfg.focus.min_score and (lang in targets or tag in targets)
        return f"{lang}|{tag}", on_target


def urljoin_base(page_url: str, base: str | None) -> str:
    if not base:
        return page_url
    return canonicalize(base, base=page_url) or page_url


def known_lines(frontier: Frontier, cache: dict[str, int]) -> dict[str, int]:
    """Inbox files and how many lines were read, for `partition.read_new`."""
    cache.update(frontier.inbox_lines())
    return cache


def _origin(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"
