"""`decontam.ngram.v1`: remove documents (or lines) that share long n-grams with evaluation sets.

A global stage. `prepare` builds the n-gram index of the evaluation sets once (under the
node's workdir), matches every input shard against it in parallel through `ctx.map`, and
writes the per-set summary, copied with the matches to `{root}/_reports/<node>/` (the work
folder is deleted when the run is done); `process_shard` then applies each shard's matches: with
`mode = "document"` a contaminated document is rejected as `decontam:<set>` (the set with
most matched n-grams); with `mode = "passage"` the lines holding the matches are cut, and a
document left with no words is rejected the same way. `decontam_words` counts the words
removed from a row. The matches, with the evaluation record each one hit, are read for review
with `corpusforge.decontam.read_matches(RunDir(root).reports(node))`, and `corpusforge card`
reports the summary. Memory: the index (24 bytes per evaluation n-gram) and one batch of a shard.

    [[node]]
    id = "decontam"
    stage = "decontam.ngram.v1"
    inputs = ["near"]
    params = { ngram = 13, sets = [
        { name = "flores", paths = ["eval/flores200-dev/*.txt"] },
        { name = "belebele", paths = ["eval/belebele.jsonl"], fields = ["passage", "question"] },
    ] }
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
import pyarrow as pa
from pydantic import Field, field_validator

from corpusforge import schema
from corpusforge.decontam import DecontamSpec, EvalSet, matches_path, publish, run_decontam
from corpusforge.decontam.evalsets import check, fingerprint
from corpusforge.decontam.passages import apply_cuts
from corpusforge.decontam.spec import MAX_SETS
from corpusforge.registry import register
from corpusforge.stage import GlobalContext, GlobalStage, Resources, ShardContext, StageConfig, with_drop_reasons
from dedup import store

_SET_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.+-]*$")


class EvalSetConfig(StageConfig):
    name: str = Field(description="the set's name, used in reasons: decontam:<name>")
    paths: list[str] = Field(min_length=1, description="files or globs: .txt (a record a line), .jsonl, .parquet")
    fields: list[str] = Field(
        default_factory=lambda: ["text"], min_length=1, description="JSONL keys or Parquet columns holding the text"
    )

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not _SET_NAME.match(value):
            raise ValueError(f"set name {value!r}: letters, digits and _.+- only (it becomes decontam:{value})")
        return value

    def evalset(self) -> EvalSet:
        return EvalSet(name=self.name, paths=tuple(self.paths), fields=tuple(self.fields))


class DecontamConfig(StageConfig):
    sets: list[EvalSetConfig] = Field(min_length=1, max_length=MAX_SETS, description="the evaluation sets")
    ngram: int = Field(13, ge=3, le=64, description="words per n-gram; shorter overlaps are never a match")
    mode: Literal["document", "passage"] = Field(
        "document", description="remove the whole document, or only the lines holding the matches"
    )
    min_hits: int = Field(1, ge=1, description="matched n-grams that make a document contaminated")
    fold_digits: bool = Field(False, description="treat all digits as 0 when comparing words")
    batch_rows: int = Field(2048, ge=1, description="rows per batch when matching (memory ~ 40 bytes a word)")

    @field_validator("sets")
    @classmethod
    def _readable(cls, value: list[EvalSetConfig]) -> list[EvalSetConfig]:
        names = [s.name for s in value]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"set names must be unique; repeated: {', '.join(dupes)}")
        for s in value:  # a missing or broken file fails when the pipeline is planned, not mid-run
            try:
                check(s.evalset())
            except (ValueError, OSError) as exc:
                raise ValueError(f"set {s.name!r}: {exc}") from None
        return value

    def spec(self) -> DecontamSpec:
        return DecontamSpec(sets=tuple(s.evalset() for s in self.sets), ngram=self.ngram, mode=self.mode,
                            min_hits=self.min_hits, fold_digits=self.fold_digits,
                            batch_rows=self.batch_rows)  # fmt: skip


@register
class NgramDecontam(GlobalStage):
    """Remove documents or lines sharing long n-grams with evaluation sets: decontam:<set>."""

    name = "decontam.ngram.v1"
    Config = DecontamConfig
    config: DecontamConfig
    reads = (schema.ID, schema.TEXT)
    writes = (schema.TEXT, schema.DECONTAM_WORDS)
    reason_family = "decontam"
    resources = Resources(cpus=1.0)

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._shard: tuple[int, pa.Table] | None = None

    @classmethod
    def data_versions(cls, config: StageConfig) -> dict[str, str]:
        assert isinstance(config, DecontamConfig)
        return {f"evalset:{s.name}": fingerprint(s.evalset()) for s in config.sets}

    def prepare(self, ctx: GlobalContext) -> None:
        """Index the sets, match every shard (in parallel), summarise: see `corpusforge.decontam`."""
        run_decontam(self.config.spec(), inputs=ctx.inputs, workdir=ctx.workdir, map_fn=ctx.map,
                     shard_ids=ctx.shard_indices)  # fmt: skip
        publish(ctx.workdir, ctx.run.reports(ctx.node_id))  # the work folder goes when the run is done

    def _matches(self, ctx: ShardContext) -> pa.Table:
        if self._shard is None or self._shard[0] != ctx.index:  # one shard's matches at a time
            table = store.read_table(matches_path(ctx.workdir, ctx.index))
            self._shard = (ctx.index, table.select(["row", "set", "action", "cuts", "removed_words"]))
        return self._shard[1]

    def process_shard(self, table: pa.Table, ctx: ShardContext) -> pa.Table:
        matches = self._matches(ctx)
        rows = matches.column("row").to_numpy()
        lo, hi = np.searchsorted(rows, [ctx.row_offset, ctx.row_offset + table.num_rows])
        mine = matches.slice(lo, hi - lo).to_pylist()  # a few rows: only the contaminated documents
        reasons: list[str | None] = [None] * table.num_rows
        removed = np.zeros(table.num_rows, dtype=np.int32)
        cuts = [m for m in mine if m["action"] == "cut"]
        texts = table.column(schema.TEXT).to_pylist() if cuts else []  # a batch without cuts keeps its column
        for m in mine:
            p = m["row"] - ctx.row_offset
            removed[p] = m["removed_words"]
            if m["action"] == "drop":
                reasons[p] = self.reject(m["set"])
            else:
                texts[p] = apply_cuts(texts[p] or "", [(c["start"], c["end"]) for c in m["cuts"]])
        columns = {schema.DECONTAM_WORDS: pa.array(removed)}
        if cuts:
            columns[schema.TEXT] = pa.array(texts, pa.string())
        table = schema.put_columns(table, columns)
        return with_drop_reasons(table, pa.array(reasons, pa.string()))
