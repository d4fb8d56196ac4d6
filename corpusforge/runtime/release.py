"""Deleting intermediate outputs once a run is done, and bringing them back when a rerun needs them.

An intermediate node's output (the input of a dedup stage, a fork) exists for resume and for the
global stages that read it whole. Once the run has finished, only the final nodes, the rejected rows,
the token streams and the nodes listed in `[pipeline] keep` stay: the others, and the global
stages' work folders, are deleted (`release`). `_run/released.json` records which, written before
anything is deleted, so a run killed while deleting finishes the job on its next start.

A rerun of a finished run with no new input has nothing to do. One whose inputs grew needs the
released outputs again (the global stages after them are redone over all shards): `restore`
forgets the segments that wrote them, which then run again over their inputs, unchanged, giving
the same output.
"""

from __future__ import annotations

import logging

from corpusforge import io
from corpusforge.plan import Plan, Segment
from corpusforge.rundir import RunDir

log = logging.getLogger("corpusforge.run")
RECORD = "released.json"


def releasable(plan: Plan, final_nodes: list[str]) -> list[str]:
    """Materialized nodes whose output nobody needs after the run."""
    return [
        n.id
        for n in plan.nodes.values()
        if n.materialized and n.kind != "sink" and n.id not in final_nodes and n.id not in plan.keep
    ]


def released(rundir: RunDir) -> list[str] | None:
    """The nodes released by the last finished run, or None when it did not finish or release."""
    path = rundir.state(RECORD)
    return list(io.read_json(path)) if io.exists(path) else None


def release(plan: Plan, rundir: RunDir, final_nodes: list[str]) -> list[str]:
    """Delete the outputs of `releasable` nodes and every work folder; returns the nodes released."""
    nodes = releasable(plan, final_nodes)
    io.write_json_atomic(rundir.state(RECORD), nodes)
    for node_id in nodes:
        io.remove_tree(rundir.node(node_id))
    for node in plan.nodes.values():
        if node.kind == "global":
            io.remove_tree(rundir.work(node.id))
    if nodes:
        log.info("deleted the intermediate output of %s (keep them with [pipeline] keep = [...])", ", ".join(nodes))
    return nodes


def restore(plan: Plan, rundir: RunDir, nodes: list[str]) -> None:
    """Make the released `nodes` be written again: forget the segments that wrote them."""
    for segment in _producers(plan, nodes):
        log.info("inputs were added: segment %s runs again to rebuild what was deleted", segment.id)
        io.remove_tree(rundir.done_dir(segment.id))
    io.remove_tree(rundir.state(RECORD))


def _producers(plan: Plan, nodes: list[str]) -> list[Segment]:
    wanted = set(nodes)
    return [seg for seg in plan.segments if wanted & {n.id for n in seg.nodes}]
