"""Parquet files of documents -> Arrow batches, a bad file or row group counted, never fatal.

- A file that Parquet cannot open (not Parquet, truncated, no footer): one
  `error:unreadable_file` row, `source` = its path.
- `text` that is not a string column, or `id` / `source` that is neither a string nor an
  integer column (a list, a struct, a float): one `error:bad_schema` row naming the column and
  its type; no row of the file is read. A binary one is read as UTF-8 row by row: a row whose
  bytes are not UTF-8 is `error:undecodable`, the others are kept. All three become strings,
  so a file's batches and its error rows share one schema.
- A row group that fails to read (a damaged page): one `error:corrupt_row_group` row saying
  how many rows it lost; the next row groups are read.
- Rows get `source` = ``path#row`` (0-based) unless the file has a `source` column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge import io, schema
from corpusforge.ingest.docs import check_required, error_table, rename_runtime_columns


def _is_text(t: pa.DataType) -> bool:
    if pa.types.is_dictionary(t):
        return _is_text(t.value_type)
    return pa.types.is_string(t) or pa.types.is_large_string(t) or _is_bytes(t) or pa.types.is_null(t)


def _is_bytes(t: pa.DataType) -> bool:
    return pa.types.is_binary(t) or pa.types.is_large_binary(t)


_ACCEPTED: dict[str, tuple[Callable[[pa.DataType], bool], str]] = {
    schema.TEXT: (_is_text, "a string column"),
    schema.ID: (lambda t: _is_text(t) or pa.types.is_integer(t), "a string or integer column"),
    schema.SOURCE: (lambda t: _is_text(t) or pa.types.is_integer(t), "a string or integer column"),
}


def schema_problem(arrow_schema: pa.Schema) -> str | None:
    """Why `id`, `text` or `source` cannot be read as strings, or None."""
    for name, (ok, wanted) in _ACCEPTED.items():
        found = arrow_schema.get_all_field_indices(name)
        if len(found) > 1:
            return f"column '{name}' appears {len(found)} times"
        if found and not ok(arrow_schema.field(found[0]).type):
            return f"column '{name}' is {arrow_schema.field(found[0]).type}, expected {wanted}"
    return None


def parquet_batches(path: str, *, batch_size: int) -> Iterator[pa.Table]:
    """Documents of one Parquet file, and an error row for each part that cannot be read."""
    fs, p = io.fs_and_path(path)
    try:
        fh = fs.open(p, "rb")
        pf = pq.ParquetFile(fh)
    except Exception as exc:  # noqa: BLE001 - any failure to open is this file's, reported with its message
        yield error_table(source=path, reason="unreadable_file", detail=f"{type(exc).__name__}: {exc}")
        return
    with fh:
        problem = schema_problem(pf.schema_arrow)
        if problem:
            detail = f"{problem}; none of its {pf.metadata.num_rows} rows was read"
            yield error_table(source=path, reason="bad_schema", detail=detail)
            return
        first_row = 0
        for group in range(pf.num_row_groups):
            size = pf.metadata.row_group(group).num_rows
            yield from _row_group(pf, path, group, size, first_row, batch_size)
            first_row += size


def _row_group(
    pf: pq.ParquetFile, path: str, group: int, size: int, first_row: int, batch_size: int
) -> Iterator[pa.Table]:
    batches = pf.iter_batches(batch_size=batch_size, row_groups=[group])
    done = 0
    while True:
        try:
            batch = next(batches)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged page: the reader's error, whatever its type
            detail = f"row group {group}: {size - done} rows of {size} unreadable: {type(exc).__name__}: {exc}"
            yield error_table(source=f"{path}#row_group={group}", reason="corrupt_row_group", detail=detail)
            return
        yield _documents(pa.Table.from_batches([batch]), path, first_row + done)
        done += batch.num_rows


def _documents(table: pa.Table, path: str, first_row: int) -> pa.Table:
    """`id` and `text` as strings, runtime column names moved aside, `source`, required checks."""
    table = rename_runtime_columns(table)
    if schema.SOURCE not in table.column_names:
        rows = pc.cast(pa.array(np.arange(first_row, first_row + table.num_rows)), pa.string())
        table = table.append_column(schema.SOURCE, pc.binary_join_element_wise(f"{path}#", rows, ""))
    errors: dict[int, str] = {}
    for name in _ACCEPTED:
        if name in table.column_names:
            column, bad = _as_strings(table.column(name))
            table = table.set_column(table.column_names.index(name), name, column)
            errors.update((i, f"'{name}': {why}") for i, why in bad.items() if i not in errors)
    table = check_required(table)
    return _mark_errors(table, errors, path, first_row) if errors else table


def _as_strings(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray | pa.Array, dict[int, str]]:
    """The column as strings, and {row: why} for binary values that are not UTF-8 (made null)."""
    if column.type == pa.string():
        return column, {}
    try:
        return pc.cast(column, pa.string()), {}
    except pa.ArrowInvalid:
        pass  # bytes that are not all UTF-8: decide row by row
    values: list[Any] = column.to_pylist()
    bad: dict[int, str] = {}
    for i, v in enumerate(values):
        if isinstance(v, bytes):
            try:
                values[i] = v.decode("utf-8")
            except UnicodeDecodeError as exc:
                values[i] = None
                bad[i] = f"byte 0x{v[exc.start]:02x} at offset {exc.start} is not UTF-8"
    return pa.array(values, pa.string()), bad


def _mark_errors(table: pa.Table, errors: dict[int, str], path: str, first_row: int) -> pa.Table:
    reasons = table.column(schema.DROP_REASON).to_pylist()
    sources = table.column(schema.SOURCE).to_pylist()
    details: list[str | None] = [None] * table.num_rows
    for i, why in errors.items():
        reasons[i] = schema.reason(schema.ERROR_FAMILY, "undecodable")
        sources[i] = f"{path}#{first_row + i}"
        details[i] = why
    updates = {
        schema.DROP_REASON: pa.array(reasons, pa.string()),
        schema.SOURCE: pa.array(sources, pa.string()),
        schema.ERROR_DETAIL: pa.array(details, pa.string()),
    }
    return schema.put_columns(table, updates)
