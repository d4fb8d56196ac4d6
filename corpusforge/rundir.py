"""`RunDir`: the one place that knows the layout of a run's root.

    {root}/{node}/part-NNNNN.parquet        kept rows of a materialized node (NNNNN = the shard's index)
    {root}/rejected/{node}/part-NNNNN.parquet   rejected rows with drop_reason and drop_node
    {root}/_done/{segment}/NNNNN.json       done marker of a shard, holding its stats (written last)
    {root}/_done/{segment}/_prepare.json    a global stage's prepare() finished (with the inputs it saw)
    {root}/_work/{node}/                    what a global stage spills between its phases
    {root}/_sinks/{node}/                   a sink's manifest (not in its data folder, which holds only data)
    {root}/_reports/{node}/                 what a node leaves for review after the run (decontamination matches)
    {root}/_run/plan.json                   the configuration hash that owns this root
    {root}/_run/inputs/{segment}.json       the source shards, each with its index and fingerprint
    {root}/_run/lock, _run/lease.json       the run lock (an OS lock locally, a lease on object storage)
    {root}/manifest.json                    written at the end: counts, versions, final nodes

Everything else asks this object for a path; stages get it through their context.
"""

from __future__ import annotations

import os
import re
from typing import Any

from corpusforge import io

PART = "part-{shard:05d}.parquet"
_PART_NAME = re.compile(r"^part-(\d{5})\.parquet$")
_MARKER_NAME = re.compile(r"^\d{5}\.json$")
RESERVED = ("rejected", "stats", "_work", "_done", "_run", "_sinks", "_reports", "manifest.json")


