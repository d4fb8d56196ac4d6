"""`pii.redact.v1`: replace validated PII in `text` with tokens and count it in `pii_*` columns.

Rows are never dropped: PII is redacted, not a reason to lose a document. With
`dry_run = true` (the issue's `--dry-run`) the text is left as it was and only the counts
are written, to size the problem before redacting.
"""

from __future__ import annotations

import pyarrow as pa
from pydantic import Field, field_validator

from corpusforge import schema
from corpusforge.pii.detectors import KINDS
from corpusforge.pii.redact import DEFAULT_TOKENS, redact
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
    dry_run: bool = Field(False, description="only count (pii_* columns); leave text unchanged")

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
    """Redact e-mails, Spanish phones, DNI/NIE/CIF, Spanish IBAN, cards and IPs (validated)."""

    name = "pii.redact.v1"
    Config = PiiConfig
    reads = (schema.TEXT,)
    writes = (schema.TEXT, *PII_COLUMNS)
    reason_family = "pii"
    config: PiiConfig

    def process_batch(self, table: pa.Table) -> pa.Table:
        cfg = self.config
        tokens = {**DEFAULT_TOKENS, **cfg.tokens}
        kinds = tuple(cfg.kinds)
        texts: list[str | None] = []
        counts: dict[str, list[int]] = {kind: [] for kind in KINDS}
        for text in table.column(schema.TEXT).to_pylist():
            result = redact(text or "", tokens=tokens, kinds=kinds, dry_run=cfg.dry_run)
            texts.append(text if text is None or cfg.dry_run else result.text)
            for kind in KINDS:
                counts[kind].append(result.counts[kind])
        columns = {column: pa.array(counts[kind], pa.int32()) for kind, column in zip(KINDS, PII_COLUMNS, strict=True)}
        if not cfg.dry_run:
            columns[schema.TEXT] = pa.array(texts, pa.string())
        return schema.put_columns(table, columns)
