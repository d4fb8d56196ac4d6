"""The executor-independent driver: walk the plan's segments, skip finished shards, run the rest.

An executor only knows how to run a list of `ShardTask`s for a segment and how to map a
function in parallel (for global stages); see `local.py` and `ray.py`. The driver holds the
root's lock for the whole run, keys source shards by what they read (`runtime/inputs.py`),
and builds the funnel from what the executors return (and, on a resume, from the done markers
of the shards it skips), never by re-reading what it has just written.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
import logging
import platform
import time
from collections.abc import Callable
from typing import Any, Protocol

from corpusforge import io
from corpusforge.errors import UserError
from corpusforge.memory import keep_freed_memory
from corpusforge.plan import Plan, Segment
from corpusforge.rundir import RunDir, final_nodes_of
from corpusforge.runtime import inputs as inputs_mod
from corpusforge.runtime import release as release_mod
from corpusforge.runtime.lock import RunLock
from corpusforge.runtime.segment import ShardTask
from corpusforge.stage import GlobalContext, GlobalStage, Sink, Source
from corpusforge.stats import Clock, NodeStats, total

log = logging.getLogger("corpusforge.run")

ShardResult = list[dict[str, Any]]  # a shard's stats: one entry per node of its segment


class Executor(Protocol):
    num_workers: int

    def run_shards(
        self,
        run: RunDir,
        segment: Segment,
        batch_size: int,
        tasks: list[ShardTask],
        on_done: Callable[[ShardResult], None],
    ) -> None: ...

    def map(
        self, fn: Callable[[Any], Any], items: list[Any], *, on_item: Callable[[], None] | None = None
    ) -> list[Any]: ...

    def close(self) -> None: ...


class Progress(Protocol):
    def start(self, label: str, total: int, done: int) -> Callable[[ShardResult], None]: ...

    def phase(self, node: str, phase: str, total: int) -> Callable[[], None]: ...

    def stop(self) -> None: ...


class RunConflict(UserError):
    """The root holds a run of a different pipeline configuration."""


def run(
    plan: Plan,
    executor: Executor,
    *,
    fresh: bool = False,
    progress: Progress | None = None,
    lock: RunLock | None = None,
) -> dict[str, Any]:
    """Run (or resume) a plan; returns the manifest written to `{root}/manifest.json`.

    The root's lock is taken for the run, unless the caller passes the `lock` it already holds
    (the CLI takes it before starting Ray, so a refused run costs nothing)."""
    rundir = plan.run_dir
    keep_freed_memory()  # the local executor and the driver's own phases run here
    if lock is None:
        with RunLock(rundir) as own:
            if own.message:
                log.warning("%s", own.message)
            return run(plan, executor, fresh=fresh, progress=progress, lock=own)
    if fresh:
        rundir.clear_all()
    removed = rundir.remove_stale_tmp()
    if removed:
        log.info("removed %d temporary file(s) left by an interrupted run", removed)
    _claim_root(plan, rundir)
    gone = release_mod.released(rundir)
    previous = rundir.read_manifest()
    if gone is not None:
        if previous is not None and not _new_source_work(plan, rundir):
            release_mod.release(plan, rundir, previous["final_nodes"])  # finishes a release a kill cut short
            return previous
        release_mod.restore(plan, rundir, gone)
    clock = Clock()
    results: dict[str, list[ShardResult]] = {}
    sizes: dict[str, dict[str, int]] = {}
    for segment in plan.segments:
        results[segment.id] = _run_segment(plan, rundir, segment, executor, progress)
        sizes |= {n.id: _bytes(rundir, n.id) for n in segment.nodes}
    if progress:
        progress.stop()
    manifest = _manifest(plan, results, sizes)
    manifest["profile"] = _run_profile(plan, rundir, executor, clock, results)
    io.write_json_atomic(rundir.manifest, manifest)
    release_mod.release(plan, rundir, manifest["final_nodes"])
    return manifest


def _new_source_work(plan: Plan, rundir: RunDir) -> bool:
    """True when a source lists a shard that has not finished (new or interrupted input)."""
    for segment in plan.segments:
        if segment.nodes[0].kind != "source":
            continue
        if {i for i, _ in _source_shards(rundir, segment)} - rundir.done_indices(segment.id):
            return True
    return False


def _source_shards(rundir: RunDir, segment: Segment) -> list[tuple[int, dict[str, Any]]]:
    """The source's shards with their stable indices (see `inputs.reconcile`)."""
    source = segment.nodes[0].make()
    assert isinstance(source, Source)
    shards, gone = inputs_mod.reconcile(rundir, segment.id, source.list_shards())
    for index in gone:  # unfinished shards of inputs that vanished: drop what they committed
        rundir.clear_shard([n.id for n in segment.nodes], index)
    return shards