class RunDir:
    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")

    def __repr__(self) -> str:
        return f"RunDir({self.root!r})"

    # -- documents -------------------------------------------------------------------------
    def node(self, node_id: str) -> str:
        return io.join(self.root, node_id)

    def part(self, node_id: str, shard: int) -> str:
        return io.join(self.node(node_id), PART.format(shard=shard))

    def rejected(self, node_id: str) -> str:
        return io.join(self.root, "rejected", node_id)

    def rejected_part(self, node_id: str, shard: int) -> str:
        return io.join(self.rejected(node_id), PART.format(shard=shard))

    def parts(self, node_id: str) -> list[tuple[int, str]]:
        """(shard index, path) of every committed part of a node, by index."""
        return list_parts(self.node(node_id))

    # -- bookkeeping -----------------------------------------------------------------------
    def done_dir(self, segment_id: str) -> str:
        return io.join(self.root, "_done", segment_id)

    def done_marker(self, segment_id: str, shard: int) -> str:
        return io.join(self.done_dir(segment_id), f"{shard:05d}.json")

    def done_indices(self, segment_id: str) -> set[int]:
        """Indices of the segment's finished shards, from one listing (not one look-up per shard)."""
        fs, path = io.fs_and_path(self.done_dir(segment_id))
        if not fs.exists(path):
            return set()
        names = (p.rsplit("/", 1)[-1] for p in fs.ls(path, detail=False))
        return {int(n[:5]) for n in names if _MARKER_NAME.match(n)}

    def prepare_marker(self, segment_id: str) -> str:
        return io.join(self.done_dir(segment_id), "_prepare.json")

    def work(self, node_id: str) -> str:
        return io.join(self.root, "_work", node_id)

    def sink_meta(self, node_id: str) -> str:
        """A sink's files that are not data (its manifest), kept out of its data folder's view."""
        return io.join(self.root, "_sinks", node_id)

    def reports(self, node_id: str) -> str:
        """What a node leaves for people after the run (a summary, matches to review): unlike its
        work folder, never deleted when the run is done."""
        return io.join(self.root, "_reports", node_id)

    def state(self, name: str) -> str:
        """A run-level state file under `_run/` (plan.json, lock, inputs/...)."""
        return io.join(self.root, "_run", name)

    def inputs_record(self, segment_id: str) -> str:
        return self.state(f"inputs/{segment_id}.json")

    @property
    def manifest(self) -> str:
        return io.join(self.root, "manifest.json")

    def resolve(self, path: str) -> str:
        """An output path given in a stage's params: relative ones live under the root."""
        if "://" in path or os.path.isabs(path):
            return path
        return io.join(self.root, path)

    # -- reading a finished run --------------------------------------------------------------
    def read_manifest(self) -> dict[str, Any] | None:
        return io.read_json(self.manifest) if io.exists(self.manifest) else None

    def final_nodes(self) -> list[str]:
        """Nodes whose output holds the run's final documents, as recorded in the manifest."""
        manifest = self.read_manifest()
        if manifest is None:
            raise FileNotFoundError(f"{self.manifest} not found: is {self.root} a finished run?")
        if "final_nodes" in manifest:
            return list(manifest["final_nodes"])
        return final_nodes_of(manifest.get("nodes", []))  # a manifest written before final_nodes existed

    def done_markers(self) -> list[str]:
        """Every shard's done marker (not `_prepare.json`), segment by segment."""
        fs, base = io.fs_and_path(io.join(self.root, "_done"))
        if not fs.exists(base):
            return []
        found = []
        for segment_dir in sorted(fs.ls(base, detail=False)):
            if fs.isdir(segment_dir):
                found += sorted(f for f in fs.ls(segment_dir, detail=False) if re.search(r"/\d{5}\.json$", f))
        protocol = self.root.split("://", 1)[0] + "://" if "://" in self.root else ""
        return [f if "://" in f or not protocol else protocol + f for f in found]

    # -- clean-up --------------------------------------------------------------------------
    def remove_stale_tmp(self) -> int:
        """Delete `*.tmp-*` files a crashed run left behind; returns how many. Call under the lock."""
        fs, base = io.fs_and_path(self.root)
        if not fs.exists(base):
            return 0
        if fs is io.LOCAL:
            stale = [os.path.join(d, f) for d, _, files in os.walk(base) for f in files if ".tmp-" in f]
        else:
            stale = [p for p in fs.find(base) if ".tmp-" in p.rsplit("/", 1)[-1]]
        for path in stale:
            fs.rm(path)
        return len(stale)

    def clear_shard(self, node_ids: list[str], shard: int) -> None:
        """Remove what an unfinished attempt of a shard may have committed (its marker is absent)."""
        for node_id in node_ids:
            for path in (self.part(node_id, shard), self.rejected_part(node_id, shard)):
                fs, p = io.fs_and_path(path)
                if fs.exists(p):
                    fs.rm(p)

    def clear_segment(self, segment_id: str, node_ids: list[str]) -> None:
        """Forget a segment's results: markers, work dirs, outputs and rejected rows of its nodes."""
        io.remove_tree(self.done_dir(segment_id))
        for node_id in node_ids:
            for path in (self.node(node_id), self.rejected(node_id), self.work(node_id), self.sink_meta(node_id),
                         self.reports(node_id)):  # fmt: skip
                io.remove_tree(path)

    def clear_all(self) -> None:
        """Empty the root for `--fresh`, keeping the lock the caller holds."""
        fs, base = io.fs_and_path(self.root)
        if not fs.exists(base):
            return
        for entry in fs.ls(base, detail=False):
            if entry.rstrip("/").rsplit("/", 1)[-1] == "_run":
                for sub in fs.ls(entry, detail=False):
                    if sub.rsplit("/", 1)[-1] not in ("lock", "lease.json"):
                        fs.rm(sub, recursive=True)
            else:
                fs.rm(entry, recursive=True)


def list_parts(directory: str) -> list[tuple[int, str]]:
    """(shard index, path) of the `part-NNNNN.parquet` files directly in `directory`, by index."""
    fs, path = io.fs_and_path(directory)
    if not fs.exists(path):
        return []
    out = []
    for p in fs.ls(path, detail=False):
        name = p.rsplit("/", 1)[-1]
        # Only a node's own parts; a sink's part-NNNNN-KKKK files and partition dirs are not shards.
        match = _PART_NAME.match(name)
        if match:
            out.append((int(match.group(1)), directory.rstrip("/") + "/" + name))
    return sorted(out)


def final_nodes_of(nodes: list[dict[str, Any]]) -> list[str]:
    """Materialized nodes that feed no other node and hold documents; sinks win over other leaves.

    A pack node ends a pipeline without holding documents, so it is never final.
    """
    feeding = {i for n in nodes for i in n.get("inputs", [])}
    leaves = [
        n
        for n in nodes
        if n.get("output") and n["id"] not in feeding and not str(n.get("stage", "")).startswith("pack.")
    ]
    sinks = [n for n in leaves if n.get("kind") == "sink"]
    return [n["id"] for n in (sinks or leaves)]
