"""A stage that splits rows (`Stage.splits()`): counted exactly, or its batch is an error."""

from __future__ import annotations

import pyarrow as pa
import pytest

from corpusforge import schema
from corpusforge.runtime.split import count_split
from corpusforge.stats import NodeStats


def _table(ids: list[str], parents: list[str | None] | None = None) -> pa.Table:
    columns = {"id": ids, "text": ["x"] * len(ids)}
    if parents is not None:
        columns[schema.PARENT_ID] = pa.array(parents, pa.string())
    return pa.table(columns)


def test_pages_split_and_documents_made_are_counted() -> None:
    before = _table(["a", "b", "c"])
    after = _table(["a#ca", "a#es", "b", "c#eu", "c#es", "c#und"], ["a", "a", None, "c", "c", "c"])
    assert count_split(before, after) == (2, 5)


def test_a_split_that_loses_a_row_is_a_broken_contract() -> None:
    before = _table(["a", "b", "c"])
    after = _table(["a#ca", "a#es", "b"], ["a", "a", None])  # c vanished
    with pytest.raises(RuntimeError, match="does not close"):
        count_split(before, after)


def test_more_rows_without_parent_ids_is_a_broken_contract() -> None:
    with pytest.raises(RuntimeError, match="parent_id"):
        count_split(_table(["a"]), _table(["a", "b"]))


def test_an_earlier_split_is_not_counted_again() -> None:
    """Rows that already carry a parent_id from an upstream split pass through unchanged."""
    before = _table(["a#ca", "a#es"], ["a", "a"])
    assert count_split(before, before) == (0, 0)


def test_balanced_counts_split_rows() -> None:
    st = NodeStats(node="langfilter", shard=0, docs_in=3, kept=4, split=2, split_into=4)
    st.rejected["lang:other"] = 1
    assert st.balanced
    assert NodeStats.from_json(st.to_json()) == st
    st.kept = 5
    assert not st.balanced