def _bytes(rundir: RunDir, node_id: str) -> dict[str, int]:
    """Bytes a node wrote: its output (and a sink's data), and its rejected rows."""
    out = {}
    for key, path in (("bytes", rundir.node(node_id)), ("rejected_bytes", rundir.rejected(node_id))):
        fs, p = io.fs_and_path(path)
        out[key] = int(fs.du(p)) if fs.exists(p) else 0
    return out


def _run_segment(
    plan: Plan, rundir: RunDir, segment: Segment, executor: Executor, progress: Progress | None
) -> list[ShardResult]:
    head = segment.nodes[0]
    if head.kind == "global":
        _prepare_global(plan, rundir, segment, executor, progress)
        if head.terminal:  # e.g. pack: prepare() did all of its work
            return _read_markers(rundir, segment, [0])
    tasks = _tasks(plan, rundir, segment)
    finished_now = rundir.done_indices(segment.id)
    done_indices = [t.index for t in tasks if t.index in finished_now]
    finished = _read_markers(rundir, segment, done_indices)
    done_set = set(done_indices)
    pending = [t for t in tasks if t.index not in done_set]
    advance = progress.start(segment.id, len(tasks), len(done_set)) if progress else (lambda _result: None)
    if pending:
        node_ids = [n.id for n in segment.nodes]
        for t in pending:  # an attempt killed after committing some files but before its marker
            rundir.clear_shard(node_ids, t.index)

        def on_done(result: ShardResult) -> None:
            finished.append(result)
            advance(result)

        executor.run_shards(rundir, segment, plan.batch_size, pending, on_done)
    _finalize_sinks(plan, rundir, segment)
    return finished


def _read_markers(rundir: RunDir, segment: Segment, indices: list[int]) -> list[ShardResult]:
    out = []
    for i in indices:
        path = rundir.done_marker(segment.id, i)
        if io.exists(path):
            out.append(io.read_json(path))
    return out


def _finalize_sinks(plan: Plan, rundir: RunDir, segment: Segment) -> None:
    for node in segment.nodes:
        if node.kind == "sink":
            sink = node.make()
            assert isinstance(sink, Sink)
            sink.finalize(rundir.node(node.id), rundir.sink_meta(node.id))


def _claim_root(plan: Plan, rundir: RunDir) -> None:
    marker = rundir.state("plan.json")
    if io.exists(marker):
        previous = io.read_json(marker).get("hash")
        if previous != plan.hash:
            raise RunConflict(
                f"{plan.root} holds a run of another configuration (hash {previous}, now {plan.hash}); "
                "use --fresh to start over or choose another root"
            )
    else:
        io.write_json_atomic(marker, {"hash": plan.hash, "name": plan.name})


def _tasks(plan: Plan, rundir: RunDir, segment: Segment) -> list[ShardTask]:
    head = segment.nodes[0]
    if head.kind == "source":
        return [ShardTask(index=i, source_shard=s) for i, s in _source_shards(rundir, segment)]
    assert segment.upstream is not None
    return [ShardTask(index=i, input_path=p) for i, p in rundir.parts(segment.upstream)]


