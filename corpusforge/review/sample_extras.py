"""What makes a sample worth a linguist's time: no empty pages, no repeats, duplicates with their twin.

- Pages with no text (404s, non-HTML, failed extractions) cannot be judged: they form their own
  strata (`<decision> (no text)`), counted in sample.json and never drawn.
- Identical texts within a stratum (a site's "page not found", a template repeated a thousand
  times) are shown once: a stratum draws a pool of up to `POOL` x its size in hash order, keeps the
  first document of each text, and records how many copies it stood for (`review_copies`).
- A page rejected as a duplicate (`dup:exact`, `dup:near`) carries the document its cluster kept
  (`dup_cluster`): the sample holds that document's id, URL, title and text (`review_dup_of*`,
  redacted like the rest), so the app can show both side by side.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from corpusforge import schema
from corpusforge.pii.table import redact_table

NO_TEXT = " (no text)"
POOL = 3
DUP_COLUMNS = {"review_dup_of": schema.ID, "review_dup_of_url": schema.URL,
               "review_dup_of_title": schema.TITLE, "review_dup_of_text": schema.TEXT}  # fmt: skip
_SPACE = re.compile(r"\s+")


def has_text(table: pa.Table) -> np.ndarray:
    """True where a row has text to read: `q_chars > 0` when signals exist, else a non-blank `text`."""
    n = table.num_rows
    if "q_chars" in table.column_names:
        return np.asarray(pc.fill_null(pc.greater(table.column("q_chars"), 0), False).to_numpy(zero_copy_only=False))
    if schema.TEXT in table.column_names:
        length = pc.utf8_length(pc.utf8_trim_whitespace(table.column(schema.TEXT).cast(pa.string())))
        return np.asarray(pc.fill_null(pc.greater(length, 0), False).to_numpy(zero_copy_only=False))
    return np.zeros(n, dtype=bool)


def text_key(text: str | None) -> int:
    return xxhash.xxh64_intdigest(_SPACE.sub(" ", text or "").strip().encode())


def collapse_identical(sample: pa.Table, take: dict[str, int]) -> tuple[pa.Table, dict[str, int]]:
    """Per stratum (rows in hash order), the first `take[stratum]` distinct texts, each with the
    number of pooled copies it stands for; returns the rows kept and the copies left out per stratum."""
    strata = sample.column("review_stratum").to_pylist()
    texts = sample.column(schema.TEXT).to_pylist() if schema.TEXT in sample.column_names else [None] * sample.num_rows
    hashes = sample.column("review_hash").to_pylist()
    order = sorted(range(sample.num_rows), key=lambda i: (strata[i], hashes[i]))
    first: dict[tuple[str, int], int] = {}
    copies: dict[int, int] = {}
    collapsed: dict[str, int] = {}
    shown: dict[str, int] = {}
    for i in order:
        key = (strata[i], text_key(texts[i]))
        if key in first:
            copies[first[key]] += 1
            collapsed[strata[i]] = collapsed.get(strata[i], 0) + 1
        elif shown.get(strata[i], 0) < take.get(strata[i], 0):
            first[key] = i
            copies[i] = 1
            shown[strata[i]] = shown.get(strata[i], 0) + 1
    kept = sorted(copies)
    out = sample.take(pa.array(kept, pa.int64()))
    return out.append_column("review_copies", pa.array([copies[i] for i in kept], pa.int64())), collapsed


def _column(table: pa.Table, name: str) -> list[Any]:
    return table.column(name).to_pylist() if name in table.column_names else [None] * table.num_rows


def wanted_keepers(sample: pa.Table) -> set[str]:
    """Ids of the documents that duplicates in the sample were rejected in favour of."""
    out = set()
    for doc, reason, keeper in zip(_column(sample, schema.ID), _column(sample, schema.DROP_REASON),
                                   _column(sample, schema.DUP_CLUSTER), strict=True):  # fmt: skip
        if keeper and keeper != doc and (reason or "").startswith("dup:"):
            out.add(keeper)
    return out


def attach_keepers(sample: pa.Table, find: Callable[[set[str]], dict[str, dict[str, Any]]]) -> pa.Table:
    """`review_dup_of*` columns: the kept twin of each sampled duplicate (`find(ids) -> {id: row}`)."""
    wanted = wanted_keepers(sample)
    found = find(wanted) if wanted else {}
    if found:
        found_table = redact_table(pa.Table.from_pylist(list(found.values())))
        found = {r[schema.ID]: r for r in found_table.to_pylist()}
    keepers, reasons = _column(sample, schema.DUP_CLUSTER), _column(sample, schema.DROP_REASON)
    rows = [found.get(k) if k and (r or "").startswith("dup:") else None for k, r in zip(keepers, reasons, strict=True)]
    for name, source in DUP_COLUMNS.items():
        sample = sample.append_column(name, pa.array([(r or {}).get(source) for r in rows], pa.string()))
    return sample
