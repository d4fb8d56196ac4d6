"""`quality.signals.v1` (score) and `quality.filter.v1` (decide), kept apart as in NeMo Curator.

Signals are computed once and stay on every row, kept or rejected, so a linguist reading
`rejected/<node>/` sees the numbers behind each `quality:<rule>` reason.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pyarrow as pa
from pydantic import Field, field_validator

from corpusforge import schema
from corpusforge.quality import rules, signals
from corpusforge.registry import register
from corpusforge.stage import Filter, Stage, StageConfig


def _row_tags(table: pa.Table, fallback: str | None) -> list[str | None]:
    """Each row's lang_tag, or `fallback` where the column is absent or the value null."""
    if schema.LANG_TAG not in table.column_names:
        return [fallback] * table.num_rows
    return [t or fallback for t in table.column(schema.LANG_TAG).to_pylist()]


class SignalsConfig(StageConfig):
    lang: str | None = Field(
        None,
        description="lang_tag assumed for rows without one (no lang_tag column, or null); "
        "None means Spanish word rules and no stop-word ratio",
    )
    max_ngram_words: int = Field(
        100_000, gt=0, description="n-gram signals look at a document's first N words only (bounds the cost)"
    )


@register
class QualitySignals(Stage):
    """Compute the q_* quality signals (words, stop words, lines, repetition, C4 notices)."""

    name = "quality.signals.v1"
    Config = SignalsConfig
    reads = (schema.TEXT,)
    writes = signals.SIGNAL_NAMES
    reason_family = "quality"
    config: SignalsConfig

    def process_batch(self, table: pa.Table) -> pa.Table:
        tags = _row_tags(table, self.config.lang)
        columns = signals.compute(table.column(schema.TEXT), tags, max_ngram_words=self.config.max_ngram_words)
        return schema.put_columns(table, columns)


class FilterConfig(StageConfig):
    thresholds_dir: str | None = Field(
        None, description="directory of <lang_tag>.toml threshold files (default: the ones shipped in the package)"
    )
    lang: str | None = Field(None, description="lang_tag assumed for rows without one (else default.toml applies)")
    skip_rules: list[str] = Field(
        default_factory=list, description="rule names not to apply, e.g. ['max_digit_ratio'] for a sports corpus"
    )

    @field_validator("thresholds_dir")
    @classmethod
    def _loads(cls, value: str | None) -> str | None:
        rules.load_dir(value)  # a malformed file fails when the pipeline is planned, not mid-run
        return value

    @field_validator("skip_rules")
    @classmethod
    def _known(cls, value: list[str]) -> list[str]:
        for name in value:
            rules.check_rule_name(name)
        return value


@register
class QualityFilter(Filter):
    """Reject documents whose q_* signals break their language's thresholds (quality:<rule>)."""

    name = "quality.filter.v1"
    Config = FilterConfig
    reads = signals.SIGNAL_NAMES
    writes = ()
    reason_family = "quality"
    config: FilterConfig
    sets: dict[str, rules.Thresholds]

    @classmethod
    def data_versions(cls, config: StageConfig) -> dict[str, str]:
        """SHA-256 of each threshold file: a run whose thresholds changed is another configuration
        (and the dataset card's thresholds hash covers them)."""
        assert isinstance(config, FilterConfig)
        directory = Path(config.thresholds_dir) if config.thresholds_dir else rules.shipped_dir()
        return {
            f"thresholds:{p.name}": hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.glob("*.toml"))
        }

    def setup(self) -> None:
        loaded = rules.load_dir(self.config.thresholds_dir)
        skip = set(self.config.skip_rules)
        self.sets = {
            tag: rules.Thresholds(t.lang_tag, tuple(r for r in t.rules if r.name not in skip), t.source)
            for tag, t in loaded.items()
        }

    def decide(self, table: pa.Table) -> list[str | None]:
        if not hasattr(self, "sets"):
            self.setup()
        columns = {
            name: np.nan_to_num(table.column(name).to_numpy(zero_copy_only=False).astype(np.float64), nan=0.0)
            for name in signals.SIGNAL_NAMES
        }
        return rules.decide(columns, _row_tags(table, self.config.lang), self.sets)