def _prepare_global(
    plan: Plan, rundir: RunDir, segment: Segment, executor: Executor, progress: Progress | None
) -> None:
    """Run `prepare()` once over the upstream node's parts. When those parts changed since the
    last prepare (new inputs were added), the segment and everything after it is redone."""
    head = segment.nodes[0]
    assert segment.upstream is not None
    parts = rundir.parts(segment.upstream)
    seen = [i for i, _ in parts]
    marker = rundir.prepare_marker(segment.id)
    if io.exists(marker):
        if io.read_json(marker).get("shards") == seen:
            return
        log.info("the input of %s changed since it was prepared: %s and what follows are redone", head.id, head.id)
        for later in _segments_from(plan, segment):
            rundir.clear_segment(later.id, [n.id for n in later.nodes])
    stage = head.make()
    assert isinstance(stage, GlobalStage)
    phases: list[dict[str, Any]] = []
    workdir = rundir.work(head.id)
    io.remove_tree(workdir)  # a half-finished prepare is redone from scratch
    ctx = GlobalContext(
        inputs=[p for _, p in parts],
        shard_indices=seen,
        workdir=workdir,
        run=rundir,
        node_id=head.id,
        map=_phase_map(executor, progress, head.id, phases),
        num_workers=executor.num_workers,
    )
    clock = Clock()
    terminal_stats = stage.prepare(ctx)
    wall, cpu = clock.elapsed()
    if head.terminal:
        st = terminal_stats if isinstance(terminal_stats, NodeStats) else NodeStats(node=head.id, shard=0)
        io.write_json_atomic(rundir.done_marker(segment.id, 0), [st.to_json()])
    # The marker keeps the profile of prepare(): its wall seconds, the driver's CPU in it, and each phase.
    profile = {"seconds": round(wall, 4), "driver_cpu_seconds": round(cpu, 4), "phases": phases}
    io.write_json_atomic(marker, {"shards": seen, "profile": profile})


def _timed_call(fn: Callable[[Any], Any], item: Any) -> tuple[Any, float, float]:
    """`fn(item)` with the wall and CPU seconds it took in the worker that ran it."""
    clock = Clock()
    out = fn(item)
    return (out, *clock.elapsed())


