"""Per-node, per-shard accounting: in = kept + rejected + errors, each with a reason.

A shard's stats are kept in its done marker (`{root}/_done/{segment}/{shard}.json`, one entry per
node of the segment); `corpusforge stats RUN` adds them up into the funnel per node (and per
language once a `lang_tag` column exists).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpusforge import io, schema
from corpusforge.rundir import RunDir


class Clock:
    """Wall and CPU seconds since it was made (CPU: this process, every thread, as Arrow's pools count)."""

    def __init__(self) -> None:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()

    def elapsed(self) -> tuple[float, float]:
        return time.perf_counter() - self.wall0, time.process_time() - self.cpu0


# The profile of a node's work in a shard, beside its counts: `seconds` / `cpu_seconds` inside the
# stage (for a source: reading and parsing its records), `read_seconds` reading an upstream part,
# `write_seconds` writing its output and rejected rows, `bytes_read` what its shard read (the
# segment's head only), `task_*` the whole shard task (on the segment's head only).
_PROFILE = ("cpu_seconds", "read_seconds", "write_seconds", "bytes_read", "task_seconds", "task_cpu_seconds")
MEASURED = ("seconds", *_PROFILE)  # what varies from run to run of the same input (unlike the counts)


@dataclass
class NodeStats:
    node: str
    shard: int
    docs_in: int = 0
    kept: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    kept_by_lang: Counter[str] = field(default_factory=Counter)
    # A splitting stage (`Stage.splits()`): input rows replaced by several, and the rows made.
    split: int = 0
    split_into: int = 0
    # What a stage counted besides documents (a source's index rows scanned, selected, skipped);
    # not part of in = kept + rejected + errors.
    counters: Counter[str] = field(default_factory=Counter)
    cpu_seconds: float = 0.0
    read_seconds: float = 0.0
    write_seconds: float = 0.0
    bytes_read: int = 0
    task_seconds: float = 0.0
    task_cpu_seconds: float = 0.0

    @contextmanager
    def timed(self) -> Iterator[None]:
        """Count the block as the node's own work (wall and CPU)."""
        clock = Clock()
        try:
            yield
        finally:
            wall, cpu = clock.elapsed()
            self.seconds += wall
            self.cpu_seconds += cpu

    @contextmanager
    def timed_read(self) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.read_seconds += time.perf_counter() - t0

    @contextmanager
    def timed_write(self) -> Iterator[None]:
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.write_seconds += time.perf_counter() - t0

    def count_reasons(self, reasons: pa.ChunkedArray | pa.Array) -> None:
        counts = pc.value_counts(reasons)
        for item in counts.to_pylist():
            reason, n = item["values"], item["counts"]
            (self.errors if schema.is_error(reason) else self.rejected)[reason] += n

    def count_kept(self, table: pa.Table) -> None:
        self.kept += table.num_rows
        if schema.LANG_TAG in table.column_names and table.num_rows:
            for item in pc.value_counts(table.column(schema.LANG_TAG)).to_pylist():
                self.kept_by_lang[item["values"] or "none"] += item["counts"]

    @property
    def balanced(self) -> bool:
        out = self.kept + sum(self.rejected.values()) + sum(self.errors.values())
        return self.docs_in - self.split + self.split_into == out

    def to_json(self) -> dict[str, Any]:
        extra = {"counters": dict(self.counters)} if self.counters else {}
        return extra | {
            "node": self.node,
            "shard": self.shard,
            "in": self.docs_in,
            "kept": self.kept,
            "rejected": dict(self.rejected),
            "errors": dict(self.errors),
            "seconds": round(self.seconds, 4),
            "kept_by_lang": dict(self.kept_by_lang),
            **({"split": self.split, "split_into": self.split_into} if self.split else {}),
            **{k: round(getattr(self, k), 4) for k in _PROFILE},
        }

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> NodeStats:
        return cls(
            node=d["node"],
            shard=d["shard"],
            docs_in=d["in"],
            kept=d["kept"],
            rejected=Counter(d["rejected"]),
            errors=Counter(d["errors"]),
            seconds=d.get("seconds", 0.0),
            kept_by_lang=Counter(d.get("kept_by_lang", {})),
            split=d.get("split", 0),
            split_into=d.get("split_into", 0),
            counters=Counter(d.get("counters", {})),
            **{k: d.get(k, 0) for k in _PROFILE},  # markers written before the profile existed hold none
        )


def load_run(root: str) -> dict[str, list[NodeStats]]:
    """All shard stats of a run, by node, in the node order of the manifest when present.

    They live in the done markers `{root}/_done/{segment}/{shard}.json`: one file per shard and
    segment, written last and atomically, so a shard's stats exist exactly when the shard is done
    (a run in progress shows what has finished)."""
    run = RunDir(root)
    by_node: dict[str, list[NodeStats]] = {}
    for path in run.done_markers():
        for node in io.read_json(path):
            by_node.setdefault(node["node"], []).append(NodeStats.from_json(node))
    for shards in by_node.values():
        shards.sort(key=lambda st: st.shard)
    manifest = run.read_manifest()
    if manifest is not None:
        order = [n["id"] for n in manifest.get("nodes", [])]
        by_node = {n: by_node.get(n, []) for n in order} | by_node
    return by_node


def total(shards: list[NodeStats]) -> NodeStats:
    agg = NodeStats(node=shards[0].node if shards else "", shard=-1)
    for s in shards:
        agg.docs_in += s.docs_in
        agg.kept += s.kept
        agg.rejected.update(s.rejected)
        agg.errors.update(s.errors)
        agg.seconds += s.seconds
        agg.kept_by_lang.update(s.kept_by_lang)
        agg.split += s.split
        agg.split_into += s.split_into
        agg.counters.update(s.counters)
        for k in _PROFILE:
            setattr(agg, k, getattr(agg, k) + getattr(s, k))
    return agg


def funnel(root: str) -> list[NodeStats]:
    return [total(shards) if shards else NodeStats(node=node, shard=-1) for node, shards in load_run(root).items()]


def render(root: str) -> str:
    """The funnel of a run directory (finished or in progress), from its done markers."""
    rows = funnel(root)
    if not rows:
        return f"no finished shard under {root}/_done (has the pipeline run?)"
    return render_rows(rows, disk_usage(root, [r.node for r in rows]))


def funnel_json(root: str) -> dict[str, Any]:
    """The funnel of `render` as data (`corpusforge stats --json`): per node its stage, counts, reasons,
    seconds, languages and bytes on disk; with the run's name, hash and profile once its manifest exists."""
    rows = funnel(root)
    manifest = RunDir(root).read_manifest() or {}
    stages = {n["id"]: n.get("stage") for n in manifest.get("nodes", [])}
    sizes = disk_usage(root, [r.node for r in rows])
    nodes = [
        {"node": r.node, "stage": stages.get(r.node)}
        | {k: v for k, v in r.to_json().items() if k not in ("node", "shard")}
        | {"disk_bytes": sizes[r.node]}
        for r in rows
    ]
    run = {k: manifest[k] for k in ("pipeline", "hash", "finished", "profile") if k in manifest}
    # complete: the manifest exists (written last); without it the run is in progress or was interrupted
    return {"root": root, "complete": bool(manifest)} | run | {"nodes": nodes}


def disk_usage(root: str, nodes: list[str]) -> dict[str, int]:
    """Bytes on disk now per node: its output (deleted intermediates count 0) and its rejected rows."""
    run = RunDir(root)
    out = {}
    for node in nodes:
        total_bytes = 0
        for path in (run.node(node), run.rejected(node)):
            fs, p = io.fs_and_path(path)
            total_bytes += int(fs.du(p)) if fs.exists(p) else 0
        out[node] = total_bytes
    return out


def written_bytes(manifest: dict[str, Any]) -> dict[str, int]:
    """Bytes each node wrote (output and rejected rows), as the manifest recorded them."""
    return {n["id"]: n.get("bytes", 0) + n.get("rejected_bytes", 0) for n in manifest["nodes"]}


def from_manifest(manifest: dict[str, Any]) -> list[NodeStats]:
    """The funnel a finished run recorded in its manifest (what `corpusforge run` prints)."""
    return [
        NodeStats(
            node=n["id"],
            shard=-1,
            docs_in=n["in"],
            kept=n["kept"],
            rejected=Counter(n["rejected"]),
            errors=Counter(n["errors"]),
            seconds=n.get("seconds", 0.0),
            kept_by_lang=Counter(n.get("kept_by_lang", {})),
            counters=Counter(n.get("counters", {})),
        )
        for n in manifest["nodes"]
    ]


def render_rows(rows: list[NodeStats], sizes: dict[str, int] | None = None) -> str:
    """A plain-text funnel: per node in/kept/rejected/errors, the stage's seconds (summed over
    workers) and its throughput, the MB it wrote, then reasons and languages."""
    lines = [f"{'node':<16}{'in':>10}{'kept':>10}{'rejected':>10}{'errors':>8}{'sec':>9}{'docs/s':>9}{'MB':>8}"]
    for r in rows:
        rate = f"{r.docs_in / r.seconds:>9.0f}" if r.seconds > 0 and r.docs_in else f"{'-':>9}"
        size = f"{sizes[r.node] / 1e6:>8.1f}" if sizes and r.node in sizes else f"{'-':>8}"
        lines.append(
            f"{r.node:<16}{r.docs_in:>10}{r.kept:>10}{sum(r.rejected.values()):>10}"
            f"{sum(r.errors.values()):>8}{r.seconds:>9.1f}{rate}{size}"
        )
        if r.split:
            lines.append(f"{'':<18}split {r.split} rows into {r.split_into}")
        for reason, n in r.rejected.most_common():
            lines.append(f"{'':<18}rejected {reason:<30}{n:>8}")
        for reason, n in r.errors.most_common():
            lines.append(f"{'':<18}error    {reason:<30}{n:>8}")
        if r.kept_by_lang:
            langs = ", ".join(f"{k} {v}" for k, v in r.kept_by_lang.most_common())
            lines.append(f"{'':<18}kept by lang_tag: {langs}")
        if r.counters:
            lines.append(f"{'':<18}counted: {', '.join(f'{k} {v}' for k, v in r.counters.items())}")
    return "\n".join(lines)
