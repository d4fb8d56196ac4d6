"""Which documents of a finished run reached a node, from what the run keeps.

A finished run keeps its final documents and every rejected row (with `drop_node`), not the
intermediate outputs (docs/runs.md). The documents that *entered* a node X are then exactly the
final documents plus the rows rejected at X or at any node after it: each of them passed every
node before X. They carry the columns the later nodes added, and are PII-redacted like the rest
of the run's output. Error rows (`error:*`, an unreadable record) are not documents and are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge import io, schema
from corpusforge.errors import UserError
from corpusforge.rundir import RunDir, list_parts


class LineageError(UserError):
    """The run cannot answer the question (no manifest, an unknown node, a node after the output)."""


@dataclass(frozen=True)
class Part:
    """One Parquet file of documents, and whether its rows were rejected (then by which node)."""

    path: str
    rejected_at: str | None = None


def downstream(nodes: list[dict], node_id: str) -> list[str]:
    """`node_id` and every node that reads from it, directly or not, in manifest order."""
    reached = {node_id}
    for n in nodes:  # manifest order is topological
        if reached & set(n.get("inputs", [])):
            reached.add(n["id"])
    return [n["id"] for n in nodes if n["id"] in reached]


def parts_entering(run_dir: str, node_id: str | None = None) -> list[Part]:
    """The files holding the documents that entered `node_id`; None: the run's final documents."""
    run = RunDir(run_dir)
    manifest = run.read_manifest()
    if manifest is None:
        raise LineageError(f"{run.manifest} not found: {run_dir} is not a finished run")
    final = run.final_nodes()
    parts = [Part(p) for node in final for p in _parquet_under(run.node(node))]
    if node_id is None:
        return parts
    nodes = manifest.get("nodes", [])
    ids = [n["id"] for n in nodes]
    if node_id not in ids:
        raise LineageError(f"{run_dir} has no node {node_id!r} (nodes: {', '.join(ids)})")
    after = downstream(nodes, node_id)
    if not set(final) <= set(after):
        raise LineageError(f"the final documents of {run_dir} do not come through {node_id!r}")
    for node in after:
        parts += [Part(p, rejected_at=node) for _, p in _rejected_parts(run, node)]
    return parts


def read_documents(parts: list[Part], columns: list[str]) -> Iterator[pa.Table]:
    """Tables of `columns` (those a file has; missing ones as nulls) from `parts`, errors left out."""
    for part in parts:
        fs, path = io.fs_and_path(part.path)
        with fs.open(path, "rb") as fh:
            pf = pq.ParquetFile(fh)
            names = set(pf.schema_arrow.names)
            wanted = [c for c in columns if c in names]
            extra = [schema.DROP_REASON] if part.rejected_at and schema.DROP_REASON in names else []
            for batch in pf.iter_batches(columns=wanted + extra):
                table = pa.Table.from_batches([batch])
                if extra:
                    reasons = table.column(schema.DROP_REASON)
                    is_error = pc.fill_null(pc.starts_with(reasons, schema.ERROR_FAMILY + ":"), False)
                    table = table.filter(pc.invert(is_error)).drop_columns(extra)
                for c in columns:
                    if c not in table.column_names:
                        table = table.append_column(c, pa.nulls(table.num_rows, schema.TYPES.get(c, pa.string())))
                yield table.select(columns)


def _rejected_parts(run: RunDir, node_id: str) -> list[tuple[int, str]]:
    return list_parts(run.rejected(node_id))


def _parquet_under(directory: str) -> list[str]:
    fs, path = io.fs_and_path(directory)
    if not fs.exists(path):
        return []
    found = sorted(p for p in fs.find(path) if p.endswith(".parquet") and ".tmp-" not in p)
    protocol = directory.split("://", 1)[0] + "://" if "://" in directory else ""
    return [protocol + p if protocol and "://" not in p else p for p in found]
