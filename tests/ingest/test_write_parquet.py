"""write.parquet.v1: partitioned zstd files, atomic commit, manifest merged from shards."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from corpusforge.stages.write import WriteConfig, WriteParquet


def docs(n: int, offset: int = 0) -> pa.Table:
    tags = ["es", "ca-valencia", "gl", None]
    return pa.table(
        {
            "id": [str(offset + i) for i in range(n)],
            "text": [f"document {offset + i}" for i in range(n)],
            "lang_tag": [tags[i % 4] for i in range(n)],
        }
    )


def test_partitioned_output_and_manifest(tmp_path: Path) -> None:
    stage = WriteParquet(WriteConfig(partition_by="lang_tag", max_rows_per_file=3))
    for shard in (0, 1):
        out = stage.open_shard(shard, str(tmp_path / "write"))
        out.write(docs(10, offset=shard * 10))
        out.write(docs(2, offset=shard * 10 + 100))
        assert out.commit() == 12
    base = tmp_path / "write"
    assert not (base / "manifest.json").exists()  # the driver writes it once, after every shard
    stage.finalize(str(base))
    assert not list(base.rglob("*.tmp-*"))
    files = sorted(p.relative_to(base).as_posix() for p in base.rglob("*.parquet"))
    assert "lang_tag=ca-valencia/part-00001-0000.parquet" in files
    assert any(f.startswith("lang_tag=__HIVE_DEFAULT_PARTITION__/") for f in files)
    assert all(pq.ParquetFile(base / f).metadata.num_rows <= 3 for f in files)
    assert pq.ParquetFile(base / files[0]).metadata.row_group(0).column(0).compression == "ZSTD"
    manifest = json.loads((base / "manifest.json").read_text())
    assert manifest["rows"] == 24 and manifest["shards"] == 2
    assert sorted(f["path"] for f in manifest["files"]) == files
    assert manifest["rows_by_partition"]["lang_tag=es"] == 8
    back = ds.dataset(base, format="parquet", partitioning="hive", exclude_invalid_files=True).to_table()
    assert back.num_rows == 24
    assert sorted(back.column("id").to_pylist()) == sorted(
        str(i) for s in (0, 1) for i in [*range(s * 10, s * 10 + 10), s * 10 + 100, s * 10 + 101]
    )


def test_rerun_of_a_shard_replaces_its_files(tmp_path: Path) -> None:
    stage = WriteParquet(WriteConfig(max_rows_per_file=4))
    base = str(tmp_path / "w")
    first = stage.open_shard(0, base)
    first.write(docs(10))
    first.commit()
    again = stage.open_shard(0, base)
    again.write(docs(3))
    assert again.commit() == 3
    stage.finalize(base)
    assert [p.name for p in sorted(Path(base).glob("*.parquet"))] == ["part-00000-0000.parquet"]
    assert json.loads((Path(base) / "manifest.json").read_text())["rows"] == 3
