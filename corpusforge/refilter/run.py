"""`refilter(RUN, thresholds_dir)`: the orchestration (see the package docstring)."""

from __future__ import annotations

import os
import time
from collections import Counter
from typing import Any

import pyarrow as pa

from corpusforge import io, schema
from corpusforge.quality import rules
from corpusforge.refilter import derived, diff
from corpusforge.refilter.locate import Place, RefilterError, locate
from corpusforge.refilter.rebuild import KEPT, rebuild
from corpusforge.rundir import RunDir
from corpusforge.runtime.lock import RunLock
from corpusforge.stages.quality import QualityFilter

REQUEST = "_refilter/request.json"


def default_out(run_dir: str, thresholds_hash: str) -> str:
    return f"{run_dir.rstrip('/')}-refilter-{thresholds_hash[:8]}"


def refilter(
    run_dir: str,
    thresholds_dir: str,
    *,
    out: str | None = None,
    node: str | None = None,
    executor: str = "local",
    ray_address: str | None = None,
    num_cpus: int | None = None,
    progress: Any = None,
) -> dict[str, Any]:
    """Apply `thresholds_dir` to the stored signals of a finished run; returns the new run's manifest.

    Example:
        >>> refilter("runs/iberian-web", "thresholds/", out="runs/iberian-web-v2")  # doctest: +SKIP
    """
    t0 = time.perf_counter()
    run_dir = run_dir if "://" in run_dir else os.path.abspath(run_dir)
    place = locate(run_dir, node=node)
    params, stage = _quality_stage(place, thresholds_dir)
    new_hash = rules.thresholds_hash(stage.effective(stage.config))
    out = out or default_out(run_dir, new_hash)
    out = out if "://" in out else os.path.abspath(out)
    if out.rstrip("/") == place.run.root:
        raise RefilterError(f"--out {out} is the run itself; refilter writes a new run directory")
    request = {"source_run": place.run.root, "out": out, "thresholds_dir": params["thresholds_dir"],
               "thresholds_hash": new_hash}  # fmt: skip
    with RunLock(RunDir(out)) as lock:
        _claim(out, request)
        decided = _decide_shards(place, stage, out)
        flips = decided["flipped"]
        info = {
            **request,
            "node": place.quality,
            "previous_thresholds_hash": (place.quality_entry.get("data") or {}).get("thresholds"),
            "order": decided["order"],
            "flipped": flips,
            "reasons_changed": decided["reasons_changed"],
            "diff": "_refilter/diff.parquet",
        }
        if flips["newly_rejected"] or flips["newly_kept"]:
            manifest = _rerun(place, out, params, decided, info, executor, ray_address, num_cpus, progress, lock)
        else:
            manifest = _stand(place, out, params, new_hash, decided, info)
        changes = diff.write(place, out, decided["indices"], rerun=bool(manifest["refilter"]["rerun_nodes"]))
        manifest["refilter"] |= {"final": changes, "seconds": round(time.perf_counter() - t0, 3)}
        io.write_json_atomic(RunDir(out).manifest, manifest)
    return manifest


def _quality_stage(place: Place, thresholds_dir: str) -> tuple[dict[str, Any], QualityFilter]:
    params = {**(place.quality_entry.get("params") or {}), "thresholds_dir": os.path.abspath(thresholds_dir)}
    try:
        config = QualityFilter.Config(**params)
    except ValueError as exc:
        raise RefilterError(f"--thresholds {thresholds_dir}: {exc}") from None
    stage = QualityFilter(config)
    stage.setup()
    return config.model_dump(mode="json"), stage


def _claim(out: str, request: dict[str, Any]) -> None:
    """`out` must be new, empty, or an earlier refilter's (then it is redone from scratch)."""
    run = RunDir(out)
    fs, path = io.fs_and_path(out)
    entries = [e for e in (fs.ls(path, detail=False) if fs.exists(path) else []) if not e.rstrip("/").endswith("_run")]
    if entries and not io.exists(io.join(out, REQUEST)):
        raise RefilterError(f"--out {out} exists and is not a refilter's output; choose another directory")
    run.clear_all()
    io.write_json_atomic(io.join(out, REQUEST), request)


