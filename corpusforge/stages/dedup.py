"""`dedup.exact.v1`, `dedup.minhash.v1`, `dedup.lines.v1`: corpus-wide duplicate removal as global stages.

`prepare` runs the `dedup` library's partitioned phases over every input shard through
`ctx.map` (Ray or local) and spills under the node's workdir; `process_shard` then rejects
the duplicates of each shard with `dup:exact` or `dup:near` and writes `dup_cluster` (the id
of the document its cluster keeps; null for a document without duplicates). Documents with
fewer words than the shingle size (empty and one-word ones included) cannot be compared by
shingles: they are matched on their exact normalised words and rejected as `dup:exact`.
Memory per worker is bounded by one shard or one partition; see `dedup/partitioned.py`.

`dedup.lines.v1` removes site boilerplate (CCNet-style): lines (or paragraphs) found in more
than `max_repeats` documents of the same site are cut from every document of that site;
`dup_lines` counts the units cut from a row, and a document left with no text is rejected
as `dup:lines`. See `dedup/lines.py`.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import pyarrow as pa
from pydantic import Field, model_validator

from corpusforge import schema
from corpusforge.registry import register
from corpusforge.stage import GlobalContext, GlobalStage, Resources, ShardContext, StageConfig, with_drop_reasons
from dedup import DedupSpec, MinhashParams, decisions, run_dedup
from dedup import lines as line_dedup

# The library's dataclasses hold the defaults; the stage configs take them from there and map back with
# one `to_spec()` each, so a default lives in one place.
_SPEC, _PARAMS, _LINES = DedupSpec(), MinhashParams(), line_dedup.LinesSpec()


class DedupCommon(StageConfig):
    keep: Literal["first", "longest", "quality"] = Field(
        _SPEC.keep,
        description="which document of a cluster survives: first seen, longest text, or highest score_column",
    )
    score_column: str | None = Field(
        _SPEC.score_column,
        description="a q_* quality column used by keep='quality' (higher is better; missing scores lose)",
    )
    partitions: int = Field(
        _SPEC.partitions, ge=1, le=4096, description="hash partitions of the shuffle; memory per task ~ 1/partitions"
    )
    index_in: str | None = Field(None, description="index directory of an earlier run to deduplicate against")
    index_out: str | None = Field(
        None,
        description="write an index of this run's kept documents here (relative: under the run's root)",
        json_schema_extra={"output_path": True},
    )

    @model_validator(mode="after")
    def _score_for_quality(self) -> DedupCommon:
        if self.keep == "quality" and not self.score_column:
            raise ValueError("keep='quality' needs score_column (a q_* column)")
        if self.score_column and not self.score_column.startswith("q_"):
            raise ValueError(f"score_column must be a q_* quality column, got {self.score_column!r}")
        return self

    def to_spec(self) -> DedupSpec:
        raise NotImplementedError


class ExactConfig(DedupCommon):
    fold_digits: bool = Field(
        _SPEC.fold_digits, description="treat all digits as 0 (pages differing only in dates collide)"
    )

    def to_spec(self) -> DedupSpec:
        return DedupSpec(mode="exact", fold_digits=self.fold_digits, keep=self.keep, score_column=self.score_column,
                         partitions=self.partitions)  # fmt: skip


class MinhashConfig(DedupCommon):
    threshold: float = Field(
        _SPEC.threshold, gt=0.0, lt=1.0, description="Jaccard similarity at which two documents are duplicates"
    )
    num_perm: int = Field(_PARAMS.num_perm, ge=8, le=1024, description="MinHash permutations (signature length)")
    bands: int = Field(
        _SPEC.bands, ge=0, description="LSH bands; 0 = chosen from threshold (see `corpusforge dedup plan`)"
    )
    rows: int = Field(_SPEC.rows, ge=0, description="LSH rows per band; 0 = chosen from threshold")
    ngram: int = Field(_PARAMS.ngram, ge=1, le=32, description="words per shingle")
    seed: int = Field(_PARAMS.seed, description="seed of the permutations; runs compare only with the same seed")
    fold_digits: bool = Field(_PARAMS.fold_digits, description="treat all digits as 0 before shingling")
    verify: Literal["exact", "estimated", "none"] = Field(
        _SPEC.verify,
        description="check LSH candidates on exact shingle Jaccard (re-reads candidate texts), on the "
        "signature estimate, or not at all",
    )

    def to_spec(self) -> DedupSpec:
        params = MinhashParams(num_perm=self.num_perm, ngram=self.ngram, seed=self.seed, fold_digits=self.fold_digits)
        return DedupSpec(mode="minhash", minhash=params, threshold=self.threshold, bands=self.bands, rows=self.rows,
                         verify=self.verify, keep=self.keep, score_column=self.score_column,
                         partitions=self.partitions)  # fmt: skip

    @model_validator(mode="after")
    def _banding_fits(self) -> MinhashConfig:
        if bool(self.bands) != bool(self.rows):
            raise ValueError("set both bands and rows, or neither (then they follow from threshold)")
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands x rows = {self.bands * self.rows} exceeds num_perm = {self.num_perm}")
        return self


class _DedupStage(GlobalStage):
    reads = (schema.ID, schema.TEXT)
    writes = (schema.DUP_CLUSTER,)
    reason_family = "dup"
    resources = Resources(cpus=1.0)

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._decisions: dict[int, pa.Table] = {}

    def prepare(self, ctx: GlobalContext) -> None:
        """All phases but the filter; cost ~ signatures (see dedup.minhash) + one sort per partition."""
        c = self.config
        assert isinstance(c, DedupCommon)
        run_dedup(c.to_spec(), inputs=ctx.inputs, workdir=ctx.workdir, map_fn=ctx.map, index_in=c.index_in,
                  index_out=c.index_out, shard_ids=ctx.shard_indices)  # fmt: skip

    def process_shard(self, table: pa.Table, ctx: ShardContext) -> pa.Table:
        if ctx.index not in self._decisions:
            self._decisions = {ctx.index: decisions(ctx.workdir, ctx.index)}  # one shard's decisions at a time
        dec = self._decisions[ctx.index]
        start = ctx.row_offset
        rows = dec.column("row").to_numpy()
        lo, hi = np.searchsorted(rows, [start, start + table.num_rows])
        pos = rows[lo:hi] - start
        cluster: list[str | None] = [None] * table.num_rows
        reasons: list[str | None] = [None] * table.num_rows
        for p, cl, why in zip(pos.tolist(), dec.column("cluster").to_pylist()[lo:hi],
                              dec.column("reason").to_pylist()[lo:hi], strict=True):  # fmt: skip
            cluster[p] = cl
            reasons[p] = None if why is None else self.reject(why)
        table = schema.put_columns(table, {schema.DUP_CLUSTER: pa.array(cluster, pa.string())})
        return with_drop_reasons(table, pa.array(reasons, pa.string()))


@register
class ExactDedup(_DedupStage):
    """Remove exact duplicates (normalised text, xxh3-128) across all shards: dup:exact."""

    name = "dedup.exact.v1"
    Config = ExactConfig
    config: ExactConfig


@register
class MinhashDedup(_DedupStage):
    """Remove near duplicates (MinHash-LSH over word n-grams, verified) across all shards: dup:near."""

    name = "dedup.minhash.v1"
    Config = MinhashConfig
    config: MinhashConfig


class LinesConfig(StageConfig):
    unit: Literal["line", "paragraph"] = Field(
        _LINES.unit, description="what is counted and removed: lines (split on newlines) or paragraphs (blank lines)"
    )
    max_repeats: int = Field(
        _LINES.max_repeats, ge=1, description="a unit found in more than this many documents of one site is boilerplate"
    )
    scope: Literal["site", "corpus"] = Field(
        _LINES.scope, description="count units per site (domain, else url host) or across the whole corpus"
    )
    fold_digits: bool = Field(
        _LINES.fold_digits, description="treat all digits as 0 when comparing units (dates, counters)"
    )
    partitions: int = Field(
        _LINES.partitions,
        ge=1,
        le=4096,
        description="hash partitions of the count shuffle; memory per task ~ 1/partitions",
    )

    def to_spec(self) -> line_dedup.LinesSpec:
        return line_dedup.LinesSpec(unit=self.unit, max_repeats=self.max_repeats, scope=self.scope,
                                    fold_digits=self.fold_digits, partitions=self.partitions)  # fmt: skip


@register
class LinesDedup(GlobalStage):
    """Remove boilerplate lines repeated across a site (CCNet-style); documents left empty: dup:lines."""

    name = "dedup.lines.v1"
    Config = LinesConfig
    config: LinesConfig
    reads = (schema.ID, schema.TEXT)
    writes = (schema.TEXT, schema.DUP_LINES)
    reason_family = "dup"
    resources = Resources(cpus=1.0)

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._frequent: np.ndarray | None = None
        self._keys: dict[int, pa.Array] = {}

    def prepare(self, ctx: GlobalContext) -> None:
        """Count (site, unit) keys per shard, then sum them per partition: two parallel maps."""
        line_dedup.run_lines(
            self.config.to_spec(), inputs=ctx.inputs, workdir=ctx.workdir, map_fn=ctx.map, shard_ids=ctx.shard_indices
        )

    def process_shard(self, table: pa.Table, ctx: ShardContext) -> pa.Table:
        """Cut the boilerplate units of each row, with the unit keys `prepare` found for these rows."""
        if self._frequent is None:
            self._frequent = line_dedup.frequent_keys(ctx.workdir)
        if ctx.index not in self._keys:
            self._keys = {ctx.index: line_dedup.shard_keys(ctx.workdir, ctx.index)}  # one shard's keys at a time
        spec = self.config.to_spec()
        keys = self._keys[ctx.index].slice(ctx.row_offset, table.num_rows)
        text, removed, emptied = line_dedup.strip(
            table.column(schema.TEXT), line_dedup.sites(table, spec), self._frequent, spec, keys=keys
        )
        table = schema.put_columns(table, {schema.TEXT: text, schema.DUP_LINES: pa.array(removed.astype(np.int32))})
        reasons = pa.array([self.reject("lines") if e else None for e in emptied.tolist()], pa.string())
        return with_drop_reasons(table, reasons)
