"""Politeness survives a kill -9: the first request after a restart still waits the host's delay."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from crawl_fixtures import make_config
from crawl_site import ES, Response, Site, page
from test_crawl_resume import run_cli, to_toml

from corpusforge.crawl.frontier import Frontier

DELAY_S = 1.5
PAGES = [f"/p/{n}" for n in range(4)]


def test_a_host_with_a_request_in_flight_at_a_crash_waits_its_delay_from_the_restart(tmp_path: Path) -> None:
    path = tmp_path / "f.sqlite"
    fr = Frontier(path)
    with fr:
        fr.host_dispatched("a.cat", delay_s=4.0)
        fr.host_dispatched("b.cat", delay_s=4.0)
    with fr:
        fr.host_finished("b.cat", ready_at=1000.0)
    fr.db.close()  # as after a kill: a.cat's request never finished
    again = Frontier(path)
    restart = time.time()
    with again:
        assert again.recover_hosts(now=restart) == 1
    ready = again.host_ready_at()
    assert ready["a.cat"] >= restart + 4.0 and ready["b.cat"] == 1000.0
    with again:
        assert again.recover_hosts(now=restart + 60) == 0  # recovered once, not on every start
    again.close()


def _slow_site(site: Site) -> None:
    site.start("slow", {})
    site.routes["slow"] = {
        "/robots.txt": lambda _s: Response(
            body=f"User-agent: *\nCrawl-delay: {DELAY_S}\n".encode(), headers={"Content-Type": "text/plain"}
        ),
        "/": lambda _s: Response(body=page("Inici", ES, PAGES)),
        **{p: (lambda _s: Response(body=page("Pàgina", ES, []))) for p in PAGES},
    }


def _kill_after_hits(site: Site, config_file: Path, hits: int) -> None:
    """Start the crawl and SIGKILL it right after the server saw `hits` requests in all."""
    proc = run_cli(config_file)
    deadline = time.time() + 60
    while len(site.hits("slow")) < hits and time.time() < deadline and proc.poll() is None:
        time.sleep(0.002)
    proc.send_signal(signal.SIGKILL)
    proc.wait()


@pytest.mark.slow
def test_restarts_after_kill_keep_the_crawl_delay(site: Site, tmp_path: Path) -> None:
    """Killed right after robots.txt was requested, then right after a page: every gap in the
    access log, across both restarts, is at least the delay (the robots.txt fetch counts too)."""
    _slow_site(site)
    out = tmp_path / "crawl"
    config = make_config(
        site,
        out,
        seeds=[site.base("slow") + p for p in ("/", *PAGES)],  # a page lost in flight hides no other
        sitemaps=[],
        politeness={"delay_s": DELAY_S, "concurrency": 2},
    )
    config_file = tmp_path / "crawl.toml"
    config_file.write_text(to_toml(config.model_dump(mode="json")), encoding="utf-8")
    _kill_after_hits(site, config_file, 1)  # robots.txt in flight or just answered
    _kill_after_hits(site, config_file, len(site.hits("slow")) + 2)
    final = run_cli(config_file)
    output = final.communicate(timeout=120)[0].decode()
    assert final.returncode == 0, output
    hits = site.hits("slow")
    assert len(hits) >= 5 and hits[0].path == "/robots.txt"
    times = [h.at for h in hits]
    gaps = [round(b - a, 3) for a, b in zip(times, times[1:])]
    assert min(gaps) >= DELAY_S - 0.02, list(zip([h.path for h in hits[1:]], gaps))


OLD_SCHEMA = """
CREATE TABLE urls (url TEXT PRIMARY KEY, host TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'page',
    depth INTEGER NOT NULL, priority INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL,
    state TEXT NOT NULL, outcome TEXT, status INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL DEFAULT 0, redirects INTEGER NOT NULL DEFAULT 0, via TEXT,
    bytes INTEGER NOT NULL DEFAULT 0, lang TEXT, fetched_at REAL);
CREATE TABLE robots (origin TEXT PRIMARY KEY, status INTEGER, content_type TEXT, body BLOB);
CREATE TABLE hosts (host TEXT PRIMARY KEY, ready_at REAL NOT NULL DEFAULT 0);
INSERT INTO urls (url, host, depth, seq, state) VALUES ('http://a.cat/?a=1&b=2', 'a.cat', 0, 1, 'queued');
INSERT INTO robots VALUES ('http://a.cat', 200, 'text/plain', X'');
INSERT INTO hosts VALUES ('a.cat', 5.0);
"""


def test_a_frontier_from_before_keeps_working(tmp_path: Path) -> None:
    """A crawl started by the previous version resumes: its URLs get keys, its robots.txt is re-read."""
    import sqlite3

    path = tmp_path / "old.sqlite"
    with sqlite3.connect(path) as db:
        db.executescript(OLD_SCHEMA)
    fr = Frontier(path)
    with fr:
        assert not fr.add("http://a.cat/?b=2&a=1", host="a.cat", depth=1)  # the same page, other order
    assert fr.robots("http://a.cat") == (200, "text/plain", b"", 0.0, 0)  # fetched_at 0: stale, fetched again
    assert fr.host_ready_at() == {"a.cat": 5.0}
    fr.close()
