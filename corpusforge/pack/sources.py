"""Which Parquet shards hold the final documents of a run, and how to read `text` + `lang_tag` from them.

A run directory (`{root}/manifest.json` written by `corpusforge run`) records its final nodes
(`RunDir.final_nodes`): the final documents are their Parquet files. Those may be partitioned (`{node}/lang_tag=ca/part-00000.parquet`), in which case the tag comes from the
path when the column is absent. Anything else is taken as a directory (searched recursively), a
glob, or a single Parquet file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge import io, schema
from corpusforge.rundir import RunDir

UNDETERMINED = "und"  # lang_tag of documents whose shard has no tag (BCP-47 "undetermined")
_TAG_IN_PATH = re.compile(r"(?:^|/)lang_tag=([^/]+)/")


class SourceError(ValueError):
    """The input names no Parquet shard, or a shard lacks the `text` column."""


def find_shards(input_path: str) -> list[str]:
    """Parquet shards of a run directory, a plain directory, a glob or one file, in a stable order.

    >>> find_shards("runs/demo")  # doctest: +SKIP
    ['runs/demo/write/part-00000.parquet', 'runs/demo/write/part-00001.parquet']
    """
    run = RunDir(input_path)
    if run.read_manifest() is None and io.exists(run.state("plan.json")):
        raise SourceError(f"{input_path}: a pipeline run without manifest.json (unfinished?); finish it or name shards")
    run_manifest = run.read_manifest()
    if run_manifest is not None and "nodes" not in run_manifest:
        run_manifest = None  # write.parquet.v1's own manifest.json: a plain directory of shards
    if run_manifest is not None:
        shards = [s for node_id in run.final_nodes() for s in _parquet_under(run.node(node_id))]
    elif any(ch in input_path for ch in "*?["):
        shards = [p for p in io.expand([input_path]) if p.endswith(".parquet")]
    elif input_path.endswith(".parquet") and io.exists(input_path):
        shards = [input_path]
    else:
        shards = _parquet_under(input_path)
    if not shards:
        raise SourceError(f"{input_path}: no Parquet shards found (a run dir, a directory, a glob or a .parquet file)")
    return shards


def _parquet_under(directory: str) -> list[str]:
    fs, path = io.fs_and_path(directory)
    if not fs.exists(path):
        return []
    found = sorted(p for p in fs.find(path) if p.endswith(".parquet") and not _bookkeeping(p[len(path) :]))
    protocol = directory.split("://", 1)[0] + "://" if "://" in directory else ""
    return [protocol + p for p in found]


def _bookkeeping(relative: str) -> bool:
    """Work files (`_work/`, `_done/`, `_manifests/`) and rejected rows are not documents to pack."""
    return "/_" in relative or "/rejected/" in relative or relative.startswith("rejected/")


@dataclass(frozen=True)
class DocBatch:
    """One batch of documents from a shard: texts, their tags and ids (all the same length)."""

    texts: list[str | None]
    tags: list[str]
    ids: list[str]


def read_docs(shard: str, *, batch_size: int = 4096) -> Iterator[DocBatch]:
    """Batches of (text, lang_tag, id) from one shard; reads only those columns.

    Cost: one sequential read of the text column; ids default to "{row}" within the shard when
    the shard has no `id` column.
    """
    fs, path = io.fs_and_path(shard)
    with fs.open(path, "rb") as fh:
        pf = pq.ParquetFile(fh)
        names = set(pf.schema_arrow.names)
        if schema.TEXT not in names:
            raise SourceError(f"{shard}: no '{schema.TEXT}' column (columns: {sorted(names)})")
        columns = [c for c in (schema.TEXT, schema.LANG_TAG, schema.ID) if c in names]
        path_tag = _tag_from_path(shard)
        row = 0
        for batch in pf.iter_batches(batch_size=batch_size, columns=columns):
            table = pa.Table.from_batches([batch])
            n = table.num_rows
            yield DocBatch(
                texts=table.column(schema.TEXT).to_pylist(),
                tags=_tags(table, n, path_tag),
                ids=_ids(table, n, row),
            )
            row += n


def _tag_from_path(shard: str) -> str:
    m = _TAG_IN_PATH.search(shard)
    return m.group(1) if m else UNDETERMINED


def _tags(table: pa.Table, n: int, default: str) -> list[str]:
    if schema.LANG_TAG not in table.column_names:
        return [default] * n
    return pc.fill_null(table.column(schema.LANG_TAG).cast(pa.string()), default).to_pylist()


def _ids(table: pa.Table, n: int, first_row: int) -> list[str]:
    positional = [str(first_row + i) for i in range(n)]
    if schema.ID not in table.column_names:
        return positional
    ids = table.column(schema.ID).cast(pa.string()).to_pylist()
    return [i if i is not None else p for i, p in zip(ids, positional, strict=True)]


def count_by_lang(shards: list[str]) -> dict[str, tuple[int, int]]:
    """Per lang_tag: (documents, characters) over `shards`; reads text lengths only."""
    out: dict[str, list[int]] = {}
    for shard in shards:
        for batch in read_docs(shard):
            for text, tag in zip(batch.texts, batch.tags, strict=True):
                acc = out.setdefault(tag, [0, 0])
                acc[0] += 1
                acc[1] += len(text) if text else 0
    return {k: (v[0], v[1]) for k, v in sorted(out.items())}
