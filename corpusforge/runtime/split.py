"""Accounting for a stage that splits rows (`Stage.splits()`), e.g. `langid.filter.v1` with
policy "split": a page replaced by per-language documents.

The stage marks each new row with `parent_id` = the id of the input row it replaces. The
counts close exactly: rows out = rows in - pages split + documents made; anything else is a
broken stage contract and fails the batch (counted as an error by the runtime).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from corpusforge import schema


def count_split(before: pa.Table, after: pa.Table) -> tuple[int, int]:
    """(input rows split, rows made from them) of one batch through a splitting stage."""
    if schema.PARENT_ID not in after.column_names:
        if after.num_rows != before.num_rows:
            raise RuntimeError(f"{after.num_rows} rows for {before.num_rows} and no {schema.PARENT_ID} column")
        return 0, 0
    ids_in = before.column(schema.ID)
    made = pc.and_(
        pc.is_in(after.column(schema.PARENT_ID), value_set=ids_in),
        pc.invert(pc.is_in(after.column(schema.ID), value_set=ids_in)),
    )
    made = pc.fill_null(made, False)
    children = int(pc.sum(made).as_py() or 0)
    parents = len(pc.unique(pc.filter(after.column(schema.PARENT_ID), made)))
    if after.num_rows != before.num_rows - parents + children:
        raise RuntimeError(
            f"split accounting does not close: {before.num_rows} rows in, {parents} split into {children}, "
            f"{after.num_rows} rows out"
        )
    return parents, children
