"""A run redirected to a file logs its progress while it runs, global phases included."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from framework_fixtures import pipeline_toml, write_corpus

EXACT = '[[node]]\nid = "exact"\nstage = "dedup.exact.v1"\ninputs = ["normalize"]\nparams = { partitions = 3 }\n'


def test_progress_lines_and_log_file_when_not_on_a_terminal(tmp_path: Path) -> None:
    write_corpus(tmp_path / "in", files=4, docs_per_file=50, bad_lines=False)
    toml = tmp_path / "p.toml"
    toml.write_text(pipeline_toml(tmp_path / "run", str(tmp_path / "in" / "*.jsonl"), extra_nodes=EXACT))
    log_file = tmp_path / "run.log"
    args = ["run", str(toml), "--progress-interval", "0", "--log-file", str(log_file)]
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    done = subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", *args], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    shard_lines = [line for line in lines if "segment ingest:" in line and "shards," in line]
    assert [line.split("segment ingest: ")[1].split(" shards")[0] for line in shard_lines] == [
        "1/4",
        "2/4",
        "3/4",
        "4/4",
    ], "one line per finished shard with an interval of 0"
    assert "docs in (" in shard_lines[-1] and "ETA" in shard_lines[-1]
    assert any("exact: signature 4/4 tasks" in line for line in lines), "the global phases report too"
    assert any("exact: cluster 3/3 tasks" in line for line in lines)
    assert log_file.read_text().splitlines() == lines, "the log file holds the same lines"
    quiet = subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--quiet", "--fresh"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert quiet.returncode == 0 and "corpusforge.progress" not in quiet.stderr


def test_stats_of_a_run_in_progress(tmp_path: Path) -> None:
    import signal
    import time

    write_corpus(tmp_path / "in", files=16, docs_per_file=1500, bad_lines=False)
    toml = tmp_path / "p.toml"
    toml.write_text(pipeline_toml(tmp_path / "run", str(tmp_path / "in" / "*.jsonl")))
    env = dict(os.environ, RAY_AUTH_MODE="disabled")
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        done_dir = tmp_path / "run" / "_done" / "ingest"
        deadline = time.time() + 120
        while time.time() < deadline and len(list(done_dir.glob("*.json"))) < 2:
            time.sleep(0.05)
        shown = subprocess.run(
            [sys.executable, "-m", "corpusforge.cli", "stats", str(tmp_path / "run")],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert shown.returncode == 0, shown.stderr
    row = next(line.split() for line in shown.stdout.splitlines() if line.startswith("ingest"))
    docs_in, seconds, rate = int(row[1]), float(row[5]), row[6]
    assert 2 * 1500 <= docs_in < 16 * 1500, "what has finished so far"
    assert seconds > 0 and float(rate) > 0


def test_stats_of_a_run_before_its_first_shard_finishes(tmp_path: Path) -> None:
    """A root where a run began (its plan is recorded) but nothing finished is a run in progress or
    stopped early, not a wrong path: say so and exit 0; a folder that is no root stays an error."""
    from corpusforge import plan as plan_mod
    from corpusforge.rundir import RunDir
    from corpusforge.runtime.driver import _claim_root

    write_corpus(tmp_path / "in", files=1, docs_per_file=10, bad_lines=False)
    toml = tmp_path / "p.toml"
    toml.write_text(pipeline_toml(tmp_path / "run", str(tmp_path / "in" / "*.jsonl")))
    _claim_root(plan_mod.load(str(toml)), RunDir(str(tmp_path / "run")))  # what a run does first
    cli = [sys.executable, "-m", "corpusforge.cli", "stats"]
    began = subprocess.run([*cli, str(tmp_path / "run")], capture_output=True, text=True, timeout=120)
    assert began.returncode == 0 and "no shard has finished yet" in began.stdout
    (tmp_path / "empty").mkdir()
    other = subprocess.run([*cli, str(tmp_path / "empty")], capture_output=True, text=True, timeout=120)
    assert other.returncode == 2 and "no finished shard" in other.stderr
