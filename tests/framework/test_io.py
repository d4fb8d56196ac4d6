"""corpusforge.io: globs, the atomic Parquet writer, atomic files and JSON, fingerprints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusforge import io


def test_expand_sorts_each_glob_keeps_order_and_drops_duplicates(tmp_path: Path, monkeypatch) -> None:
    for name in ("b.jsonl", "a.jsonl", "c.txt"):
        (tmp_path / name).write_text("x")
    monkeypatch.chdir(tmp_path)
    got = io.expand(["c.txt", "*.jsonl", "a.jsonl"])
    assert got == [str(tmp_path / "c.txt"), str(tmp_path / "a.jsonl"), str(tmp_path / "b.jsonl")]
    assert all(os.path.isabs(p) for p in got), "absolute: a worker may run elsewhere"
    assert io.expand(["nothing/*.x"]) == []


def test_shard_writer_unifies_batches_and_commits_atomically(tmp_path: Path) -> None:
    path = str(tmp_path / "n" / "part-00000.parquet")
    writer = io.ShardWriter(path)
    writer.write(pa.table({"id": ["a"], "text": ["hola"]}))
    writer.write(pa.table({"id": ["b"], "text": ["adéu"], "extra": [1]}))  # a column the first batch lacked
    assert not Path(path).exists()
    assert writer.commit() is True
    table = pq.read_table(path)
    assert table.column_names == ["id", "text", "extra"] and table.column("id").to_pylist() == ["a", "b"]
    assert table.column("extra").to_pylist() == [None, 1]
    assert not list((tmp_path / "n").glob("*.tmp-*"))


def test_shard_writer_without_rows_writes_nothing_and_abort_cleans(tmp_path: Path) -> None:
    assert io.ShardWriter(str(tmp_path / "empty.parquet")).commit() is False
    assert not (tmp_path / "empty.parquet").exists()
    writer = io.ShardWriter(str(tmp_path / "x.parquet"))
    writer.write(pa.table({"id": [str(i) for i in range(30_000)]}))  # past the buffer: the temp file exists
    assert Path(writer.tmp).exists()
    writer.abort()
    assert not Path(writer.tmp).exists() and not (tmp_path / "x.parquet").exists()


def test_atomic_path_renames_on_success_and_removes_on_error(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "file.bin"
    with io.atomic_path(target) as tmp:
        Path(tmp).write_bytes(b"data")
        assert not target.exists() and ".tmp-" in tmp
    assert target.read_bytes() == b"data"
    with pytest.raises(RuntimeError), io.atomic_path(target) as tmp:
        Path(tmp).write_bytes(b"half")
        raise RuntimeError("killed")
    assert target.read_bytes() == b"data" and not list(target.parent.glob("*.tmp-*"))


def test_commit_local_renames_a_file_and_replaces_a_directory(tmp_path: Path) -> None:
    (tmp_path / "a.warc.gz.open").write_bytes(b"records")
    io.commit_local(tmp_path / "a.warc.gz.open", tmp_path / "a.warc.gz")
    assert (tmp_path / "a.warc.gz").read_bytes() == b"records" and not (tmp_path / "a.warc.gz.open").exists()
    (tmp_path / "step-1").mkdir()
    (tmp_path / "step-1" / "old.pt").write_bytes(b"old")
    (tmp_path / ".tmp-step-1" / "sub").mkdir(parents=True)
    (tmp_path / ".tmp-step-1" / "sub" / "model.pt").write_bytes(b"new")
    io.commit_local(tmp_path / ".tmp-step-1", tmp_path / "step-1")
    assert sorted(p.name for p in (tmp_path / "step-1").rglob("*")) == ["model.pt", "sub"]
    assert not (tmp_path / ".tmp-step-1").exists()


@pytest.mark.parametrize("base", ["local", "memory://io-test"])
def test_write_json_atomic_and_read_back(tmp_path: Path, base: str) -> None:
    root = str(tmp_path) if base == "local" else base
    path = io.join(root, "a", "b.json")
    io.write_json_atomic(path, {"ñ": 1, "list": [1, 2]})
    assert io.read_json(path) == {"ñ": 1, "list": [1, 2]}
    assert io.exists(path)
    io.remove_tree(io.join(root, "a"))
    assert not io.exists(path)


def test_fingerprint_changes_with_the_content(tmp_path: Path) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"id": 1}) + "\n")
    before = io.fingerprint(str(path))
    assert set(before) == {"size", "mtime_ns"}
    os.utime(path, ns=(before["mtime_ns"] + 10**9, before["mtime_ns"] + 10**9))
    assert io.fingerprint(str(path)) != before
    mem = fsspec.filesystem("memory")
    mem.pipe("/fp/x.bin", b"12345")
    assert io.fingerprint("memory://fp/x.bin")["size"] == 5


def test_row_count_reads_the_footer(tmp_path: Path) -> None:
    pq.write_table(pa.table({"a": list(range(7))}), tmp_path / "t.parquet")
    assert io.row_count(str(tmp_path / "t.parquet")) == 7


def test_a_column_first_seen_after_a_flush_is_kept(tmp_path: Path) -> None:
    path = str(tmp_path / "late.parquet")
    writer = io.ShardWriter(path)
    writer.write(pa.table({"id": [str(i) for i in range(25_000)]}))  # flushed: the file's schema is {id}
    writer.write(pa.table({"id": ["late"], "lang_tag": ["gl"]}))
    assert writer.commit()
    table = pq.read_table(path)
    assert table.num_rows == 25_001 and table.column_names == ["id", "lang_tag"]
    assert table.column("lang_tag").to_pylist()[-2:] == [None, "gl"]
    assert not list(tmp_path.glob("*.tmp-*"))
