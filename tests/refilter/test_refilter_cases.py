"""Refilter when the filter's input node was kept, and the runs it must refuse (naming why)."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from corpusforge import cli
from corpusforge import plan as plan_mod
from corpusforge.demo import articles_ca, articles_es, articles_gl
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

HEAD = """
[pipeline]
name = "cases"
root = "{root}"
executor = "local"
{settings}

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{docs}"] }}

[[node]]
id = "signals"
stage = "quality.signals.v1"
inputs = ["ingest"]

[[node]]
id = "quality"
stage = "quality.filter.v1"
inputs = ["signals"]
{quality_params}
"""
TAIL = """
[[node]]
id = "exact"
stage = "dedup.exact.v1"
inputs = ["{after}"]
params = {{ partitions = 2 }}

[[node]]
id = "write"
stage = "write.parquet.v1"
inputs = ["exact"]
params = {{ partition_by = "lang_tag" }}
"""
PII_AFTER = """
[[node]]
id = "pii"
stage = "pii.redact.v1"
inputs = ["quality"]
"""


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    rows = []
    for tag, module in (("es", articles_es), ("ca", articles_ca), ("gl", articles_gl)):
        for i, (slug, title, paragraphs) in enumerate(module.ARTICLES[:6]):
            body = "\n\n".join(paragraphs[: 1 + i % 3])  # one to three paragraphs: some under 50 words
            rows.append(
                {"id": f"{tag}-{i}", "url": f"https://ex.{tag}/{slug}", "title": title, "text": body, "lang_tag": tag}
            )
    rows.append({**rows[1], "id": "es-copy"})  # an exact duplicate, later in the file
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


def _run(tmp_path: Path, docs: Path, name: str, *, thresholds: Path | None = None, settings: str = "",
         pii_after: bool = False) -> Path:  # fmt: skip
    root = tmp_path / name
    quality_params = f'params = {{ thresholds_dir = "{thresholds}" }}' if thresholds else ""
    text = HEAD.format(root=root, docs=docs, settings=settings, quality_params=quality_params)
    text += (PII_AFTER if pii_after else "") + TAIL.format(after="pii" if pii_after else "quality")
    file = tmp_path / f"{name}.toml"
    file.write_text(text, encoding="utf-8")
    run(plan_mod.load(file), LocalExecutor())
    return root


def _strict(tmp_path: Path) -> Path:
    project = tmp_path / "strict"
    project.mkdir()
    for tag in ("es", "gl"):
        (project / f"{tag}.toml").write_text(f'lang_tag = "{tag}"\n[thresholds]\nmin_words = 120\n', encoding="utf-8")
    return project


def _funnel(root: Path) -> dict:
    return {
        n["id"]: (n["in"], n["kept"], n["rejected"]) for n in json.loads((root / "manifest.json").read_text())["nodes"]
    }


def test_a_kept_input_node_is_read_as_it_is(tmp_path: Path, docs: Path) -> None:
    # No PII pass before the filter and rejected rows redacted: only the kept input can be trusted.
    first = _run(tmp_path, docs, "first", settings='keep = ["signals"]')
    project = _strict(tmp_path)
    rerun = _run(tmp_path, docs, "rerun", settings='keep = ["signals"]', thresholds=project)
    out = tmp_path / "new"
    assert cli.main(["refilter", str(first), "--thresholds", str(project), "--out", str(out), "--quiet"]) == 0
    assert _funnel(out) == _funnel(rerun)
    final = sorted(ds.dataset(out / "write", format="parquet").to_table(columns=["id"]).column("id").to_pylist())
    assert final == sorted(
        ds.dataset(rerun / "write", format="parquet").to_table(columns=["id"]).column("id").to_pylist()
    )
    info = json.loads((out / "manifest.json").read_text())["refilter"]
    assert info["order"] == "input node" and info["flipped"]["newly_rejected"] > 0


def test_redacted_rejected_rows_without_an_earlier_pii_pass_are_refused(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run(tmp_path, docs, "first")
    assert cli.main(["refilter", str(first), "--thresholds", str(_strict(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "redact" in err and "keep = ['signals']" in err


def test_a_node_that_rewrites_text_after_the_filter_is_refused(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run(tmp_path, docs, "first", settings="redact_rejected = false", pii_after=True)
    assert cli.main(["refilter", str(first), "--thresholds", str(_strict(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "node 'pii'" in err and "text" in err


def test_an_out_directory_that_is_not_a_refilter_is_left_alone(
    tmp_path: Path, docs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _run(tmp_path, docs, "first", settings='keep = ["signals"]')
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    assert cli.main(["refilter", str(first), "--thresholds", str(_strict(tmp_path)), "--out", str(mine)]) == 2
    assert (mine / "notes.txt").read_text() == "keep me" and "not a refilter" in capsys.readouterr().err


def test_rows_go_back_in_read_order_by_their_source_offset() -> None:
    import pyarrow as pa

    from corpusforge.refilter.rebuild import order_in_shard

    table = pa.table({"id": ["c", "a", "b"], "source": ["x.warc.gz@30", "x.warc.gz@4", "x.warc.gz@100"]})
    ordered, exact = order_in_shard(table)
    assert ordered.column("id").to_pylist() == ["a", "c", "b"] and exact  # 4 < 30 < 100, not as strings
    mixed = pa.table({"id": ["c", "a", "b"], "source": ["x@1", "y@2", None]})
    ordered, exact = order_in_shard(mixed)
    assert ordered.column("id").to_pylist() == ["a", "b", "c"] and not exact  # no read order: by id, said so
