"""`quality.signals.v1` (score) and `quality.filter.v1` (decide), kept apart as in NeMo Curator.

Signals are computed once and stay on every row, kept or rejected, so a linguist reading
`rejected/<node>/` sees the numbers behind each `quality:<rule>` reason.
"""

from __future__ import annotations

import os

import numpy as np
import pyarrow as pa
from pydantic import Field, field_validator

from corpusforge import schema
from corpusforge.quality import perplexity, rules, signals
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
        100_000, gt=0, description="n-gram signals (and perplexity) look at a document's first N words only"
    )
    perplexity: bool = Field(
        True, description="score q_perplexity with each lang_tag's language model (false: the column is null)"
    )
    perplexity_models: str | None = Field(
        None, description="directory of <lang_tag>.bin perplexity models (default: the ones shipped in the package)"
    )

    @field_validator("perplexity_models")
    @classmethod
    def _has_models(cls, value: str | None) -> str | None:
        if value is not None:
            perplexity.model_paths(value)  # a wrong directory fails when the pipeline is planned
        return value


@register
class QualitySignals(Stage):
    """Compute the q_* quality signals (words, stop words, lines, repetition, C4 notices, perplexity)."""

    name = "quality.signals.v1"
    Config = SignalsConfig
    reads = (schema.TEXT,)
    writes = signals.RULE_SIGNAL_NAMES
    reason_family = "quality"
    config: SignalsConfig

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._scorer: perplexity.PerplexityScorer | None = None  # loaded by setup(), when perplexity is on

    def setup(self) -> None:
        if self.config.perplexity:
            cfg = self.config
            self._scorer = perplexity.PerplexityScorer(cfg.perplexity_models, max_words=cfg.max_ngram_words)

    def process_batch(self, table: pa.Table) -> pa.Table:
        if self.config.perplexity and self._scorer is None:
            self.setup()
        tags = _row_tags(table, self.config.lang)
        texts = table.column(schema.TEXT)
        # Mixed pages: each paragraph's words and stop words in its own language (langid.iberian.v1).
        segments = (
            table.column(schema.LANG_SEGMENTS).to_pylist() if schema.LANG_SEGMENTS in table.column_names else None
        )
        # The perplexity models read the words the signals split, rather than split each text again.
        lm_tags = self._scorer.models.keys() if self._scorer is not None else ()
        measured = signals.measure(
            texts, tags, max_ngram_words=self.config.max_ngram_words, segments=segments, lm_tags=lm_tags
        )
        columns = measured.columns
        columns[perplexity.SIGNAL] = (
            self._scorer.column(texts, tags, tokens=measured.tokens, ready=measured.lm_ready)
            if self._scorer is not None
            else perplexity.null_column(table.num_rows)
        )
        return schema.put_columns(table, columns)


class FilterConfig(StageConfig):
    thresholds_dir: str | None = Field(
        None,
        description="a project's directory of <lang_tag>.toml files; languages and keys it lacks fall back to "
        "the shipped ones (`corpusforge quality thresholds init DIR` copies them); default: the shipped files",
    )
    lang: str | None = Field(None, description="lang_tag assumed for rows without one (else default.toml applies)")
    skip_rules: list[str] = Field(
        default_factory=list, description="rule names not to apply, e.g. ['max_digit_ratio'] for a sports corpus"
    )

    @field_validator("thresholds_dir")
    @classmethod
    def _loads(cls, value: str | None) -> str | None:
        rules.load_dir(value)  # a malformed file fails when the pipeline is planned, not mid-run
        # Absolute: workers (Ray) need not share the driver's working directory.
        return None if value is None else os.path.abspath(value)

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

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._sets: dict[str, rules.Thresholds] | None = None  # loaded by setup()

    @classmethod
    def effective(cls, config: FilterConfig) -> dict[str, rules.Thresholds]:
        """The thresholds this config applies: shipped, overridden by `thresholds_dir`, less `skip_rules`."""
        return rules.without(rules.load_dir(config.thresholds_dir), set(config.skip_rules))

    @classmethod
    def data_versions(cls, config: StageConfig) -> dict[str, str]:
        """The hash of the effective thresholds (shipped values overridden by a project's directory, less
        skip_rules; values and order, not comments): a run whose thresholds changed is another
        configuration, and the dataset card's thresholds hash covers them."""
        assert isinstance(config, FilterConfig)
        return {"thresholds": rules.thresholds_hash(cls.effective(config))}

    def setup(self) -> None:
        self._sets = self.effective(self.config)

    def decide(self, table: pa.Table) -> list[str | None]:
        if self._sets is None:
            self.setup()
        assert self._sets is not None
        columns = {
            name: np.nan_to_num(table.column(name).to_numpy(zero_copy_only=False).astype(np.float64), nan=0.0)
            for name in signals.SIGNAL_NAMES
        }
        # Model signals stay NaN where null (no model for the lang_tag, or not computed): NaN
        # fails no rule. They are optional columns, so older signal outputs still filter.
        for sig in signals.MODEL_SIGNALS:
            columns[sig.name] = (
                table.column(sig.name).to_numpy(zero_copy_only=False).astype(np.float64)
                if sig.name in table.column_names
                else np.full(table.num_rows, np.nan)
            )
        return rules.decide(columns, _row_tags(table, self.config.lang), self._sets)
