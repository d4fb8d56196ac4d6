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


class DedupCommon(StageConfig):
    keep: Literal["first", "longest", "quality"] = Field(
        "first", description="which document of a cluster survives: first seen, longest text, or highest score_column"
    )
    score_column: str | None = Field(
        None, description="a q_* quality column used by keep='quality' (higher is better; missing scores lose)"
    )
    partitions: int = Field(
        16, ge=1, le=4096, description="hash partitions of the shuffle; memory per task ~ 1/partitions"
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


class ExactConfig(DedupCommon):
    fold_digits: bool = Field(False, description="treat all digits as 0 (pages differing only in dates collide)")


class MinhashConfig(DedupCommon):
    threshold: float = Field(
        0.8, gt=0.0, lt=1.0, description="Jaccard similarity at which two documents are duplicates"
    )
    num_perm: int = Field(112, ge=8, le=1024, description="MinHash permutations (signature length)")
    bands: int = Field(0, ge=0, description="LSH bands; 0 = chosen from threshold (see `corpusforge dedup plan`)")
    rows: int = Field(0, ge=0, description="LSH rows per band; 0 = chosen from threshold")
    ngram: int = Field(5, ge=1, le=32, description="words per shingle")
    seed: int = Field(1, description="seed of the permutations; runs compare only with the same seed")
    fold_digits: bool = Field(True, description="treat all digits as 0 before shingling")
    verify: Literal["exact", "estimated", "none"] = Field(
        "exact",
        description="check LSH candidates on exact shingle Jaccard (re-reads candidate texts), on the "
        "signature estimate, or not at all",
    )

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

    def spec(self) -> DedupSpec:
        raise NotImplementedError

    def prepare(self, ctx: GlobalContext) -> None:
        """All phases but the filter; cost ~ signatures (see dedup.minhash) + one sort per partition."""
        c = self.config
        assert isinstance(c, DedupCommon)
        run_dedup(self.spec(), inputs=ctx.inputs, workdir=ctx.workdir, map_fn=ctx.map, index_in=c.index_in,
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

    def spec(self) -> DedupSpec:
        c = self.config
        return DedupSpec(mode="exact", fold_digits=c.fold_digits, keep=c.keep, score_column=c.score_column,
                         partitions=c.partitions)  # fmt: skip


@register
class MinhashDedup(_DedupStage):
    """Remove near duplicates (MinHash-LSH over word n-grams, verified) across all shards: dup:near."""

    name = "dedup.minhash.v1"
    Config = MinhashConfig
    config: MinhashConfig

    def spec(self) -> DedupSpec:
        c = self.config
        params = MinhashParams(num_perm=c.num_perm, ngram=c.ngram, seed=c.seed, fold_digits=c.fold_digits)
        return DedupSpec(mode="minhash", minhash=params, threshold=c.threshold, bands=c.bands, rows=c.rows,
                         verify=c.verify, keep=c.keep, score_column=c.score_column,
                         partitions=c.partitions)  # fmt: skip


DUP_LINES = schema.DUP_LINES


class LinesConfig(StageConfig):
    unit: Literal["line", "paragraph"] = Field(
        "line", description="what is counted and removed: lines (split on newlines) or paragraphs (blank lines)"
    )
    max_repeats: int = Field(
        3, ge=1, description="a unit found in more than this many documents of one site is boilerplate"
    )
    scope: Literal["site", "corpus"] = Field(
        "site", description="count units per site (domain, else url host) or across the whole corpus"
    )
    fold_digits: bool = Field(True, description="treat all digits as 0 when comparing units (dates, counters)")
    partitions: int = Field(
        16, ge=1, le=4096, description="hash partitions of the count shuffle; memory per task ~ 1/partitions"
    )


@register
class LinesDedup(GlobalStage):
    """Remove boilerplate lines repeated across a site (CCNet-style); documents left empty: dup:lines."""

    name = "dedup.lines.v1"
    Config = LinesConfig
    config: LinesConfig
    reads = (schema.ID, schema.TEXT)
    writes = (schema.TEXT, DUP_LINES)
    reason_family = "dup"
    resources = Resources(cpus=1.0)

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._frequent: np.ndarray | None = None

    def spec(self) -> line_dedup.LinesSpec:
        c = self.config
        return line_dedup.LinesSpec(unit=c.unit, max_repeats=c.max_repeats, scope=c.scope,
                                    fold_digits=c.fold_digits, partitions=c.partitions)  # fmt: skip

    def prepare(self, ctx: GlobalContext) -> None:
        """Count (site, unit) keys per shard, then sum them per partition: two parallel maps."""
        line_dedup.run_lines(
            self.spec(), inputs=ctx.inputs, workdir=ctx.workdir, map_fn=ctx.map, shard_ids=ctx.shard_indices
        )

    def process_shard(self, table: pa.Table, ctx: ShardContext) -> pa.Table:
        """Cut the boilerplate units of each row; depends only on the row (no batch offsets)."""
        if self._frequent is None:
            self._frequent = line_dedup.frequent_keys(ctx.workdir)
        spec = self.spec()
        text, removed, emptied = line_dedup.strip(
            table.column(schema.TEXT), line_dedup.sites(table, spec), self._frequent, spec
        )
        table = schema.put_columns(table, {schema.TEXT: text, DUP_LINES: pa.array(removed.astype(np.int32))})
        reasons = pa.array([self.reject("lines") if e else None for e in emptied.tolist()], pa.string())
        return with_drop_reasons(table, reasons)
