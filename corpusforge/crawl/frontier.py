"""The persisted frontier: every URL the crawl has seen, its queue position and its final outcome.

One SQLite file per partition (`{output}/frontier/part-00000.sqlite`), written only by the
crawl loop's thread. `url` is the URL as it will be requested; `key` (its `dedup_key`, query
sorted) is unique, so a page is queued at most once however its links spell the query, and a
restarted crawl picks up the queue where it stopped. States:

- `queued`: waiting; `next_at` delays retries, `priority` orders the queue (higher first);
- `inflight`: handed to a fetcher. A crawl killed here cannot know whether the server saw
  the request, so on restart such URLs end as `interrupted` rather than being fetched again;
- `done`: finished, with an `outcome` ("fetched", "redirect", "http_404", "disallowed",
  "out_of_scope:tld", "timeout", ...) that the per-host stats count.

The `warc` table keeps the byte offset up to which each WARC file is known good; it is
updated in the same transaction as the outcome of the page whose records end there.

The `hosts` table is the politeness clock: `ready_at` (the next request not before), and
`inflight` with the `delay_s` that applied, counted up in the transaction that dispatches a
request and down when it is recorded. A kill leaves `inflight` > 0; `recover_hosts` then makes
such a host wait its delay from the restart, since its last request may have ended at the kill.
Costs one small UPDATE per request, inside transactions the crawl commits anyway. With WAL and
`synchronous=NORMAL` a commit survives the process being killed; a power cut may lose the last
ones, but a machine's restart takes longer than any crawl delay (capped at 30 s by default).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from corpusforge.crawl.urls import dedup_key

_SCHEMA = """
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, host TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'page',
    depth INTEGER NOT NULL, priority INTEGER NOT NULL DEFAULT 0, seq INTEGER NOT NULL,
    state TEXT NOT NULL, outcome TEXT, status INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
    next_at REAL NOT NULL DEFAULT 0, redirects INTEGER NOT NULL DEFAULT 0, via TEXT,
    bytes INTEGER NOT NULL DEFAULT 0, lang TEXT, fetched_at REAL, key TEXT
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls (state, priority DESC, seq);
CREATE TABLE IF NOT EXISTS bad_input (what TEXT NOT NULL, value TEXT NOT NULL, reason TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS robots (
    origin TEXT PRIMARY KEY, status INTEGER, content_type TEXT, body BLOB,
    fetched_at REAL NOT NULL DEFAULT 0, failures INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS hosts (
    host TEXT PRIMARY KEY, ready_at REAL NOT NULL DEFAULT 0,
    inflight INTEGER NOT NULL DEFAULT 0, delay_s REAL NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS warc (file TEXT PRIMARY KEY, good_bytes INTEGER NOT NULL, closed INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inbox (file TEXT PRIMARY KEY, lines INTEGER NOT NULL);
"""
# Columns added since the first frontier files; `_upgrade` adds them to an older file.
_ADDED_COLUMNS = {
    "urls": [("key", "TEXT")],
    "robots": [("fetched_at", "REAL NOT NULL DEFAULT 0"), ("failures", "INTEGER NOT NULL DEFAULT 0")],
    "hosts": [("inflight", "INTEGER NOT NULL DEFAULT 0"), ("delay_s", "REAL NOT NULL DEFAULT 0")],
}

# Outcomes that are not a request to the host (they do not count towards max_pages_per_host).
NOT_FETCHED = (
    "disallowed",
    "robots_unavailable",
    "host_unreachable",
    "handoff",
    "host_limit",
    "too_many_redirects",
    "interrupted",
)


@dataclass(frozen=True)
class Entry:
    url: str
    host: str
    kind: str  # "page" or "sitemap"
    depth: int
    priority: int
    attempts: int
    redirects: int
    via: str | None


class Frontier:
    """SQLite-backed queue and ledger of one crawl partition. Costs one small transaction per page."""

    def __init__(self, path: str | Path) -> None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self._upgrade()
        (self._seq,) = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM urls").fetchone()

    def _upgrade(self) -> None:
        """Bring a frontier written by an older version to this schema (keys for its URLs)."""
        for table, columns in _ADDED_COLUMNS.items():
            have = {row[1] for row in self.db.execute(f"PRAGMA table_info({table})")}
            for name, decl in columns:
                if name not in have:
                    self.db.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        missing = self.db.execute("SELECT url FROM urls WHERE key IS NULL").fetchall()
        if missing:
            seen = {k for (k,) in self.db.execute("SELECT key FROM urls WHERE key IS NOT NULL")}
            self.db.execute("BEGIN")
            for (url,) in missing:
                key = dedup_key(url)
                if key not in seen:  # an older spelling of a page already known keeps no key
                    seen.add(key)
                    self.db.execute("UPDATE urls SET key = ? WHERE url = ?", (key, url))
            self.db.execute("COMMIT")
        self.db.execute("CREATE UNIQUE INDEX IF NOT EXISTS urls_key ON urls (key)")

    def close(self) -> None:
        self.db.close()

    # -- transactions ---------------------------------------------------------------------------
    def __enter__(self) -> Frontier:
        self.db.execute("BEGIN")
        return self

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")

    # -- adding URLs ----------------------------------------------------------------------------
    def add(
        self,
        url: str,
        *,
        host: str,
        depth: int,
        priority: int = 0,
        kind: str = "page",
        via: str | None = None,
        redirects: int = 0,
        outcome: str | None = None,
    ) -> bool:
        """Queue `url` (or record it as done with `outcome`); False when it was already known.

        A known, still queued URL found again from a better page gets the higher priority.
        """
        self._seq += 1
        state = "queued" if outcome is None else "done"
        key = dedup_key(url)
        cur = self.db.execute(
            "INSERT OR IGNORE INTO urls (url, key, host, kind, depth, priority, seq, state, outcome, via, redirects)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (url, key, host, kind, depth, priority, self._seq, state, outcome, via, redirects),
        )
        if cur.rowcount == 0 and outcome is None:
            self.db.execute(
                "UPDATE urls SET priority = ? WHERE key = ? AND state = 'queued' AND priority < ?",
                (priority, key, priority),
            )
            return False
        return cur.rowcount == 1

    def known(self, url: str) -> bool:
        """True when `url`, or another spelling of the same page, is in the frontier."""
        return self.db.execute("SELECT 1 FROM urls WHERE key = ?", (dedup_key(url),)).fetchone() is not None

    def bad_input(self, what: str, value: str, reason: str) -> None:
        self.db.execute("INSERT INTO bad_input VALUES (?, ?, ?)", (what, value[:2000], reason))

    # -- the queue ------------------------------------------------------------------------------
    def next_ready(self, *, now: float, blocked_hosts: Iterable[str]) -> Entry | None:
        """The best queued URL whose retry time has come, on a host that is not blocked."""
        blocked = list(blocked_hosts)
        marks = ",".join("?" * len(blocked))
        where = f"AND host NOT IN ({marks})" if blocked else ""
        row = self.db.execute(
            "SELECT url, host, kind, depth, priority, attempts, redirects, via FROM urls"
            f" WHERE state = 'queued' AND next_at <= ? {where} ORDER BY priority DESC, seq LIMIT 1",
            (now, *blocked),
        ).fetchone()
        return Entry(*row) if row else None

    def earliest_retry(self, *, blocked_hosts: Iterable[str]) -> float | None:
        blocked = list(blocked_hosts)
        where = f"AND host NOT IN ({','.join('?' * len(blocked))})" if blocked else ""
        (at,) = self.db.execute(
            f"SELECT MIN(next_at) FROM urls WHERE state = 'queued' {where}", tuple(blocked)
        ).fetchone()
        return at

    def queued(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM urls WHERE state = 'queued'").fetchone()[0]

    def mark_inflight(self, url: str) -> None:
        self.db.execute("UPDATE urls SET state = 'inflight', attempts = attempts + 1 WHERE url = ?", (url,))

    def retry(self, url: str, *, at: float, status: int | None = None) -> None:
        self.db.execute("UPDATE urls SET state = 'queued', next_at = ?, status = ? WHERE url = ?", (at, status, url))

    def finish(
        self, url: str, outcome: str, *, status: int | None = None, nbytes: int = 0, lang: str | None = None
    ) -> None:
        self.db.execute(
            "UPDATE urls SET state = 'done', outcome = ?, status = ?, bytes = ?, lang = ?, fetched_at = ?"
            " WHERE url = ?",
            (outcome, status, nbytes, lang, time.time(), url),
        )

    def recover_interrupted(self) -> int:
        """After a kill: URLs that were in flight end as `interrupted` (never refetched)."""
        cur = self.db.execute("UPDATE urls SET state = 'done', outcome = 'interrupted' WHERE state = 'inflight'")
        return cur.rowcount

    def via_chain(self, url: str, *, limit: int = 50) -> list[str]:
        """The URLs that redirected, hop by hop, to `url` (nearest first)."""
        chain: list[str] = []
        current: str | None = url
        while current is not None and len(chain) < limit:
            row = self.db.execute("SELECT via FROM urls WHERE url = ? AND redirects > 0", (current,)).fetchone()
            current = row[0] if row else None
            if current is not None:
                chain.append(current)
        return chain

    # -- hosts, robots, WARC offsets, inbox -----------------------------------------------------
    def host_requests(self, host: str) -> int:
        marks = ",".join("?" * len(NOT_FETCHED))
        return self.db.execute(
            f"SELECT COUNT(*) FROM urls WHERE host = ? AND attempts > 0 AND (outcome IS NULL OR outcome NOT IN ({marks}))",
            (host, *NOT_FETCHED),
        ).fetchone()[0]

    def total_requests(self) -> int:
        return self.db.execute("SELECT COALESCE(SUM(attempts), 0) FROM urls").fetchone()[0]

    def host_ready_at(self) -> dict[str, float]:
        return dict(self.db.execute("SELECT host, ready_at FROM hosts").fetchall())

    def host_dispatched(self, host: str, *, delay_s: float) -> None:
        """A request to `host` is about to be sent; commit this before sending it."""
        self.db.execute(
            "INSERT INTO hosts (host, inflight, delay_s) VALUES (?, 1, ?)"
            " ON CONFLICT (host) DO UPDATE SET inflight = inflight + 1, delay_s = excluded.delay_s",
            (host, delay_s),
        )

    def host_finished(self, host: str, *, ready_at: float) -> None:
        """A request to `host` is recorded; the next one waits until `ready_at`."""
        self.db.execute(
            "INSERT INTO hosts (host, ready_at) VALUES (?, ?) ON CONFLICT (host) DO UPDATE"
            " SET ready_at = MAX(ready_at, excluded.ready_at), inflight = MAX(inflight - 1, 0)",
            (host, ready_at),
        )

    def recover_hosts(self, *, now: float) -> int:
        """After a kill: hosts with a request in flight wait their delay from `now`; returns how many."""
        cur = self.db.execute(
            "UPDATE hosts SET ready_at = MAX(ready_at, ? + delay_s), inflight = 0 WHERE inflight > 0", (now,)
        )
        return cur.rowcount

    def robots(self, origin: str) -> tuple[int, str, bytes, float, int] | None:
        """(status, content type, body, fetched at, failures in a row) of `origin`'s robots.txt."""
        row = self.db.execute(
            "SELECT status, content_type, body, fetched_at, failures FROM robots WHERE origin = ?", (origin,)
        ).fetchone()
        return (row[0], row[1], bytes(row[2]), row[3], row[4]) if row else None

    def save_robots(
        self, origin: str, status: int, content_type: str, body: bytes, *, fetched_at: float, failures: int
    ) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?, ?, ?)",
            (origin, status, content_type, body, fetched_at, failures),
        )

    def warc_files(self) -> list[tuple[str, int, bool]]:
        return [
            (f, n, bool(c)) for f, n, c in self.db.execute("SELECT file, good_bytes, closed FROM warc ORDER BY file")
        ]

    def set_warc(self, file: str, good_bytes: int, *, closed: bool = False) -> None:
        self.db.execute("INSERT OR REPLACE INTO warc VALUES (?, ?, ?)", (file, good_bytes, int(closed)))

    def inbox_lines(self) -> dict[str, int]:
        """Per inbox file of this partition, how many of its lines were already read."""
        return dict(self.db.execute("SELECT file, lines FROM inbox").fetchall())

    def set_inbox_lines(self, file: str, lines: int) -> None:
        self.db.execute("INSERT OR REPLACE INTO inbox VALUES (?, ?)", (file, lines))

    # -- reporting ------------------------------------------------------------------------------
    def outcomes_by_host(self) -> list[tuple[str, str, int, int]]:
        """(host, outcome or state, URLs, bytes) for every host the crawl has seen."""
        return self.db.execute(
            "SELECT host, COALESCE(outcome, state), COUNT(*), SUM(bytes) FROM urls GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()

    def bad_inputs(self) -> list[tuple[str, str, str]]:
        return self.db.execute("SELECT what, value, reason FROM bad_input").fetchall()

    def lang_counts(self) -> list[tuple[str | None, int]]:
        return self.db.execute(
            "SELECT lang, COUNT(*) FROM urls WHERE outcome = 'fetched' AND kind = 'page' GROUP BY lang"
        ).fetchall()
