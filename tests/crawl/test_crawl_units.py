"""URL canonicalisation, scope rules, robots.txt readings, sitemaps, charsets and the crawl config."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from corpusforge.crawl import config as crawl_config
from corpusforge.crawl.config import Scope
from corpusforge.crawl.frontier import Frontier
from corpusforge.crawl.handle import retry_after_s
from corpusforge.crawl.page import read_html, sitemap_urls
from corpusforge.crawl.robots import RobotsFetch, parse
from corpusforge.crawl.urls import ScopeRules, canonicalize


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("HTTP://WWW.Example.CAT:80/a/./b/../c?utm_source=x&b=2&a=1#frag", "http://www.example.cat/a/c?b=2&a=1"),
        ("https://example.eus:443", "https://example.eus/"),
        ("https://example.eus:8443/x", "https://example.eus:8443/x"),
        ("http://exemplo.gal/páxina con espazos", "http://exemplo.gal/p%C3%A1xina%20con%20espazos"),
        ("http://exemplo.gal/a%2Fb?q=a%20b", "http://exemplo.gal/a%2Fb?q=a%20b"),
        ("http://xn--espaa-rta.es/", "http://xn--espaa-rta.es/"),
        ("http://españa.es/", "http://xn--espaa-rta.es/"),
        ("http://example.es/?fbclid=1&gclid=2", "http://example.es/"),
        ("http://example.es./dir/", "http://example.es/dir/"),
    ],
)
def test_canonicalize(raw: str, canonical: str) -> None:
    assert canonicalize(raw) == canonical


@pytest.mark.parametrize(
    "raw",
    ["", "mailto:a@b.cat", "javascript:void(0)", "ftp://x.es/", "http://[broken", "http://x.es:99999/", "http:///"],
)
def test_canonicalize_rejects_uncrawlable(raw: str) -> None:
    assert canonicalize(raw) is None


def test_canonicalize_resolves_relative_links() -> None:
    assert canonicalize("../b?x=1#f", base="http://a.cat/d/e/f.html") == "http://a.cat/d/b?x=1"
    assert canonicalize("//cdn.a.cat/x", base="https://a.cat/") == "https://cdn.a.cat/x"


def test_scope_rules() -> None:
    rules = ScopeRules(
        Scope(tlds=["cat", ".eus"], deny_paths=[r"/wp-admin/", r"\?replytocom="], max_depth=2),
        seed_hosts=frozenset(),
    )
    assert rules.check("http://www.vilaweb.cat/a", depth=1) is None
    assert rules.check("http://www.berria.eus/a", depth=2) is None
    assert rules.check("http://www.berria.eus/a", depth=3) == "depth"
    assert rules.check("http://www.elpais.com/a", depth=0) == "tld"
    assert rules.check("http://www.vilaweb.cat/wp-admin/x", depth=0) == "path"
    seeds_only = ScopeRules(Scope(), seed_hosts=frozenset({"a.gal"}))
    assert (
        seeds_only.check("http://a.gal/x", depth=0) is None and seeds_only.check("http://b.gal/", depth=0) == "domain"
    )
    domains = ScopeRules(Scope(domains=["xunta.gal"], allow_paths=["^/gl/"]), seed_hosts=frozenset())
    assert domains.check("https://www.xunta.gal/gl/x", depth=0) is None
    assert domains.check("https://www.xunta.gal/es/x", depth=0) == "path"
    assert domains.check("https://notxunta.gal/gl/x", depth=0) == "domain"


def test_robots_readings() -> None:
    ok = parse(
        RobotsFetch(
            200, b"User-agent: *\nDisallow: /priv\nCrawl-delay: 90\nSitemap: http://a.cat/s.xml\n", "text/plain"
        ),
        user_agent="corpusforge",
        max_delay_s=30,
    )
    assert ok.kind == "ok" and ok.crawl_delay_s == 30 and ok.sitemaps == ["http://a.cat/s.xml"]
    assert not ok.allows("http://a.cat/priv/x", "corpusforge") and ok.allows("http://a.cat/pub", "corpusforge")
    html = parse(
        RobotsFetch(200, b"<!DOCTYPE html><html>Disallow: /</html>", "text/html"), user_agent="x", max_delay_s=1
    )
    assert html.kind == "html" and html.allows("http://a.cat/anything", "x")
    assert parse(RobotsFetch(404), user_agent="x", max_delay_s=1).allows("http://a.cat/", "x")
    assert not parse(RobotsFetch(503), user_agent="x", max_delay_s=1).allows("http://a.cat/", "x")
    assert parse(RobotsFetch(0), user_agent="x", max_delay_s=1).kind == "unreachable"
    garbage = parse(RobotsFetch(200, b"\x00\xff\xfe garbage: [", "text/plain"), user_agent="x", max_delay_s=1)
    assert garbage.allows("http://a.cat/", "x")


def test_sitemaps() -> None:
    urlset = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc> http://a.cat/1 </loc></url></urlset>'
    )
    assert sitemap_urls(urlset) == (["http://a.cat/1"], False)
    assert sitemap_urls(gzip.compress(urlset)) == (["http://a.cat/1"], False)
    index = b"<sitemapindex><sitemap><loc>http://a.cat/s1.xml</loc></sitemap></sitemapindex>"
    assert sitemap_urls(index) == (["http://a.cat/s1.xml"], True)
    assert sitemap_urls(b"<html><body>not a sitemap</body></html>") is None
    assert sitemap_urls(b"\x1f\x8bbroken gzip") is None
    assert sitemap_urls(
        b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><urlset><url><loc>&e;</loc></url></urlset>'
    ) in (
        None,
        ([], False),
    )


def test_charsets_and_links() -> None:
    latin1 = "<p>Año de la niña</p>".encode("iso-8859-1")
    assert read_html(latin1, content_type="text/html; charset=ISO-8859-1").text == "Año de la niña"
    meta = '<meta charset="windows-1252"><p>“col·lecció”</p>'.encode("cp1252")
    assert read_html(meta, content_type="text/html").text == "“col·lecció”"
    assert read_html("<p>Ñandú</p>".encode(), content_type="text/html; charset=bogus-charset").text == "Ñandú"
    view = read_html(
        b'<html><head><base href="/sub/"></head><body><script>x()</script><p>Kaixo mundua</p>'
        b'<a href="a">a</a><a rel="nofollow" href="b">b</a><area href="c"></body></html>',
        content_type="text/html",
    )
    assert view.links == ["a", "c"] and view.base == "/sub/" and view.text == "Kaixo mundua a b"
    nofollow = read_html(
        b'<html><head><meta name="robots" content="noindex, nofollow"></head><a href="x">x</a>', content_type=""
    )
    assert nofollow.links == []


def test_retry_after() -> None:
    assert retry_after_s("7", now=0) == 7
    assert retry_after_s("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10
    assert retry_after_s("soon", now=0) is None


def test_config_errors_name_the_field(tmp_path: Path) -> None:
    good = tmp_path / "ok.toml"
    good.write_text(
        '[crawl]\noutput = "out"\nseeds = ["https://a.cat/"]\n[identity]\ncontact_url = "https://x.org/bot"\n'
        "[politeness]\ndelay_s = 2\n[warc]\nmax_bytes = 1000\n",
        encoding="utf-8",
    )
    cfg = crawl_config.load(good)
    assert cfg.politeness.delay_s == 2 and cfg.warc.max_bytes == 1000
    assert cfg.identity.header == "corpusforge/0.1 (+https://x.org/bot)"
    bad = tmp_path / "bad.toml"
    bad.write_text('[crawl]\noutput = "out"\n[identity]\ncontact_url = "x"\n[politeness]\ndelay_s = -1\n')
    with pytest.raises(crawl_config.CrawlConfigError, match="politeness.delay_s"):
        crawl_config.load(bad)
    bad.write_text('[crawl]\noutput = "out"\n')
    with pytest.raises(crawl_config.CrawlConfigError, match="identity"):
        crawl_config.load(bad)
    bad.write_text('[crawl]\noutput = "out"\n[identity]\ncontact_url = "x"\n[scoop]\n')
    with pytest.raises(crawl_config.CrawlConfigError, match="scoop"):
        crawl_config.load(bad)


def test_frontier_dedups_and_raises_priority(tmp_path: Path) -> None:
    fr = Frontier(tmp_path / "f.sqlite")
    with fr:
        assert fr.add("http://a.cat/1", host="a.cat", depth=1, priority=-2)
        assert fr.add("http://a.cat/2", host="a.cat", depth=1, priority=-2)
        assert not fr.add("http://a.cat/2", host="a.cat", depth=1, priority=8)  # found again on a better page
    entry = fr.next_ready(now=1e12, blocked_hosts=[])
    assert entry is not None and entry.url == "http://a.cat/2"
    assert fr.next_ready(now=1e12, blocked_hosts=["a.cat"]) is None
    with fr:
        fr.mark_inflight(entry.url)
    assert fr.recover_interrupted() == 1
    assert fr.outcomes_by_host() == [("a.cat", "interrupted", 1, 0), ("a.cat", "queued", 1, 0)]
    fr.close()


def test_a_range_starting_inside_a_record_is_always_a_corrupt_record() -> None:
    """Such garbage now and then parses as a response without a status line (1 in ~100 records)."""
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    from corpusforge.crawl.rows import rows_from_bytes

    reasons = set()
    for i in range(300):
        buf = BytesIO()
        writer = WARCWriter(buf, gzip=True)
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        body = f"<html><body><p>Bon dia, veïnat número {i}</p></body></html>".encode()
        writer.write_record(
            writer.create_warc_record(f"https://x.cat/{i}", "response", payload=BytesIO(body), http_headers=headers)
        )
        assert rows_from_bytes(buf.getvalue(), url="u", source="s")["drop_reason"] is None
        reasons.add(rows_from_bytes(buf.getvalue()[7:], url="u", source="s")["drop_reason"])
    assert reasons == {"error:corrupt_record"}
