"""Planner: a wrong pipeline file fails before any work, naming file, node and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from corpusforge import registry
from corpusforge.plan import PlanError, load
from corpusforge.stage import Stage


@registry.register
class NeedsLang(Stage):
    """A stage that reads a column only language ID writes."""

    name = "test.needs_lang.v1"
    reads = ("text", "lang_tag")

    def process_batch(self, table):
        return table


GOOD = """
[pipeline]
name = "p"
root = "runs/p"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = { paths = ["x.jsonl"] }

[[node]]
id = "norm"
stage = "text.normalize.v1"
inputs = ["ingest"]
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    """Relative input paths are read from the working directory: give GOOD's input a file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.jsonl").write_text('{"id": "1", "text": "hola"}\n')


def _plan(tmp_path: Path, text: str):
    path = tmp_path / "p.toml"
    path.write_text(text)
    return load(path), str(path)


def _error(tmp_path: Path, text: str) -> PlanError:
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(PlanError) as info:
        load(path)
    assert str(path) in str(info.value)
    return info.value


def test_good_plan_fuses_a_chain_into_one_segment(tmp_path):
    plan, _ = _plan(tmp_path, GOOD)
    assert [n.id for s in plan.segments for n in s.nodes] == ["ingest", "norm"]
    assert len(plan.segments) == 1
    assert plan.nodes["norm"].materialized and not plan.nodes["ingest"].materialized
    assert "text.normalize.v1" in plan.describe()


def test_unknown_stage_suggests_close_name(tmp_path):
    err = _error(tmp_path, GOOD.replace("text.normalize.v1", "text.normalise.v1"))
    assert (err.node, err.field) == ("norm", "stage")
    assert "did you mean text.normalize.v1" in str(err)


def test_misspelt_parameter(tmp_path):
    err = _error(tmp_path, GOOD.replace("paths =", "path ="))
    assert (err.node, err.field) == ("ingest", "params.path")
    assert "unknown parameter" in str(err)


def test_wrong_type(tmp_path):
    err = _error(
        tmp_path, GOOD.replace('params = { paths = ["x.jsonl"] }', 'params = { paths = ["x"], batch_size = "big" }')
    )
    assert (err.node, err.field) == ("ingest", "params.batch_size")


def test_missing_input_node(tmp_path):
    err = _error(tmp_path, GOOD.replace('inputs = ["ingest"]', 'inputs = ["ingets"]'))
    assert (err.node, err.field) == ("norm", "inputs")
    assert "ingets" in str(err)


def test_cycle(tmp_path):
    text = GOOD + '\n[[node]]\nid = "a"\nstage = "text.normalize.v1"\ninputs = ["b"]\n'
    text += '\n[[node]]\nid = "b"\nstage = "text.normalize.v1"\ninputs = ["a"]\n'
    err = _error(tmp_path, text)
    assert err.field == "inputs" and "cycle" in str(err)


def test_column_no_upstream_writes(tmp_path):
    text = GOOD + '\n[[node]]\nid = "late"\nstage = "test.needs_lang.v1"\ninputs = ["norm"]\n'
    err = _error(tmp_path, text)
    assert (err.node, err.field) == ("late", "stage")
    assert "lang_tag" in str(err)


def test_bad_executor_and_unknown_keys(tmp_path):
    assert _error(tmp_path, GOOD.replace('executor = "local"', 'executor = "spark"')).field == "pipeline.executor"
    assert _error(tmp_path, GOOD.replace('inputs = ["ingest"]', 'inputs = ["ingest"]\nparmas = {}')).field == "parmas"


def test_source_with_inputs_and_map_without(tmp_path):
    err = _error(tmp_path, GOOD.replace('inputs = ["ingest"]\n', ""))
    assert (err.node, err.field) == ("norm", "inputs")


def test_invalid_toml(tmp_path):
    err = _error(tmp_path, "[pipeline\nname=")
    assert "not valid TOML" in str(err)


def test_cli_plan_reports_error_and_exit_code(tmp_path, capsys):
    from corpusforge.cli import main

    path = tmp_path / "bad.toml"
    path.write_text(GOOD.replace("paths =", "pahts ="))
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "node 'ingest'" in err and "params.pahts" in err


@pytest.mark.parametrize("name", ["demo", "iberian-web", "cc-ingest"])
def test_shipped_pipelines_plan(name: str) -> None:
    pipeline = Path(__file__).resolve().parents[2] / "pipelines" / f"{name}.toml"
    plan = load(pipeline, check_inputs=False)  # their WARC files are the user's
    assert plan.nodes["langid"].inputs and plan.nodes["write"].kind == "sink"
    assert {"lines", "exact", "near", "tokens"} <= set(plan.nodes)
    assert not plan.nodes["tokens"].materialized, "pack writes token streams, not a copy of the documents"


def test_input_glob_matching_nothing_fails_at_plan(tmp_path):
    err = _error(tmp_path, GOOD.replace('"x.jsonl"', '"nothing/*.jsonl"'))
    assert err.node == "ingest" and err.field == "params.paths"
    assert "matches no file" in str(err)


def test_missing_input_file_fails_at_plan_through_the_cli(tmp_path, capsys):
    from corpusforge.cli import main

    path = tmp_path / "p.toml"
    path.write_text(GOOD.replace('"x.jsonl"', '"missing.jsonl"'))
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err
    assert "node 'ingest'" in err and "params.paths" in err and "missing.jsonl" in err


def test_reserved_node_ids(tmp_path):
    for bad in ("_run", "rejected", "_anything"):
        err = _error(tmp_path, GOOD.replace('id = "norm"', f'id = "{bad}"'))
        assert err.field == "id"


def test_output_paths_resolve_against_the_root(tmp_path):
    text = (
        GOOD
        + """
[[node]]
id = "exact"
stage = "dedup.exact.v1"
inputs = ["norm"]
params = { index_out = "index" }
"""
    )
    a = load(_write(tmp_path, "a.toml", text), overrides={"root": str(tmp_path / "ra")})
    b = load(_write(tmp_path, "b.toml", text), overrides={"root": str(tmp_path / "rb")})
    assert a.nodes["exact"].config.index_out == str(tmp_path / "ra" / "index")
    assert b.nodes["exact"].config.index_out == str(tmp_path / "rb" / "index")
    assert a.hash == b.hash, "the same pipeline under two roots keeps its hash"


def test_bad_max_error_rate(tmp_path):
    err = _error(tmp_path, GOOD.replace('executor = "local"', 'executor = "local"\nmax_error_rate = 2'))
    assert err.field == "pipeline.max_error_rate"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_keep_names_nodes_and_materializes_them(tmp_path):
    plan = load(_write(tmp_path, "k.toml", GOOD.replace('executor = "local"', 'executor = "local"\nkeep = ["ingest"]')))
    assert plan.keep == ("ingest",) and plan.nodes["ingest"].materialized
    err = _error(tmp_path, GOOD.replace('executor = "local"', 'executor = "local"\nkeep = ["nope"]'))
    assert err.field == "pipeline.keep" and "nope" in str(err)
