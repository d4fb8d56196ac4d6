"""Where a run's quality filter sits, and whether what the run kept is enough to rebuild its input.

After a run, intermediate outputs are gone (docs/runs.md); what stays is the final nodes' output
and every node's rejected rows. A row that reached the quality filter ended in exactly one of:
the filter's rejected rows, the rejected rows of a node after it on the way to a final node, or
that final node's output. So those files hold the filter's whole input, provided that:

- every final node comes after the quality filter (else some documents never met it);
- no node after the filter rewrites a column that existed before it (a later PII pass rewriting
  `text`, say): those rows could not be turned back into what the filter saw;
- rejected rows were not redacted on the way to rejected/, or a full PII pass ran before the
  filter (then a second pass changes nothing).

When the filter's input node was kept (`[pipeline] keep = ["<node>"]`), it is read as it is and
none of this matters. `locate` says which case applies, or refuses naming the cause and the fix.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from corpusforge import io, registry, schema
from corpusforge.errors import UserError
from corpusforge.rundir import RunDir

QUALITY_STAGE = "quality.filter.v1"
PII_STAGE = "pii.redact.v1"
SIDE_COLUMNS = (schema.DROP_REASON, schema.DROP_NODE, "error_detail")


class RefilterError(UserError):
    """A run that cannot be re-filtered as asked; the message says why and what to do."""


@dataclass(frozen=True)
class Place:
    run: RunDir
    manifest: dict[str, Any]
    nodes: dict[str, dict[str, Any]]  # node id -> its manifest entry, in manifest order
    quality: str  # the quality filter's node id
    ancestors: tuple[str, ...]  # nodes before it (their results stand), manifest order
    descendants: tuple[str, ...]  # nodes after it (redone when the kept set changes), manifest order
    chain: tuple[str, ...]  # the nodes from just after it down to `final`, in order
    final: str  # the final node its kept rows end in
    kept_input: str | None  # its input node, when the run kept that node's output (read as is)
    segment: str  # the done-marker folder holding its per-shard stats
    added_columns: frozenset[str]  # columns written only after it (dropped when rebuilding)

    @property
    def quality_entry(self) -> dict[str, Any]:
        return self.nodes[self.quality]

    def shards(self) -> dict[int, int]:
        """shard index -> rows that entered the quality filter, from the run's done markers."""
        out = {}
        for index in sorted(self.run.done_indices(self.segment)):
            for entry in io.read_json(self.run.done_marker(self.segment, index)):
                if entry["node"] == self.quality:
                    out[index] = int(entry["in"])
        return out


def locate(run_dir: str, *, node: str | None = None, need_rebuild: bool = True) -> Place:
    """The quality filter of a finished run (or `node`); `RefilterError` when it cannot be re-filtered."""
    run = RunDir(run_dir)
    manifest = run.read_manifest()
    if manifest is None:
        raise RefilterError(f"{run_dir}: no manifest.json; refilter reads a finished run (`corpusforge run` writes it)")
    nodes = {n["id"]: n for n in manifest.get("nodes", [])}
    quality = _quality_node(run_dir, nodes, node)
    ancestors = _ancestors(nodes, quality)
    descendants = [n for n in nodes if quality in _ancestors(nodes, n)]
    finals = list(manifest.get("final_nodes") or run.final_nodes())
    outside = [f for f in finals if f not in descendants]
    if outside or not finals:
        raise RefilterError(
            f"{run_dir}: final node(s) {', '.join(outside) or '(none)'} do not come after the quality filter "
            f"{quality!r}; refilter needs every final document to have passed it"
        )
    final = finals[0]
    chain = _path(nodes, quality, final)
    place = Place(
        run=run,
        manifest=manifest,
        nodes=nodes,
        quality=quality,
        ancestors=tuple(ancestors),
        descendants=tuple(descendants),
        chain=tuple(chain),
        final=final,
        kept_input=_kept_input(run, nodes, quality),
        segment=_segment(run, quality),
        added_columns=frozenset(_writes(nodes, descendants) - _writes(nodes, ancestors) - set(schema.CORE_COLUMNS)),
    )
    if need_rebuild and place.kept_input is None:
        _check_rebuildable(place)
    return place


