"""Hosts split across crawl workers by hash, and the hand-off of links between them.

A host belongs to exactly one partition, so one worker owns its queue, its robots.txt and
its politeness clock: the per-host delay holds however many workers run. A link to a host
of another partition is appended to that partition's inbox,
`{output}/handoff/to-{j:05d}/from-{i:05d}.jsonl`; the owner reads new lines when it starts
and whenever its own queue runs dry. Line counts already read are kept in its frontier, so
reading is idempotent across restarts.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any


def partition_of(host: str, partitions: int) -> int:
    """Stable across processes and Python versions (unlike hash())."""
    if partitions <= 1:
        return 0
    digest = hashlib.blake2b(host.lower().encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % partitions


def inbox_dir(output: str | Path, partition: int) -> Path:
    return Path(output) / "handoff" / f"to-{partition:05d}"


class Outbox:
    """Appends hand-offs for other partitions; one file per (sender, receiver)."""

    def __init__(self, output: str | Path, sender: int) -> None:
        self.output = Path(output)
        self.sender = sender

    def send(self, receiver: int, item: dict[str, Any]) -> None:
        directory = inbox_dir(self.output, receiver)
        directory.mkdir(parents=True, exist_ok=True)
        # One short line per append: a concurrent reader sees whole lines or none.
        with open(directory / f"from-{self.sender:05d}.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")


def read_new(
    output: str | Path, partition: int, already: dict[str, int]
) -> list[tuple[str, int, list[dict[str, Any]]]]:
    """(file, new line count, new items) for each inbox file with lines beyond `already[file]`."""
    out: list[tuple[str, int, list[dict[str, Any]]]] = []
    directory = inbox_dir(output, partition)
    if not directory.exists():
        return out
    for path in sorted(directory.glob("from-*.jsonl")):
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        complete = [line for line in lines if line.endswith("\n")]
        start = already.get(path.name, 0)
        if len(complete) > start:
            out.append((path.name, len(complete), [json.loads(line) for line in complete[start:]]))
    return out
