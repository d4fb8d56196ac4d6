"""What entered a node, read back from what a finished run keeps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corpusforge import plan as plan_mod
from corpusforge import schema
from corpusforge.lineage import LineageError, parts_entering, read_documents
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

TEXTS = [
    "El ayuntamiento aprobó ayer el presupuesto municipal para el año que viene.",
    "L'ajuntament va aprovar ahir el pressupost municipal per a l'any vinent.",
    "Udalak atzo onartu zuen datorren urterako aurrekontua.",
    "O concello aprobou onte o orzamento municipal para o vindeiro ano.",
]


def test_documents_that_entered_a_node_are_the_final_ones_plus_those_rejected_from_it_on(tmp_path: Path) -> None:
    lines = [{"id": f"d{i}", "text": TEXTS[i % 4]} for i in range(8)]  # each text twice: exact dedup drops 4
    lines.append({"id": "notext"})  # rejected at ingest: before the node, so not counted
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(x) + "\n" for x in lines))
    (tmp_path / "p.toml").write_text(
        f"""
[pipeline]
root = "{tmp_path / "run"}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{tmp_path / "in.jsonl"}"] }}

[[node]]
id = "normalize"
stage = "text.normalize.v1"
inputs = ["ingest"]

[[node]]
id = "exact"
stage = "dedup.exact.v1"
inputs = ["normalize"]
params = {{ partitions = 2 }}
"""
    )
    run(plan_mod.load(tmp_path / "p.toml"), LocalExecutor())
    root = str(tmp_path / "run")
    assert not (tmp_path / "run" / "normalize").exists(), "the intermediate output was deleted"

    def ids(node: str | None) -> list[str]:
        tables = read_documents(parts_entering(root, node), [schema.ID, schema.TEXT])
        return sorted(i for t in tables for i in t.column(schema.ID).to_pylist())

    assert ids(None) == ["d0", "d1", "d2", "d3"]
    assert ids("exact") == [f"d{i}" for i in range(8)]
    assert ids("normalize") == [f"d{i}" for i in range(8)]
    with pytest.raises(LineageError, match="no node 'nope'"):
        parts_entering(root, "nope")
