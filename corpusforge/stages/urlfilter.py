"""`url.filter.v1`: drop documents from blocked domains or URLs, and record a TLD hint.

Reasons: `url:blocked_domain`, `url:blocked_url`, `url:blocked_word`, `url:soft_blocked_words`,
`url:blocked_subword` (see `corpusforge.urlfilter.matcher`). `allow_domains` overrides every
list. Rows without a URL are kept. `reads` is empty on purpose: ingest.jsonl.v1 and
ingest.parquet.v1 pass a `url` column through without declaring it, so the stage uses `url`
when the batch has it and keeps every row (hint null) when it does not. `url_tld_hint` is "es", "cat", "eus", "gal" or null, a hint
for language ID (a .eus page is likely Basque) that costs nothing to keep.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field

from corpusforge import schema
from corpusforge.registry import register
from corpusforge.stage import Filter, StageConfig
from corpusforge.urlfilter import UrlFilter, host_of, tld_hint
from corpusforge.urlfilter.optout import ai_optout_reasons

URL_TLD_HINT = "url_tld_hint"


class UrlFilterConfig(StageConfig):
    use_datatrove_lists: bool = Field(
        True,
        description="also use the UT1 domain/URL blacklists and word lists datatrove ships, when datatrove is "
        "installed (it is a bench extra; without it only the project's small lists apply)",
    )
    block_domains: list[str] = Field(default_factory=list, description="extra domains to block (and subdomains)")
    block_words: list[str] = Field(default_factory=list, description="extra whole URL words to block")
    allow_domains: list[str] = Field(
        default_factory=list, description="domains never blocked (and their subdomains); override every list"
    )
    soft_word_threshold: int = Field(2, ge=1, description="soft-listed words in one URL that block it")
    respect_ai_optout: bool = Field(
        False,
        description="also drop pages whose robots signals at crawl time opt out of AI training (noai, "
        "tdm-reservation in the `robots` column) as url:ai_optout",
    )


def _urls(table: pa.Table) -> list[str | None]:
    if schema.URL not in table.column_names:
        return [None] * table.num_rows
    return table.column(schema.URL).cast(pa.string()).to_pylist()


@register
class UrlFilterStage(Filter):
    """Block adult/spam domains and URL words with a reason per match; add url_tld_hint."""

    name = "url.filter.v1"
    Config = UrlFilterConfig
    reads = ()
    writes = (URL_TLD_HINT,)
    reason_family = "url"
    config: UrlFilterConfig
    lists: UrlFilter

    def setup(self) -> None:
        cfg = self.config
        self.lists = UrlFilter.load(
            use_datatrove=cfg.use_datatrove_lists,
            extra_domains=cfg.block_domains,
            extra_words=cfg.block_words,
            allow_domains=cfg.allow_domains,
            soft_word_threshold=cfg.soft_word_threshold,
        )

    def decide(self, table: pa.Table) -> list[str | None]:
        if not hasattr(self, "lists"):
            self.setup()
        reasons = [self.lists.check(url) for url in _urls(table)]
        if self.config.respect_ai_optout:
            reasons = ai_optout_reasons(table, reasons)
        return reasons

    def process_batch(self, table: pa.Table) -> pa.Table:
        hints = pa.array([tld_hint(host_of(u)) for u in _urls(table)], pa.string())
        if URL_TLD_HINT in table.column_names:
            table = table.drop_columns([URL_TLD_HINT])
        return super().process_batch(table.append_column(URL_TLD_HINT, hints))
