"""`pack.tokens.v1` at the end of a pipeline, finding shards in a run dir, and the CLI commands."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pack_fixtures import BALANCED, write_shards

from corpusforge import plan as plan_mod
from corpusforge.cli import main
from corpusforge.commands.pack import parse_mixture
from corpusforge.pack.dataset import PackedTokens
from corpusforge.pack.sources import SourceError, find_shards, read_docs
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor


def _pipeline(tmp_path: Path, corpus_glob: str, pack_params: str) -> plan_mod.Plan:
    toml = tmp_path / "p.toml"
    toml.write_text(
        f"""
[pipeline]
name = "pack-test"
root = "{tmp_path / "run"}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.parquet.v1"
params = {{ paths = ["{corpus_glob}"] }}

[[node]]
id = "pack"
stage = "pack.tokens.v1"
inputs = ["ingest"]
params = {{ {pack_params} }}
""",
        encoding="utf-8",
    )
    return plan_mod.load(toml)


def test_pipeline_ends_with_packing_and_trains_its_tokenizer(tmp_path: Path) -> None:
    write_shards(tmp_path / "in", docs_per_lang=BALANCED, shards=2)
    plan = _pipeline(tmp_path, str(tmp_path / "in" / "*.parquet"), "vocab_size = 400, seq_len = 32, seed = 1")
    manifest = run(plan, LocalExecutor())
    tokens = tmp_path / "run" / "pack"  # the node's own directory
    packed = json.loads((tokens / "manifest.json").read_text())
    assert packed["vocab_size"] == 400 and (tokens / "tokenizer" / "tokenizer.json").exists()
    total_docs = sum(len(b.texts) for s in find_shards(str(tmp_path / "in")) for b in read_docs(s))
    assert packed["splits"]["train"]["documents"] + packed["splits"]["val"]["documents"] == total_docs
    node = {n["id"]: n for n in manifest["nodes"]}["pack"]
    assert node["in"] == node["kept"] == total_docs  # every document packed
    assert node["output"] is None and not list(tokens.glob("part-*.parquet")), "no copy of the documents"
    assert len(PackedTokens(tokens, seq_len=32)) > 0


def test_find_shards_in_a_run_dir_with_partitions(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    for tag in ("eu", "gl"):
        part = run_dir / "write" / f"lang_tag={tag}" / "part-00000.parquet"
        part.parent.mkdir(parents=True)
        pq.write_table(pa.table({"text": [f"testua {tag}"]}), part)
    (run_dir / "extract").mkdir()
    pq.write_table(pa.table({"text": ["not final"]}), run_dir / "extract" / "part-00000.parquet")
    nodes = [
        {"id": "extract", "inputs": [], "output": "elsewhere/extract", "stage": "extract.x.v1"},
        {"id": "write", "inputs": ["extract"], "output": "elsewhere/write", "stage": "write.parquet.v1"},
    ]
    (run_dir / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    shards = find_shards(str(run_dir))
    assert [Path(s).parent.name for s in shards] == ["lang_tag=eu", "lang_tag=gl"]
    assert [b.tags for s in shards for b in read_docs(s)] == [["eu"], ["gl"]]  # tag from the path
    assert find_shards(str(run_dir / "extract" / "*.parquet")) == [str(run_dir / "extract" / "part-00000.parquet")]
    with pytest.raises(SourceError, match="no Parquet shards"):
        find_shards(str(tmp_path / "nothing"))
    pq.write_table(pa.table({"body": ["x"]}), tmp_path / "notext.parquet")
    with pytest.raises(SourceError, match="no 'text' column"):
        list(read_docs(str(tmp_path / "notext.parquet")))


def test_a_sink_beside_a_pack_node_is_read_once_and_a_sink_dir_is_a_plain_dir(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    for node in ("near", "write/lang_tag=es", "pack"):
        (run_dir / node).mkdir(parents=True)
        pq.write_table(pa.table({"text": [f"documento de {node}"]}), run_dir / node / "part-00000.parquet")
    (run_dir / "write" / "manifest.json").write_text(json.dumps({"format": "parquet", "rows": 1}))
    nodes = [
        {"id": "near", "inputs": [], "output": "x", "stage": "dedup.minhash.v1", "kind": "global"},
        {"id": "write", "inputs": ["near"], "output": "x", "stage": "write.parquet.v1", "kind": "sink"},
        {"id": "pack", "inputs": ["near"], "output": "x", "stage": "pack.tokens.v1", "kind": "global"},
    ]
    (run_dir / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    assert find_shards(str(run_dir)) == [str(run_dir / "write/lang_tag=es/part-00000.parquet")]
    assert find_shards(str(run_dir / "write")) == [str(run_dir / "write/lang_tag=es/part-00000.parquet")]


def test_cli_train_report_and_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inp = tmp_path / "in"
    write_shards(inp, docs_per_lang=BALANCED, shards=2, with_ids=False)
    tok = tmp_path / "tok"
    assert main(["tokenizer", "train", str(inp), "--vocab-size", "400", "--out", str(tok)]) == 0
    assert "eu" in capsys.readouterr().out
    args = ["tokenizer", "report", str(inp), "--tokenizer", str(tok), "--json"]
    assert main([*args, "--baseline", str(tok)]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert all(r["ratio"] == 1.0 for r in rows)  # compared with itself
    old = ["tokenizer", "report", "--input", str(inp), "--tokenizer", str(tok), "--json", "--baseline", str(tok)]
    assert main(old) == 0  # the old spelling, a hidden alias for one release
    assert json.loads(capsys.readouterr().out)["rows"] == rows
    out = tmp_path / "packed"
    pack_args = ["pack", str(inp), "--tokenizer", str(tok), "--out", str(out), "--seq-len", "16"]
    assert main([*pack_args, "--executor", "local", "--mixture", "eu=2", "--megatron"]) == 0
    assert json.loads(capsys.readouterr().out)["dtype"] == "uint16"
    assert (out / "train.idx").exists()
    index = pq.read_table(out / "train.idx.parquet")
    assert all(i.isdigit() for i in index.column("doc_id").to_pylist())  # row numbers when no id column
    other = tmp_path / "tok2"
    # the old spellings (hidden aliases for one release) still read the input
    assert main(["tokenizer", "train", "--input", str(inp), "--vocab-size", "300", "--out", str(other)]) == 0
    bad = ["pack", "--input", str(inp), "--tokenizer", str(other), "--out", str(out), "--seq-len", "16"]
    assert main([*bad, "--executor", "local"]) == 2
    assert "another tokenizer" in capsys.readouterr().err


def test_parse_mixture() -> None:
    assert parse_mixture("es=0.5, eu=2") == {"es": 0.5, "eu": 2.0}
    assert parse_mixture("") == {}
    with pytest.raises(ValueError):
        parse_mixture("es")


def test_packing_code_does_not_import_torch() -> None:
    import subprocess
    import sys

    code = (
        "import sys, corpusforge.pack.writer, corpusforge.pack.fertility, corpusforge.stages.pack, "
        "corpusforge.commands.pack, corpusforge.commands.tokenizer; sys.exit('torch' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_unfinished_run_and_rejected_rows_are_not_packed(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    (run_dir / "_run").mkdir(parents=True)
    (run_dir / "_run" / "plan.json").write_text("{}")
    with pytest.raises(SourceError, match="without manifest.json"):
        find_shards(str(run_dir))
    plain = tmp_path / "plain"
    for sub in ("docs", "rejected/langid", "_work/x"):
        (plain / sub).mkdir(parents=True)
        pq.write_table(pa.table({"text": [sub]}), plain / sub / "part-00000.parquet")
    assert find_shards(str(plain)) == [str(plain / "docs" / "part-00000.parquet")]
