"""Language focus: links found on target-language pages are crawled first; the yield is reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from crawl_fixtures import make_config
from crawl_site import EU, GL, Response, Site, page

from corpusforge.crawl.crawler import Crawler
from corpusforge.crawl.focus import load_identifier

EN = "The weather was mild this morning and many people went for a walk along the river before lunch."


def _routes(site: Site) -> None:
    """/ links to an English hub and a Galician hub; each hub links to three leaves."""
    routes = {
        "/robots.txt": lambda _n: Response(404),
        "/": lambda _n: Response(body=page("Hubs", EN + " " + GL, ["/en/hub", "/gl/hub"], lang="und")),
        "/en/hub": lambda _n: Response(body=page("en", EN * 3, [f"/en/{i}" for i in range(3)], lang="en")),
        "/gl/hub": lambda _n: Response(body=page("gl", GL * 3, [f"/gl/{i}" for i in range(3)], lang="gl")),
    }
    for i in range(3):
        routes[f"/en/{i}"] = lambda _n: Response(body=page("en", EN * 2, [], lang="en"))
        routes[f"/gl/{i}"] = lambda _n: Response(body=page("gl", GL * 2, [], lang="gl"))
    site.routes["main"] = routes


def _config(site: Site, out: Path):
    return make_config(
        site,
        out,
        seeds=[site.base("main") + "/"],
        sitemaps=[],
        politeness={"delay_s": 0.0, "concurrency": 1},
        focus={"languages": ["gl"], "min_score": 0.3},
    )


def test_target_language_links_are_crawled_first(site: Site, tmp_path: Path) -> None:
    identify, why = load_identifier()
    if identify is None:
        pytest.skip(why)
    _routes(site)
    report = Crawler(_config(site, tmp_path / "crawl"), identify=identify).run()
    order = [h.path for h in site.hits("main") if h.path.count("/") == 2 and not h.path.endswith("hub")]
    assert order[:3] == ["/gl/0", "/gl/1", "/gl/2"], order
    assert report.langs and report.language_yield is not None and 0.3 < report.language_yield < 0.8
    assert "language yield (gl)" in report.render()


def test_crawl_without_an_identifier_has_no_priority_and_no_yield(site: Site, tmp_path: Path) -> None:
    _routes(site)
    report = Crawler(_config(site, tmp_path / "crawl"), identify=None).run()
    assert report.totals["fetched"] == 9  # / + two hubs + six leaves
    assert report.language_yield is None
    order = [h.path for h in site.hits("main") if h.path.count("/") == 2 and not h.path.endswith("hub")]
    assert order[:3] == ["/en/0", "/en/1", "/en/2"]  # discovery order when no page is on target
    assert EU not in report.render()
