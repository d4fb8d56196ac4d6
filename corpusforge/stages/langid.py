"""`langid.iberian.v1` (identify) and `langid.filter.v1` (keep the configured languages).

`langid.iberian.v1` adds `lang` (ISO 639-1 where one exists), `lang_tag` (BCP-47 with the
variety: `ca-valencia`), `lang_score` (calibrated), `lang_other` (P(a language outside the
model's set)), `lang_mix` (tag -> share of characters over the document's paragraphs, Arrow
map<string, float32>), `lang_codeswitch` (a second language holds at least `codeswitch_share`
of the characters) and `lang_segments` (each paragraph's offsets into `text` and its
language). The document's language is the whole-text decision when the paragraphs' dominant
language agrees with it, else the dominant one (a page half Catalan, half Spanish is not
"Spanish" because fastText read its first 4,000 characters that way). The model loads once
per worker in `setup()`. Cost: ~0.1 ms per short document: each text is normalised once and
one batched scoring serves the documents and all their paragraphs (fastText's answer
from remembered per-word sums, `language_id/linear.py`).

`langid.filter.v1` applies a policy to mixed pages (`policy`): judge the dominant language
(default), keep a page whose target-language share passes `min_share`, or split a page with
two or more languages of at least `split_min_chars` characters into per-language documents
(`langsplit.py`), each judged like a document and carrying `parent_id`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import pyarrow as pa
from pydantic import Field

from corpusforge import schema
from corpusforge.registry import register
from corpusforge.stage import Filter, Resources, Stage, StageConfig
from corpusforge.stages import langsplit

_MIX_TYPE = schema.TYPES[schema.LANG_MIX]
_SEGMENTS_TYPE = schema.TYPES[schema.LANG_SEGMENTS]


class IberianConfig(StageConfig):
    model: str | None = Field(None, description="path of a .ftz model; default: the model shipped in language_id")
    und_below: float | None = Field(
        None, ge=0.0, le=1.0, description="calibrated score under which lang is 'und' (default: the model's)"
    )
    other_above: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="out-of-set probability at or above which lang is 'und' (default: the model's threshold)",
    )
    codeswitch_share: float = Field(
        0.2, gt=0.0, le=0.5, description="share of characters a second language needs to flag code-switching"
    )
    min_segment_chars: int = Field(
        20, ge=1, description="paragraphs shorter than this are joined to the next before identification"
    )
    max_segments: int = Field(200, ge=1, description="paragraphs identified per document at most (for lang_mix)")


@register
class IberianLanguageId(Stage):
    """Language, variety and calibrated score per document, with paragraph-level shares."""

    name = "langid.iberian.v1"
    Config = IberianConfig
    reads = (schema.TEXT,)
    writes = schema.LANG_COLUMNS
    resources = Resources(cpus=1.0, memory_gb=0.4)  # models, and up to ~100 MB of remembered words
    reason_family = "lang"
    config: IberianConfig

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._ident: Any = None

    def setup(self) -> None:
        from language_id import Identifier

        self._ident = Identifier(
            self.config.model,
            und_below=self.config.und_below,
            other_above=self.config.other_above,
            codeswitch_share=self.config.codeswitch_share,
            min_segment_chars=self.config.min_segment_chars,
        )

    def process_batch(self, table: pa.Table) -> pa.Table:
        if self._ident is None:
            self.setup()
        texts = table.column(schema.TEXT).to_pylist()
        identified = self._ident.identify(texts, max_segments=self.config.max_segments)
        mixes = [mix for _, mix in identified]
        langs, tags, scores, others = [], [], [], []
        for pred, mix in identified:
            if mix.segments and _language(mix.dominant) != pred.lang:
                langs.append(_language(mix.dominant))
                tags.append(mix.dominant)
                scores.append(mix.dominant_score)
                others.append(mix.dominant_other)
            else:
                langs.append(pred.lang)
                tags.append(pred.tag)
                scores.append(pred.score)
                others.append(pred.other)
        columns = {
            schema.LANG: pa.array(langs, pa.string()),
            schema.LANG_TAG: pa.array(tags, pa.string()),
            schema.LANG_SCORE: pa.array(scores, pa.float32()),
            schema.LANG_OTHER: pa.array(others, pa.float32()),
            schema.LANG_MIX: pa.array([list(m.shares.items()) for m in mixes], _MIX_TYPE),
            schema.LANG_CODESWITCH: pa.array([m.codeswitch for m in mixes], pa.bool_()),
            schema.LANG_SEGMENTS: pa.array(
                [
                    [
                        {
                            "start": g.start,
                            "end": g.end,
                            "lang": g.lang,
                            "tag": g.tag,
                            "score": g.score,
                            "other": g.other,
                        }
                        for g in m.segments
                    ]
                    for m in mixes
                ],
                _SEGMENTS_TYPE,
            ),
        }
        return schema.put_columns(table, columns)


def _language(tag: str) -> str:
    return "ca" if tag == "ca-valencia" else tag


DEFAULT_KEEP = ("es", "ca", "ca-valencia", "eu", "gl")


class LanguageFilterConfig(StageConfig):
    keep: list[str] = Field(default_factory=lambda: list(DEFAULT_KEEP), description="lang_tag values to keep")
    min_score: dict[str, float] = Field(
        default_factory=dict, description="minimum lang_score per tag, e.g. {gl = 0.7}; others use default_min_score"
    )
    default_min_score: float = Field(0.5, ge=0.0, le=1.0, description="minimum lang_score for tags not in min_score")
    other_above: float = Field(
        0.5, ge=0.0, le=1.0, description="an 'und' document with lang_other at or above this is rejected as lang:other"
    )
    policy: Literal["dominant", "share", "split"] = Field(
        "dominant",
        description="mixed pages: 'dominant' judges lang_tag; 'share' keeps a page whose kept tags hold at least "
        "min_share of the characters; 'split' makes one document per language (parent_id, id '<parent>#<lang>')",
    )
    min_share: float = Field(0.5, gt=0.0, le=1.0, description="policy 'share': share of characters in kept tags")
    split_min_chars: int = Field(
        200, ge=1, description="policy 'split': characters a language needs to become its own document"
    )


@register
class LanguageFilter(Filter):
    """Keep documents whose `lang_tag` is configured and whose score is high enough.

    Rejects with `lang:<tag>` (another language), `lang:other` (a language outside the model's
    set or another script), `lang:und` (nothing to identify), `lang:low_score` (a kept language
    below its minimum score) or, with policy "share", `lang:low_share`. With policy "split" the
    stage returns more rows than it got: the runtime counts the pages split (`split`) and the
    documents made (`split_into`), so `in - split + split_into = kept + rejected + errors`.
    """

    name = "langid.filter.v1"
    Config = LanguageFilterConfig
    reads = (schema.LANG_TAG, schema.LANG_SCORE)
    reason_family = "lang"
    config: LanguageFilterConfig

    @classmethod
    def declared_reads(cls, config: StageConfig) -> tuple[str, ...]:
        policy = getattr(config, "policy", "dominant")
        if policy == "share":
            return (*cls.reads, schema.LANG_MIX)
        if policy == "split":
            return (*cls.reads, schema.TEXT, schema.LANG_SEGMENTS)
        return cls.reads

    @classmethod
    def declared_writes(cls, config: StageConfig) -> tuple[str, ...]:
        return (schema.PARENT_ID,) if getattr(config, "policy", "dominant") == "split" else ()

    def splits(self) -> bool:
        return self.config.policy == "split"

    def process_batch(self, table: pa.Table) -> pa.Table:
        if self.splits():
            table = langsplit.split_pages(table, min_chars=self.config.split_min_chars)
        return super().process_batch(table)

    def decide(self, table: pa.Table) -> Sequence[str | None]:
        keep = set(self.config.keep)
        mins = self.config.min_score
        default = self.config.default_min_score
        tags = table.column(schema.LANG_TAG).to_pylist()
        scores = table.column(schema.LANG_SCORE).to_pylist()
        n = table.num_rows
        others = table.column(schema.LANG_OTHER).to_pylist() if schema.LANG_OTHER in table.column_names else [0.0] * n
        mixes = table.column(schema.LANG_MIX).to_pylist() if self.config.policy == "share" else [None] * n
        out: list[str | None] = []
        for tag, score, other, mix in zip(tags, scores, others, mixes, strict=True):
            if mix is not None:
                out.append(self._by_share(tag, dict(mix)))
            elif tag is None or tag not in keep:
                out.append(
                    "other" if tag in (None, "und") and (other or 0.0) >= self.config.other_above else tag or "und"
                )
            elif (score or 0.0) < mins.get(tag, default):
                out.append("low_score")
            else:
                out.append(None)
        return out

    def _by_share(self, tag: str | None, mix: dict[str, float]) -> str | None:
        share = sum(v for k, v in mix.items() if k in self.config.keep)
        if share >= self.config.min_share:
            return None
        return "low_share" if mix else (tag or "und")
