"""In-process executor: one shard after another. For debugging and small runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corpusforge.plan import Segment
from corpusforge.rundir import RunDir
from corpusforge.runtime.segment import SegmentRunner, ShardTask


class LocalExecutor:
    kind = "local"
    num_workers = 1
    startup_seconds = 0.0

    def run_shards(
        self,
        run: RunDir,
        segment: Segment,
        batch_size: int,
        tasks: list[ShardTask],
        on_done: Callable[[list[dict[str, Any]]], None],
    ) -> None:
        runner = SegmentRunner(run, segment, batch_size)
        try:
            for task in tasks:
                on_done(runner.run(task))
        finally:
            runner.teardown()

    def map(
        self, fn: Callable[[Any], Any], items: list[Any], *, on_item: Callable[[], None] | None = None
    ) -> list[Any]:
        out = []
        for x in items:
            out.append(fn(x))
            if on_item:
                on_item()
        return out

    def close(self) -> None:
        pass
