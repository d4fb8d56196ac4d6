"""HTML -> main text: `extract.resiliparse.v2` (fast and clean, the shipped default),
`extract.trafilatura.v1` (precise, ~10x slower) and `extract.resiliparse.v1` (fastest, more boilerplate).

Both write `text`, `title`, `date`, `html_lang` and drop the `html` column unless
`keep_html = true`, so downstream shards stay small. A page that yields no text is rejected
as `extract:no_text`, one shorter than `min_chars` as `extract:too_short`; a page over the
per-document time-out is counted as `error:timeout`, an extractor crash as
`error:extract_failed`. See `corpusforge.extract.timeout` for how the time-out works.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

import pyarrow as pa
from pydantic import Field

from corpusforge import schema
from corpusforge.extract.html import Extracted, pruned_extract, resiliparse_extract, trafilatura_extract
from corpusforge.extract.timeout import DocumentTimeout, Limiter
from corpusforge.registry import register
from corpusforge.stage import Stage, StageConfig, with_drop_reasons

OUT_COLUMNS = (schema.TEXT, schema.TITLE, schema.DATE, schema.HTML_LANG)


class ExtractConfig(StageConfig):
    min_chars: int = Field(50, ge=0, description="texts shorter than this are rejected as extract:too_short")
    timeout_s: float = Field(5.0, ge=0, description="per-document time-out in seconds (0: none) -> error:timeout")
    keep_html: bool = Field(False, description="keep the raw `html` column in the output")


class TrafilaturaConfig(ExtractConfig):
    favor_precision: bool = Field(
        True, description="trafilatura's precision mode: less boilerplate, a little less text"
    )
    full_metadata: bool = Field(
        False, description="title and date from trafilatura/htmldate (slower) instead of the page head"
    )


class PrunedConfig(ExtractConfig):
    fallback: bool = Field(
        True,
        description="trafilatura for the pages where resiliparse finds (almost) no main text on a page full of text",
    )


class ExtractStage(Stage):
    reads = (schema.HTML,)
    writes = OUT_COLUMNS
    reason_family = "extract"
    config: ExtractConfig

    def __init__(self, config: ExtractConfig | None = None) -> None:
        super().__init__(config)
        self._limiter = Limiter(self.config.timeout_s)

    def extract_one(self, page: str | bytes, url: str | None) -> Extracted:
        raise NotImplementedError

    def _one(self, page: str | bytes | None, url: str | None) -> tuple[Extracted | None, str | None]:
        if not page:
            return None, self.reject("no_text")
        try:
            result = self._limiter.call(lambda: self.extract_one(page, url))
        except DocumentTimeout:
            return None, schema.reason(schema.ERROR_FAMILY, "timeout")
        except Exception:  # a parser crash on one page must not cost the batch
            return None, schema.reason(schema.ERROR_FAMILY, "extract_failed")
        if not result.text.strip():
            return result, self.reject("no_text")
        if len(result.text) < self.config.min_chars:
            return result, self.reject("too_short")
        return result, None

    def process_batch(self, table: pa.Table) -> pa.Table:
        pages = table.column(schema.HTML).to_pylist()
        urls = table.column(schema.URL).to_pylist() if schema.URL in table.column_names else [None] * len(pages)
        one = self._one
        results = [one(p, u) for p, u in zip(pages, urls, strict=True)]
        fields: dict[str, Callable[[Extracted], str | None]] = {
            schema.TEXT: lambda e: e.text,
            schema.TITLE: lambda e: e.title,
            schema.DATE: lambda e: e.date,
            schema.HTML_LANG: lambda e: e.html_lang,
        }
        out = table.drop_columns([c for c in OUT_COLUMNS if c in table.column_names])
        if not self.config.keep_html:
            out = out.drop_columns([schema.HTML])
        for col, get in fields.items():
            out = out.append_column(col, pa.array([get(e) if e else None for e, _ in results], pa.string()))
        return with_drop_reasons(out, pa.array([r for _, r in results], pa.string()))


@register
class TrafilaturaExtract(ExtractStage):
    """Main text with trafilatura: precise boilerplate removal (menus, banners, footers, comments)."""

    name = "extract.trafilatura.v1"
    Config: ClassVar[type[StageConfig]] = TrafilaturaConfig
    config: TrafilaturaConfig

    def extract_one(self, page: str | bytes, url: str | None) -> Extracted:
        assert isinstance(page, str)
        return trafilatura_extract(
            page, url=url, favor_precision=self.config.favor_precision, full_metadata=self.config.full_metadata
        )


@register
class ResiliparseExtract(ExtractStage):
    """Main text with resiliparse: about 10x faster than trafilatura in our benchmark, somewhat more boilerplate."""

    name = "extract.resiliparse.v1"
    Config: ClassVar[type[StageConfig]] = ExtractConfig

    def extract_one(self, page: str | bytes, url: str | None) -> Extracted:
        return resiliparse_extract(page)


@register
class PrunedResiliparseExtract(ExtractStage):
    """Main text with resiliparse, boilerplate blocks and lines pruned, trafilatura where resiliparse misses the article.

    As clean as trafilatura on the gold pages at about a tenth of its cost (benchmarks/extract.py).
    """

    name = "extract.resiliparse.v2"
    Config: ClassVar[type[StageConfig]] = PrunedConfig
    config: PrunedConfig

    def extract_one(self, page: str | bytes, url: str | None) -> Extracted:
        return pruned_extract(page, url=url, fallback=self.config.fallback)[0]
