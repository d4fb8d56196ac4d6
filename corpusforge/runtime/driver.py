"""The executor-independent driver: walk the plan's segments, skip finished shards, run the rest.

An executor only knows how to run a list of `ShardTask`s for a segment and how to map a
function in parallel (for global stages); see `local.py` and `ray.py`.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import platform
from collections.abc import Callable
from typing import Any, Protocol

from corpusforge import io
from corpusforge import stats as stats_mod
from corpusforge.plan import Plan, Segment
from corpusforge.runtime.segment import ShardTask, prepare_dir
from corpusforge.stage import GlobalContext, GlobalStage, Sink, Source


class Executor(Protocol):
    num_workers: int

    def run_shards(
        self, root: str, segment: Segment, batch_size: int, tasks: list[ShardTask], on_done: Callable[[], None]
    ) -> None: ...

    def map(self, fn: Callable[[Any], Any], items: list[Any]) -> list[Any]: ...

    def close(self) -> None: ...


class Progress(Protocol):
    def start(self, label: str, total: int, done: int) -> Callable[[], None]: ...

    def stop(self) -> None: ...


class RunConflict(RuntimeError):
    """The root holds a run of a different pipeline configuration."""


def run(plan: Plan, executor: Executor, *, fresh: bool = False, progress: Progress | None = None) -> dict[str, Any]:
    """Run (or resume) a plan; returns the manifest written to `{root}/manifest.json`."""
    root = plan.root
    if fresh:
        io.remove_tree(root)
    _claim_root(plan)
    for segment in plan.segments:
        tasks = _tasks(plan, segment, executor)
        pending = [t for t in tasks if not io.exists(io.done_marker(root, segment.id, t.index))]
        advance = progress.start(segment.id, len(tasks), len(tasks) - len(pending)) if progress else (lambda: None)
        if pending:
            executor.run_shards(root, segment, plan.batch_size, pending, advance)
        _finalize_sinks(plan, segment)
    if progress:
        progress.stop()
    manifest = _manifest(plan)
    io.write_json_atomic(io.join(root, "manifest.json"), manifest)
    return manifest


def _finalize_sinks(plan: Plan, segment: Segment) -> None:
    for node in segment.nodes:
        if node.kind == "sink":
            sink = node.make()
            assert isinstance(sink, Sink)
            sink.finalize(io.join(plan.root, node.id))


def _claim_root(plan: Plan) -> None:
    marker = io.join(plan.root, "_done", "plan.json")
    if io.exists(marker):
        previous = io.read_json(marker).get("hash")
        if previous != plan.hash:
            raise RunConflict(
                f"{plan.root} holds a run of another configuration (hash {previous}, now {plan.hash}); "
                "use --fresh to start over or choose another root"
            )
    else:
        io.write_json_atomic(marker, {"hash": plan.hash, "name": plan.name})


def _tasks(plan: Plan, segment: Segment, executor: Executor) -> list[ShardTask]:
    head = segment.nodes[0]
    if head.kind == "source":
        source = head.make()
        assert isinstance(source, Source)
        return [ShardTask(index=i, source_shard=s) for i, s in enumerate(source.list_shards())]
    assert segment.upstream is not None
    parts = io.list_parts(io.join(plan.root, segment.upstream))
    if head.kind == "global":
        _prepare_global(plan, segment, [p for _, p in parts], executor)
    return [ShardTask(index=i, input_path=p) for i, p in parts]


def _prepare_global(plan: Plan, segment: Segment, inputs: list[str], executor: Executor) -> None:
    head = segment.nodes[0]
    marker = io.join(plan.root, "_done", segment.id, "prepare.json")
    if io.exists(marker):
        return
    stage = head.make()
    assert isinstance(stage, GlobalStage)
    workdir = prepare_dir(plan.root, head.id)
    io.remove_tree(workdir)  # a half-finished prepare is redone from scratch
    stage.workdir = workdir
    ctx = GlobalContext(inputs=inputs, workdir=workdir, map=executor.map, num_workers=executor.num_workers)
    stage.prepare(ctx)
    io.write_json_atomic(marker, {"inputs": len(inputs)})


def _manifest(plan: Plan) -> dict[str, Any]:
    totals = {s.node: s for s in stats_mod.funnel(plan.root)}
    nodes = []
    for node in plan.nodes.values():
        t = totals.get(node.id)
        nodes.append(
            {
                "id": node.id,
                "stage": node.stage_name,
                "kind": node.kind,
                "inputs": node.inputs,
                "params": node.config.model_dump(mode="json"),
                "output": io.join(plan.root, node.id) if node.materialized else None,
                "in": t.docs_in if t else 0,
                "kept": t.kept if t else 0,
                "rejected": dict(t.rejected) if t else {},
                "errors": dict(t.errors) if t else {},
            }
        )
    return {
        "pipeline": plan.name,
        "file": plan.file,
        "hash": plan.hash,
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "packages": _versions(),
        "nodes": nodes,
    }


@functools.cache
def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("corpusforge", "pyarrow", "ray", "trafilatura", "resiliparse", "warcio", "fasttext-numpy2-wheel"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out
