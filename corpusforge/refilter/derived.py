"""The derived run of a refilter, and what makes `--out` a run directory like any other.

The derived run is a real pipeline run (the same driver, executors, accounting and manifest): its
source (`refilter.input.v1`) reads the rebuilt rows, and its nodes are the original run's own from
the quality filter on, with the new `thresholds_dir`. Output paths the original resolved under its
root are moved under the new one. Afterwards `--out` gets what a full run would have written for
the nodes before the filter, taken from the original run (their results stand): their rejected
rows (hard links where the filesystem allows, else copies) and their per-shard stats (done
markers), so `corpusforge stats`, `sample` and `pack` read `--out` as a whole run.
"""

from __future__ import annotations

import os
from typing import Any

from corpusforge import io
from corpusforge import plan as plan_mod
from corpusforge.refilter.locate import Place
from corpusforge.rundir import RunDir

SOURCE_ID = "refilter_input"
UPSTREAM_MARKERS = "_upstream_"  # `_done/_upstream_<segment>/`: the original run's stats of the nodes before the filter


def pipeline(place: Place, out: str, quality_params: dict[str, Any], columns: list[str], executor: str) -> dict:
    """The derived pipeline as a dict for `plan.from_dict`: rebuilt rows -> quality filter -> the rest."""
    m = place.manifest
    source_id = SOURCE_ID if SOURCE_ID not in place.nodes else f"{SOURCE_ID}_{len(place.nodes)}"
    nodes: list[dict[str, Any]] = [
        {
            "id": source_id,
            "stage": "refilter.input.v1",
            "params": {"paths": [io.join(out, "_refilter", "input", "part-*.parquet")], "columns": columns},
        }
    ]
    for node_id in (place.quality, *place.descendants):
        entry = place.nodes[node_id]
        params = quality_params if node_id == place.quality else _rebased(entry.get("params") or {}, place, out)
        inputs = [source_id] if node_id == place.quality else list(entry.get("inputs", []))
        nodes.append({"id": node_id, "stage": entry["stage"], "inputs": inputs, "params": params})
    settings: dict[str, Any] = {
        "name": f"{m.get('pipeline') or 'run'}-refilter",
        "root": out,
        "executor": executor,
        "max_error_rate": m.get("max_error_rate", 0.05),
        "redact_rejected": m.get("redact_rejected", True),
        "keep": [k for k in m.get("keep", []) if k in place.descendants],
    }
    return {"pipeline": settings, "node": nodes}


def _rebased(params: dict[str, Any], place: Place, out: str) -> dict[str, Any]:
    """Output paths under the original root now live under `out` (so the original is never written)."""
    old = place.run.root.rstrip("/") + "/"
    return {k: out.rstrip("/") + "/" + v[len(old) :] if isinstance(v, str) and v.startswith(old) else v
            for k, v in params.items()}  # fmt: skip


def build_plan(spec: dict, out: str) -> plan_mod.Plan:
    return plan_mod.from_dict(spec, file=io.join(out, "_refilter", "pipeline.json"), check_inputs=True)


def complete(place: Place, out: str, derived: dict[str, Any], info: dict[str, Any]) -> dict[str, Any]:
    """Make `out` a whole run: the original's upstream stats and rejected rows, one manifest."""
    run = RunDir(out)
    source_id = derived["nodes"][0]["id"]
    _strip_source(run, source_id)
    copy_upstream_markers(place, run)
    for node_id in place.ancestors:
        link_tree(place.run.rejected(node_id), run.rejected(node_id))
    by_id = {n["id"]: n for n in derived["nodes"] if n["id"] != source_id}
    nodes = [by_id.get(n, {**e, "from_run": place.run.root}) for n, e in place.nodes.items()]
    manifest = {
        **derived,
        "file": place.manifest.get("file"),
        "pipeline": place.manifest.get("pipeline"),
        "inputs": place.manifest.get("inputs", {}),
        "nodes": nodes,
        "refilter": info,
    }
    io.write_json_atomic(run.manifest, manifest)
    return manifest


def _strip_source(run: RunDir, source_id: str) -> None:
    """The derived source's own funnel row is bookkeeping, not a node of the pipeline: drop it."""
    for index in sorted(run.done_indices(source_id)):
        path = run.done_marker(source_id, index)
        entries = io.read_json(path)
        io.write_json_atomic(path, [e for e in entries if e["node"] != source_id])


def copy_upstream_markers(place: Place, run: RunDir) -> None:
    """The original's per-shard stats of the nodes before the filter, under `_done/_upstream_<segment>/`."""
    wanted = set(place.ancestors)
    fs, base = io.fs_and_path(io.join(place.run.root, "_done"))
    for folder in sorted(fs.ls(base, detail=False)) if fs.exists(base) else []:
        segment = folder.rstrip("/").rsplit("/", 1)[-1]
        for index in sorted(place.run.done_indices(segment)):
            entries = [e for e in io.read_json(place.run.done_marker(segment, index)) if e["node"] in wanted]
            if entries:
                io.write_json_atomic(run.done_marker(UPSTREAM_MARKERS + segment, index), entries)


def link_tree(src: str, dst: str, *, skip: tuple[str, ...] = ()) -> int:
    """Hard-link (or copy, across filesystems and on object storage) every file under `src` to `dst`,
    but those whose path relative to `src` starts with one of `skip`."""
    fs, s = io.fs_and_path(src)
    _, d = io.fs_and_path(dst)
    if not fs.exists(s):
        return 0
    base = s.rstrip("/")
    files = [p for p in fs.find(s) if ".tmp-" not in p and not p[len(base) + 1 :].startswith(skip)]
    for path in files:
        target = d.rstrip("/") + path[len(base) :]
        fs.makedirs(os.path.dirname(target), exist_ok=True)
        if fs is io.LOCAL:
            try:
                os.link(path, target)
                continue
            except OSError:
                pass
        fs.copy(path, target)
    return len(files)
