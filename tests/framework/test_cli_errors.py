"""A catalogue of user errors: each exits non-zero with a message on stderr, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD_HEAD = """
[pipeline]
name = "p"
root = "{root}"
executor = "local"
"""

NODE_JSONL = """
[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = { paths = ["{inputs}"] }
"""

BAD_PIPELINES = {
    "not toml": "[pipeline\nname=",
    "no nodes": GOOD_HEAD,
    "unknown stage": GOOD_HEAD + '[[node]]\nid = "a"\nstage = "extract.trafilatur.v1"\n',
    "misspelt param": GOOD_HEAD + '[[node]]\nid = "a"\nstage = "ingest.jsonl.v1"\nparams = { pahts = ["x"] }\n',
    "wrong type": GOOD_HEAD + '[[node]]\nid = "a"\nstage = "ingest.jsonl.v1"\nparams = { paths = "x" }\n',
    "glob matches nothing": GOOD_HEAD + NODE_JSONL.replace("{inputs}", "nothing/*.jsonl"),
    "missing input node": GOOD_HEAD
    + NODE_JSONL
    + '[[node]]\nid = "n"\nstage = "text.normalize.v1"\ninputs = ["ingst"]\n',
    "column nobody writes": GOOD_HEAD
    + NODE_JSONL
    + '[[node]]\nid = "q"\nstage = "quality.filter.v1"\ninputs = ["ingest"]\n',
    "bad executor": GOOD_HEAD.replace('"local"', '"spark"') + NODE_JSONL,
    "bad max_error_rate": GOOD_HEAD + "max_error_rate = -1\n" + NODE_JSONL,
    "reserved id": GOOD_HEAD + NODE_JSONL.replace('id = "ingest"', 'id = "_run"'),
    "node reads the pack": GOOD_HEAD
    + NODE_JSONL
    + '[[node]]\nid = "t"\nstage = "pack.tokens.v1"\ninputs = ["ingest"]\n'
    + '[[node]]\nid = "n"\nstage = "text.normalize.v1"\ninputs = ["t"]\n',
}


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    return subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120
    )


def assert_user_error(done: subprocess.CompletedProcess[str], *, code: int = 2) -> None:
    assert done.returncode == code, (done.returncode, done.stderr[-2000:])
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout, done.stderr[-2000:]
    assert done.stderr.strip(), "a user error says what is wrong"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.jsonl").write_text('{"id": "1", "text": "Bon dia a tothom."}\n')
    return tmp_path


@pytest.mark.parametrize("case", sorted(BAD_PIPELINES))
def test_bad_pipeline_files_fail_at_plan_and_at_run(workspace: Path, case: str) -> None:
    text = (
        BAD_PIPELINES[case]
        .replace("{root}", str(workspace / "run"))
        .replace("{inputs}", str(workspace / "in" / "*.jsonl"))
    )
    (workspace / "p.toml").write_text(text)
    for command in ("plan", "run"):
        done = cli(command, "p.toml", cwd=workspace)
        assert_user_error(done)
        assert "p.toml" in done.stderr, done.stderr
    assert not (workspace / "run" / "manifest.json").exists()


COMMANDS = [
    ("plan", "missing.toml"),
    ("run", "missing.toml"),
    ("stats", "/nonexistent/run"),
    ("stats", "in"),  # a folder that is not a run
    ("crawl", "missing.toml"),
    ("lid", "train", "--data", "missing", "--out", "x"),
    ("sample", "/nonexistent", "--out", "s"),
    ("review", "/nonexistent"),
    ("review", "report", "/nonexistent"),
    ("tokenizer", "train", "missing", "--vocab-size", "400", "--out", "t"),
    ("pack", "missing", "--tokenizer", "t", "--out", "o", "--seq-len", "16"),
    ("pack", "in", "--tokenizer", "missing", "--out", "o", "--seq-len", "16"),
    ("train", "no-such-preset"),
    ("train", "tiny", "--data", "missing"),
    ("generate", "--checkpoint", "missing", "--prompt", "hola"),
    ("dedup", "plan", "--threshold", "2"),
    ("no-such-command",),
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_commands_given_bad_arguments(workspace: Path, args: tuple[str, ...]) -> None:
    assert_user_error(cli(*args, cwd=workspace))