def _quality_node(run_dir: str, nodes: dict[str, dict[str, Any]], wanted: str | None) -> str:
    found = [n for n, e in nodes.items() if e.get("stage") == QUALITY_STAGE]
    if wanted is not None:
        if wanted not in found:
            raise RefilterError(f"{run_dir}: no {QUALITY_STAGE} node {wanted!r} (quality nodes: {found or 'none'})")
        return wanted
    if len(found) != 1:
        what = "no" if not found else f"{len(found)} ({', '.join(found)})"
        raise RefilterError(f"{run_dir}: {what} {QUALITY_STAGE} nodes; name one with --node")
    return found[0]


def _ancestors(nodes: dict[str, dict[str, Any]], node: str) -> list[str]:
    seen: set[str] = set()
    todo = list(nodes[node].get("inputs", []))
    while todo:
        n = todo.pop()
        if n not in seen and n in nodes:
            seen.add(n)
            todo += nodes[n].get("inputs", [])
    return [n for n in nodes if n in seen]


def _path(nodes: dict[str, dict[str, Any]], top: str, bottom: str) -> list[str]:
    """`bottom` and its ancestors below `top`, from `top`'s child down (each node has one input)."""
    path = [bottom]
    while nodes[path[-1]].get("inputs", [None])[0] != top:
        path.append(nodes[path[-1]]["inputs"][0])
    return path[::-1]


def _kept_input(run: RunDir, nodes: dict[str, dict[str, Any]], quality: str) -> str | None:
    (upstream,) = nodes[quality].get("inputs", [None])
    entry = nodes.get(upstream) if upstream else None
    if not entry or not entry.get("output") or entry.get("released"):
        return None
    return upstream if run.parts(upstream) else None


def _segment(run: RunDir, quality: str) -> str:
    """The `_done/` folder whose markers hold the quality node's stats."""
    fs, base = io.fs_and_path(io.join(run.root, "_done"))
    for folder in sorted(fs.ls(base, detail=False)) if fs.exists(base) else []:
        segment = folder.rstrip("/").rsplit("/", 1)[-1]
        indices = sorted(run.done_indices(segment))
        if indices and any(e["node"] == quality for e in io.read_json(run.done_marker(segment, indices[0]))):
            return segment
    raise RefilterError(f"{run.root}: no done marker records node {quality!r}; did the run finish?")


def _writes(nodes: dict[str, dict[str, Any]], ids: list[str] | tuple[str, ...]) -> set[str]:
    """Columns the nodes declare they write (for their recorded parameters)."""
    out: set[str] = set()
    for n in ids:
        try:
            cls = registry.get(nodes[n]["stage"])
        except KeyError:
            continue
        config = cls.Config.model_construct(**(nodes[n].get("params") or {}))
        out |= set(cls.declared_writes(config))
    return out


def _check_rebuildable(place: Place) -> None:
    nodes, quality = place.nodes, place.quality
    keep_hint = (
        f"keep the quality filter's input instead: [pipeline] keep = [{nodes[quality]['inputs'][0]!r}] "
        "in the pipeline file (that run then re-filters from it)"
    )
    before = _writes(nodes, place.ancestors) | set(schema.CORE_COLUMNS)
    for n in place.descendants:
        rewritten = sorted(_writes(nodes, [n]) & before)
        if rewritten:
            raise RefilterError(
                f"{place.run.root}: node {n!r} ({nodes[n]['stage']}) rewrites {', '.join(rewritten)} after the "
                f"quality filter, so what the filter saw cannot be rebuilt from the run's output; {keep_hint}"
            )
    if place.manifest.get("redact_rejected", False) and not _full_pii_before(nodes, place.ancestors):
        raise RefilterError(
            f"{place.run.root}: rejected rows were redacted (redact_rejected) but no full {PII_STAGE} pass ran "
            f"before the quality filter, so its rejected rows differ from what it saw; {keep_hint}"
        )


def _full_pii_before(nodes: dict[str, dict[str, Any]], ancestors: tuple[str, ...]) -> bool:
    """A PII pass whose output a second, default pass leaves unchanged (all kinds, default tokens)."""
    from corpusforge.pii.detectors import KINDS
    from corpusforge.pii.table import DEFAULT_COLUMNS

    for n in ancestors:
        if nodes[n].get("stage") != PII_STAGE:
            continue
        p = nodes[n].get("params") or {}
        if (
            not p.get("dry_run")
            and not p.get("tokens")
            and set(KINDS) <= set(p.get("kinds", KINDS))
            and set(DEFAULT_COLUMNS) <= set(p.get("columns", DEFAULT_COLUMNS))
        ):
            return True
    return False
