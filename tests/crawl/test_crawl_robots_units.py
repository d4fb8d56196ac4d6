"""robots.txt readings, one case each: BOM, media type, size, status codes, redirect hops (RFC 9309)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from crawl_site import Response, Site

from corpusforge.crawl.config import Limits
from corpusforge.crawl.fetcher import Fetcher
from corpusforge.crawl.robots import ROBOTS_MAX_BYTES, ROBOTS_MAX_HOPS, RobotsFetch, fetch_robots, parse

RULES = b"User-agent: *\nDisallow: /private/\n"
UA = "corpusforge-test"


def rules(body: bytes, content_type: str = "text/plain", status: int = 200, hops: int = 0):  # noqa: ANN201
    return parse(RobotsFetch(status, body, content_type, hops=hops), user_agent=UA, max_delay_s=30)


def test_a_byte_order_mark_does_not_hide_the_first_group() -> None:
    robots = rules(b"\xef\xbb\xbf" + RULES)
    assert not robots.allows("http://a.cat/private/x", UA) and robots.allows("http://a.cat/ok", UA)


def test_rules_served_as_text_html_apply() -> None:
    robots = rules(RULES, "text/html; charset=utf-8")
    assert not robots.allows("http://a.cat/private/x", UA)


def test_an_html_page_has_no_rules_but_its_lines_are_still_read() -> None:
    page = rules(b"<!DOCTYPE html><html><body><p>Benvinguts</p></body></html>", "text/html")
    assert page.kind == "html" and page.allows("http://a.cat/anything", UA)
    wrapped = rules(b"<html><body><pre>\nUser-agent: *\nDisallow: /private/\n</pre></body></html>", "text/html")
    assert not wrapped.allows("http://a.cat/private/x", UA)


@pytest.mark.parametrize(("status", "allowed", "kind"), [(404, True, "missing"), (410, True, "missing"),
                                                         (401, True, "missing"), (429, False, "unavailable"),
                                                         (500, False, "unavailable"), (503, False, "unavailable"),
                                                         (0, False, "unreachable")])  # fmt: skip
def test_status_codes(status: int, allowed: bool, kind: str) -> None:
    robots = rules(b"", status=status)
    assert robots.kind == kind and robots.allows("http://a.cat/", UA) is allowed
    assert robots.failed is not allowed


def test_an_unresolved_redirect_disallows_everything() -> None:
    robots = rules(b"", status=301, hops=ROBOTS_MAX_HOPS + 1)
    assert robots.kind == "redirects" and robots.failed and not robots.allows("http://a.cat/", UA)


@pytest.fixture
def server() -> Iterator[Site]:
    site = Site()
    for host in ("a", "b"):
        site.start(host, {})
    yield site
    site.stop()


def _static(resp: Response):  # noqa: ANN202
    return lambda _seen: resp


def _fetcher(max_bytes: int = 100_000) -> Fetcher:
    return Fetcher(user_agent=UA, limits=Limits(max_bytes=max_bytes, read_timeout_s=2, connect_timeout_s=1))


def test_a_robots_txt_larger_than_max_bytes_is_read_up_to_500_kib(server: Site) -> None:
    """The page limit (100 kB here) does not apply; the first 500 KiB do, cut at a line end.

    An `Allow: /private/public-part` line straddles the 500 KiB mark: cut mid-line it would read
    `Allow: /private/` and open the whole directory, so the partial line must be dropped.
    """
    allow = b"Allow: /private/public-part\n"
    filler = b"#" * 99 + b"\n"
    body = RULES + filler * ((ROBOTS_MAX_BYTES - len(RULES)) // len(filler) - 1)
    body += b"#" * (ROBOTS_MAX_BYTES - len(body) - len(b"Allow: /private/") - 1) + b"\n"
    body += allow + b"Disallow: /beyond/\n" + filler * 2000
    assert body.index(allow) + len(b"Allow: /private/") == ROBOTS_MAX_BYTES
    server.routes["a"]["/robots.txt"] = _static(Response(body=body, headers={"Content-Type": "text/plain"}))
    fetched = fetch_robots(_fetcher(), server.base("a"))
    assert fetched.status == 200 and len(fetched.body) <= ROBOTS_MAX_BYTES and fetched.body.endswith(b"\n")
    robots = parse(fetched, user_agent=UA, max_delay_s=30)
    assert robots.kind == "ok"
    assert not robots.allows("http://a.cat/private/x", UA)
    assert robots.allows("http://a.cat/beyond/x", UA)  # past 500 KiB: not read, as RFC 9309 allows


@pytest.mark.parametrize("hops", [1, ROBOTS_MAX_HOPS])
def test_redirects_are_followed_up_to_five_hops_across_hosts(server: Site, hops: int) -> None:
    final = server.base("b") + "/rules.txt"
    chain = ["/robots.txt", *(f"/hop/{n}" for n in range(1, hops))]
    for name, target in zip(chain, [*chain[1:], final], strict=True):
        server.routes["a"][name] = _static(Response(301, headers={"Location": target}))
    server.routes["b"]["/rules.txt"] = _static(Response(body=RULES, headers={"Content-Type": "text/plain"}))
    fetched = fetch_robots(_fetcher(), server.base("a"))
    assert fetched.status == 200 and fetched.hops == hops
    assert not parse(fetched, user_agent=UA, max_delay_s=30).allows("http://a.cat/private/x", UA)


def test_a_sixth_redirect_is_not_followed(server: Site) -> None:
    for n in range(ROBOTS_MAX_HOPS + 1):
        name = "/robots.txt" if n == 0 else f"/hop/{n}"
        server.routes["a"][name] = _static(Response(302, headers={"Location": f"/hop/{n + 1}"}))
    server.routes["a"][f"/hop/{ROBOTS_MAX_HOPS + 1}"] = _static(Response(body=b"User-agent: *\nAllow: /\n"))
    fetched = fetch_robots(_fetcher(), server.base("a"))
    assert fetched.status == 302 and len(server.hits("a")) == ROBOTS_MAX_HOPS + 1
    assert parse(fetched, user_agent=UA, max_delay_s=30).kind == "redirects"


def test_no_answer_is_status_zero(server: Site) -> None:
    from crawl_site import unused_port

    assert fetch_robots(_fetcher(), f"http://127.0.0.1:{unused_port()}").status == 0


def test_robots_txt_is_read_again_when_older_than_its_max_age(server: Site, tmp_path) -> None:  # noqa: ANN001
    """The second reading forbids /later/: after it, nothing under /later/ is requested."""
    from crawl_fixtures import make_config
    from crawl_site import ES, page

    from corpusforge.crawl.crawler import Crawler

    pages = [f"/p/{n}" for n in range(4)]
    server.routes["a"].update(
        {
            "/robots.txt": lambda seen: Response(
                body=b"User-agent: *\nAllow: /\n" if seen == 0 else b"User-agent: *\nDisallow: /later/\n",
                headers={"Content-Type": "text/plain"},
            ),
            **{p: _static(Response(body=page("Pàgina", ES, []))) for p in [*pages, "/later/x"]},
        }
    )
    base = server.base("a")
    config = make_config(
        server,
        tmp_path / "crawl",
        seeds=[base + p for p in [*pages, "/later/x"]],
        sitemaps=[],
        politeness={"delay_s": 0.2, "concurrency": 1, "robots_max_age_s": 0.5},
    )
    Crawler(config).run()
    paths = [h.path for h in server.hits("a")]
    assert paths.count("/robots.txt") >= 2
    assert "/later/x" not in paths  # seeds go in order: /later/x comes after the second reading
