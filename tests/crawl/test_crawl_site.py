"""A whole crawl of the local multi-host site: politeness, robots, limits, accounting, WARC output."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from crawl_fixtures import make_config
from crawl_site import ENCODED_PAGES, Site, build
from fastwarc.warc import ArchiveIterator as FastIterator
from warcio.archiveiterator import ArchiveIterator

from corpusforge.crawl.crawler import Crawler, frontier_path
from corpusforge.crawl.distributed import warc_files
from corpusforge.crawl.frontier import Frontier
from corpusforge.crawl.rows import rows_from_warc


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory):
    """One crawl of the site shared by the tests of this module (about 7 s of polite waiting)."""
    site = Site()
    build(site)
    out = tmp_path_factory.mktemp("crawl")
    config = make_config(site, out)
    report = Crawler(config).run()
    yield site, config, report, out
    site.stop()


def outcomes(out: Path) -> dict[str, str]:
    fr = Frontier(frontier_path(out, 0))
    try:
        return {url: outcome for url, outcome in fr.db.execute("SELECT url, COALESCE(outcome, state) FROM urls")}
    finally:
        fr.close()


def test_nothing_disallowed_is_fetched(crawled) -> None:
    site, _, report, _ = crawled
    assert not [h for h in site.hits("main") if h.path.startswith("/private/")]
    assert [h.path for h in site.hits("closed")] == ["/robots.txt"]
    assert [h.path for h in site.hits("robots_500")] == ["/robots.txt"] * 2  # max_retries = 1
    assert report.hosts[site.base("main").split("//")[1]].robots_disallowed == 2


def test_delay_per_host_holds(crawled) -> None:
    site, config, _, _ = crawled
    # main asks Crawl-delay 0.2 in robots.txt; html_robots has no rules, so the config's 0.1 applies.
    for host, delay in (("main", 0.2), ("html_robots", config.politeness.delay_s)):
        times = sorted(h.at for h in site.hits(host))
        assert len(times) >= 3
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= delay - 0.01, (host, gaps)


def test_user_agent_names_project_and_contact(crawled) -> None:
    site, _, _, _ = crawled
    agents = {h.user_agent for h in site.hits()}
    assert agents == {"corpusforge-test/0.1 (+https://example.org/crawler)"}


def test_every_url_ends_in_a_counted_state(crawled) -> None:
    site, config, report, out = crawled
    main = site.base("main")
    states = outcomes(out)
    assert "queued" not in states.values() and "inflight" not in states.values()
    expected = {
        "/": "fetched",
        "/p/1": "fetched",
        "/p/2?b=2&a=1": "fetched",  # first linked so (with utm_source); /p/2?a=1&b=2 is the same page
        "/p/3": "fetched",
        "/private/secret": "disallowed",
        "/redir": "redirect",
        "/p/redirected": "fetched",
        "/loop-a": "redirect",
        "/loop-b": "redirect_loop",
        "/chain/0": "redirect",
        "/chain/3": "redirect",
        "/chain/4": "too_many_redirects",
        "/missing": "http_404",
        "/broken": "http_500",
        "/busy": "fetched",
        "/slow": "timeout",
        "/big": "too_large",
        "/big-stream": "too_large",
        "/doc.pdf": "content_type",
        "/sitemap.xml": "sitemap",
        "/p/from-sitemap": "fetched",
        "/not-a-sitemap.xml": "bad_sitemap",
        **dict.fromkeys(ENCODED_PAGES, "fetched"),
    }
    for path, outcome in expected.items():
        assert states[main + path] == outcome, path
    assert states[site.base("html_robots") + "/eu"] == "fetched"  # robots.txt that is HTML: allowed
    assert states[site.base("html_robots") + "/gl"] == "fetched"
    assert states[site.base("closed") + "/"] == "disallowed"
    assert states[site.base("robots_500") + "/"] == "robots_unavailable"
    assert "host_unreachable" in states.values()
    assert states["https://example.invalid/out-of-scope"] == "out_of_scope:domain"
    # The report adds up to the URLs the frontier holds.
    assert sum(report.totals.values()) == len(states)
    # Retries: one retry each (max_retries=1), and the 429 recovered on its retry.
    paths = Counter(h.path for h in site.hits("main"))
    assert paths["/broken"] == 2 and paths["/slow"] == 2 and paths["/busy"] == 2
    assert paths["/chain/3"] == 1 and "/chain/4" not in paths


def test_urls_are_deduplicated_after_canonicalisation(crawled) -> None:
    site, _, _, _ = crawled
    paths = Counter((h.host, h.path) for h in site.hits())
    retried = {("main", "/broken"), ("main", "/slow"), ("main", "/busy"), ("robots_500", "/robots.txt")}
    assert all(n == 1 for k, n in paths.items() if k not in retried), paths
    # Linked as ?utm_source=news&b=2&a=1#frag, then as ?a=1&b=2: requested once, in the first order seen.
    assert paths["main", "/p/2?b=2&a=1"] == 1 and ("main", "/p/2?a=1&b=2") not in paths


def test_bad_input_is_counted_and_the_crawl_goes_on(crawled) -> None:
    _, _, report, _ = crawled
    bad = {(what, value) for what, value, _ in report.bad_input}
    assert {("seed:page", "ht!tp://no good"), ("seed:page", "not a url"), ("seed:page", "http://[::1")} <= bad
    assert ("sitemap_entry", "ht tp://bad entry") in bad
    assert report.totals["fetched"] >= 14


def test_per_host_stats(crawled) -> None:
    site, _, report, _ = crawled
    main = report.hosts[site.base("main").split("//")[1]]
    assert main.fetched >= 12 and main.bytes > 1000
    assert main.errors["http_404"] == 1 and main.errors["timeout"] == 1 and main.errors["too_large"] == 2
    text = report.render()
    assert "host_unreachable 1" in text and "robots_unavailable 1" in text


def test_warc_files_are_valid_rotated_and_complete(crawled) -> None:
    site, _, report, out = crawled
    files = warc_files(out)
    assert len(files) > 1  # rotated at 4 kB
    assert not list((out / "warc").glob("*.open"))
    types: Counter[str] = Counter()
    responses: dict[str, bytes] = {}
    for path in files:
        with open(path, "rb") as fh:
            records = list(_read(fh))
        assert records[0][0] == "warcinfo"
        for rec_type, uri, payload in records:
            types[rec_type] += 1
            if rec_type == "response":
                responses[uri] = payload
    assert types["request"] == types["response"]
    # Every response the server sent is archived, retried ones included (too-large ones are abandoned).
    answered = [h for h in site.hits() if h.path not in ("/robots.txt", "/big", "/big-stream", "/slow", "/doc.pdf")]
    assert types["response"] == len(answered)
    # Block digests check out (fastwarc recomputes them), so the files are byte-exact WARC/1.1.
    for path in files:
        with open(path, "rb") as fh:
            assert all(r.verify_block_digest() for r in FastIterator(fh, parse_http=False))
    text, charset, _ = ENCODED_PAGES["/enc/latin1"]
    assert text.encode(charset) in responses[site.base("main") + "/enc/latin1"]


def _read(fh):  # noqa: ANN202
    for record in ArchiveIterator(fh):
        uri = record.rec_headers.get_header("WARC-Target-URI")
        yield record.rec_type, uri, record.content_stream().read()


def test_warc_rows_decode_five_encodings(crawled) -> None:
    site, _, _, out = crawled
    rows = {r["url"]: r for path in warc_files(out) for r in rows_from_warc(str(path))}
    main = site.base("main")
    for path, (text, _, _) in ENCODED_PAGES.items():
        assert text in rows[main + path]["html"], path
    assert rows[main + "/missing"]["drop_reason"] == "ingest:http_404"
    assert rows[main + "/p/1"]["drop_reason"] is None and rows[main + "/p/1"]["http_status"] == 200


def test_report_round_trips_through_json_and_matches_the_frontier(crawled) -> None:
    _, _, report, out = crawled
    data = report.to_json()
    assert json.loads(json.dumps(data)) == data  # plain JSON values: no tuples, sets or Counters lost on the way
    assert data["totals"] == dict(Counter(outcomes(out).values()))  # every URL the frontier holds, by outcome
    assert data["totals"]["fetched"] == sum(h["fetched"] for h in data["hosts"].values()) > 0
