"""`datatrove.filter.v1` and `datatrove.extract.v1`: datatrove's filters and extractor as pipeline stages.

A team coming from datatrove keeps the filters it trusts. Rows become `datatrove.data.Document`s
(`text`, `id`, and the row's url, domain, lang and lang_tag in `metadata`); a filter's verdict comes
back as a rejection whose reason is datatrove's own (`datatrove:gopher_short_doc`), or the filter's
short name when it gives none. The filter is named from a fixed table, never by a dotted class path,
and its keyword arguments are checked against its signature when the pipeline is planned:

    [[node]]
    id = "gopher"
    stage = "datatrove.filter.v1"
    inputs = ["langfilter"]
    params = { filter = "gopher_quality", args = { min_doc_words = 50 } }

Languages: datatrove's filters split words with spaCy (an extra dependency) or, for Galician, Stanza
models that download at run time. Unless `args` sets `language` (a datatrove language code, which then
needs those), each document gets corpusforge's word splitter for its `lang_tag`
(the Catalan apostrophe and clitic rules, Basque suffixes; see corpusforge/quality/tokenise.py), and
`gopher_quality` gets that language's stop words instead of its English default. Left out of the
table: filters that download at run time (language, c4_badwords, fasttext, unigram_log_probs, url)
and the random sampler (a stage is deterministic). datatrove is an optional extra:
`pip install 'corpusforge[datatrove]'`; without it, `corpusforge plan` names the node and field.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar, Literal

import pyarrow as pa
from pydantic import Field, field_validator, model_validator

from corpusforge import schema
from corpusforge.extract.html import Extracted
from corpusforge.quality import tokenise
from corpusforge.registry import register
from corpusforge.stage import Filter, Resources, StageConfig
from corpusforge.stages.extract import ExtractConfig, ExtractStage

# short name -> (datatrove module, class). The only way a pipeline file names a datatrove step.
FILTERS: dict[str, tuple[str, str]] = {
    "gopher_quality": ("datatrove.pipeline.filters.gopher_quality_filter", "GopherQualityFilter"),
    "gopher_repetition": ("datatrove.pipeline.filters.gopher_repetition_filter", "GopherRepetitionFilter"),
    "c4_quality": ("datatrove.pipeline.filters.c4_filters", "C4QualityFilter"),
    "c4_paragraph": ("datatrove.pipeline.filters.c4_filters", "C4ParagraphFilter"),
    "fineweb_quality": ("datatrove.pipeline.filters.fineweb_quality_filter", "FineWebQualityFilter"),
    "regex": ("datatrove.pipeline.filters.regex_filter", "RegexFilter"),
}
EXTRACTORS: dict[str, tuple[str, str]] = {
    "trafilatura": ("datatrove.pipeline.extractors.trafilatura", "Trafilatura"),
}
# Arguments the adapter owns: rejected rows go to rejected/, the time-out is the stage's.
RESERVED_ARGS = {"exclusion_writer", "timeout"}
METADATA_COLUMNS = (schema.URL, schema.DOMAIN, schema.LANG, schema.LANG_TAG, schema.SOURCE)
INSTALL_HINT = "datatrove is not installed: pip install 'corpusforge[datatrove]'"


def _load(table: dict[str, tuple[str, str]], name: str) -> type:
    module, cls = table[name]
    try:
        return getattr(importlib.import_module(module), cls)
    except ImportError:
        raise ValueError(INSTALL_HINT) from None


def _check_args(cls: type, args: dict[str, Any]) -> None:
    for key in sorted(RESERVED_ARGS & set(args)):
        raise ValueError(f"{key!r} is set by corpusforge (rejected rows go to rejected/; the time-out is timeout_s)")
    params = inspect.signature(cls).parameters
    if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
        unknown = sorted(set(args) - set(params))
        if unknown:
            allowed = sorted(set(params) - RESERVED_ARGS)
            raise ValueError(f"{cls.__name__} has no argument {unknown[0]!r}; it takes: {', '.join(allowed)}")


class DatatroveFilterConfig(StageConfig):
    filter: Literal[tuple(FILTERS)] = Field(description="datatrove filter, by short name")  # type: ignore[valid-type]
    args: dict[str, Any] = Field(default_factory=dict, description="its keyword arguments, as in datatrove")

    @field_validator("filter")
    @classmethod
    def _installed(cls, name: str) -> str:
        _load(FILTERS, name)
        return name

    @model_validator(mode="after")
    def _known_args(self) -> DatatroveFilterConfig:
        try:
            _check_args(_load(FILTERS, self.filter), self.args)
        except ValueError as exc:
            raise ValueError(f"args: {exc}") from None
        return self


@register
class DatatroveFilter(Filter):
    """A datatrove filter (Gopher, C4, FineWeb quality, regex) deciding on each document."""

    name = "datatrove.filter.v1"
    Config = DatatroveFilterConfig
    reads = (schema.TEXT,)
    reason_family = "datatrove"
    resources = Resources(cpus=1.0)
    config: DatatroveFilterConfig

    def __init__(self, config: DatatroveFilterConfig | None = None) -> None:
        super().__init__(config)
        self._by_lang: dict[str, Any] = {}

    def _filter_for(self, lang_tag: str) -> Any:
        """One datatrove filter per language: its word splitter (and stop words) depend on it."""
        step = self._by_lang.get(lang_tag)
        if step is None:
            cls = _load(FILTERS, self.config.filter)
            args = dict(self.config.args)
            params = inspect.signature(cls).parameters
            if "language" in params and "language" not in args:
                args["language"] = word_tokenizer(tokenise.base_language(lang_tag) or "es")
                stop_words = tokenise.stopwords(lang_tag)
                if "stop_words" in params and "stop_words" not in args and stop_words:
                    args["stop_words"] = sorted(stop_words)
            step = self._by_lang[lang_tag] = cls(**args)
        return step

    def decide(self, table: pa.Table) -> Sequence[str | None]:
        docs = to_documents(table)
        tags = _lang_tags(table)
        out: list[str | None] = []
        for doc, tag in zip(docs, tags, strict=True):
            result = self._filter_for(tag).filter(doc)
            keep, reason = result if isinstance(result, tuple) else (result, None)
            out.append(None if keep else (reason or self.config.filter))
        return out


class DatatroveExtractConfig(ExtractConfig):
    extractor: Literal[tuple(EXTRACTORS)] = Field("trafilatura", description="datatrove extractor, by short name")  # type: ignore[valid-type]
    args: dict[str, Any] = Field(default_factory=dict, description="its keyword arguments (favour_precision, ...)")

    @field_validator("extractor")
    @classmethod
    def _installed(cls, name: str) -> str:
        _load(EXTRACTORS, name)
        return name

    @model_validator(mode="after")
    def _known_args(self) -> DatatroveExtractConfig:
        try:
            _check_args(_load(EXTRACTORS, self.extractor), self.args)
        except ValueError as exc:
            raise ValueError(f"args: {exc}") from None
        return self


@register
class DatatroveExtract(ExtractStage):
    """datatrove's extractor (HTML -> text) with corpusforge's time-out and rejection reasons."""

    name = "datatrove.extract.v1"
    Config: ClassVar[type[StageConfig]] = DatatroveExtractConfig
    config: DatatroveExtractConfig

    def __init__(self, config: DatatroveExtractConfig | None = None) -> None:
        super().__init__(config)
        self._extractor: Any = None

    def setup(self) -> None:
        self._extractor = _load(EXTRACTORS, self.config.extractor)(**self.config.args)

    def extract_one(self, page: str | bytes, url: str | None) -> Extracted:
        if self._extractor is None:
            self.setup()
        html = page.decode("utf-8", "replace") if isinstance(page, bytes) else page
        # datatrove's extractors return the text only; the head's title and lang are not read here.
        return Extracted(text=self._extractor.extract(html) or "", title=None, date=None, html_lang=None)


# -- conversion ----------------------------------------------------------------------------------
def to_documents(table: pa.Table) -> list[Any]:
    """datatrove `Document`s of a table's rows: text, id, and the columns datatrove filters read."""
    from datatrove.data import Document

    texts = table.column(schema.TEXT).to_pylist()
    ids = table.column(schema.ID).to_pylist() if schema.ID in table.column_names else list(map(str, range(len(texts))))
    meta_cols = {c: table.column(c).to_pylist() for c in METADATA_COLUMNS if c in table.column_names}
    return [
        Document(text=t or "", id=str(i), metadata={c: v[n] for c, v in meta_cols.items()})
        for n, (t, i) in enumerate(zip(texts, ids, strict=True))
    ]


def _lang_tags(table: pa.Table) -> list[str]:
    for column in (schema.LANG_TAG, schema.LANG):
        if column in table.column_names:
            return [t or "" for t in table.column(column).to_pylist()]
    return [""] * table.num_rows


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


@cache
def word_tokenizer(lang: str) -> Any:
    """A datatrove `WordTokenizer` over corpusforge's word splitter for `lang` (no model to download)."""
    from datatrove.utils.word_tokenizers import WordTokenizer

    class CorpusforgeWords(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return tokenise.split_words(text, lang)

        def sent_tokenize(self, text: str) -> list[str]:
            return [s for s in (p.strip() for p in _SENTENCE_END.split(text)) if s]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            spans, start = [], 0
            for match in _SENTENCE_END.finditer(text):
                spans.append((start, match.start()))
                start = match.end()
            return spans + ([(start, len(text))] if start < len(text) else [])

    return CorpusforgeWords(lang)
