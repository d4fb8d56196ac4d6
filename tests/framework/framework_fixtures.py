"""Fixtures for framework tests: small JSONL corpora and pipeline files written on the fly."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq

SENTENCES = [
    "El Ayuntamiento aprobó ayer el presupuesto para el próximo año.",
    "L'Ajuntament va aprovar ahir el pressupost per a l'any vinent.",
    "Hui els xiquets ixen de l'escola a les cinc de la vesprada.",
    "Udalak atzo onartu zuen datorren urterako aurrekontua.",
    "O concello aprobou onte o orzamento para o vindeiro ano.",
]


def write_corpus(directory: Path, *, files: int, docs_per_file: int, bad_lines: bool = True) -> list[str]:
    """JSONL files with unique ids; every 7th line is broken JSON and every 11th lacks text."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for f in range(files):
        path = directory / f"docs-{f:03d}.jsonl"
        with path.open("w", encoding="utf-8") as fh:
            for i in range(docs_per_file):
                n = f * docs_per_file + i
                if bad_lines and n % 7 == 3:
                    fh.write('{"id": "broken", "text": \n')
                elif bad_lines and n % 11 == 5:
                    fh.write(json.dumps({"id": f"d{n}", "url": f"https://example.cat/{n}"}) + "\n")
                else:
                    text = f"{SENTENCES[n % len(SENTENCES)]}  Document {n}.\x00"
                    fh.write(json.dumps({"id": f"d{n}", "text": text, "url": f"https://example.cat/{n}"}) + "\n")
        paths.append(str(path))
    return paths


def pipeline_toml(
    root: Path, corpus_glob: str, *, executor: str = "local", extra_nodes: str = "", keep: tuple[str, ...] = ()
) -> str:
    keep_line = f"keep = {list(keep)!r}".replace("'", '"') if keep else ""
    return f"""
[pipeline]
name = "framework-test"
root = "{root}"
executor = "{executor}"
batch_size = 16
{keep_line}

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{corpus_glob}"], batch_size = 16 }}

[[node]]
id = "normalize"
stage = "text.normalize.v1"
inputs = ["ingest"]
{extra_nodes}
"""


def read_ids(directory: Path) -> list[str]:
    ids: list[str] = []
    for part in sorted(directory.glob("part-*.parquet")):
        ids.extend(pq.read_table(part, columns=["id"]).column("id").to_pylist())
    return ids
