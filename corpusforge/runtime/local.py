"""In-process executor: one shard after another. For debugging and small runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from corpusforge.plan import Segment
from corpusforge.runtime.segment import SegmentRunner, ShardTask


class LocalExecutor:
    num_workers = 1

    def run_shards(
        self, root: str, segment: Segment, batch_size: int, tasks: list[ShardTask], on_done: Callable[[], None]
    ) -> None:
        runner = SegmentRunner(root, segment, batch_size)
        for task in tasks:
            runner.run(task)
            on_done()

    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        return [fn(x) for x in items]

    def close(self) -> None:
        pass
