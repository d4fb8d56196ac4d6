"""ingest.jsonl.v1 and ingest.parquet.v1 on bad input: each bad row or file is an error row naming where it was."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pytest
from docs_fixtures import (
    CA,
    ES,
    corrupt_row_group,
    docs_table,
    expected_by_line,
    write_bad_jsonl,
    write_parquet,
)

from corpusforge.stages.ingest_docs import DocsConfig, JsonlDocs, ParquetDocs


def read_all(stage_cls: type, path: Path, batch_size: int = 1000) -> list[pa.Table]:
    stage = stage_cls(DocsConfig(paths=[str(path)], batch_size=batch_size))
    (shard,) = stage.list_shards()
    return list(stage.read_shard(shard))


def rows(tables: list[pa.Table]) -> list[dict[str, object]]:
    return [r for t in tables for r in t.to_pylist()]


@pytest.mark.parametrize("batch_size", [1, 4, 1000])
def test_jsonl_bad_rows_become_error_rows_and_the_rest_is_read(tmp_path: Path, batch_size: int) -> None:
    path = write_bad_jsonl(tmp_path / "bad.jsonl")
    got = rows(read_all(JsonlDocs, path, batch_size))
    assert {r["source"]: r["drop_reason"] for r in got} == expected_by_line(path)
    for r in got:
        if str(r["drop_reason"]).startswith("error:"):
            assert r["error_detail"], r
    by_line = {r["source"]: r for r in got}
    assert "'text'" in str(by_line[f"{path}:2"]["error_detail"])
    assert "'score'" in str(by_line[f"{path}:4"]["error_detail"])
    assert by_line[f"{path}:3"]["id"] == "7"
    assert by_line[f"{path}:1"]["score"] == 1 and by_line[f"{path}:13"]["score"] == 3
    assert json.loads(str(by_line[f"{path}:1"]["meta"])) == {"site": "diari"}
    assert json.loads(str(by_line[f"{path}:9"]["meta"])) == ["praia", 1]


def test_jsonl_input_drop_reason_is_kept_under_another_name(tmp_path: Path) -> None:
    path = write_bad_jsonl(tmp_path / "bad.jsonl")
    row = next(r for r in rows(read_all(JsonlDocs, path)) if r["id"] == "va-6")
    assert row["drop_reason"] is None
    assert row["input_drop_reason"] == "lang:fr" and row["input_drop_node"] == "langid"


def test_jsonl_columns_keep_one_type_in_every_batch(tmp_path: Path) -> None:
    """The first value of a field fixes its Arrow type for the file, so a shard's batches concatenate."""
    path = write_bad_jsonl(tmp_path / "bad.jsonl")
    tables = read_all(JsonlDocs, path, batch_size=3)
    types: dict[str, set[pa.DataType]] = {}
    for t in tables:
        for f in t.schema:
            types.setdefault(f.name, set()).add(f.type)
    assert types["score"] == {pa.int64()} and types["id"] == {pa.string()} and types["meta"] == {pa.string()}
    assert all(len(ts) == 1 for name, ts in types.items() if name != "big"), types


def test_jsonl_truncated_gzip_keeps_the_lines_before(tmp_path: Path) -> None:
    lines = [json.dumps({"id": f"d{i}", "text": f"{ES} {i}"}) for i in range(400)]
    data = gzip.compress(("\n".join(lines) + "\n").encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    got = rows(read_all(JsonlDocs, path, batch_size=50))
    kept = [r["id"] for r in got if r["drop_reason"] is None]
    errors = [r for r in got if r["drop_reason"] is not None]
    assert 0 < len(kept) < 400 and kept == [f"d{i}" for i in range(len(kept))]
    assert [e["drop_reason"] for e in errors] == ["error:unreadable_file"]
    assert errors[0]["source"] == f"{path}:{len(kept) + 1}" and errors[0]["error_detail"]


def test_jsonl_byte_order_mark_on_the_first_line_is_not_an_error(tmp_path: Path) -> None:
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps({"id": "a", "text": CA}).encode() + b"\n")
    (row,) = rows(read_all(JsonlDocs, path))
    assert row["drop_reason"] is None and row["text"] == CA


def test_parquet_that_is_not_parquet_is_one_error_row_naming_the_path(tmp_path: Path) -> None:
    path = tmp_path / "not.parquet"
    path.write_text('{"id": "a", "text": "Kaixo"}\n')
    (row,) = rows(read_all(ParquetDocs, path))
    assert row["drop_reason"] == "error:unreadable_file" and row["source"] == str(path) and row["error_detail"]


