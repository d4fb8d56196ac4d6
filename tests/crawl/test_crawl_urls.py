"""The URL a robots.txt check sees is the URL the server receives; the frontier's dedup key is apart."""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import requests
from crawl_site import Response, Site

from corpusforge.crawl.config import Limits
from corpusforge.crawl.fetcher import Fetcher
from corpusforge.crawl.urls import canonicalize, dedup_key


@pytest.mark.parametrize(
    ("raw", "requested"),
    [
        ("http://a.cat/a/%2e%2e/private/x", "http://a.cat/private/x"),
        ("http://a.cat/a/%2E%2E/private/x", "http://a.cat/private/x"),
        ("http://a.cat/a/.%2e/private/x", "http://a.cat/private/x"),
        ("http://a.cat/a/b/%2E%2E/%2e%2e/private/x", "http://a.cat/private/x"),
        ("http://a.cat/a/%2e/private", "http://a.cat/a/private"),
        ("http://a.cat/a/../private/x", "http://a.cat/private/x"),
        ("http://a.cat/a/%2e%2e//private/x", "http://a.cat/private/x"),
        ("http://a.cat//private//x", "http://a.cat/private/x"),
        ("http://a.cat/a//..//b", "http://a.cat/a/b"),  # dot segments as RFC 3986 (and urljoin), then slashes
        ("http://a.cat/%70rivate/x", "http://a.cat/private/x"),
        ("http://a.cat/%7euser/", "http://a.cat/~user/"),
        ("http://a.cat/a/b/..", "http://a.cat/a/"),
        ("http://a.cat/..", "http://a.cat/"),
        ("http://a.cat/a%2fb", "http://a.cat/a%2Fb"),  # an encoded slash is not a separator
        ("http://a.cat/a%zz", "http://a.cat/a%25zz"),  # a stray % is escaped, not dropped
        ("http://a.cat/x?a=%2e%2e/y", "http://a.cat/x?a=../y"),
    ],
)
def test_dot_segments_and_unreserved_escapes_are_resolved(raw: str, requested: str) -> None:
    assert canonicalize(raw) == requested


@pytest.mark.parametrize(
    ("raw", "requested"),
    [
        ("http://a.cat/wp/?replytocom=5&p=3", "http://a.cat/wp/?replytocom=5&p=3"),
        ("http://a.cat/?b=2&utm_source=x&a=1#f", "http://a.cat/?b=2&a=1"),
        ("http://a.cat/?x", "http://a.cat/?x"),  # a key without "=" stays as written
        ("http://a.cat/?q=a+b&r=a%20b", "http://a.cat/?q=a+b&r=a%20b"),
        ("http://a.cat/?q=%c3%b1", "http://a.cat/?q=%C3%B1"),
        ("http://a.cat/?fbclid=1", "http://a.cat/"),
    ],
)
def test_the_query_is_kept_in_its_order(raw: str, requested: str) -> None:
    assert canonicalize(raw) == requested


def test_the_dedup_key_sorts_the_query() -> None:
    assert dedup_key("http://a.cat/wp/?replytocom=5&p=3") == dedup_key("http://a.cat/wp/?p=3&replytocom=5")
    assert dedup_key("http://a.cat/?x") == dedup_key("http://a.cat/?x=")
    assert dedup_key("http://a.cat/a") != dedup_key("http://a.cat/a?print")
    assert dedup_key("http://a.cat/a?q=1") != dedup_key("http://a.cat/A?q=1")


_PIECES = ["a", "B", "~", ".", "..", "%2e", "%2E", "%2e%2e", "%7E", "%2f", "%41", "%zz", "%", "ñ", " ", ";", "=",
           "+", "&", "@", ":", "!", "*", "'", "(", "[", "]", "|", "\\", "^", "`", "{", '"', "%C3%B1", "//", "/"]  # fmt: skip


def _random_urls(n: int, seed: int = 14) -> list[str]:
    rng = random.Random(seed)
    urls = []
    for _ in range(n):
        path = "/" + "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 8)))
        query = "".join(rng.choice([*_PIECES, "=", "&", "?"]) for _ in range(rng.randint(0, 6)))
        urls.append(f"http://a.cat{path}" + (f"?{query}" if rng.random() < 0.6 else ""))
    return urls


def test_the_canonical_url_is_what_the_http_client_sends() -> None:
    """requests re-quotes and decodes unreserved escapes; our form must already be its fixed point."""
    for raw in _random_urls(3000):
        url = canonicalize(raw)
        if url is None:
            continue
        assert requests.Request("GET", url).prepare().url == url, raw
        assert canonicalize(url) == url, raw


@pytest.fixture
def server() -> Iterator[Site]:
    site = Site()
    site.start("a", {})
    yield site
    site.stop()


def test_the_server_receives_the_path_that_was_checked(server: Site) -> None:
    fetcher = Fetcher(user_agent="t", limits=Limits(read_timeout_s=2, connect_timeout_s=1))
    base = server.base("a")
    server.routes["a"]["/"] = lambda _seen: Response(body=b"ok")
    checked = []
    for raw in _random_urls(150, seed=9):
        url = canonicalize(raw.replace("http://a.cat", base))
        assert url is not None
        assert fetcher.request_url(url) == url
        fetcher.get(url)
        checked.append(url.removeprefix(base))
    fetcher.close()
    assert [h.path for h in server.hits("a")] == checked
