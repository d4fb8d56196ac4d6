"""`corpusforge run` over bad JSONL, Parquet and WARC inputs: exit 0, no traceback, every row counted."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from docs_fixtures import JSONL_CASES, corrupt_row_group, docs_table, write_bad_jsonl, write_parquet
from ingest_fixtures import page

from corpusforge import stats


def bogus_length(record: bytes, length: int = 99_999_999) -> bytes:
    return re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % length, record, count=1)


def write_inputs(d: Path) -> None:
    (d / "jsonl").mkdir(parents=True)
    write_bad_jsonl(d / "jsonl" / "a-bad.jsonl")
    write_parquet(d / "jsonl" / "b-good.parquet", docs_table(1))  # not matched by the JSONL glob
    (d / "jsonl" / "b-good.jsonl").write_text(
        "".join(f'{{"id": "g{i}", "text": "{t}"}}\n' for i, t in enumerate(docs_table(5).column("text").to_pylist()))
    )
    (d / "parquet").mkdir()
    write_parquet(d / "parquet" / "a-good.parquet", docs_table(5))
    (d / "parquet" / "b-not.parquet").write_bytes(b"PAR1 is not enough to be a Parquet file")
    write_parquet(d / "parquet" / "c-list.parquet", pa.table({"id": ["x"], "text": [["a", "b"]]}))
    rg = write_parquet(d / "parquet" / "d-rg.parquet", docs_table(300), row_group_size=100, compression="zstd")
    corrupt_row_group(rg, 1)
    rejected = docs_table(4).append_column("drop_reason", pa.array(["dup:near", None, "lang:fr", None]))
    write_parquet(d / "parquet" / "e-rejected.parquet", rejected)
    records = [page(i, gzip=False) for i in range(10)]
    records[3] = bogus_length(records[3])
    (d / "pages.warc").write_bytes(b"".join(records))


PIPELINE = """
[pipeline]
name = "bad-input"
root = "{root}"
executor = "local"
max_error_rate = 1.0  # these inputs are mostly errors on purpose; the default (5%) would exit 3

[[node]]
id = "jsonl"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{d}/jsonl/*.jsonl"], batch_size = 4 }}

[[node]]
id = "normalize"
stage = "text.normalize.v1"
inputs = ["jsonl"]

[[node]]
id = "parquet"
stage = "ingest.parquet.v1"
params = {{ paths = ["{d}/parquet/*.parquet"], batch_size = 40 }}

[[node]]
id = "warc"
stage = "ingest.warc.v1"
params = {{ paths = ["{d}/pages.warc"] }}
"""


def test_run_over_bad_inputs_counts_every_row_and_exits_zero(tmp_path: Path) -> None:
    d, root = tmp_path / "in", tmp_path / "run"
    write_inputs(d)
    toml = tmp_path / "bad.toml"
    toml.write_text(PIPELINE.format(root=root, d=d))
    cmd = [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--executor", "local", "--quiet"]
    for _ in range(2):  # a rerun resumes and exits the same way
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert "Traceback" not in proc.stderr
    for shards in stats.load_run(str(root)).values():
        for shard in shards:
            assert shard.balanced, shard.to_json()
    funnel = {s.node: s for s in stats.funnel(str(root))}

    jsonl = funnel["jsonl"]
    expected = Counter(reason for _, reason in JSONL_CASES) + Counter({None: 5})
    assert jsonl.docs_in == len(JSONL_CASES) + 5 and jsonl.kept == expected.pop(None)
    assert {**jsonl.rejected, **jsonl.errors} == expected
    assert funnel["normalize"].docs_in == jsonl.kept

    parquet = funnel["parquet"]
    assert parquet.errors == {"error:unreadable_file": 1, "error:bad_schema": 1, "error:corrupt_row_group": 1}
    assert parquet.kept == 5 + 200 + 4 and parquet.rejected == {}
    assert sum(pq.read_metadata(p).num_rows for p in (root / "parquet").glob("part-*.parquet")) == parquet.kept

    warc = funnel["warc"]
    assert (warc.docs_in, warc.kept, dict(warc.errors)) == (10, 9, {"error:corrupt_record": 1})
