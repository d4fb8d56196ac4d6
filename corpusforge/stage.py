"""Stage contracts: what a pipeline node is.

A stage is a small class registered under a versioned name (see `registry.py`). Its
parameters are a frozen pydantic model (`Config`), validated when the pipeline is planned.

Kinds:
- `Stage` (a map): `process_batch(table) -> table`, pure and deterministic. It may mark rows
  as rejected by filling `drop_reason`; the runtime moves those rows to `rejected/`.
- `Filter`: a map whose only job is to decide; it returns one reason (or None) per row.
- `Source`: lists shards and reads one, yielding tables (rows it rejects carry `drop_reason`).
- `GlobalStage`: needs all shards before it can decide (dedup). The runtime first calls
  `prepare()` once over every input shard, then `process_shard()` per shard and batch.
- `Sink`: writes the final documents of each shard where it chooses (`write.parquet.v1`).

A stage never imports ray and never builds paths under the run's root: parallel work inside
`prepare()` goes through `ctx.map`, and places to write come from its context (`ctx.run`,
`ctx.workdir`), which the runtime builds from the one `RunDir` of the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import pyarrow as pa
import pyarrow.compute as pc
from pydantic import BaseModel, ConfigDict

from corpusforge import schema
from corpusforge.rundir import RunDir
from corpusforge.stats import NodeStats


class StageConfig(BaseModel):
    """Base of every stage's parameters: frozen, keyword-only, unknown fields rejected."""

    model_config = ConfigDict(frozen=True, extra="forbid")


@dataclass(frozen=True, kw_only=True)
class Resources:
    """What one running copy of a stage needs; the Ray executor reserves it."""

    cpus: float = 1.0
    gpus: float = 0.0
    memory_gb: float = 0.0


class Stage:
    """A map stage: one table in, one table out, same rows (some may be marked rejected)."""

    name: ClassVar[str] = ""  # versioned registry name, e.g. "extract.trafilatura.v1"
    Config: ClassVar[type[StageConfig]] = StageConfig
    reads: ClassVar[tuple[str, ...]] = ()
    writes: ClassVar[tuple[str, ...]] = ()
    resources: ClassVar[Resources] = Resources()
    # Family used in drop reasons this stage produces ("extract", "lang", "quality", ...).
    reason_family: ClassVar[str] = ""

    def __init__(self, config: StageConfig | None = None) -> None:
        self.config = config if config is not None else self.Config()

    @classmethod
    def declared_writes(cls, config: StageConfig) -> tuple[str, ...]:
        """Columns added for this config; override when they depend on parameters."""
        return cls.writes

    @classmethod
    def declared_reads(cls, config: StageConfig) -> tuple[str, ...]:
        """Columns needed for this config; override when they depend on parameters."""
        return cls.reads

    def splits(self) -> bool:
        """True when this stage may return more rows than it got: a row it replaces by several
        carries its id in their `parent_id`, and the runtime counts both (`split`, `split_into`)."""
        return False

    @classmethod
    def data_versions(cls, config: StageConfig) -> dict[str, str]:
        """Version or SHA-256 of each data file the stage uses (a model, a blocklist).

        The planner folds them into the plan hash and the manifest, so a run whose data changed
        is not taken for the same configuration."""
        return {}

    @classmethod
    def has_setup(cls) -> bool:
        """True when `setup` loads heavy state, so the executor keeps the stage in an actor."""
        return cls.setup is not Stage.setup

    def setup(self) -> None:
        """Load heavy state (a model). Called once per worker before the first batch.

        A stage used without an executor (a test, a notebook) loads on first use, one way
        everywhere: the state starts as None in `__init__`, and the method that needs it calls
        `setup()` while it is still None."""

    def teardown(self) -> None:
        """Release what `setup` loaded (a model, a thread pool); called when a worker is done."""

    def process_batch(self, table: pa.Table) -> pa.Table:
        raise NotImplementedError

    def reject(self, what: str) -> str:
        return schema.reason(self.reason_family or self.name.split(".")[0], what)


class Filter(Stage):
    """A stage that decides which rows to keep, and says why it drops the others."""

    def decide(self, table: pa.Table) -> Sequence[str | None]:
        """One entry per row: None to keep it, or a short reason ("fr", "low_score")."""
        raise NotImplementedError

    def process_batch(self, table: pa.Table) -> pa.Table:
        decisions = self.decide(table)
        if len(decisions) != table.num_rows:
            raise ValueError(f"{self.name}: decide() returned {len(decisions)} rows for {table.num_rows}")
        reasons = pa.array([None if d is None else self.reject(d) for d in decisions], pa.string())
        return with_drop_reasons(table, reasons)


