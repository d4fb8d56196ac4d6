"""robots.txt per origin (RFC 9309), parsed with protego; what the crawler may fetch.

What a fetch of /robots.txt means:
- 2xx: the rules apply, Crawl-delay included (capped by the config). The first 500 KiB are
  read (RFC 9309 section 2.5) whatever the crawl's `max_bytes`, cut back to the last whole
  line; a UTF-8 byte-order mark is skipped; the media type is not looked at, since
  text/html is a common mislabel. A body that is an HTML page (a CMS serving its home page)
  is parsed all the same; it usually has no rule lines, so everything is allowed (`html`).
- 3xx: followed, up to five hops (`ROBOTS_MAX_HOPS`), to any host; the rules found apply to
  the origin asked for. A chain that goes on, or a redirect without a usable Location, leaves
  the origin off-limits (`redirects`): stricter than RFC 9309, which lets a crawler treat it
  as "no robots.txt", because then a file we could not read might forbid what we fetch.
- 4xx but 429: no robots.txt, everything allowed (`missing`).
- 5xx and 429: everything disallowed (`unavailable`); no answer at all (DNS, refused,
  time-out): the same (`unreachable`). The crawl retries these with backoff
  (`limits.max_retries`); when they keep failing, the origin's URLs end as
  `robots_unavailable` / `host_unreachable`. (429 is read as Google does, like a 5xx.)

A reading is kept `politeness.robots_max_age_s` (24 h, RFC 9309 section 2.4) and then fetched again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from protego import Protego

from corpusforge.crawl.urls import canonicalize

if TYPE_CHECKING:
    from corpusforge.crawl.fetcher import Fetcher

ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_MAX_HOPS = 5
FAILED = ("unavailable", "unreachable", "redirects")
_BOM = b"\xef\xbb\xbf"


@dataclass(frozen=True)
class RobotsFetch:
    """What came back for /robots.txt; `status` 0 means no answer, `hops` the redirects followed."""

    status: int
    body: bytes = b""
    content_type: str = ""
    hops: int = 0


@dataclass
class HostRobots:
    """The rules of one origin and how they were obtained: "ok", "html", "missing", "unavailable",
    "unreachable", "redirects" or "disabled"."""

    kind: str
    parser: Protego | None = None
    crawl_delay_s: float | None = None
    sitemaps: list[str] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """True when robots.txt could not be read: nothing may be fetched."""
        return self.kind in FAILED

    @property
    def retryable(self) -> bool:
        """A server or network failure may pass; a redirect chain that goes on will not."""
        return self.kind in ("unavailable", "unreachable")

    def allows(self, url: str, user_agent: str) -> bool:
        if self.failed:
            return False
        if self.parser is None:
            return True
        return bool(self.parser.can_fetch(url, user_agent))


def parse(fetch: RobotsFetch, *, user_agent: str, max_delay_s: float) -> HostRobots:
    """Turn one robots.txt response into rules; never raises on a bad file."""
    if fetch.status == 0:
        return HostRobots("unreachable")
    if fetch.status >= 500 or fetch.status == 429:
        return HostRobots("unavailable")
    if fetch.status >= 400:
        return HostRobots("missing")
    if fetch.status >= 300:
        return HostRobots("redirects")
    text = fetch.body.removeprefix(_BOM).decode("utf-8", errors="replace")
    kind = "html" if text.lstrip()[:200].lower().startswith(("<!doctype", "<html")) else "ok"
    try:
        parser = Protego.parse(text)
    except Exception:  # protego is forgiving; this guards a pathological file
        return HostRobots("html" if kind == "html" else "ok")
    delay = parser.crawl_delay(user_agent)
    return HostRobots(
        kind,
        parser=parser,
        crawl_delay_s=None if delay is None else min(float(delay), max_delay_s),
        sitemaps=list(parser.sitemaps),
    )


def fetch_robots(fetcher: Fetcher, origin: str) -> RobotsFetch:
    """GET `origin`/robots.txt, following up to ROBOTS_MAX_HOPS redirects; never raises."""
    url, hops = f"{origin}/robots.txt", 0
    while True:
        res = fetcher.get(url, accept_any_type=True, max_bytes=ROBOTS_MAX_BYTES, truncate=True)
        if res.error is not None:  # a time-out or a connection error: any type is taken, the size is cut
            return RobotsFetch(0, hops=hops)
        if not 300 <= res.status < 400:
            body = _whole_lines(res.body) if res.truncated else res.body
            return RobotsFetch(res.status, body, res.header("content-type"), hops=hops)
        target = canonicalize(res.header("location"), base=url) if res.header("location") else None
        if target is None or hops == ROBOTS_MAX_HOPS:
            return RobotsFetch(res.status, hops=hops + 1)
        url, hops = target, hops + 1


def _whole_lines(body: bytes) -> bytes:
    """Drop a line cut in the middle: `Allow: /private/public` cut to `Allow: /private/` would open too much."""
    end = body.rfind(b"\n")
    return body[: end + 1] if end >= 0 else b""


@dataclass(frozen=True)
class RobotsReading:
    """The rules of an origin, when they were fetched, and how many fetches in a row failed."""

    rules: HostRobots
    fetched_at: float
    failures: int = 0


StoredRobots = tuple[RobotsFetch, float, int]  # the fetch, its time, failures in a row


class RobotsCache:
    """Readings per origin: loaded once from the frontier through `load`, replaced by `record`."""

    def __init__(
        self,
        load: Callable[[str], StoredRobots | None],
        *,
        user_agent: str,
        max_delay_s: float,
        enabled: bool = True,
    ) -> None:
        self._load = load
        self.user_agent = user_agent
        self.max_delay_s = max_delay_s
        self.enabled = enabled
        self._readings: dict[str, RobotsReading | None] = {}

    def reading(self, origin: str) -> RobotsReading | None:
        """What is known of `origin`'s robots.txt; None when it was never fetched."""
        if origin not in self._readings:
            stored = self._load(origin)
            if stored is None:
                self._readings[origin] = None
            else:
                fetch, fetched_at, failures = stored
                rules = parse(fetch, user_agent=self.user_agent, max_delay_s=self.max_delay_s)
                self._readings[origin] = RobotsReading(rules, fetched_at, failures)
        return self._readings[origin]

    def record(self, origin: str, fetch: RobotsFetch, *, at: float) -> RobotsReading:
        """A new fetch of `origin`'s robots.txt; a failure after failures counts on."""
        previous = self.reading(origin)
        rules = parse(fetch, user_agent=self.user_agent, max_delay_s=self.max_delay_s)
        failures = 1 + (previous.failures if previous is not None else 0) if rules.failed else 0
        self._readings[origin] = RobotsReading(rules, at, failures)
        return RobotsReading(rules, at, failures)
