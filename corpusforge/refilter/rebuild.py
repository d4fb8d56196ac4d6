"""Rebuild, shard by shard, the rows a run's quality filter saw, from what the run kept.

A shard's rows are its part of the filter's rejected rows, of the rows rejected on the way from
the filter to the final node, and of the final node's output (or the filter's kept input node, read
as is). Columns written after the filter (`dup_cluster`) and the rejection bookkeeping are dropped;
a sink's portable map columns (`lang_mix` as a list of key/value structs) become maps again. The
count is checked against the filter's input count in the run's done markers: a missing file is a
refusal, never a silent loss.

Order within a shard matters to dedup (of two duplicates the first read is kept). The rows are put
back in read order by their `source` ("<file>@<offset>" of WARC records, "<file>:<line>" of JSON
lines) when every row of the shard has one from the same file; otherwise by `id`, and the summary
says so (which copy of a same-shard duplicate survives may then differ from a full re-run; how many
survive does not, as dedup clusters are connected components).

Cost: one read of the final output and of the rejected rows after the filter; memory: one shard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge import io, schema
from corpusforge.refilter.locate import SIDE_COLUMNS, Place, RefilterError
from corpusforge.rundir import list_parts
from corpusforge.stages.write import from_portable

KEPT = "kept"
_SHARD_FILE = re.compile(r"/part-(\d{5})(?:-\d+)?\.parquet$")
_SOURCE = re.compile(r"^(.*)[@:](\d+)$")


def files_by_shard(place: Place) -> dict[int, list[tuple[str, str]]]:
    """shard -> [(path, role)]; role "quality" (its rejections), a later node's id, or "final"."""
    out: dict[int, list[tuple[str, str]]] = {}
    for role in (place.quality, *place.chain):
        for index, path in list_parts(place.run.rejected(role)):
            out.setdefault(index, []).append((path, "quality" if role == place.quality else role))
    fs, base = io.fs_and_path(place.run.node(place.final))
    found = sorted(fs.find(base)) if fs.exists(base) else []
    protocol = place.run.root.split("://", 1)[0] + "://" if "://" in place.run.root else ""
    for p in found:
        match = _SHARD_FILE.search(p)
        if match and ".tmp-" not in p:
            out.setdefault(int(match.group(1)), []).append((protocol + p if protocol else p, "final"))
    return out


def normalize(table: pa.Table, path: str, place: Place) -> pa.Table:
    """A stored row as the quality filter saw it (bookkeeping and later columns dropped)."""
    table = normalize_hive(table, path)
    drop = [c for c in table.column_names if c in SIDE_COLUMNS or c in place.added_columns]
    return from_portable(table.drop_columns(drop))


def _before(table: pa.Table, role: str) -> pa.Table:
    """Each row's fate in the run: what the quality filter did, and whether it reached the final output."""
    n = table.num_rows
    reasons = table.column(schema.DROP_REASON) if schema.DROP_REASON in table.column_names else pa.nulls(n, pa.string())
    quality = reasons if role == "quality" else pa.array([KEPT] * n, pa.string())
    later = pa.nulls(n, pa.string()) if role in ("quality", "final") else reasons
    tags = table.column(schema.LANG_TAG) if schema.LANG_TAG in table.column_names else pa.nulls(n, pa.string())
    return pa.table(
        {
            "id": table.column(schema.ID),
            "lang_tag": tags,
            "quality_before": quality,
            "final_before": pa.array([role == "final"] * n, pa.bool_()),
            "later_reason": later,
        }
    )


def order_in_shard(table: pa.Table) -> tuple[pa.Table, bool]:
    """Rows in read order when `source` gives it (one file, numeric offsets), else by id; (table, exact)."""
    if table.num_rows < 2:
        return table, True
    if schema.SOURCE in table.column_names:
        parsed = [_SOURCE.match(s) if s else None for s in table.column(schema.SOURCE).to_pylist()]
        if all(parsed) and len({m.group(1) for m in parsed if m}) == 1:
            offsets = pa.array([int(m.group(2)) for m in parsed if m], pa.int64())
            return table.take(pc.sort_indices(offsets, sort_keys=[("", "ascending")])), True
    return table.take(pc.sort_indices(table.column(schema.ID))), False


