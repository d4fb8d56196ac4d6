"""Run one call with a wall-clock limit, inside Ray workers and the local executor alike.

Trafilatura can spin for minutes on pathological HTML, so every document gets a limit.
Two mechanisms, chosen per call:

- In the main thread of a process with `signal.setitimer` (POSIX; Ray task workers and the
  local executor run stages there): an ITIMER_REAL alarm raises `DocumentTimeout` inside the
  call. The cost is two system calls per document and the hung call really stops.
- Elsewhere (a threaded Ray actor, Windows): the call runs in a helper thread and we stop
  waiting after the limit. A Python thread cannot be killed, so the abandoned call finishes
  in the background; a fresh helper thread takes the next document.
"""

from __future__ import annotations

import concurrent.futures as cf
import signal
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class DocumentTimeout(BaseException):
    """The call ran past its limit (a BaseException so that libraries' `except Exception` let it pass)."""


def _alarm(_signum: int, _frame: object) -> None:
    raise DocumentTimeout


def can_use_alarm() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


class Limiter:
    """Call functions with a time limit; keep one per stage (it may own a helper thread)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._pool: cf.ThreadPoolExecutor | None = None

    def call(self, fn: Callable[[], T]) -> T:
        """`fn()`, or DocumentTimeout after `seconds` (no limit when seconds <= 0)."""
        if self.seconds <= 0:
            return fn()
        if can_use_alarm():
            return self._with_alarm(fn)
        return self._with_thread(fn)

    def _with_alarm(self, fn: Callable[[], T]) -> T:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, self.seconds)
        try:
            return fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)

    def _with_thread(self, fn: Callable[[], T]) -> T:
        if self._pool is None:
            self._pool = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="extract")
        future = self._pool.submit(fn)
        try:
            return future.result(timeout=self.seconds)
        except cf.TimeoutError:
            # The hung call keeps its thread; give the next document a new one.
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
            raise DocumentTimeout from None
