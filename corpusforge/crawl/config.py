"""The crawl config: a TOML file validated into a frozen pydantic model.

Example (`corpusforge crawl crawl.toml`):

    [crawl]
    name = "gal-news"
    output = "runs/crawl/gal-news"          # frontier, WARC files and stats go here
    seeds = ["https://www.example.gal/"]
    sitemaps = ["https://www.example.gal/sitemap.xml"]

    [identity]
    user_agent = "corpusforge"
    contact_url = "https://example.org/corpusforge-crawler"

    [scope]
    tlds = ["gal", "eus", "cat", "es"]
    max_depth = 3
    max_pages_per_host = 500

    [politeness]
    delay_s = 1.0

    [focus]
    languages = ["gl"]
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Identity(_Frozen):
    user_agent: str = Field(default="corpusforge", min_length=1, description="product token sent in User-Agent")
    contact_url: str = Field(
        min_length=1, description="URL where site owners learn about the crawl and how to reach its operators"
    )

    @property
    def header(self) -> str:
        """The User-Agent header: names the project and the contact URL."""
        return f"{self.user_agent}/0.1 (+{self.contact_url})"


class Scope(_Frozen):
    domains: list[str] = Field(
        default_factory=list, description="hosts allowed, with their subdomains; empty = the seeds' hosts"
    )
    tlds: list[str] = Field(default_factory=list, description="top-level domains allowed (e.g. cat, eus, gal, es)")
    allow_paths: list[str] = Field(default_factory=list, description="regexes; when given, a path must match one")
    deny_paths: list[str] = Field(default_factory=list, description="regexes; a path matching one is out of scope")
    max_depth: int = Field(default=3, ge=0, description="link hops from a seed (redirects do not count)")
    max_pages_per_host: int = Field(default=1000, gt=0, description="fetches per host, errors included")
    max_pages: int = Field(
        default=100_000, gt=0, description="fetches in total (all runs together), split evenly across partitions"
    )


class Politeness(_Frozen):
    delay_s: float = Field(default=1.0, ge=0, description="pause between two requests to the same host")
    max_crawl_delay_s: float = Field(default=30.0, ge=0, description="cap on a robots.txt Crawl-delay")
    per_host_concurrency: int = Field(default=1, ge=1, description="requests in flight per host")
    concurrency: int = Field(default=8, ge=1, description="requests in flight in total")
    respect_robots: bool = Field(default=True, description="obey robots.txt (disable only for your own sites)")
    robots_max_age_s: float = Field(
        default=86_400.0, gt=0, description="fetch a host's robots.txt again after this long (RFC 9309: 24 h)"
    )


class Limits(_Frozen):
    connect_timeout_s: float = Field(default=5.0, gt=0)
    read_timeout_s: float = Field(
        default=15.0, gt=0, description="per read; a slow page ends as `timeout` after retries"
    )
    total_timeout_s: float = Field(default=60.0, gt=0, description="wall time for one download")
    max_bytes: int = Field(default=5_000_000, gt=0, description="a larger body is abandoned (outcome `too_large`)")
    content_types: list[str] = Field(
        default_factory=lambda: ["text/html", "application/xhtml+xml", "text/plain"],
        description="accepted media types; others end as `content_type` without a download",
    )
    max_redirects: int = Field(default=5, ge=0, description="redirect hops followed from one URL")
    max_retries: int = Field(default=3, ge=0, description="retries on 429, 5xx and connection errors")
    backoff_base_s: float = Field(default=1.0, gt=0, description="first retry waits this long, then doubles")
    backoff_max_s: float = Field(default=300.0, gt=0)


class Focus(_Frozen):
    languages: list[str] = Field(
        default_factory=list, description="target lang or lang_tag values (es, ca, ca-valencia, eu, gl); empty = off"
    )
    min_score: float = Field(
        default=0.5, ge=0, le=1, description="identifier score needed to count a page as on target"
    )
    on_target_boost: int = Field(default=10, description="priority added to links found on an on-target page")


class WarcOutput(_Frozen):
    max_bytes: int = Field(default=1_000_000_000, gt=0, description="rotate the WARC file beyond this size")
    prefix: str = Field(default="crawl", min_length=1, description="WARC file name prefix")


class CrawlConfig(_Frozen):
    name: str = Field(default="crawl", min_length=1)
    output: str = Field(min_length=1, description="local directory for frontier, WARC files and stats")
    seeds: list[str] = Field(default_factory=list, description="start URLs (malformed ones are counted and skipped)")
    sitemaps: list[str] = Field(default_factory=list, description="sitemap or sitemap-index URLs")
    partitions: int = Field(default=1, ge=1, description="host partitions (one worker each); a host lives in one")
    identity: Identity
    scope: Scope = Field(default_factory=lambda: Scope())
    politeness: Politeness = Field(default_factory=lambda: Politeness())
    limits: Limits = Field(default_factory=lambda: Limits())
    focus: Focus = Field(default_factory=lambda: Focus())
    warc: WarcOutput = Field(default_factory=lambda: WarcOutput())


class CrawlConfigError(ValueError):
    """A crawl config that cannot run; the message names the file and the field."""


def load(path: str | Path, *, output: str | None = None) -> CrawlConfig:
    """Read a crawl TOML: `[crawl]` holds the top-level keys, other tables the sections."""
    file = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CrawlConfigError(f"{file}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise CrawlConfigError(f"{file}: not valid TOML: {exc}") from None
    flat = dict(raw.pop("crawl", {}))
    sections = {"identity", "scope", "politeness", "limits", "focus", "warc"}
    for key in set(raw) - sections:
        raise CrawlConfigError(f"{file}: unknown table [{key}] (allowed: crawl, {', '.join(sorted(sections))})")
    for key in sections & set(raw):
        flat[key] = raw[key]
    if output is not None:
        flat["output"] = output
    return from_dict(flat, file=file)


def from_dict(raw: dict[str, object], *, file: str = "<crawl>") -> CrawlConfig:
    try:
        return CrawlConfig.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        raise CrawlConfigError(f"{file}: field {loc!r}: {err['msg']}") from None
