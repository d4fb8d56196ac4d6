"""Helpers of the crawl tests: a crawl config pointing at the local site."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from crawl_site import Site

from corpusforge.crawl import config as crawl_config


def make_config(site: Site, out: Path, **overrides: Any) -> crawl_config.CrawlConfig:
    """A fast, fully local crawl of the test site: small delays, short time-outs, one retry."""
    main = site.base("main") if "main" in site.servers else "http://127.0.0.1:9"  # other sites give seeds
    raw: dict[str, Any] = {
        "name": "test",
        "output": str(out),
        "seeds": [main + "/", "ht!tp://no good", "not a url", "http://[::1"],
        "sitemaps": [main + "/sitemap.xml", main + "/not-a-sitemap.xml"],
        "identity": {"user_agent": "corpusforge-test", "contact_url": "https://example.org/crawler"},
        "scope": {"domains": ["127.0.0.1"], "max_depth": 3},
        "politeness": {"delay_s": 0.1, "concurrency": 4},
        "limits": {
            "connect_timeout_s": 1.0,
            "read_timeout_s": 0.5,
            "max_bytes": 1_000_000,
            "max_redirects": 3,
            "max_retries": 1,
            "backoff_base_s": 0.05,
        },
        "warc": {"max_bytes": 4000},
    }
    for key, value in overrides.items():
        if isinstance(value, dict):
            raw[key] = {**raw.get(key, {}), **value}
        else:
            raw[key] = value
    return crawl_config.from_dict(raw)
