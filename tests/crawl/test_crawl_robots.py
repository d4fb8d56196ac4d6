"""A crawl of the robots.txt cases (robots_site.py): the access log shows nothing disallowed was requested."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from crawl_fixtures import make_config
from crawl_site import Site
from robots_site import ROBOTS_PATHS, build, forbidden, seeds
from warcio.archiveiterator import ArchiveIterator

from corpusforge.crawl.crawler import Crawler, frontier_path
from corpusforge.crawl.distributed import warc_files
from corpusforge.crawl.frontier import Frontier

UA = "corpusforge-test"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    site = Site()
    rules = build(site)
    out = tmp_path_factory.mktemp("robots-crawl")
    config = make_config(
        site,
        out,
        seeds=seeds(site),
        sitemaps=[],
        politeness={"delay_s": 0.05, "concurrency": 4},
        limits={"max_bytes": 100_000, "max_retries": 1, "backoff_base_s": 0.05},
    )
    report = Crawler(config).run()
    yield site, rules, config, report, out
    site.stop()


def outcomes(out: Path) -> dict[str, str]:
    fr = Frontier(frontier_path(out, 0))
    try:
        return dict(fr.db.execute("SELECT url, COALESCE(outcome, state) FROM urls").fetchall())
    finally:
        fr.close()


def test_the_access_log_holds_no_disallowed_request(crawled) -> None:
    site, rules, _, _, _ = crawled
    pages = [h for h in site.hits() if h.path not in ROBOTS_PATHS]
    assert len(pages) >= 15
    bad = [(h.host, h.path) for h in pages if forbidden(rules[h.host], h.path, user_agent=UA)]
    assert not bad


def test_allowed_pages_of_every_case_were_fetched(crawled) -> None:
    """The check above is not vacuous: each case's permitted pages were requested."""
    site, _, _, _, _ = crawled
    for host in ("bom", "html_type", "big", "dots", "fresh", "r404", "r503_once", "hops5"):
        assert "/ok" in {h.path for h in site.hits(host)}, host
    assert "/wp/?p=4" in {h.path for h in site.hits("query")}
    assert {"/to-private", "/to-ok", "/to-fresh", "/to-fresh-ok"} <= {h.path for h in site.hits("jump")}


def test_robots_failures_disallow_everything_and_are_retried(crawled) -> None:
    site, _, config, _, out = crawled
    states = outcomes(out)
    tries = config.limits.max_retries + 1
    assert [h.path for h in site.hits("r503")] == ["/robots.txt"] * tries
    assert states[site.base("r503") + "/"] == "robots_unavailable"
    assert [h.path for h in site.hits("r503_once")][:2] == ["/robots.txt", "/robots.txt"]
    assert "host_unreachable" in states.values()
    # Six redirects: more than RFC 9309's five; the host is left alone.
    assert [h.path for h in site.hits("hops6")] == ["/robots.txt", *(f"/hop/{n}" for n in range(1, 6))]
    assert states[site.base("hops6") + "/"] == "robots_unavailable"
    assert [h.path for h in site.hits("hops_end")] == ["/rules.txt"]


def test_query_order_is_kept_and_dedup_still_holds(crawled) -> None:
    site, _, _, _, out = crawled
    states = outcomes(out)
    query = site.base("query")
    assert states[query + "/wp/?replytocom=5&p=3"] == "disallowed"
    paths = Counter((h.host, h.path) for h in site.hits() if h.path not in ROBOTS_PATHS)
    retried = {("r503_once", "/robots.txt")}
    assert all(n == 1 for k, n in paths.items() if k not in retried), paths


def test_dot_segments_are_resolved_before_the_check(crawled) -> None:
    site, _, _, _, out = crawled
    states = outcomes(out)
    dots = site.base("dots")
    for path in ("/private/x", "/private/y", "/private/z", "/private/p", "/private/w", "/private/u"):
        assert states[dots + path] == "disallowed", path
    assert states[dots + "/private/redirected"] == "disallowed"  # reached by a redirect from `jump`
    assert states[site.base("fresh") + "/private/x"] == "disallowed"


def test_warc_records_carry_peer_address_and_the_request_as_sent(crawled) -> None:
    """WARC-IP-Address on both records; the request record's line and Host header are what the server got."""
    site, _, _, _, out = crawled
    sent = {(h.host, h.path): h.host_header for h in site.hits()}
    by_port = {site.base(name).rsplit(":", 1)[1]: name for name in site.servers}
    checked = 0
    for path in warc_files(out):
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type not in ("request", "response"):
                    continue
                assert record.rec_headers.get_header("WARC-IP-Address") == "127.0.0.1"
                if record.rec_type != "request":
                    continue
                uri = record.rec_headers.get_header("WARC-Target-URI")
                port = uri.split("//", 1)[1].split("/", 1)[0].rsplit(":", 1)[1]
                assert record.http_headers.protocol == "GET", record.http_headers.statusline
                target, version = record.http_headers.statusline.split(" ")
                assert version == "HTTP/1.1" and uri.endswith(target)
                assert record.http_headers.get_header("Host") == sent[(by_port[port], target)], uri
                checked += 1
    assert checked >= 15
