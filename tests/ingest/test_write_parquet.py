"""write.parquet.v1: one folder per value, atomic commit, a manifest outside the data, readable by every tool."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from corpusforge.stages.write import WriteConfig, WriteParquet

MIX = pa.map_(pa.string(), pa.float32())


def docs(n: int, offset: int = 0) -> pa.Table:
    tags = ["es", "ca-valencia", "gl", None]
    return pa.table(
        {
            "id": [str(offset + i) for i in range(n)],
            "text": [f"document {offset + i}" for i in range(n)],
            "lang_tag": [tags[i % 4] for i in range(n)],
            "lang_mix": pa.array([[("es", 0.75), ("ca", 0.25)] if i % 3 else None for i in range(n)], MIX),
        }
    )


def write_two_shards(base: Path, meta: Path, **config: object) -> WriteParquet:
    stage = WriteParquet(WriteConfig(**config))
    for shard in (0, 1):
        out = stage.open_shard(shard, str(base), str(meta))
        out.write(docs(10, offset=shard * 10))
        out.write(docs(2, offset=shard * 10 + 100))
        assert out.commit() == 12
    return stage


def test_partitioned_output_and_manifest(tmp_path: Path) -> None:
    base, meta = tmp_path / "write", tmp_path / "_sinks" / "write"
    stage = write_two_shards(base, meta, partition_by="lang_tag", max_rows_per_file=3)
    assert not (meta / "manifest.json").exists()  # the driver writes it once, after every shard
    stage.finalize(str(base), str(meta))
    assert not list(base.rglob("*.tmp-*"))
    files = sorted(p.relative_to(base).as_posix() for p in base.rglob("*"))
    assert all(f.endswith(".parquet") or (base / f).is_dir() for f in files), "nothing but data in the folder"
    files = [f for f in files if f.endswith(".parquet")]
    assert "ca-valencia/part-00001-0000.parquet" in files
    assert any(f.startswith("null/") for f in files)
    assert all(pq.ParquetFile(base / f).metadata.num_rows <= 3 for f in files)
    assert pq.ParquetFile(base / files[0]).metadata.row_group(0).column(0).compression == "ZSTD"
    manifest = json.loads((meta / "manifest.json").read_text())
    assert manifest["rows"] == 24 and manifest["shards"] == 2
    assert sorted(f["path"] for f in manifest["files"]) == files
    assert manifest["rows_by_partition"]["es"] == 8
    back = ds.dataset(base, format="parquet").to_table()
    assert back.num_rows == 24
    assert sorted(back.column("id").to_pylist()) == sorted(
        str(i) for s in (0, 1) for i in [*range(s * 10, s * 10 + 10), s * 10 + 100, s * 10 + 101]
    )
    es = pq.read_table(base / "es").column("lang_tag").to_pylist()
    assert es == ["es"] * 8, "the partition column stays in the files"


def test_rerun_of_a_shard_replaces_its_files(tmp_path: Path) -> None:
    stage = WriteParquet(WriteConfig(max_rows_per_file=4))
    base, meta = str(tmp_path / "w"), str(tmp_path / "meta")
    first = stage.open_shard(0, base, meta)
    first.write(docs(10))
    first.commit()
    again = stage.open_shard(0, base, meta)
    again.write(docs(3))
    assert again.commit() == 3
    stage.finalize(base, meta)
    assert [p.name for p in sorted(Path(base).glob("*.parquet"))] == ["part-00000-0000.parquet"]
    assert json.loads((Path(meta) / "manifest.json").read_text())["rows"] == 3


def test_an_aborted_shard_leaves_nothing_visible(tmp_path: Path) -> None:
    stage = WriteParquet(WriteConfig(partition_by="lang_tag", max_rows_per_file=2))
    out = stage.open_shard(0, str(tmp_path / "w"), str(tmp_path / "meta"))
    out.write(docs(9))  # several files already finished
    out.abort()
    assert not [p for p in (tmp_path / "w").rglob("*") if p.is_file()]


def test_map_columns_are_written_as_lists_of_key_value_structs(tmp_path: Path) -> None:
    base = tmp_path / "w"
    write_two_shards(base, tmp_path / "meta")
    table = pq.read_table(base)
    assert table.schema.field("lang_mix").type == pa.list_(pa.struct([("key", pa.string()), ("value", pa.float32())]))
    rows = {r["id"]: r["lang_mix"] for r in table.select(["id", "lang_mix"]).to_pylist()}
    assert rows["1"] == [{"key": "es", "value": 0.75}, {"key": "ca", "value": 0.25}]
    assert rows["0"] is None


def test_every_reader_opens_the_output_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """pyarrow (plain and hive), polars, DuckDB and HF datasets read the folder as one dataset."""
    polars = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    datasets = pytest.importorskip("datasets")
    base, meta = tmp_path / "write", tmp_path / "_sinks" / "write"
    write_two_shards(base, meta, partition_by="lang_tag", max_rows_per_file=3).finalize(str(base), str(meta))
    expected = {"es": 8, "ca-valencia": 8, "gl": 4, None: 4}

    def counts(tags: list[str | None]) -> dict[str | None, int]:
        return {t: tags.count(t) for t in set(tags)}

    assert counts(pq.read_table(base).column("lang_tag").to_pylist()) == expected
    hive = ds.dataset(base, format="parquet", partitioning="hive").to_table()
    assert counts(hive.column("lang_tag").to_pylist()) == expected
    frame = polars.read_parquet(f"{base}/")
    assert counts(frame["lang_tag"].to_list()) == expected
    rows = duckdb.sql(f"select lang_tag, count(*) from read_parquet('{base}/**/*.parquet') group by 1").fetchall()
    assert dict(rows) == expected
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    hf = datasets.load_dataset("parquet", data_dir=str(base), split="train", cache_dir=str(tmp_path / "hf-cache"))
    assert counts(hf["lang_tag"]) == expected
    assert os.listdir(tmp_path / "hf-cache"), "the HF cache stays in the test's folder"