def shard_rows(place: Place, files: list[tuple[str, str]], index: int) -> tuple[pa.Table | None, pa.Table, bool]:
    """(the rows the filter saw in order, their fates, whether the order is exact) of one shard."""
    parts, fates = [], []
    for path, role in files:
        table = io.read_table(path)
        fates.append(_before(table, role))
        if place.kept_input is None:
            parts.append(normalize(table, path, place))
    before = pa.concat_tables(fates, promote_options="permissive") if fates else None
    if place.kept_input is not None:
        path = place.run.part(place.kept_input, index)
        rows = io.read_table(path) if io.exists(path) else None
        return rows, _aligned(before, rows), True
    if not parts:
        return None, _empty_before(), True
    rows, exact = order_in_shard(pa.concat_tables(parts, promote_options="permissive"))
    assert before is not None
    return rows, _aligned(before, rows), exact


def _aligned(before: pa.Table | None, rows: pa.Table | None) -> pa.Table:
    """The fates in the order of `rows` (joined on id)."""
    if before is None or rows is None or rows.num_rows == 0:
        return _empty_before()
    position = {doc: i for i, doc in enumerate(before.column("id").to_pylist())}
    return before.take(pa.array([position[d] for d in rows.column(schema.ID).to_pylist()], pa.int64()))


def _empty_before() -> pa.Table:
    return pa.table({"id": pa.array([], pa.string()), "lang_tag": pa.array([], pa.string()),
                     "quality_before": pa.array([], pa.string()), "final_before": pa.array([], pa.bool_()),
                     "later_reason": pa.array([], pa.string())})  # fmt: skip


def rebuild(place: Place) -> Iterator[tuple[int, pa.Table | None, pa.Table, bool]]:
    """Per shard of the quality filter's input: (index, rows, fates, exact order), checked against the run."""
    expected = place.shards()
    found = files_by_shard(place)
    stray = sorted(set(found) - set(expected))
    if stray:
        raise RefilterError(f"{place.run.root}: files of shard(s) {stray[:10]} that the run's markers do not know")
    for index in sorted(expected):
        rows, fates, exact = shard_rows(place, found.get(index, []), index)
        got = 0 if rows is None else rows.num_rows
        if got != expected[index] or fates.num_rows != got:
            raise RefilterError(_missing(place, index, expected[index], got, fates.num_rows))
        yield index, rows, fates, exact


def _missing(place: Place, index: int, expected: int, got: int, fates: int) -> str:
    where = [f"rejected/{n}" for n in (place.quality, *place.chain[:-1])] + [place.final]
    read = place.kept_input or " + ".join(where)
    return (
        f"{place.run.root}: shard {index:05d}: {expected} rows reached {place.quality}, but {read} hold "
        f"{got if place.kept_input is None else fates} of them; a file is missing or was changed since the run"
    )


def read_light(path: str, columns: list[str]) -> pa.Table:
    """The `columns` a file has (hive folder columns included), nothing else."""
    fs, p = io.fs_and_path(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        names = pf.schema_arrow.names
        table = pf.read(columns=[c for c in dict.fromkeys(columns) if c in names])
    return normalize_hive(table, path)


def fates_of_files(files: list[tuple[str, str]]) -> pa.Table:
    """The fates of every row of some stored files (light: ids and reasons only)."""
    parts = [_before(read_light(path, [schema.ID, schema.LANG_TAG, schema.DROP_REASON]), role) for path, role in files]
    return pa.concat_tables(parts, promote_options="permissive") if parts else _empty_before()


def light_rows(place: Place, columns: list[str]) -> Iterator[tuple[pa.Table, pa.Table]]:
    """(the wanted columns, their fates) per stored file, in no particular order: for estimates
    that need no rebuilt shards (the review report's impact tables). Reads only `columns`."""
    for files in files_by_shard(place).values():
        for path, role in files:
            table = read_light(path, [*columns, schema.ID, schema.LANG_TAG, schema.DROP_REASON])
            yield table, _before(table, role)


def normalize_hive(table: pa.Table, path: str) -> pa.Table:
    """Hive folders (`lang_tag=ca/`) hold a column the file may lack: put it back."""
    for part in path.split("/")[:-1]:
        key, sep, value = part.partition("=")
        if sep and key not in table.column_names:
            table = table.append_column(key, pa.array([value] * table.num_rows, pa.string()))
    return table
