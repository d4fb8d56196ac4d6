"""Worker processes on this machine: Ray's parallelism over one machine's cores without Ray.

Starting Ray (its GCS, raylet, dashboard agent and workers, each importing Ray) costs seconds of
wall clock and ~10 CPU-seconds, which on the demo is a third of the run. A pool of worker
processes started from a forkserver that has already imported the runtime costs a fraction of a
second. Each worker keeps one `SegmentRunner` per segment, so a stage's `setup()` (a model load)
runs once per worker and segment, as in a Ray actor.

What Ray adds and this pool has not: a cluster, retries of a task whose worker died (here the run
stops, and a rerun resumes from the done markers), scheduling by memory and GPUs. The `auto`
executor picks Ray where those matter (`runtime/auto.py`).
"""

from __future__ import annotations

import concurrent.futures as cf
import multiprocessing
import os
import select
import sys
import threading
import time
from collections.abc import Callable
from typing import Any

from corpusforge.memory import keep_freed_memory
from corpusforge.plan import Segment
from corpusforge.rundir import RunDir
from corpusforge.runtime.segment import SegmentRunner, ShardTask

# In a worker: the runner of the segment it last ran (segments run one after another).
_RUNNER: dict[str, SegmentRunner] = {}


def _run_shard(run: RunDir, segment: Segment, batch_size: int, task: ShardTask) -> list[dict[str, Any]]:
    key = f"{run.root}\0{segment.id}"
    runner = _RUNNER.get(key)
    if runner is None:
        for old in _RUNNER.values():
            old.teardown()
        _RUNNER.clear()
        runner = _RUNNER[key] = SegmentRunner(run, segment, batch_size)
    return runner.run(task)


def _exit_with(driver: int) -> None:
    """In a worker: end this process when the driver ends, however it ends. A driver killed with
    SIGKILL (kill -9, the OOM killer) cannot shut its pool down, and the workers would wait for work
    forever, each holding its models, with the forkserver kept alive by them."""

    def watch() -> None:
        try:
            fd = os.pidfd_open(driver)  # Linux >= 5.3: readable once the process has ended
            select.select([fd], [], [])
        except (AttributeError, OSError):  # elsewhere, or no pidfd: look every second
            while _running(driver):
                time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="driver-watch", daemon=True).start()
    keep_freed_memory()  # global phases run here too, outside any SegmentRunner


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # PermissionError: it exists, as another user's process
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def worker_pid(_item: object = None) -> int:
    """The pid of the worker that runs it (tests, diagnostics)."""
    return os.getpid()


def _context() -> multiprocessing.context.BaseContext:
    """forkserver on Linux (a clean process to fork from, with the runtime imported once), else spawn."""
    if sys.platform.startswith("linux"):
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["corpusforge.runtime.pool", "corpusforge.stages"])
        return ctx
    return multiprocessing.get_context("spawn")


class PoolExecutor:
    kind = "pool"

    def __init__(self, num_workers: int) -> None:
        t0 = time.perf_counter()
        self.num_workers = max(1, num_workers)
        self._pool = cf.ProcessPoolExecutor(
            max_workers=self.num_workers, mp_context=_context(), initializer=_exit_with, initargs=(os.getpid(),)
        )
        self.startup_seconds = time.perf_counter() - t0  # workers start on the first task, counted there

    def run_shards(
        self,
        run: RunDir,
        segment: Segment,
        batch_size: int,
        tasks: list[ShardTask],
        on_done: Callable[[list[dict[str, Any]]], None],
    ) -> None:
        futures = [self._pool.submit(_run_shard, run, segment, batch_size, t) for t in tasks]
        try:
            for future in cf.as_completed(futures):
                on_done(future.result())
        except BaseException:
            for f in futures:
                f.cancel()
            raise

    def map(
        self, fn: Callable[[Any], Any], items: list[Any], *, on_item: Callable[[], None] | None = None
    ) -> list[Any]:
        futures = [self._pool.submit(fn, x) for x in items]
        try:
            for future in cf.as_completed(futures):
                future.result()
                if on_item:
                    on_item()
        except BaseException:
            for f in futures:
                f.cancel()
            raise
        return [f.result() for f in futures]

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
