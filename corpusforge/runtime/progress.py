"""Progress bars (rich) over the shards of each segment."""

from __future__ import annotations

from collections.abc import Callable

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RichProgress:
    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()
        )
        self._started = False

    def start(self, label: str, total: int, done: int) -> Callable[[], None]:
        if not self._started:
            self._progress.start()
            self._started = True
        task = self._progress.add_task(f"segment {label}", total=total, completed=done)
        return lambda: self._progress.advance(task)

    def stop(self) -> None:
        if self._started:
            self._progress.stop()
