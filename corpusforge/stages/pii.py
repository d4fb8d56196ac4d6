"""`pii.redact.v1`: replace validated PII with tokens in every column that can carry it, and count it.

Columns: `text`, `title`, `url` (part by part, so it stays a URL), `html` and `error_detail` when
present, or the `columns` param. `pii_<kind>` counts the identifiers found in the row over those
columns, `pii_redacted` the spans replaced. Rows are never dropped: PII is redacted, not a reason
to lose a document. With `dry_run = true` nothing is changed and only
`pii_<kind>` is written, to size the problem before redacting.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field, field_validator

from corpusforge import schema
from corpusforge.pii.detectors import KINDS
from corpusforge.pii.redact import DEFAULT_TOKENS
from corpusforge.pii.table import DEFAULT_COLUMNS, PII_REDACTED, scan_table
from corpusforge.registry import register
from corpusforge.stage import Stage, StageConfig

PII_COLUMNS: tuple[str, ...] = tuple(f"pii_{kind}" for kind in KINDS)


class PiiConfig(StageConfig):
    kinds: list[str] = Field(
        default_factory=lambda: list(KINDS), description=f"what to look for, among {', '.join(KINDS)}"
    )
    tokens: dict[str, str] = Field(
        default_factory=dict,
        description="replacement per kind, e.g. {dni = '[DNI]'}; default <EMAIL>, <PHONE>, <DNI>, <NIE>, <CIF>, "
        "<IBAN>, <CARD>, <IP>",
    )
    dry_run: bool = Field(False, description="only count (pii_* columns); leave every column unchanged")
    columns: list[str] = Field(
        default_factory=lambda: list(DEFAULT_COLUMNS),
        min_length=1,
        description="string columns to redact when present (url keeps its structure); add metadata columns "
        "here, e.g. ['text', 'title', 'url', 'html', 'error_detail', 'author']",
    )

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(KINDS))
        if unknown:
            raise ValueError(f"unknown PII kind(s) {unknown}; known: {', '.join(KINDS)}")
        return value

    @field_validator("tokens")
    @classmethod
    def _known_tokens(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(KINDS))
        if unknown:
            raise ValueError(f"tokens for unknown PII kind(s) {unknown}; known: {', '.join(KINDS)}")
        return value


@register
class PiiRedact(Stage):
    """Redact e-mails, Spanish phones, DNI/NIE/CIF, Spanish IBAN, cards and IPs (validated) in text, title, url."""

    name = "pii.redact.v1"
    Config = PiiConfig
    reads = (schema.TEXT,)
    writes = (schema.TEXT, *PII_COLUMNS, PII_REDACTED)
    reason_family = "pii"
    config: PiiConfig

    def process_batch(self, table: pa.Table) -> pa.Table:
        cfg = self.config
        tokens = {**DEFAULT_TOKENS, **cfg.tokens}
        scan = scan_table(table, cfg.columns, tokens=tokens, kinds=tuple(cfg.kinds), dry_run=cfg.dry_run)
        counts = {column: pa.array(scan.counts[kind], pa.int32()) for kind, column in zip(KINDS, PII_COLUMNS)}
        return schema.put_columns(scan.table, counts)