def _phase_map(
    executor: Executor, progress: Progress | None, node_id: str, phases: list[dict[str, Any]]
) -> Callable[..., list[Any]]:
    """The executor's parallel map, reporting each phase of a global stage (named by its function)
    and appending its profile to `phases`: tasks, wall seconds, and the tasks' summed wall and CPU."""

    def pmap(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
        phase = getattr(fn, "__name__", "map").removesuffix("_phase")
        advance = progress.phase(node_id, phase, len(items)) if progress and items else None
        t0 = time.perf_counter()
        timed = executor.map(functools.partial(_timed_call, fn), items, on_item=advance)
        phases.append(
            {
                "phase": phase,
                "tasks": len(items),
                "seconds": round(time.perf_counter() - t0, 4),
                "task_seconds": round(sum(t[1] for t in timed), 4),
                "cpu_seconds": round(sum(t[2] for t in timed), 4),
            }
        )
        return [t[0] for t in timed]

    return pmap


def _segments_from(plan: Plan, segment: Segment) -> list[Segment]:
    """`segment` and every segment downstream of it, in plan order."""
    affected = {n.id for n in segment.nodes}
    out = [segment]
    for seg in plan.segments[plan.segments.index(segment) + 1 :]:
        if seg.upstream in affected:
            out.append(seg)
            affected |= {n.id for n in seg.nodes}
    return out


def node_totals(plan: Plan, results: dict[str, list[ShardResult]]) -> dict[str, NodeStats]:
    """Per node, the sum over its shards; a node no shard reached counts zero."""
    by_node: dict[str, list[NodeStats]] = {n: [] for n in plan.nodes}
    for shard_results in results.values():
        for shard in shard_results:
            for entry in shard:
                by_node.setdefault(entry["node"], []).append(NodeStats.from_json(entry))
    return {n: total(shards) if shards else NodeStats(node=n, shard=-1) for n, shards in by_node.items()}


def _manifest(plan: Plan, results: dict[str, list[ShardResult]], sizes: dict[str, dict[str, int]]) -> dict[str, Any]:
    totals = node_totals(plan, results)
    rundir = plan.run_dir
    nodes = []
    for node in plan.nodes.values():
        t = totals[node.id]
        nodes.append(
            {
                "id": node.id,
                "stage": node.stage_name,
                "kind": node.kind,
                "inputs": node.inputs,
                "params": node.config.model_dump(mode="json"),
                "data": node.cls.data_versions(node.config),
                "output": rundir.node(node.id) if node.materialized else None,
                "in": t.docs_in,
                "kept": t.kept,
                "rejected": dict(t.rejected),
                "errors": dict(t.errors),
                **({"split": t.split, "split_into": t.split_into} if t.split else {}),
                "kept_by_lang": dict(t.kept_by_lang),
                **({"counters": dict(t.counters)} if t.counters else {}),
                "seconds": round(t.seconds, 3),
                "cpu_seconds": round(t.cpu_seconds, 3),
                "read_seconds": round(t.read_seconds, 3),
                "write_seconds": round(t.write_seconds, 3),
                "bytes_read": t.bytes_read,
                **sizes.get(node.id, {}),
            }
        )
    final = final_nodes_of(nodes)
    released = release_mod.releasable(plan, final)
    for entry in nodes:
        entry["released"] = entry["id"] in released
    return {
        "pipeline": plan.name,
        "file": plan.file,
        "hash": plan.hash,
        "redact_rejected": plan.redact_rejected,  # false: rejected/ holds personal data as crawled
        "finished": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "packages": _versions(),
        "final_nodes": final,
        "keep": list(plan.keep),
        "inputs": inputs_mod.recorded(rundir, [s.id for s in plan.segments if s.nodes[0].kind == "source"]),
        "max_error_rate": plan.max_error_rate,
        "nodes": nodes,
    }


def _run_profile(
    plan: Plan, rundir: RunDir, executor: Executor, clock: Clock, results: dict[str, list[ShardResult]]
) -> dict[str, Any]:
    """Where the run's time went beyond the nodes: the executor's start-up (Ray's, before the run),
    the run itself, the shard tasks per segment, and the global stages' prepare() with its phases."""
    wall, cpu = clock.elapsed()
    segments = {}
    for segment in plan.segments:
        prepared = rundir.prepare_marker(segment.id)
        heads = [NodeStats.from_json(r[0]) for r in results.get(segment.id, []) if r]
        segments[segment.id] = {
            "nodes": [n.id for n in segment.nodes],
            "shards": len(heads),
            "task_seconds": round(sum(h.task_seconds for h in heads), 3),
            "task_cpu_seconds": round(sum(h.task_cpu_seconds for h in heads), 3),
            "prepare": io.read_json(prepared).get("profile") if io.exists(prepared) else None,
        }
    return {
        "executor": getattr(executor, "kind", "") or type(executor).__name__,
        "workers": executor.num_workers,
        "startup_seconds": round(getattr(executor, "startup_seconds", 0.0), 3),
        "run_seconds": round(wall, 3),
        "driver_cpu_seconds": round(cpu, 3),
        "segments": segments,
    }


def error_rates(manifest: dict[str, Any]) -> dict[str, float]:
    """Share of each node's input counted as errors, for nodes that saw any input."""
    return {n["id"]: sum(n["errors"].values()) / n["in"] for n in manifest["nodes"] if n["in"]}


@functools.cache
def _versions() -> dict[str, str]:
    out = {}
    for pkg in ("corpusforge", "pyarrow", "ray", "trafilatura", "resiliparse", "warcio", "fasttext-numpy2-wheel"):
        try:
            out[pkg] = importlib.metadata.version(pkg)
        except importlib.metadata.PackageNotFoundError:
            continue
    return out