def test_truncated_parquet_is_unreadable(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "cut.parquet", docs_table(200))
    path.write_bytes(path.read_bytes()[:-300])
    (row,) = rows(read_all(ParquetDocs, path))
    assert row["drop_reason"] == "error:unreadable_file" and row["source"] == str(path)


def test_parquet_text_column_that_is_a_list_is_a_bad_schema(tmp_path: Path) -> None:
    table = pa.table({"id": ["a", "b"], "text": [[ES], [CA, ES]]})
    path = write_parquet(tmp_path / "list.parquet", table)
    (row,) = rows(read_all(ParquetDocs, path))
    assert row["drop_reason"] == "error:bad_schema" and row["source"] == str(path)
    assert "text" in str(row["error_detail"]) and "list" in str(row["error_detail"])


def test_parquet_float_id_column_is_a_bad_schema(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "float-id.parquet", pa.table({"id": [1.0, 2.0], "text": [ES, CA]}))
    (row,) = rows(read_all(ParquetDocs, path))
    assert row["drop_reason"] == "error:bad_schema" and "id" in str(row["error_detail"])


def test_parquet_binary_text_is_decoded_row_by_row(tmp_path: Path) -> None:
    """Bytes that are UTF-8 are text; a row whose bytes are not is `error:undecodable`, not the whole file."""
    texts = [ES.encode(), "Camión".encode("latin-1"), CA.encode()]
    path = write_parquet(tmp_path / "binary.parquet", pa.table({"id": ["a", "b", "c"], "text": pa.array(texts)}))
    got = rows(read_all(ParquetDocs, path))
    assert [(r["id"], r["drop_reason"]) for r in got] == [("a", None), ("b", "error:undecodable"), ("c", None)]
    assert got[0]["text"] == ES and got[1]["source"] == f"{path}#1"


def test_parquet_corrupt_row_group_is_counted_and_the_others_are_read(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "rg.parquet", docs_table(300), row_group_size=100, compression="zstd")
    corrupt_row_group(path, 1)
    got = rows(read_all(ParquetDocs, path, batch_size=40))
    kept = [r["id"] for r in got if r["drop_reason"] is None]
    assert kept == [f"d{i}" for i in range(100)] + [f"d{i}" for i in range(200, 300)]
    (err,) = [r for r in got if r["drop_reason"] is not None]
    assert err["drop_reason"] == "error:corrupt_row_group" and str(path) in str(err["source"])
    assert "100 rows" in str(err["error_detail"])


def test_parquet_input_drop_reason_is_not_a_rejection(tmp_path: Path) -> None:
    table = docs_table(4).append_column("drop_reason", pa.array(["dup:near", None, "lang:fr", None]))
    table = table.append_column("drop_node", pa.array(["dedup", None, "langid", None]))
    table = table.append_column("error_detail", pa.array([None, None, None, "x"]))
    got = rows(read_all(ParquetDocs, write_parquet(tmp_path / "rejected.parquet", table)))
    assert [r["drop_reason"] for r in got] == [None] * 4
    assert [r["input_drop_reason"] for r in got] == ["dup:near", None, "lang:fr", None]
    assert got[3]["input_error_detail"] == "x" and "error_detail" not in got[3]


def test_parquet_integer_ids_become_strings(tmp_path: Path) -> None:
    path = write_parquet(tmp_path / "int-id.parquet", pa.table({"id": [10, 11], "text": [ES, CA]}))
    assert [(r["id"], r["drop_reason"]) for r in rows(read_all(ParquetDocs, path))] == [("10", None), ("11", None)]


def test_parquet_integer_source_and_a_corrupt_row_group_share_one_schema(tmp_path: Path) -> None:
    """An error row's `source` is a string; the file's integer `source` becomes one too, so a writer can unify them."""
    table = docs_table(300).append_column("source", pa.array(range(300)))
    path = write_parquet(tmp_path / "int-source.parquet", table, row_group_size=100, compression="zstd")
    corrupt_row_group(path, 1)
    tables = read_all(ParquetDocs, path, batch_size=40)
    merged = pa.concat_tables(tables, promote_options="permissive")
    assert merged.schema.field("source").type == pa.string() and merged.num_rows == 201
