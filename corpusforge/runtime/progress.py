"""Progress of a run: rich bars on a terminal, log lines at a fixed interval everywhere else.

Redirected to a file, a run of hours must still say how it goes: `LogProgress` writes, per segment
and at most every `interval_s`, the shards done out of the total, documents in and kept per second
over the shards finished in this run, and an ETA; and for the parallel phases of global stages
(dedup's shuffle and index, pack's tokenisation), the tasks done per phase.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger("corpusforge.progress")

Advance = Callable[[list[dict[str, Any]]], None]  # called with each finished shard's stats


class RichProgress:
    """Bars per segment and per global phase, for a terminal."""

    def __init__(self) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        )
        self._started = False

    def _task(self, label: str, total: int, done: int) -> Any:
        if not self._started:
            self._progress.start()
            self._started = True
        return self._progress.add_task(label, total=total, completed=done)

    def start(self, label: str, total: int, done: int) -> Advance:
        task = self._task(f"segment {label}", total, done)
        return lambda _result: self._progress.advance(task)

    def phase(self, node: str, phase: str, total: int) -> Callable[[], None]:
        task = self._task(f"  {node}: {phase}", total, 0)
        return lambda: self._progress.advance(task)

    def stop(self) -> None:
        if self._started:
            self._progress.stop()


class LogProgress:
    """One log line per segment (or global phase) at most every `interval_s`, and one when it ends."""

    def __init__(self, *, interval_s: float = 10.0) -> None:
        self.interval_s = interval_s

    def start(self, label: str, total: int, done: int) -> Advance:
        state = {"done": done, "in": 0, "kept": 0, "fresh": 0, "last": 0.0}
        t0 = time.monotonic()
        if done < total:
            resumed = f" ({done} done by an earlier run)" if done else ""
            log.info("segment %s: %d shard(s) to run%s", label, total - done, resumed)

        def advance(result: list[dict[str, Any]]) -> None:
            state["done"] += 1
            state["fresh"] += 1
            if result:
                state["in"] += result[0]["in"]
                state["kept"] += result[-1]["kept"]
            now = time.monotonic()
            if now - state["last"] < self.interval_s and state["done"] < total:
                return
            state["last"] = now
            elapsed = max(now - t0, 1e-9)
            per_shard = elapsed / state["fresh"]
            eta = per_shard * (total - state["done"])
            log.info(
                "segment %s: %d/%d shards, %s docs in (%.0f/s), %s kept (%.0f/s), ETA %s",
                label,
                state["done"],
                total,
                f"{state['in']:,}",
                state["in"] / elapsed,
                f"{state['kept']:,}",
                state["kept"] / elapsed,
                _duration(eta),
            )

        return advance

    def phase(self, node: str, phase: str, total: int) -> Callable[[], None]:
        state = {"done": 0, "last": 0.0}
        t0 = time.monotonic()

        def advance() -> None:
            state["done"] += 1
            now = time.monotonic()
            if now - state["last"] < self.interval_s and state["done"] < total:
                return
            state["last"] = now
            eta = (now - t0) / state["done"] * (total - state["done"])
            log.info("%s: %s %d/%d tasks, ETA %s", node, phase, state["done"], total, _duration(eta))

        return advance

    def stop(self) -> None:
        pass


def make_progress(*, quiet: bool, interval_s: float) -> RichProgress | LogProgress | None:
    """Bars on a terminal, log lines when stderr is redirected; nothing with `quiet`."""
    if quiet:
        return None
    return RichProgress() if sys.stderr.isatty() else LogProgress(interval_s=interval_s)


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
