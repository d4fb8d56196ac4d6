"""Redact every column of a batch that can carry personal data: Arrow in, Arrow out.

`redact_table` is what the `pii.redact.v1` stage, the runtime (rows written to `rejected/`) and
the review sampler share, and it needs no pipeline:

>>> import pyarrow as pa
>>> t = redact_table(pa.table({"title": ["Truqueu al 612 34 56 78"], "text": ["Sense dades."]}))
>>> t.column("title").to_pylist(), t.column("pii_redacted").to_pylist()
(['Truqueu al <PHONE>'], [1])

Columns: `DEFAULT_COLUMNS` (text, title, url, html, error_detail) or any list of string columns;
a listed column absent from the batch or not holding strings is left alone. `url` is redacted
part by part (`url.py`) so it stays a URL; `domain`, `id` and `source` are never rewritten (a key,
a grouping and a file position, which the detectors would only break).

`pii_redacted` (int32) is the number of spans replaced in the row, added to what an earlier pass
wrote: a token is never matched again, so a row redacted twice is counted once.

The runtime redacts the rejected rows of every node (`[pipeline] redact_rejected`, on by default),
not only of nodes upstream of a PII node: a pipeline may have no PII node, or one in dry run or
limited to some kinds or columns. Rows rejected after the PII node hold tokens, so the second pass
there replaces and counts nothing and costs one pre-filter pass.

Cost: one RE2 pass per column over the whole batch (Arrow, C++) finds the rows that may hold an
identifier — one of the detectors' shapes: an "@", nine digits give or take single separators,
seven digits with at most two dots, a dotted quad, two colons; in a URL also any "%" or "+" — and
only those rows go through the Python detectors. Titles, URLs with a date and most texts have none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpusforge import schema
from corpusforge.pii.detectors import KINDS, SHAPES
from corpusforge.pii.redact import redact
from corpusforge.pii.url import redact_url

PII_REDACTED = schema.PII_REDACTED
ERROR_DETAIL = "error_detail"  # an exception message kept with a failed row may quote its text
DEFAULT_COLUMNS: tuple[str, ...] = (schema.TEXT, schema.TITLE, schema.URL, schema.HTML, ERROR_DETAIL)
URL_COLUMNS: tuple[str, ...] = (schema.URL,)

# What every detector needs at least: one of their shapes (Python syntax; `\d` is any Unicode digit).
CANDIDATE = "|".join(shape.pattern for shape in SHAPES)
# The same for RE2, whose `\d` is ASCII only, and for URLs, where separators may be encoded.
_RE2_CANDIDATE = CANDIDATE.replace(r"\d", r"\p{Nd}")
_RE2_URL_CANDIDATE = _RE2_CANDIDATE + r"|%|\+"


@dataclass(frozen=True)
class TableScan:
    table: pa.Table  # redacted (as given in a dry run), with `pii_redacted`
    counts: dict[str, np.ndarray]  # kind -> identifiers found per row, over all columns


def candidate_mask(values: pa.Array, *, url: bool) -> pa.Array:
    """True where a detector could find something (never null)."""
    mask = pc.match_substring_regex(values, _RE2_URL_CANDIDATE if url else _RE2_CANDIDATE)
    return pc.fill_null(mask, False)


def scan_table(
    table: pa.Table,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    *,
    tokens: Mapping[str, str] | None = None,
    kinds: tuple[str, ...] = KINDS,
    dry_run: bool = False,
) -> TableScan:
    """Find (and unless `dry_run`, replace) the `kinds` of PII in `columns`; count per kind and row."""
    n = table.num_rows
    counts = {kind: np.zeros(n, dtype=np.int32) for kind in KINDS}
    replaced: dict[str, pa.Array] = {}
    for name in dict.fromkeys(columns):
        if name not in table.column_names or not _is_text(table.schema.field(name).type):
            continue
        values = table.column(name).combine_chunks() if n else pa.array([], table.schema.field(name).type)
        is_url = name in URL_COLUMNS
        mask = candidate_mask(values, url=is_url)
        rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
        if not len(rows):
            continue
        redact_one = redact_url if is_url else redact
        out = []
        for row, value in zip(rows.tolist(), values.take(pa.array(rows)).to_pylist(), strict=True):
            result = redact_one(value, tokens=tokens, kinds=kinds, dry_run=dry_run)
            for kind, found in result.counts.items():
                counts[kind][row] += found
            out.append(result.text)
        if not dry_run:
            replaced[name] = pc.replace_with_mask(values, mask, pa.array(out, values.type))
    done = np.zeros(n, dtype=np.int32) if dry_run else sum(counts.values(), np.zeros(n, dtype=np.int32))
    replaced[PII_REDACTED] = pa.array(_earlier(table) + done, pa.int32())
    return TableScan(schema.put_columns(table, replaced), counts)


def redact_table(
    table: pa.Table,
    columns: Sequence[str] = DEFAULT_COLUMNS,
    *,
    tokens: Mapping[str, str] | None = None,
    kinds: tuple[str, ...] = KINDS,
) -> pa.Table:
    """`table` with PII in `columns` replaced by tokens and `pii_redacted` counting what was replaced."""
    return scan_table(table, columns, tokens=tokens, kinds=kinds).table


def _is_text(dtype: pa.DataType) -> bool:
    return pa.types.is_string(dtype) or pa.types.is_large_string(dtype)


def _earlier(table: pa.Table) -> np.ndarray:
    """`pii_redacted` of an earlier pass (0 where there was none)."""
    if PII_REDACTED not in table.column_names:
        return np.zeros(table.num_rows, dtype=np.int32)
    column = pc.fill_null(table.column(PII_REDACTED), 0)
    return np.asarray(column.to_numpy(), dtype=np.int32)
