"""The CLI's conventions: the input is positional (old `--input` a hidden alias), results print as `--json`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
from framework_fixtures import pipeline_toml, write_corpus

from corpusforge import cli
from corpusforge import plan as plan_mod
from corpusforge.cli import main
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

# Each command that reads an input, with the other arguments it requires.
INPUT_COMMANDS = {
    "pack": (["pack"], ["--tokenizer", "t", "--out", "o", "--seq-len", "16"]),
    "tokenizer train": (["tokenizer", "train"], ["--vocab-size", "400", "--out", "t"]),
    "tokenizer report": (["tokenizer", "report"], ["--tokenizer", "t"]),
}


def _parse(argv: list[str]) -> argparse.Namespace:
    args = cli.build_parser().parse_args(argv)
    args.resolve(args)
    return args


def _subparser(words: list[str]) -> argparse.ArgumentParser:
    parser = cli.build_parser()
    for word in words:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[word]
    return parser


@pytest.mark.parametrize("name", sorted(INPUT_COMMANDS))
def test_input_is_positional_and_old_flag_a_hidden_alias(name: str) -> None:
    words, rest = INPUT_COMMANDS[name]
    assert _parse([*words, "runs/web", *rest]).input == "runs/web"
    assert _parse([*words, "--input", "runs/web", *rest]).input == "runs/web"  # old spelling
    assert _parse([*words, "runs/web", "--input", "runs/web", *rest]).input == "runs/web"  # same twice: fine
    usage = _subparser(words).format_help()
    assert "INPUT" in usage and "--input" not in usage


@pytest.mark.parametrize("name", sorted(INPUT_COMMANDS))
def test_input_given_twice_and_different_fails(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    words, rest = INPUT_COMMANDS[name]
    assert main([*words, "runs/a", "--input", "runs/b", *rest]) == 2
    err = capsys.readouterr().err
    assert "INPUT 'runs/a'" in err and "--input 'runs/b'" in err


@pytest.mark.parametrize("name", sorted(INPUT_COMMANDS))
def test_input_missing_is_an_argparse_error(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    words, rest = INPUT_COMMANDS[name]
    with pytest.raises(SystemExit) as exc:
        main([*words, *rest])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("usage: corpusforge " + " ".join(words))
    assert "the following arguments are required: INPUT" in err


EXACT = """
[[node]]
id = "exact"
stage = "dedup.exact.v1"
inputs = ["normalize"]
params = { partitions = 2 }
"""


@pytest.fixture
def pipeline(tmp_path: Path) -> Path:
    write_corpus(tmp_path / "in", files=2, docs_per_file=30)
    toml = tmp_path / "p.toml"
    toml.write_text(pipeline_toml(tmp_path / "run", str(tmp_path / "in" / "*.jsonl"), extra_nodes=EXACT))
    return toml


def test_plan_json_lists_segments_nodes_outputs_and_hash(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(pipeline), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    plan = plan_mod.load(pipeline)
    assert got["hash"] == plan.hash and got["pipeline"] == "framework-test" and got["executor"] == "local"
    assert got["segments"] == [
        {"id": "ingest", "upstream": None, "nodes": ["ingest", "normalize"]},
        {"id": "exact", "upstream": "normalize", "nodes": ["exact"]},
    ]
    nodes = {n["id"]: n for n in got["nodes"]}
    assert [(n["stage"], n["kind"], n["inputs"]) for n in nodes.values()] == [
        ("ingest.jsonl.v1", "source", []),
        ("text.normalize.v1", "map", ["ingest"]),
        ("dedup.exact.v1", "global", ["normalize"]),
    ]
    assert nodes["ingest"]["output"] is None  # fused into its segment: written nowhere
    assert nodes["normalize"]["output"] == plan.run_dir.node("normalize")  # a global stage's input
    assert nodes["exact"]["params"]["partitions"] == 2


def test_stats_json_is_the_funnel_of_the_run(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = run(plan_mod.load(pipeline), LocalExecutor())
    root = str(pipeline.parent / "run")
    assert main(["stats", root, "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["complete"] and got["hash"] == manifest["hash"] and got["pipeline"] == "framework-test"
    assert got["profile"]["executor"] == "local" and got["profile"]["workers"] == 1
    expected = {n["id"]: n for n in manifest["nodes"]}
    assert [n["node"] for n in got["nodes"]] == list(expected)
    for node in got["nodes"]:
        recorded = expected[node["node"]]
        assert node["stage"] == recorded["stage"]
        for key in ("in", "kept", "rejected", "errors", "kept_by_lang"):
            assert node[key] == recorded[key], (node["node"], key)
        assert node["in"] == node["kept"] + sum(node["rejected"].values()) + sum(node["errors"].values())
    ingest = got["nodes"][0]
    # write_corpus breaks every 7th line's JSON and drops the text of every 11th: counted, by reason
    assert ingest["in"] == 60 and sum(ingest["errors"].values()) + sum(ingest["rejected"].values()) > 0
    assert got["nodes"][-1]["disk_bytes"] > 0


def test_stats_json_of_a_run_in_progress(pipeline: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(plan_mod.load(pipeline), LocalExecutor())
    root = pipeline.parent / "run"
    (root / "manifest.json").unlink()  # as if the run were still going
    assert main(["stats", str(root), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert not got["complete"] and "hash" not in got and "profile" not in got
    assert {n["node"] for n in got["nodes"]} == {"ingest", "normalize", "exact"}
    assert all(n["stage"] is None for n in got["nodes"])


def test_dedup_plan_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dedup", "plan", "--threshold", "0.8", "--bands", "20", "--rows", "5", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert (got["bands"], got["rows"], got["threshold"], got["verified"]) == (20, 5, 0.8, True)
    for point in got["curve"]:
        assert point["p_candidate"] == pytest.approx(1 - (1 - point["jaccard"] ** 5) ** 20)
