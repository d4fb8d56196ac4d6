"""`url.filter.v1`: drop documents from blocked domains or URLs, and record a TLD hint.

Reasons: `url:blocked_domain`, `url:blocked_url`, `url:blocked_word`, `url:soft_blocked_words`,
`url:blocked_subword` (see `corpusforge.urlfilter.matcher`). `allow_domains` overrides every
list. The lists are declared inputs (`corpusforge.urlfilter.sources`): the UT1 lists unless
`ut1_lists = false`, and any `domain_files` / `word_files`; a missing one fails at plan time, and
`data_versions` gives the version and SHA-256 of each to the plan hash and the manifest.

Reads `url` (and `robots` with `respect_ai_optout`): the WARC sources write them; ingest.jsonl.v1
and ingest.parquet.v1 declare them in `columns`. Rows whose URL is null are kept. `url_tld_hint` is "es", "cat", "eus", "gal" or null,
a hint for language ID (a .eus page is likely Basque) that costs nothing to keep.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import AliasChoices, Field, field_validator

from corpusforge import schema
from corpusforge.registry import register
from corpusforge.stage import Filter, StageConfig, with_drop_reasons
from corpusforge.urlfilter import UrlFilter, host_of, sources, tld_hint
from corpusforge.urlfilter.optout import ai_optout_reasons

URL_TLD_HINT = "url_tld_hint"


class UrlFilterConfig(StageConfig):
    ut1_lists: bool = Field(
        True,
        validate_default=True,  # the default asks for the lists too: check they are installed
        # The name before the lists became a dependency; it now means the same: use them, or fail.
        validation_alias=AliasChoices("ut1_lists", "use_datatrove_lists"),
        description="use the UT1 domain/URL blacklists and datatrove's word lists (shipped by the datatrove "
        "package, a dependency); the plan fails when they are not installed",
    )
    domain_files: list[str] = Field(
        default_factory=list, description="files of domains to block (and subdomains), one a line, # comments"
    )
    word_files: list[str] = Field(default_factory=list, description="files of whole URL words to block, one a line")
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

    # A list the plan names must exist when it is planned, not when a worker first needs it; pydantic
    # reports ValueErrors with the field, which the planner turns into file, node and field.
    @field_validator("ut1_lists")
    @classmethod
    def _ut1_installed(cls, value: bool) -> bool:
        try:
            if value:
                sources.ut1_assets()
        except sources.ListMissing as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("domain_files", "word_files")
    @classmethod
    def _files_exist(cls, paths: list[str]) -> list[str]:
        try:
            sources.check_files(paths)
        except sources.ListMissing as exc:
            raise ValueError(str(exc)) from None
        return paths


def _urls(table: pa.Table) -> list[str | None]:
    if schema.URL not in table.column_names:
        return [None] * table.num_rows
    return table.column(schema.URL).cast(pa.string()).to_pylist()


@register
class UrlFilterStage(Filter):
    """Block adult/spam domains and URL words with a reason per match; add url_tld_hint."""

    name = "url.filter.v1"
    Config = UrlFilterConfig
    reads = (schema.URL,)
    writes = (URL_TLD_HINT,)
    reason_family = "url"
    config: UrlFilterConfig

    def __init__(self, config: StageConfig | None = None) -> None:
        super().__init__(config)
        self._lists: UrlFilter | None = None  # loaded by setup()

    @classmethod
    def declared_reads(cls, config: StageConfig) -> tuple[str, ...]:
        return (*cls.reads, schema.ROBOTS) if getattr(config, "respect_ai_optout", False) else cls.reads

    @classmethod
    def data_versions(cls, config: StageConfig) -> dict[str, str]:
        assert isinstance(config, UrlFilterConfig)
        return sources.versions(
            ut1=config.ut1_lists, domain_files=tuple(config.domain_files), word_files=tuple(config.word_files)
        )

    def setup(self) -> None:
        cfg = self.config
        self._lists = UrlFilter.load(
            ut1=cfg.ut1_lists,
            domain_files=cfg.domain_files,
            word_files=cfg.word_files,
            extra_domains=cfg.block_domains,
            extra_words=cfg.block_words,
            allow_domains=cfg.allow_domains,
            soft_word_threshold=cfg.soft_word_threshold,
        )

    def decide(self, table: pa.Table) -> list[str | None]:
        return self._reasons(table, hosts=None)

    def _reasons(self, table: pa.Table, *, hosts: list[str] | None) -> list[str | None]:
        if self._lists is None:
            self.setup()
        assert self._lists is not None
        reasons = self._lists.check_many(_urls(table), hosts=hosts)
        if self.config.respect_ai_optout:
            reasons = ai_optout_reasons(table, reasons)
        return reasons

    def process_batch(self, table: pa.Table) -> pa.Table:
        urls = _urls(table)
        hosts = [host_of(u) for u in urls]  # parsed once, for the hint and the lists
        if URL_TLD_HINT in table.column_names:
            table = table.drop_columns([URL_TLD_HINT])
        table = table.append_column(URL_TLD_HINT, pa.array([tld_hint(h) for h in hosts], pa.string()))
        decided = self._reasons(table, hosts=hosts)
        return with_drop_reasons(table, pa.array([None if d is None else self.reject(d) for d in decided], pa.string()))
