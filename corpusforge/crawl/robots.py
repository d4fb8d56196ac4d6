"""robots.txt per host, parsed with protego and cached for the crawl.

What a fetch of /robots.txt means (as Google and Heritrix read it):
- 2xx with a text body: the rules apply, Crawl-delay included (capped by the config);
- 2xx with an HTML body (a CMS serving its home page): no usable rules, everything allowed,
  counted as `robots_html` in the host's stats;
- 4xx: no robots.txt, everything allowed;
- 5xx or 429: the whole host is treated as disallowed for this crawl, so an overloaded
  server is left alone; its URLs end as `robots_unavailable`;
- no answer at all (DNS, refused, time-out): its URLs end as `host_unreachable`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from protego import Protego


@dataclass(frozen=True)
class RobotsFetch:
    """What the crawler's fetcher returned for /robots.txt; `status` 0 means it never answered."""

    status: int
    body: bytes = b""
    content_type: str = ""


@dataclass
class HostRobots:
    """The rules of one host and how they were obtained: "ok", "missing", "html", "unavailable",
    "unreachable" or "disabled"."""

    kind: str
    parser: Protego | None = None
    crawl_delay_s: float | None = None
    sitemaps: list[str] = field(default_factory=list)

    def allows(self, url: str, user_agent: str) -> bool:
        if self.kind in ("unavailable", "unreachable"):
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
        return HostRobots("missing")  # an unfollowed redirect: treat like no file
    text = fetch.body.decode("utf-8", errors="replace")
    head = text.lstrip()[:200].lower()
    if "html" in fetch.content_type.lower() or head.startswith(("<!doctype", "<html", "<?xml")):
        return HostRobots("html")
    try:
        parser = Protego.parse(text)
    except Exception:  # protego is forgiving; this guards a pathological file
        return HostRobots("html")
    delay = parser.crawl_delay(user_agent)
    return HostRobots(
        "ok",
        parser=parser,
        crawl_delay_s=None if delay is None else min(float(delay), max_delay_s),
        sitemaps=list(parser.sitemaps),
    )


class RobotsCache:
    """Rules per host, fetched once per crawl run through `fetch(url) -> RobotsFetch`."""

    def __init__(
        self, fetch: Callable[[str], RobotsFetch], *, user_agent: str, max_delay_s: float, enabled: bool = True
    ) -> None:
        self._fetch = fetch
        self.user_agent = user_agent
        self.max_delay_s = max_delay_s
        self.enabled = enabled
        self._hosts: dict[str, HostRobots] = {}

    def get(self, scheme: str, host: str) -> HostRobots:
        """Rules for `host` ("name" or "name:port"); the first call fetches /robots.txt."""
        if not self.enabled:
            return HostRobots("disabled")
        key = f"{scheme}://{host}"
        if key not in self._hosts:
            self._hosts[key] = parse(
                self._fetch(f"{key}/robots.txt"), user_agent=self.user_agent, max_delay_s=self.max_delay_s
            )
        return self._hosts[key]

    def known(self, scheme: str, host: str) -> bool:
        return not self.enabled or f"{scheme}://{host}" in self._hosts
