"""What the document sources (`ingest.jsonl.v1`, `ingest.parquet.v1`) share: required columns,
input columns that clash with the runtime's, and error rows.

An input may carry `drop_reason`, `drop_node` or `error_detail` (a `rejected/` folder of an
earlier run, another tool's output). Those names belong to the runtime: a non-null
`drop_reason` would reject the row, and `error_detail` would be dropped from kept rows. They
are renamed `input_drop_reason`, `input_drop_node`, `input_error_detail` (one more `input_`
when that name is taken too), so the values stay and mean nothing to this run.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
import pyarrow.compute as pc

from corpusforge import schema
from corpusforge.stage import with_drop_reasons

RUNTIME_COLUMNS = (schema.DROP_REASON, schema.DROP_NODE, schema.ERROR_DETAIL)
INPUT_PREFIX = "input_"


def input_name(name: str, taken: Iterable[str]) -> str:
    """The name an input column that clashes with a runtime column is renamed to."""
    taken = set(taken)
    new = INPUT_PREFIX + name
    while new in taken:
        new = INPUT_PREFIX + new
    return new


def rename_runtime_columns(table: pa.Table) -> pa.Table:
    if not any(c in table.column_names for c in RUNTIME_COLUMNS):
        return table
    names = list(table.column_names)
    for i, name in enumerate(names):
        if name in RUNTIME_COLUMNS:
            names[i] = input_name(name, names)
    return table.rename_columns(names)


def check_required(table: pa.Table) -> pa.Table:
    """Reject rows without an id or text (`ingest:missing_id` / `ingest:missing_text`); a row that
    already carries an error keeps it. `id` and `text` must already be string columns when present."""
    reasons = pa.nulls(table.num_rows, pa.string())
    for col, what in ((schema.ID, "missing_id"), (schema.TEXT, "missing_text")):  # the last one named wins
        if col not in table.column_names:
            table = table.append_column(col, pa.nulls(table.num_rows, pa.string()))
        missing = pc.is_null(table.column(col))
        reasons = pc.if_else(missing, pa.scalar(schema.reason("ingest", what)), reasons)
    return with_drop_reasons(table, reasons)


def error_table(*, source: str, reason: str, detail: str) -> pa.Table:
    """One row that stands for an unreadable file or span: `error:<reason>`, where and why."""
    return pa.table(
        {
            schema.ID: pa.nulls(1, pa.string()),
            schema.TEXT: pa.nulls(1, pa.string()),
            schema.SOURCE: [source],
            schema.DROP_REASON: [schema.reason(schema.ERROR_FAMILY, reason)],
            schema.ERROR_DETAIL: [detail[:1000]],
        }
    )