def _decide_shards(place: Place, stage: QualityFilter, out: str) -> dict[str, Any]:
    """Write the rebuilt rows and each row's fate (before, after) per shard; count what flips."""
    flipped: Counter[str] = Counter()
    changed: Counter[str] = Counter()
    indices, empty, exact_order = [], [], True
    reference: pa.Schema | None = None
    for index, rows, fates, exact in rebuild(place):
        indices.append(index)
        exact_order &= exact
        if rows is None or rows.num_rows == 0:
            empty.append(index)
            continue
        reference = reference or rows.schema
        after = [KEPT if d is None else stage.reject(d) for d in stage.decide(rows)]
        before = fates.column("quality_before").to_pylist()
        for b, a in zip(before, after, strict=True):
            if (b == KEPT) != (a == KEPT):
                flipped["newly_rejected" if b == KEPT else "newly_kept"] += 1
            elif b != a:
                changed[a] += 1
        _write(io.join(out, "_refilter", "input", f"part-{index:05d}.parquet"), rows)
        _write(diff.fates_path(out, index), fates.append_column("quality_after", pa.array(after, pa.string())))
    if reference is not None:
        for index in empty:  # every shard gets its part, so derived shard i is the run's i-th shard
            _write(io.join(out, "_refilter", "input", f"part-{index:05d}.parquet"), reference.empty_table())
    order = "input node" if place.kept_input else ("source" if exact_order else "id")
    return {
        "indices": indices,
        "columns": reference.names if reference is not None else [],
        "flipped": {"newly_rejected": flipped["newly_rejected"], "newly_kept": flipped["newly_kept"]},
        "reasons_changed": dict(changed),
        "order": order,
    }


def _write(path: str, table: pa.Table) -> None:
    writer = io.ShardWriter(path)
    writer.write(table)
    writer.commit()


def _rerun(place, out, params, decided, info, executor, ray_address, num_cpus, progress, lock) -> dict[str, Any]:  # noqa: ANN001, PLR0913
    """The kept set changed: run the quality filter and everything after it on the rebuilt rows."""
    from corpusforge.runtime import make_executor
    from corpusforge.runtime import run as run_plan

    spec = derived.pipeline(place, out, params, decided["columns"], executor)
    io.write_json_atomic(io.join(out, "_refilter", "pipeline.json"), spec)
    plan = derived.build_plan(spec, out)
    runner = make_executor(plan.executor, ray_address=ray_address, num_cpus=num_cpus)
    try:
        manifest = run_plan(plan, runner, progress=progress, lock=lock)
    finally:
        runner.close()
    info = {**info, "rerun_nodes": [place.quality, *place.descendants], "hash": plan.hash}
    return derived.complete(place, out, manifest, info)


def _stand(place: Place, out: str, params: dict[str, Any], new_hash: str, decided: dict, info: dict) -> dict:
    """Nothing flipped: the run's output stands (linked), only changed rejection reasons are rewritten."""
    run = RunDir(out)
    derived.link_tree(place.run.root, out, skip=("_run/lock", "_run/lease.json", "_refilter/", "manifest.json"))
    rejected = _rewrite_reasons(place, run, decided["indices"]) if decided["reasons_changed"] else None
    nodes = []
    for entry in place.manifest["nodes"]:
        if entry["id"] == place.quality:
            rejected = rejected if rejected is not None else Counter(entry["rejected"])
            entry = {**entry, "params": params, "data": {**(entry.get("data") or {}), "thresholds": new_hash},
                     "rejected": dict(rejected)}  # fmt: skip
        nodes.append(entry)
    manifest = {**place.manifest, "nodes": nodes, "refilter": {**info, "rerun_nodes": []}}
    io.write_json_atomic(run.manifest, manifest)
    return manifest


def _rewrite_reasons(place: Place, run: RunDir, indices: list[int]) -> Counter:
    """New first-failing rules on the filter's rejected rows and in its stats (files replaced, not
    written through: the links to the original run stay untouched)."""
    total: Counter = Counter()
    for index in indices:
        fates = io.read_table(diff.fates_path(run.root, index), columns=["id", "quality_after"])
        after = dict(zip(fates.column("id").to_pylist(), fates.column("quality_after").to_pylist(), strict=True))
        path = run.rejected_part(place.quality, index)
        marker = run.done_marker(place.segment, index)
        counts: Counter = Counter()
        if io.exists(path):
            table = io.read_table(path)
            reasons = pa.array([after[d] for d in table.column(schema.ID).to_pylist()], pa.string())
            table = table.set_column(table.column_names.index(schema.DROP_REASON), schema.DROP_REASON, reasons)
            counts = Counter(r for r in reasons.to_pylist() if not schema.is_error(r))
            _write(path, table)
        entries = io.read_json(marker)
        for e in entries:
            if e["node"] == place.quality:
                e["rejected"] = dict(counts)
        io.write_json_atomic(marker, entries)
        total.update(counts)
    return total
