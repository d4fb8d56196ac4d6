"""Ray executor: an embedded local Ray by default, or an existing cluster (`--ray-address`).

A segment whose stages load heavy state in `setup()` runs in a pool of actors, so a model
loads once per worker; other segments run as plain tasks. Failed tasks are retried by Ray;
a shard's output is deterministic, so a retry leaves the result unchanged.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Any

from corpusforge.memory import keep_freed_memory
from corpusforge.plan import Segment
from corpusforge.rundir import RunDir
from corpusforge.runtime.segment import SegmentRunner, ShardTask

try:
    import ray
    from ray.util import ActorPool
except ImportError as exc:  # pragma: no cover - ray is a core dependency
    raise ImportError("the ray executor needs `ray`; install corpusforge or use --executor local") from exc


def init_ray(*, address: str | None = None, num_cpus: int | None = None) -> bool:
    """Join the cluster at `address`, or start an embedded Ray on `num_cpus` (default: all cores),
    unless Ray is up already. True when this call started an embedded Ray (the caller stops it)."""
    os.environ.setdefault("RAY_AUTH_MODE", "disabled")
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if ray.is_initialized():
        return False
    if address:
        ray.init(address=address, log_to_driver=True)
        return False
    ray.init(
        num_cpus=num_cpus or os.cpu_count() or 1, include_dashboard=False, log_to_driver=True, configure_logging=False
    )
    return True


def _run_one(run: RunDir, segment: Segment, batch_size: int, task: ShardTask) -> list[dict[str, Any]]:
    return SegmentRunner(run, segment, batch_size).run(task)


def _call(fn: Callable[[Any], Any], item: Any) -> Any:
    keep_freed_memory()  # a global phase's task may be a worker's first
    return fn(item)


class _SegmentActor:
    def __init__(self, run: RunDir, segment: Segment, batch_size: int) -> None:
        self.runner = SegmentRunner(run, segment, batch_size)
        self.runner.setup()

    def run(self, task: ShardTask) -> list[dict[str, Any]]:
        return self.runner.run(task)

    def teardown(self) -> None:
        self.runner.teardown()


class RayExecutor:
    kind = "ray"

    def __init__(self, *, address: str | None = None, num_cpus: int | None = None) -> None:
        t0 = time.perf_counter()
        self._owns_ray = init_ray(address=address, num_cpus=num_cpus)
        self.num_workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._run_task = ray.remote(max_retries=2)(_run_one)
        self._call_task = ray.remote(max_retries=2)(_call)
        self.startup_seconds = time.perf_counter() - t0  # for the run's profile: Ray's start-up

    def run_shards(
        self,
        run: RunDir,
        segment: Segment,
        batch_size: int,
        tasks: list[ShardTask],
        on_done: Callable[[list[dict[str, Any]]], None],
    ) -> None:
        cpus = max(n.cls.resources.cpus for n in segment.nodes)
        gpus = max(n.cls.resources.gpus for n in segment.nodes)
        # Ray reserves memory in bytes; a segment needs what its hungriest stage declares.
        memory = int(max(n.cls.resources.memory_gb for n in segment.nodes) * 2**30) or None
        if any(n.cls.has_setup() for n in segment.nodes):
            n_actors = max(1, min(len(tasks), int(self.num_workers // max(cpus, 0.01))))
            options: dict[str, Any] = {"num_cpus": cpus, "num_gpus": gpus, "max_restarts": 2, "max_task_retries": 2}
            if memory:
                options["memory"] = memory
            actor_cls = ray.remote(**options)(_SegmentActor)
            actors = [actor_cls.remote(run, segment, batch_size) for _ in range(n_actors)]
            pool = ActorPool(actors)
            for result in pool.map_unordered(lambda a, t: a.run.remote(t), tasks):
                on_done(result)
            ray.get([a.teardown.remote() for a in actors])  # type: ignore[attr-defined]
            for a in actors:
                ray.kill(a)  # type: ignore[arg-type]
            return
        seg_ref = ray.put(segment)
        remote = self._run_task.options(num_cpus=cpus, num_gpus=gpus, memory=memory)
        pending = [remote.remote(run, seg_ref, batch_size, t) for t in tasks]
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for result in ray.get(done):
                on_done(result)

    def map(
        self, fn: Callable[[Any], Any], items: list[Any], *, on_item: Callable[[], None] | None = None
    ) -> list[Any]:
        fn_ref = ray.put(fn)
        refs = [self._call_task.remote(fn_ref, x) for x in items]
        if on_item is None:
            return ray.get(refs)
        pending = list(refs)
        while pending:
            done, pending = ray.wait(pending, num_returns=1)
            for _ in done:
                on_item()
        return ray.get(refs)

    def close(self) -> None:
        if self._owns_ray and ray.is_initialized():
            ray.shutdown()
