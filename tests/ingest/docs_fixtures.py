"""Bad JSON Lines and Parquet inputs for ingest.jsonl.v1 / ingest.parquet.v1, with the outcome of every row."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ES = "El Ayuntamiento aprobó ayer el presupuesto para el próximo año."
CA = "L'Ajuntament va aprovar ahir el pressupost per a l'any vinent."
VAL = "Hui els xiquets ixen de l'escola a les cinc de la vesprada."
EU = "Udalak atzo onartu zuen datorren urterako aurrekontua."
GL = "O concello aprobou onte o orzamento para o vindeiro ano."


def _json(doc: dict[str, object]) -> bytes:
    return json.dumps(doc, ensure_ascii=False).encode()


# (line bytes, expected drop_reason or None for kept). The first value of a field in the file
# fixes its type: `score` is an integer column from line 1 on.
JSONL_CASES: list[tuple[bytes, str | None]] = [
    (_json({"id": "es-1", "text": ES, "score": 1, "meta": {"site": "diari"}}), None),
    (_json({"id": "ca-2", "text": 5}), "error:bad_type"),  # a text that is a number
    (_json({"id": 7, "text": CA}), None),  # an integer id is kept as its decimal string
    (_json({"id": "eu-4", "text": EU, "score": "dos"}), "error:bad_type"),  # a string in an int column
    (_json({"id": "gl-5", "text": "Camión"}).decode().encode("latin-1"), "error:undecodable"),
    (_json({"id": "va-6", "text": VAL, "drop_reason": "lang:fr", "drop_node": "langid"}), None),
    (b'{"id": "broken", "text": ', "error:bad_json"),
    (b'{"id": "es-8", "text": "texto \\udc80 roto"}', "error:undecodable"),  # a lone surrogate escape
    (_json({"id": "gl-9", "text": GL, "meta": ["praia", 1]}), None),  # nested values are JSON text
    (_json({"id": 1.5, "text": ES}), "error:bad_type"),
    (_json({"id": "eu-11", "text": None}), "ingest:missing_text"),
    (_json({"id": "es-12", "text": ES, "score": 2.5}), "error:bad_type"),  # a float is not truncated
    (_json({"id": "ca-13", "text": CA, "score": 3}), None),
    (_json({"id": True, "text": CA}), "error:bad_type"),
    (_json({"id": "es-15", "text": ES, "lang_score": "alta"}), "error:bad_type"),  # a declared float column
    (b"[1, 2]", "error:bad_json"),
    (_json({"id": "es-17", "text": ES, "big": 1}), None),
    (_json({"id": "es-18", "text": ES, "big": 2**70}), "error:bad_type"),  # past int64
    (b"[" * 100_000, "error:bad_json"),  # nested past Python's recursion limit
]


def write_bad_jsonl(path: Path) -> Path:
    path.write_bytes(b"\n".join(line for line, _ in JSONL_CASES) + b"\n")
    return path


def expected_by_line(path: Path) -> dict[str, str | None]:
    return {f"{path}:{n}": reason for n, (_, reason) in enumerate(JSONL_CASES, start=1)}


def docs_table(n: int, *, start: int = 0) -> pa.Table:
    texts = [ES, CA, VAL, EU, GL]
    return pa.table({"id": [f"d{start + i}" for i in range(n)], "text": [texts[i % 5] for i in range(n)]})


def write_parquet(path: Path, table: pa.Table, **kw: object) -> Path:
    pq.write_table(table, path, **kw)  # type: ignore[arg-type]
    return path


def corrupt_row_group(path: Path, group: int) -> None:
    """Overwrite the middle of `text`'s column chunk in one row group with garbage."""
    meta = pq.ParquetFile(path).metadata
    chunk = meta.row_group(group).column(meta.schema.names.index("text"))
    start = chunk.dictionary_page_offset if chunk.has_dictionary_page else chunk.data_page_offset
    data = bytearray(path.read_bytes())
    for k in range(start + 8, start + chunk.total_compressed_size - 8):
        data[k] = (k * 131 + 7) % 256
    path.write_bytes(bytes(data))
