"""The `auto` executor: in-process, a pool of processes, or Ray, chosen by the work to do.

    choose(cpus=2, input_bytes=45e6, shards=4, gpus=False, ray_address=None)  # -> "pool"

- `ray` when a cluster is named (`--ray-address`) or a stage asks for GPUs (Ray schedules them);
- `local` (in-process) with one CPU, one shard, or an input under `SMALL_INPUT_BYTES`: starting
  workers costs more than a second core saves (see benchmarks/results/pipeline.md); a source that
  reads no file of known size (a Common Crawl index, a crawl) is never taken for small;
- `pool` otherwise: one worker process per CPU (`runtime/pool.py`), without Ray's start-up.

The choice is made when the first work arrives, from what is left to do (a resumed run that has
one small shard left runs it in-process), and kept for the rest of the run. `--executor ray`
still forces Ray.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from corpusforge import io
from corpusforge.plan import Segment
from corpusforge.rundir import RunDir
from corpusforge.runtime.segment import ShardTask, source_bytes

log = logging.getLogger("corpusforge.run")

# About one second of one core's work on WARC.gz (~7 kB a page at ~1,000 pages per CPU-second).
SMALL_INPUT_BYTES = 8 << 20


def available_cpus() -> int:
    """CPUs this process may run on (the affinity mask where the OS has one, as containers set)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def choose(*, cpus: int, input_bytes: int | None, shards: int, gpus: bool, ray_address: str | None) -> str:
    """The executor kind for work of `shards` shards reading `input_bytes` (None: unknown, as for a
    source that fetches over the network) on `cpus` CPUs."""
    if ray_address or gpus:
        return "ray"
    if cpus <= 1 or shards <= 1 or (input_bytes is not None and input_bytes < SMALL_INPUT_BYTES):
        return "local"
    return "pool"


def work_bytes(tasks: list[ShardTask]) -> int | None:
    """Bytes the tasks read, or None when a source shard names no file (a Common Crawl index, a
    crawl frontier): its size says nothing about the work."""
    total = 0
    for task in tasks:
        if task.source_shard is not None:
            if "path" not in task.source_shard and "end" not in task.source_shard:
                return None
            total += source_bytes(task.source_shard)
        elif task.input_path:
            total += io.file_size(task.input_path)
    return total


class AutoExecutor:
    def __init__(self, *, num_cpus: int | None = None, ray_address: str | None = None) -> None:
        self.cpus = num_cpus or available_cpus()
        self.ray_address = ray_address
        self.chosen: Any = None
        self.kind = ""
        self.num_workers = self.cpus  # until the choice: then the chosen executor's

    @property
    def startup_seconds(self) -> float:
        return float(getattr(self.chosen, "startup_seconds", 0.0))

    def _choose(self, *, input_bytes: int | None, shards: int, gpus: bool) -> Any:
        if self.chosen is None:
            self.kind = "auto: " + choose(
                cpus=self.cpus, input_bytes=input_bytes, shards=shards, gpus=gpus, ray_address=self.ray_address
            )
            size = "size unknown" if input_bytes is None else f"{input_bytes / 1e6:.1f} MB to read"
            log.info("executor %s (%d CPU(s), %d shard(s), %s)", self.kind, self.cpus, shards, size)
            self.chosen = _make(self.kind.removeprefix("auto: "), cpus=self.cpus, ray_address=self.ray_address)
            self.num_workers = self.chosen.num_workers
        return self.chosen

    def run_shards(
        self,
        run: RunDir,
        segment: Segment,
        batch_size: int,
        tasks: list[ShardTask],
        on_done: Callable[[list[dict[str, Any]]], None],
    ) -> None:
        gpus = any(n.cls.resources.gpus > 0 for n in segment.nodes)
        executor = self._choose(input_bytes=work_bytes(tasks), shards=len(tasks), gpus=gpus)
        executor.run_shards(run, segment, batch_size, tasks, on_done)

    def map(
        self, fn: Callable[[Any], Any], items: list[Any], *, on_item: Callable[[], None] | None = None
    ) -> list[Any]:
        # Only a resumed run whose shards are all done starts with a global phase: size unknown, so
        # the phase's task count decides between in-process and the pool.
        executor = self._choose(input_bytes=SMALL_INPUT_BYTES * len(items), shards=len(items), gpus=False)
        return executor.map(fn, items, on_item=on_item)

    def close(self) -> None:
        if self.chosen is not None:
            self.chosen.close()


def _make(kind: str, *, cpus: int, ray_address: str | None) -> Any:
    if kind == "ray":
        from corpusforge.runtime.ray import RayExecutor

        return RayExecutor(address=ray_address, num_cpus=cpus)
    if kind == "pool":
        from corpusforge.runtime.pool import PoolExecutor

        return PoolExecutor(cpus)
    from corpusforge.runtime.local import LocalExecutor

    return LocalExecutor()
