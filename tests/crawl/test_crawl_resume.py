"""Kill a crawl with SIGKILL mid-way, run it again: nothing is fetched twice, the WARC files stay valid."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from crawl_fixtures import make_config
from crawl_site import Site
from warcio.archiveiterator import ArchiveIterator

from corpusforge.crawl.distributed import warc_files

RETRIED = {"/broken", "/slow", "/busy"}  # legitimately requested again (max_retries = 1)


def to_toml(config: dict[str, Any]) -> str:
    """Enough TOML for a crawl config: a [crawl] table of scalars and lists, then sub-tables."""
    lines = ["[crawl]"]
    tables = {k: v for k, v in config.items() if isinstance(v, dict)}
    lines += [f"{k} = {json.dumps(v)}" for k, v in config.items() if k not in tables and v is not None]
    for name, table in tables.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in table.items() if v is not None]
    return "\n".join(lines) + "\n"


def run_cli(config_file: Path, **kwargs: Any) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "corpusforge.cli", "crawl", str(config_file)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        **kwargs,
    )


@pytest.mark.slow
def test_resume_after_kill_refetches_nothing(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "crawl"
    config = make_config(site, out, politeness={"delay_s": 0.1, "concurrency": 2})
    config_file = tmp_path / "crawl.toml"
    config_file.write_text(to_toml(config.model_dump(mode="json")), encoding="utf-8")

    first = run_cli(config_file)
    deadline = time.time() + 60
    while len(site.hits("main")) < 12 and time.time() < deadline and first.poll() is None:
        time.sleep(0.02)
    assert first.poll() is None, first.communicate()[0].decode()  # still crawling when killed
    first.send_signal(signal.SIGKILL)
    first.wait()
    killed_after = len(site.hits())
    assert list((out / "warc").glob("*.open")) or warc_files(out)  # it had written something

    second = run_cli(config_file)
    output = second.communicate(timeout=120)[0].decode()
    assert second.returncode == 0, output
    assert len(site.hits()) > killed_after  # the second run did crawl the rest

    per_path = Counter((h.host, h.path) for h in site.hits())
    twice = {k: n for k, n in per_path.items() if n > 1 and k[1] not in RETRIED | {"/robots.txt"}}
    assert not twice, twice
    assert all(n <= 2 for (_, p), n in per_path.items() if p in RETRIED)
    # robots.txt: retried on 5xx (max_retries = 1), and fetched again when a kill lost the answer.
    assert all(n <= 3 for (_, p), n in per_path.items() if p == "/robots.txt")

    # Every WARC file reads to the end; no half-written file is left behind.
    assert not list((out / "warc").glob("*.open"))
    uris = []
    for path in warc_files(out):
        with open(path, "rb") as fh:
            uris += [
                r.rec_headers.get_header("WARC-Target-URI") for r in ArchiveIterator(fh) if r.rec_type == "response"
            ]
    assert len(uris) >= 20
    stats = json.loads((out / "crawl-stats.json").read_text(encoding="utf-8"))
    assert "queued" not in stats["totals"] and stats["totals"]["fetched"] >= 12
    # A URL in flight at the kill is counted, not fetched again.
    assert set(stats["totals"]) <= {
        "fetched", "redirect", "redirect_loop", "too_many_redirects", "disallowed", "http_404", "http_500",
        "timeout", "too_large", "content_type", "sitemap", "bad_sitemap", "robots_unavailable",
        "host_unreachable", "out_of_scope:domain", "interrupted",
    }  # fmt: skip


def test_rerun_of_a_finished_crawl_fetches_nothing(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "crawl"
    config = make_config(site, out, seeds=[site.base("html_robots") + "/eu"], sitemaps=[], politeness={"delay_s": 0.05})
    config_file = tmp_path / "crawl.toml"
    config_file.write_text(to_toml(config.model_dump(mode="json")), encoding="utf-8")
    for _ in range(2):
        proc = run_cli(config_file)
        output = proc.communicate(timeout=60)[0].decode()
        assert proc.returncode == 0, output
    assert sorted(h.path for h in site.hits()) == ["/eu", "/gl", "/robots.txt"]
    assert "language yield" not in output and "127.0.0.1" in output


def test_sigint_stops_cleanly_and_keeps_the_queue(site: Site, tmp_path: Path) -> None:
    out = tmp_path / "crawl"
    config = make_config(site, out, politeness={"delay_s": 0.1, "concurrency": 2})
    config_file = tmp_path / "crawl.toml"
    config_file.write_text(to_toml(config.model_dump(mode="json")), encoding="utf-8")
    proc = run_cli(config_file)
    deadline = time.time() + 60
    while len(site.hits("main")) < 5 and time.time() < deadline:
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    output = proc.communicate(timeout=30)[0].decode()
    assert proc.returncode == 0, output
    stats = json.loads((out / "crawl-stats.json").read_text(encoding="utf-8"))
    assert stats["totals"]["queued"] > 0 and "interrupted" not in stats["totals"]
    assert not list((out / "warc").glob("*.open"))


def test_max_pages_leaves_the_rest_queued_for_a_later_run(site: Site, tmp_path: Path) -> None:
    from corpusforge.crawl.crawler import Crawler, frontier_path
    from corpusforge.crawl.frontier import Frontier

    out = tmp_path / "crawl"
    seeds = {"seeds": [site.base("main") + "/"], "sitemaps": [], "politeness": {"delay_s": 0.0}}

    def requests_made() -> int:
        fr = Frontier(frontier_path(out, 0))
        try:
            return fr.total_requests()
        finally:
            fr.close()

    first = Crawler(make_config(site, out, scope={"domains": ["127.0.0.1"], "max_pages": 4}, **seeds)).run()
    assert requests_made() == 4 and first.totals["queued"] > 0
    hits_after_first = len([h for h in site.hits() if h.path != "/robots.txt"])
    second = Crawler(make_config(site, out, scope={"domains": ["127.0.0.1"], "max_pages": 8}, **seeds)).run()
    assert requests_made() == 8 and second.totals["fetched"] > first.totals["fetched"]
    assert len([h for h in site.hits() if h.path != "/robots.txt"]) > hits_after_first
    assert [h.path for h in site.hits("main")].count("/robots.txt") == 1  # kept in the frontier
