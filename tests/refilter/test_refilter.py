"""`corpusforge refilter`: new thresholds on a finished run's stored signals equal a full re-run.

The run is the demo pipeline (WARC -> extract -> LID -> PII -> boilerplate lines -> signals ->
quality -> exact and near dedup -> Parquet sink -> token streams) over the embedded demo WARC,
split into byte-range shards so that duplicates cross shards. A thresholds patch is applied to a
project directory; the refilter of the first run must give the funnel and the final documents of
a second, full run with the patched thresholds, with the WARC gone and extraction and language
identification unable to run.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from corpusforge import cli, stats
from corpusforge import plan as plan_mod
from corpusforge.demo.make_warc import write_demo_warc
from corpusforge.quality.rules import shipped_dir
from corpusforge.review.thresholds_patch import Change, write_suggestions
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

PIPELINE = Path(__file__).resolve().parents[2] / "pipelines" / "demo.toml"
# The first run's project thresholds reject Galician pages under 96 words: a near-duplicate pair
# (95 words each) among them. The patch then brings them back (near dedup must keep one), rejects the
# three shortest Catalan pages, and rejects the kept page of a Basque near-duplicate pair (its words
# are longer), so that its twin, rejected as dup:near before, is kept now.
BEFORE = [Change("gl", "min_words", 50, 96, "test: a strict start")]
CHANGES = [
    Change("gl", "min_words", 96, 50, "test: reviewers found the short pages fine"),
    Change("ca", "min_words", 50, 100, "test: reviewers found short pages"),
    Change("eu", "max_mean_word_length", 8.0636, 6.72, "test: stricter"),
]


def _patched(base: Path, directory: Path, changes: list[Change]) -> None:
    patch = write_suggestions(directory, changes, base / f"suggested-{directory.name}")
    assert patch is not None
    subprocess.run(["patch", "-s", "-d", str(directory), "-p1", "-i", str(patch)], check=True)


def _plan(root: Path, warc_dir: Path, thresholds: Path | None) -> plan_mod.Plan:
    text = PIPELINE.read_text(encoding="utf-8").replace('executor = "ray"', 'executor = "local"')
    text = text.replace(
        'paths = ["runs/demo-input/*.warc.gz"]', f'paths = ["{warc_dir}/*.warc.gz"], split_bytes = 15000'
    )
    if thresholds is not None:
        text = text.replace(
            'stage = "quality.filter.v1"',
            f'stage = "quality.filter.v1"\nparams = {{ thresholds_dir = "{thresholds}" }}',
        )
    file = root.parent / f"{root.name}.toml"
    file.write_text(text.replace('root = "runs/demo"', f'root = "{root}"'), encoding="utf-8")
    return plan_mod.load(file)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    base = tmp_path_factory.mktemp("refilter")
    warc_dir = base / "warc"
    write_demo_warc(warc_dir)
    # The linguists' project directory, patched the way `review report` writes patches.
    start = base / "start"
    assert cli.main(["quality", "thresholds", "init", str(start)]) == 0
    _patched(base, start, BEFORE)
    project = base / "thresholds"
    shutil.copytree(start, project)
    _patched(base, project, CHANGES)
    first = base / "first"
    run(_plan(first, warc_dir, start), LocalExecutor())
    rerun = base / "rerun"
    run(_plan(rerun, warc_dir, project), LocalExecutor())
    yield {"base": base, "warc": warc_dir, "first": first, "rerun": rerun, "project": project, "start": start}


def _funnel(manifest: dict) -> dict[str, tuple]:
    return {n["id"]: (n["in"], n["kept"], n["rejected"], n["errors"], n["kept_by_lang"]) for n in manifest["nodes"]}


def _final(root: Path) -> list[tuple]:
    table = ds.dataset(root / "write", format="parquet").to_table(columns=["id", "lang_tag", "text", "dup_cluster"])
    return sorted(tuple(r.values()) for r in table.to_pylist())


def _tripwire(*_args, **_kwargs):
    raise AssertionError("refilter must not extract, identify languages or read WARC files")


def test_refilter_equals_a_full_rerun_without_extraction_or_lid(
    runs: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from corpusforge.stages.extract import ExtractStage
    from corpusforge.stages.ingest_warc import IngestWarc
    from corpusforge.stages.langid import IberianLanguageId, LanguageFilter

    first, rerun = runs["first"], runs["rerun"]
    # Nothing before the quality filter may run: no WARC to read, and every such stage blows up.
    moved = runs["base"] / "warc-away"
    shutil.move(runs["warc"], moved)
    for cls, method in (
        (IngestWarc, "read_shard"),
        (ExtractStage, "process_batch"),
        (IberianLanguageId, "setup"),
        (IberianLanguageId, "process_batch"),
        (LanguageFilter, "process_batch"),
    ):
        monkeypatch.setattr(cls, method, _tripwire)
    out = runs["base"] / "refiltered"
    try:
        code = cli.main(["refilter", str(first), "--thresholds", str(runs["project"]), "--out", str(out)])
    finally:
        shutil.move(moved, runs["warc"])
    assert code == 0
    printed = capsys.readouterr().out
    expected = json.loads((rerun / "manifest.json").read_text())
    got = json.loads((out / "manifest.json").read_text())
    assert _funnel(got) == _funnel(expected)
    assert [n["id"] for n in got["nodes"]] == [n["id"] for n in expected["nodes"]]
    assert _final(out) == _final(rerun)
    # The thresholds' hash is recorded, and is the full re-run's.
    q_got = next(n for n in got["nodes"] if n["id"] == "quality")
    q_expected = next(n for n in expected["nodes"] if n["id"] == "quality")
    assert q_got["data"] == q_expected["data"] and q_got["data"]["thresholds"]
    # Only the quality filter and what follows it ran again.
    assert got["refilter"]["rerun_nodes"] == ["quality", "exact", "near", "write", "tokens"]
    assert got["refilter"]["source_run"] == str(first)
    # `corpusforge stats` on the new root shows the same funnel as on the full re-run.
    counts = {s.node: (s.docs_in, s.kept, dict(s.rejected)) for s in stats.funnel(str(out))}
    assert counts == {s.node: (s.docs_in, s.kept, dict(s.rejected)) for s in stats.funnel(str(rerun))}
    # Rejected rows are where a run puts them; the token streams were packed again.
    assert (out / "rejected" / "langfilter").is_dir() and (out / "tokens" / "manifest.json").exists()
    # The diff names what flipped at the quality filter and in the final output.
    diff = ds.dataset(out / "_refilter" / "diff.parquet").to_table().to_pylist()
    newly_rejected = {r["id"] for r in diff if r["quality_before"] == "kept" and r["quality_after"] != "kept"}
    newly_kept = {r["id"] for r in diff if r["quality_before"] != "kept" and r["quality_after"] == "kept"}
    first_final = {r[0] for r in _final(first)}
    final_now = {r[0] for r in _final(out)}
    assert newly_kept and newly_rejected
    assert {r["id"] for r in diff if r["final_before"] != r["final_after"]} == first_final ^ final_now
    assert "newly rejected" in printed and "quality:min_words" in printed


def test_thresholds_that_flip_nothing_rerun_nothing(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    project = runs["base"] / "loose"
    shutil.copytree(runs["start"], project)
    _patched(runs["base"], project, [Change("es", "max_words", 100000, 200000, "test: flips nothing")])
    out = runs["base"] / "unchanged"
    assert cli.main(["refilter", str(runs["first"]), "--thresholds", str(project), "--out", str(out)]) == 0
    got = json.loads((out / "manifest.json").read_text())
    before = json.loads((runs["first"] / "manifest.json").read_text())
    assert got["refilter"]["rerun_nodes"] == [] and got["refilter"]["flipped"] == {"newly_rejected": 0, "newly_kept": 0}
    assert _funnel(got) == _funnel(before) and _final(out) == _final(runs["first"])
    assert not (out / "_work").exists()  # no dedup phase ran
    assert "nothing flipped" in capsys.readouterr().out


def test_refilter_refuses_what_it_cannot_rebuild(runs: dict[str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    broken = runs["base"] / "broken"
    shutil.copytree(runs["first"], broken)
    shutil.rmtree(broken / "rejected" / "exact")  # rows that reached the quality filter are missing
    code = cli.main(["refilter", str(broken), "--thresholds", str(runs["project"]), "--out", str(runs["base"] / "x")])
    assert code == 2
    err = capsys.readouterr().err
    assert "rejected/exact" in err or "reached quality" in err
    assert cli.main(["refilter", str(runs["base"] / "nope"), "--thresholds", str(shipped_dir())]) == 2
