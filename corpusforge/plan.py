"""Pipeline file (TOML) -> validated DAG, before any work starts.

Every error names the file, the node and the field, and is raised as `PlanError`:

    pipelines/x.toml: node 'extract', field 'params.timeout_s': Input should be a valid number

The plan groups nodes into *segments*: a chain of map stages that runs per shard in one
worker. A node's output is written to `{root}/{node}/` when something needs it as a whole:
it is a leaf, feeds several nodes, feeds a global stage, is a sink, or sets `checkpoint = true` (or is
listed in `[pipeline] keep`). Intermediate outputs are deleted once the run is done, unless kept.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from corpusforge import io, registry, schema
from corpusforge.errors import UserError
from corpusforge.rundir import RESERVED, RunDir
from corpusforge.stage import Source, Stage, StageConfig, kind_of

PIPELINE_KEYS = {"name", "root", "executor", "batch_size", "max_error_rate", "keep", "redact_rejected"}
NODE_KEYS = {"id", "stage", "inputs", "params", "checkpoint"}
EXECUTORS = ("auto", "ray", "local", "pool")


class PlanError(UserError, ValueError):
    """A pipeline file that cannot run, with the place of the fault."""

    def __init__(self, file: str, node: str | None, field_name: str | None, message: str) -> None:
        where = [file]
        if node is not None:
            where.append(f"node {node!r}")
        if field_name is not None:
            where.append(f"field {field_name!r}")
        super().__init__(f"{', '.join(where)}: {message}")
        self.file, self.node, self.field = file, node, field_name


@dataclass
class Node:
    id: str
    stage_name: str
    cls: type[Stage]
    config: StageConfig
    inputs: list[str]
    checkpoint: bool = False
    materialized: bool = False
    columns_out: frozenset[str] = frozenset()
    params: dict[str, Any] = field(default_factory=dict)  # as written in the file (hashed; paths unresolved)

    def make(self) -> Stage:
        return self.cls(self.config)

    @property
    def kind(self) -> str:
        return kind_of(self.cls)

    @property
    def terminal(self) -> bool:
        """A global stage that passes no documents on (pack): all its work is in `prepare`."""
        return self.kind == "global" and not getattr(self.cls, "emits_documents", True)


@dataclass
class Segment:
    """Nodes run back to back per shard; `head` is a source, a global stage or a map over a
    materialized upstream node (then `upstream` names it)."""

    nodes: list[Node]
    upstream: str | None
    redact_rejected: bool = True  # PII in rows written to rejected/ is replaced by tokens (pipeline setting)

    @property
    def id(self) -> str:
        return self.nodes[0].id

    @property
    def last(self) -> Node:
        return self.nodes[-1]


@dataclass
class Plan:
    file: str
    name: str
    root: str
    executor: str
    batch_size: int
    nodes: dict[str, Node]
    segments: list[Segment] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    max_error_rate: float = 0.05
    keep: tuple[str, ...] = ()  # intermediate nodes whose output is kept after the run
    redact_rejected: bool = True

    @property
    def hash(self) -> str:
        """Stable hash of the configuration: names, versions, params with defaults, edges and the
        versions of the data files stages use. Output paths are hashed as written, so the same
        pipeline keeps its hash under another `--root`."""
        resolved: list[dict[str, Any]] = [
            {
                "id": n.id,
                "stage": n.stage_name,
                "inputs": n.inputs,
                "params": n.config.model_dump(mode="json") | n.params,
                "data": n.cls.data_versions(n.config),
            }
            for n in self.nodes.values()
        ]
        if not self.redact_rejected:  # only when off, so the hash of a pipeline that does not set it stays
            resolved.append({"redact_rejected": False})
        blob = json.dumps(resolved, sort_keys=True).encode()
        return hashlib.sha256(blob).hexdigest()[:16]

    @property
    def run_dir(self) -> RunDir:
        return RunDir(self.root)

    def to_json(self) -> dict[str, Any]:
        """What `describe` prints, as data (`corpusforge plan --json`)."""
        return {
            "pipeline": self.name,
            "file": self.file,
            "root": self.root,
            "executor": self.executor,
            "hash": self.hash,
            "segments": [
                {"id": seg.id, "upstream": seg.upstream, "nodes": [n.id for n in seg.nodes]} for seg in self.segments
            ],
            "nodes": [
                {
                    "id": n.id,
                    "stage": n.stage_name,
                    "kind": n.kind,
                    "inputs": n.inputs,
                    "output": self.run_dir.node(n.id) if n.materialized or n.terminal else None,
                    "params": n.config.model_dump(mode="json"),
                }
                for n in self.nodes.values()
            ],
        }

    def describe(self) -> str:
        lines = [f"pipeline {self.name!r} ({self.file}), root {self.root}, executor {self.executor}, hash {self.hash}"]
        for i, seg in enumerate(self.segments):
            head = f"after {seg.upstream}" if seg.upstream else "from source"
            lines.append(f"segment {i} ({head}, runs per shard):")
            for n in seg.nodes:
                flag = " -> writes {root}/" + n.id if n.materialized or n.terminal else ""
                params = n.config.model_dump(mode="json")
                lines.append(f"  {n.id:<14} {n.stage_name:<28} [{n.kind}]{flag}")
                if params:
                    lines.append(f"  {'':<14} params {json.dumps(params, ensure_ascii=False)}")
        return "\n".join(lines)


def load(path: str | Path, *, overrides: dict[str, Any] | None = None, check_inputs: bool = True) -> Plan:
    """Parse and validate a pipeline file. `overrides` replace `[pipeline]` keys (from the CLI);
    `check_inputs` checks that every source's paths match a file (skip it only to inspect a plan)."""
    file = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PlanError(file, None, None, "file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise PlanError(file, None, None, f"not valid TOML: {exc}") from None
    return from_dict(raw, file=file, overrides=overrides, check_inputs=check_inputs)


def from_dict(
    raw: dict[str, Any],
    *,
    file: str = "<pipeline>",
    overrides: dict[str, Any] | None = None,
    check_inputs: bool = False,
) -> Plan:
    pipeline = dict(raw.get("pipeline", {}))
    for key in set(raw) - {"pipeline", "node"}:
        raise PlanError(file, None, key, "unknown top-level table (expected [pipeline] and [[node]])")
    for key in set(pipeline) - PIPELINE_KEYS:
        raise PlanError(file, None, f"pipeline.{key}", f"unknown key (allowed: {', '.join(sorted(PIPELINE_KEYS))})")
    pipeline.update({k: v for k, v in (overrides or {}).items() if v is not None})
    name = _require_str(file, None, "pipeline.name", pipeline.get("name", Path(file).stem))
    root = _require_str(file, None, "pipeline.root", pipeline.get("root", f"runs/{name}"))
    if "://" not in root:
        root = os.path.abspath(root)  # Ray workers need not share the driver's working directory
    executor = pipeline.get("executor", "auto")
    if executor not in EXECUTORS:
        raise PlanError(file, None, "pipeline.executor", f"must be one of {EXECUTORS}, got {executor!r}")
    batch_size = pipeline.get("batch_size", 1000)
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise PlanError(file, None, "pipeline.batch_size", "must be a positive integer")
    max_error_rate = pipeline.get("max_error_rate", 0.05)
    if not isinstance(max_error_rate, int | float) or isinstance(max_error_rate, bool) or not 0 <= max_error_rate <= 1:
        raise PlanError(file, None, "pipeline.max_error_rate", f"must be a number from 0 to 1, got {max_error_rate!r}")
    redact_rejected = pipeline.get("redact_rejected", True)
    if not isinstance(redact_rejected, bool):
        raise PlanError(file, None, "pipeline.redact_rejected", f"must be true or false, got {redact_rejected!r}")

    nodes = _parse_nodes(file, raw.get("node", []))
    keep = pipeline.get("keep", [])
    if not isinstance(keep, list) or not all(isinstance(k, str) for k in keep):
        raise PlanError(file, None, "pipeline.keep", "must be a list of node ids")
    for node_id in keep:
        if node_id not in nodes:
            raise PlanError(file, None, "pipeline.keep", f"no node {node_id!r} (nodes: {', '.join(nodes)})")
        nodes[node_id].checkpoint = True  # a kept node's output must exist to be kept
    order = _topological_order(file, nodes)
    _check_columns(file, nodes, order)
    run = RunDir(root)
    for node in nodes.values():
        node.config = _resolve_output_paths(node.config, run)
        _check_local_outputs(file, node, run)
    if check_inputs:
        for node in nodes.values():
            _check_source_inputs(file, node)
    plan = Plan(file, name, root, executor, batch_size, {n: nodes[n] for n in order}, raw=raw)
    plan.max_error_rate = float(max_error_rate)
    plan.keep = tuple(keep)
    plan.redact_rejected = redact_rejected
    plan.segments = _segments(plan)
    for segment in plan.segments:
        segment.redact_rejected = redact_rejected
    return plan


def _resolve_output_paths(config: StageConfig, run: RunDir) -> StageConfig:
    """Params marked `output_path` that are relative resolve against the root, not the working
    directory, so two runs with different roots never write to one place."""
    update = {}
    for name, info in type(config).model_fields.items():
        extra = info.json_schema_extra
        value = getattr(config, name)
        if isinstance(extra, dict) and extra.get("output_path") and isinstance(value, str):
            update[name] = run.resolve(value)
    return config.model_copy(update=update) if update else config


def _check_local_outputs(file: str, node: Node, run: RunDir) -> None:
    """Params marked `local_disk` (memmapped token streams) cannot live on object storage; unset,
    they default to `{root}/{node}`, so an s3:// root needs them set."""
    for name, info in type(node.config).model_fields.items():
        extra = info.json_schema_extra
        if not (isinstance(extra, dict) and extra.get("local_disk")):
            continue
        value = getattr(node.config, name)
        where = value if isinstance(value, str) else run.node(node.id)
        if "://" in where:
            unset = "" if isinstance(value, str) else f" (unset, it defaults to {where} under the root)"
            raise PlanError(file, node.id, f"params.{name}", f"{node.stage_name} writes to local disk (memory-mapped "
                            f"files), not {where}{unset}: set it to a local folder, on a cluster one every worker "
                            "shares (NFS, Lustre)")  # fmt: skip


def _check_source_inputs(file: str, node: Node) -> None:
    """Every path or glob of a source must match at least one file (URLs that cannot be listed,
    such as plain HTTP, are taken on trust)."""
    if node.kind != "source":
        return
    source = node.make()
    assert isinstance(source, Source)
    for pattern in source.input_patterns():
        if pattern.startswith(("http://", "https://")):
            continue
        try:
            matches = [m for m in io.expand([pattern]) if io.exists(m)]
        except Exception as exc:  # an unreachable bucket, bad credentials: say so at plan time
            raise PlanError(file, node.id, "params.paths", f"cannot list {pattern!r}: {exc}") from None
        if not matches:
            where = "" if "://" in pattern else f" (relative paths are read from {os.getcwd()})"
            raise PlanError(file, node.id, "params.paths", f"{pattern!r} matches no file{where}")


def _require_str(file: str, node: str | None, field_name: str, value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise PlanError(file, node, field_name, f"must be a non-empty string, got {value!r}")
    return value


def _parse_nodes(file: str, entries: Any) -> dict[str, Node]:
    if not isinstance(entries, list) or not entries:
        raise PlanError(file, None, "node", "a pipeline needs at least one [[node]]")
    nodes: dict[str, Node] = {}
    for i, entry in enumerate(entries):
        node_id = entry.get("id") if isinstance(entry, dict) else None
        label = node_id if isinstance(node_id, str) else f"#{i + 1}"
        if not isinstance(entry, dict):
            raise PlanError(file, label, None, "each [[node]] must be a table")
        for key in set(entry) - NODE_KEYS:
            raise PlanError(file, label, key, f"unknown key (allowed: {', '.join(sorted(NODE_KEYS))})")
        node_id = _require_str(file, label, "id", node_id)
        if node_id in nodes:
            raise PlanError(file, node_id, "id", "duplicate node id")
        if node_id in RESERVED or node_id.startswith("_") or "/" in node_id:
            raise PlanError(file, node_id, "id", "reserved or invalid node id")
        stage_name = _require_str(file, node_id, "stage", entry.get("stage"))
        try:
            cls = registry.get(stage_name)
        except KeyError as exc:
            raise PlanError(file, node_id, "stage", str(exc.args[0])) from None
        config = _validate_params(file, node_id, cls, entry.get("params", {}))
        inputs = entry.get("inputs", [])
        if isinstance(inputs, str):
            inputs = [inputs]
        if not isinstance(inputs, list) or not all(isinstance(x, str) for x in inputs):
            raise PlanError(file, node_id, "inputs", "must be a list of node ids")
        checkpoint = entry.get("checkpoint", False)
        if not isinstance(checkpoint, bool):
            raise PlanError(file, node_id, "checkpoint", "must be true or false")
        is_source = issubclass(cls, Source)
        if is_source and inputs:
            raise PlanError(file, node_id, "inputs", f"{stage_name} is a source and takes no inputs")
        if not is_source and len(inputs) != 1:
            raise PlanError(file, node_id, "inputs", f"{stage_name} needs exactly one input node, got {len(inputs)}")
        raw_params = entry.get("params", {})
        nodes[node_id] = Node(node_id, stage_name, cls, config, list(inputs), checkpoint, params=dict(raw_params))
    for node in nodes.values():
        for inp in node.inputs:
            if inp not in nodes:
                close = [n for n in nodes if n.startswith(inp[:3])]
                hint = f" (nodes: {', '.join(nodes)})" if not close else f" (did you mean {close[0]!r}?)"
                raise PlanError(file, node.id, "inputs", f"no node {inp!r}{hint}")
    return nodes


def _validate_params(file: str, node_id: str, cls: type[Stage], params: Any) -> StageConfig:
    if not isinstance(params, dict):
        raise PlanError(file, node_id, "params", "must be a table")
    try:
        return cls.Config(**params)
    except ValidationError as exc:
        # A misspelt name shows up twice (unknown + missing): report the unknown one first.
        errors = sorted(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        err = errors[0]
        loc = ".".join(str(p) for p in err["loc"])
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            allowed = list(cls.Config.model_fields)
            close = difflib.get_close_matches(loc, allowed, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            msg = f"unknown parameter for {cls.name}; {hint}allowed: {', '.join(allowed) or 'none'}"
        raise PlanError(file, node_id, f"params.{loc}" if loc else "params", msg) from None


def _topological_order(file: str, nodes: dict[str, Node]) -> list[str]:
    state: dict[str, int] = {}  # 1 visiting, 2 done
    order: list[str] = []

    def visit(n: str, path: list[str]) -> None:
        if state.get(n) == 2:
            return
        if state.get(n) == 1:
            cycle = path[path.index(n) :] + [n]
            raise PlanError(file, n, "inputs", f"cycle: {' -> '.join(cycle)}")
        state[n] = 1
        for inp in nodes[n].inputs:
            visit(inp, path + [n])
        state[n] = 2
        order.append(n)

    for n in nodes:
        visit(n, [])
    return order


def _check_columns(file: str, nodes: dict[str, Node], order: list[str]) -> None:
    for n in order:
        node = nodes[n]
        writes = set(node.cls.declared_writes(node.config))
        if node.inputs:
            available = nodes[node.inputs[0]].columns_out
            missing = [c for c in node.cls.declared_reads(node.config) if c not in available]
            if missing:
                raise PlanError(
                    file,
                    n,
                    "stage",
                    f"{node.stage_name} reads column(s) {', '.join(missing)} that no upstream node writes"
                    " (a source that passes input columns through lists them in its `columns` parameter)",
                )
            node.columns_out = frozenset(available | writes)
        else:
            node.columns_out = frozenset(writes | {schema.ID})


def _segments(plan: Plan) -> list[Segment]:
    consumers: dict[str, list[str]] = {n: [] for n in plan.nodes}
    for node in plan.nodes.values():
        for inp in node.inputs:
            consumers[inp].append(node.id)
    for node in plan.nodes.values():
        outs = consumers[node.id]
        if node.terminal:
            if outs:
                raise PlanError(plan.file, outs[0], "inputs", f"{node.stage_name} ({node.id!r}) ends a pipeline: it "
                                "passes no documents on; read from its input node instead")  # fmt: skip
            node.materialized = False  # its output is not documents
            continue
        # What must exist whole: a leaf, a fork, the input of a global stage (its prepare() reads every
        # shard), a checkpoint, a sink. A global stage's own output flows on into the maps after it.
        feeds_global = any(plan.nodes[c].kind == "global" for c in outs)
        node.materialized = not outs or len(outs) > 1 or feeds_global or node.checkpoint or node.kind == "sink"
    segments: list[Segment] = []
    seg_of: dict[str, Segment] = {}
    for node in plan.nodes.values():
        upstream = node.inputs[0] if node.inputs else None
        starts_new = upstream is None or node.kind == "global" or plan.nodes[upstream].materialized
        if starts_new:
            seg = Segment([node], upstream)
            segments.append(seg)
        else:
            seg = seg_of[upstream]  # type: ignore[index]
            seg.nodes.append(node)
        seg_of[node.id] = seg
    return segments
