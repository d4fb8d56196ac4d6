"""What a refilter changed, per document: `{out}/_refilter/diff.parquet`.

One row per document whose fate changed: its decision at the quality filter before and after
("kept" or the `quality:<rule>` reason), whether it was in the final output before and after, and
the reason a later node gave it before and after (`dup:near` when a document brought back turned
out to duplicate one already kept, say). Joinable to the run by `id`.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpusforge import io, schema
from corpusforge.refilter.locate import Place
from corpusforge.refilter.rebuild import KEPT, fates_of_files, files_by_shard
from corpusforge.rundir import RunDir

DIFF = "_refilter/diff.parquet"


def fates_path(out: str, index: int) -> str:
    return io.join(out, "_refilter", "fates", f"part-{index:05d}.parquet")


def write(place: Place, out: str, indices: list[int], *, rerun: bool) -> dict[str, Any]:
    """Write the diff; returns counts of documents added to and removed from the final output."""
    new_files = files_by_shard(dataclasses.replace(place, run=RunDir(out))) if rerun else {}
    parts = []
    for derived_index, index in enumerate(indices):
        path = fates_path(out, index)
        if not io.exists(path):
            continue  # no row reached the filter in this shard
        old = io.read_table(path)
        if rerun:
            new = fates_of_files(new_files.get(derived_index, []))
            old = _join(old, new)
        else:
            old = old.append_column("final_after", old.column("final_before"))
            old = old.append_column("later_reason_after", old.column("later_reason"))
        parts.append(_changed(old))
    table = pa.concat_tables(parts) if parts else _empty()
    io.remove_tree(io.join(out, DIFF))
    writer = io.ShardWriter(io.join(out, DIFF))
    writer.write(table)
    writer.commit()
    added = table.filter(pc.and_not(table.column("final_after"), table.column("final_before")))
    removed = table.filter(pc.and_not(table.column("final_before"), table.column("final_after")))
    return {"added": added.num_rows, "removed": removed.num_rows, "by_lang": _by_lang(added, removed)}


def _join(old: pa.Table, new: pa.Table) -> pa.Table:
    """Old fates with the new run's: in the final output, and a later node's reason."""
    by_id = {d: i for i, d in enumerate(new.column("id").to_pylist())}
    take = pa.array([by_id[d] for d in old.column("id").to_pylist()], pa.int64())
    new = new.take(take)
    if new.column("quality_before").to_pylist() != old.column("quality_after").to_pylist():
        raise RuntimeError("refilter: the derived run's quality decisions differ from the ones computed first")
    old = old.append_column("final_after", new.column("final_before"))
    return old.append_column("later_reason_after", new.column("later_reason"))


def _changed(t: pa.Table) -> pa.Table:
    changed = [
        qb != qa or fb != fa or lb != la
        for qb, qa, fb, fa, lb, la in zip(
            *(
                t.column(c).to_pylist()
                for c in (
                    "quality_before",
                    "quality_after",
                    "final_before",
                    "final_after",
                    "later_reason",
                    "later_reason_after",
                )
            ),  # fmt: skip
            strict=True,
        )
    ]
    return t.filter(pa.array(changed, pa.bool_())).select(list(COLUMNS))


COLUMNS = ("id", "lang_tag", "quality_before", "quality_after", "final_before", "final_after", "later_reason",
           "later_reason_after")  # fmt: skip


def _empty() -> pa.Table:
    types = {"final_before": pa.bool_(), "final_after": pa.bool_()}
    return pa.table({c: pa.array([], types.get(c, pa.string())) for c in COLUMNS})


def _by_lang(added: pa.Table, removed: pa.Table) -> dict[str, dict[str, int]]:
    out: dict[str, dict[str, int]] = {}
    for name, table in (("added", added), ("removed", removed)):
        for tag, n in Counter(table.column(schema.LANG_TAG).to_pylist()).items():
            out.setdefault(tag or "none", {"added": 0, "removed": 0})[name] = n
    return dict(sorted(out.items()))


def summary_lines(table: pa.Table) -> list[str]:
    """Printable lines: what flipped at the quality filter, by reason and language."""
    lines = []
    for label, keep in (("newly rejected", True), ("newly kept", False)):
        before, after = table.column("quality_before").to_pylist(), table.column("quality_after").to_pylist()
        tags = table.column(schema.LANG_TAG).to_pylist()
        hits: Counter = Counter()
        for b, a, tag in zip(before, after, tags, strict=True):
            if keep and b == KEPT and a != KEPT:
                hits[(a, tag)] += 1
            elif not keep and b != KEPT and a == KEPT:
                hits[(b, tag)] += 1
        total = sum(hits.values())
        lines.append(f"{label} by the quality filter: {total}")
        for (reason, tag), n in sorted(hits.items(), key=lambda x: (-x[1], x[0])):
            lines.append(f"  {'now ' if keep else 'was '}{reason:<34} {tag or '-':<12} {n:>7}")
    return lines
