"""The demo sample: generated deterministically; the demo pipeline runs every stage and accounts for every record."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from corpusforge.cli import main
from corpusforge.demo.make_warc import build_warc

LANG_TAGS = {"es", "ca", "ca-valencia", "eu", "gl"}


def test_generator_is_deterministic() -> None:
    assert hashlib.sha256(build_warc()).digest() == hashlib.sha256(build_warc()).digest()


def run_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], executor: str) -> str:
    tmp_path.mkdir(parents=True, exist_ok=True)
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--executor", executor, "--quiet"]) == 0
    return capsys.readouterr().out


def written(run: Path) -> list[dict]:
    table = ds.dataset(run / "write", format="parquet").to_table()
    return sorted(table.select(["id", "text", "lang_tag"]).to_pylist(), key=lambda r: r["id"])


def test_demo_runs_every_stage_and_counts_every_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpusforge import stats

    out = run_demo(tmp_path, monkeypatch, capsys, "local")
    run = tmp_path / "runs/demo"
    assert (tmp_path / "runs/demo-input/demo-sample.warc.gz").exists()
    funnel = {s.node: s for s in stats.funnel(str(run))}
    ingest = funnel["ingest"]
    assert ingest.rejected == {"ingest:not_html": 2, "ingest:http_404": 1, "ingest:http_301": 1, "ingest:binary": 1}
    assert ingest.errors == {"error:corrupt_record": 1}
    # Each family of the pipeline removes what the sample plants for it.
    assert funnel["urls"].rejected == {"url:blocked_word": 1}
    assert {"lang:fr", "lang:en", "lang:it", "lang:pt"} <= set(funnel["langfilter"].rejected)
    assert any(r.startswith("quality:") for r in funnel["quality"].rejected)
    final = pq.read_table(run / "write")
    assert sum(final.column("dup_lines").to_pylist()) >= 30  # each site's closing line, cut from its articles
    assert not any("edición digital" in t for t in final.column("text").to_pylist())
    # Intermediate outputs are gone once the run is done: the final shards, rejected rows and tokens stay.
    assert sorted(p.name for p in run.iterdir() if not p.name.startswith("_")) == [
        "manifest.json",
        "rejected",
        "tokens",
        "write",
    ]
    assert funnel["exact"].rejected["dup:exact"] >= 2
    assert funnel["near"].rejected["dup:near"] == 2
    for node in funnel.values():  # nothing lost: every row kept, rejected or an error
        assert node.docs_in == node.kept + sum(node.rejected.values()) + sum(node.errors.values()), node.node
    rows = written(run)
    assert len(rows) == funnel["write"].kept == funnel["near"].kept
    assert {r["lang_tag"] for r in rows} == LANG_TAGS
    assert not any("12345678Z" in r["text"] or "secretaria.vecinal@" in r["text"] for r in rows)  # PII redacted
    assert json.loads((run / "_sinks/write/manifest.json").read_text())["rows"] == len(rows)
    tokens = json.loads((run / "tokens/manifest.json").read_text())
    assert (run / "tokens/train.bin").stat().st_size > 0
    assert tokens["documents"] == funnel["tokens"].kept == funnel["near"].kept
    assert "final documents under" in out and "error:corrupt_record" in out


@pytest.mark.ray
def test_demo_on_ray_writes_what_the_local_executor_writes(
    ray_session: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    run_demo(tmp_path / "local", monkeypatch, capsys, "local")
    out = run_demo(tmp_path / "ray", monkeypatch, capsys, "ray")
    assert "error:corrupt_record" in out
    assert written(tmp_path / "ray/runs/demo") == written(tmp_path / "local/runs/demo")