class Source(Stage):
    """Lists shards and reads them. A shard is a small JSON-able dict (a file, a byte range).

    A shard that reads a file names it under "path": the runtime then fingerprints it (size,
    mtime or ETag) to tell a rerun whose inputs changed from a resume."""

    def list_shards(self) -> list[dict[str, Any]]:
        raise NotImplementedError

    def input_patterns(self) -> list[str]:
        """Paths or globs the source reads (checked at plan time: each must match something)."""
        return list(getattr(self.config, "paths", []) or [])

    def read_shard(self, shard: dict[str, Any]) -> Iterator[pa.Table]:
        """Yield tables of documents. Rows the source refuses carry `drop_reason`."""
        raise NotImplementedError

    def shard_counters(self) -> dict[str, int]:
        """What the last `read_shard` counted besides documents (index rows scanned, selected,
        skipped); the runtime adds it to the node's stats and the funnel shows it."""
        return {}

    def process_batch(self, table: pa.Table) -> pa.Table:  # pragma: no cover - sources read
        raise TypeError(f"{self.name} is a source; it reads shards")


class ShardOutput:
    """An open output for one shard of a sink: `write` batches, then `commit` atomically."""

    def write(self, table: pa.Table) -> None:
        raise NotImplementedError

    def commit(self) -> int:
        """Make the shard's files visible; return the number of rows written."""
        raise NotImplementedError

    def abort(self) -> None:
        """Drop what was written (the shard failed); nothing of it may become visible."""


class Sink(Stage):
    """Writes the final documents of a shard somewhere of its choosing (and passes them on).

    `node_dir` is where its data goes by default; `meta_dir` is a folder of its own outside the
    data folder, for manifests and other files that are not data (so any Parquet reader can open
    the data folder as a dataset)."""

    def open_shard(self, shard_index: int, node_dir: str, meta_dir: str) -> ShardOutput:
        raise NotImplementedError

    def process_batch(self, table: pa.Table) -> pa.Table:
        return table

    def finalize(self, node_dir: str, meta_dir: str) -> None:
        """Called once in the driver after every shard committed (e.g. to write one manifest)."""


@dataclass(kw_only=True)
class GlobalContext:
    """What a global stage sees in `prepare`: every input shard and a place to spill."""

    inputs: list[str]  # Parquet shard paths of the upstream node, in shard order
    shard_indices: list[int]  # the stable index of each input shard (the same as its output's)
    workdir: str  # a directory (fsspec path) owned by this node, for spilled state
    run: RunDir  # the run's root, for outputs that live beside the nodes (token streams)
    node_id: str
    map: Callable[[Callable[[Any], Any], list[Any]], list[Any]]  # parallel map (local or Ray)
    num_workers: int = 1


@dataclass(frozen=True, kw_only=True)
class ShardContext:
    """Where a batch sits: its shard's stable index, and the offset of its first row in the shard."""

    index: int
    row_offset: int
    workdir: str  # the node's work directory (what `prepare` spilled)


class GlobalStage(Stage):
    """A stage that must see every shard first (exact or near-duplicate removal).

    A terminal global stage (`emits_documents = False`, e.g. packing into token streams) does all
    its work in `prepare`, writes no copy of the documents, may feed no other node, and returns its
    funnel (`NodeStats`) from `prepare`."""

    emits_documents: ClassVar[bool] = True

    def prepare(self, ctx: GlobalContext) -> NodeStats | None:
        """Compute the global state from all shards and spill it under `ctx.workdir`."""
        raise NotImplementedError

    def process_shard(self, table: pa.Table, ctx: ShardContext) -> pa.Table:
        """Apply the global decision to one batch of a shard; rows to drop carry `drop_reason`."""
        raise NotImplementedError

    def process_batch(self, table: pa.Table) -> pa.Table:  # pragma: no cover - uses process_shard
        raise TypeError(f"{self.name} is a global stage; it runs per shard after prepare()")


def with_drop_reasons(table: pa.Table, reasons: pa.Array) -> pa.Table:
    """Set `drop_reason` where `reasons` is not null, keeping earlier reasons."""
    if schema.DROP_REASON in table.column_names:
        previous = table.column(schema.DROP_REASON)
        merged = pc.coalesce(previous, reasons)
        idx = table.column_names.index(schema.DROP_REASON)
        return table.set_column(idx, schema.DROP_REASON, merged)
    return table.append_column(schema.DROP_REASON, reasons)


def kind_of(cls: type) -> str:
    """ "source", "global", "sink", "filter" or "map": how the planner and `corpusforge stages` see a stage."""
    for kind, base in (("source", Source), ("global", GlobalStage), ("sink", Sink), ("filter", Filter)):
        if issubclass(cls, base):
            return kind
    return "map"
