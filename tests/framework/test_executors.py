"""The process-pool executor and the `auto` choice between in-process, pool and Ray."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from framework_fixtures import pipeline_toml, write_corpus

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.runtime import make_executor, run
from corpusforge.runtime.auto import SMALL_INPUT_BYTES, AutoExecutor, choose, work_bytes
from corpusforge.runtime.local import LocalExecutor
from corpusforge.runtime.pool import PoolExecutor
from corpusforge.runtime.segment import ShardTask


def _plan(tmp_path: Path, name: str, *, files: int = 4, docs: int = 30, executor: str = "local"):
    write_corpus(tmp_path / "in", files=files, docs_per_file=docs)
    toml = tmp_path / f"{name}.toml"
    toml.write_text(pipeline_toml(tmp_path / name, str(tmp_path / "in" / "*.jsonl"), executor=executor))
    return plan_mod.load(toml)


def _rows(directory: Path) -> list[dict]:
    rows = []
    for part in sorted(directory.glob("part-*.parquet")):
        rows += pq.read_table(part).to_pylist()
    return rows


def test_pool_executor_writes_what_the_local_one_writes(tmp_path):
    pooled, local = _plan(tmp_path, "pool"), _plan(tmp_path, "local")
    executor = PoolExecutor(2)
    try:
        run(pooled, executor)
    finally:
        executor.close()
    run(local, LocalExecutor())
    for node in ("normalize", "rejected/ingest"):
        assert _rows(Path(pooled.root) / node) == _rows(Path(local.root) / node)
    untimed = dict.fromkeys(stats.MEASURED, 0)
    assert [s.to_json() | untimed for s in stats.funnel(pooled.root)] == [
        s.to_json() | untimed for s in stats.funnel(local.root)
    ]


def test_pool_executor_maps_in_order_and_reports_each_item():
    executor = PoolExecutor(2)
    seen: list[int] = []
    try:
        assert executor.map(abs, [-3, 2, -1, 0], on_item=lambda: seen.append(1)) == [3, 2, 1, 0]
    finally:
        executor.close()
    assert len(seen) == 4


@pytest.mark.parametrize(
    ("cpus", "input_bytes", "shards", "gpus", "address", "expected"),
    [
        (2, 50 << 20, 4, False, None, "pool"),  # work for two cores: worker processes, no Ray
        (1, 50 << 20, 4, False, None, "local"),  # one CPU: nothing to gain from workers
        (8, 50 << 20, 1, False, None, "local"),  # one shard: one worker would do it all
        (8, SMALL_INPUT_BYTES - 1, 4, False, None, "local"),  # a second of work: start-up costs more
        (8, 50 << 20, 4, True, None, "ray"),  # GPUs are scheduled by Ray
        (1, 1, 1, False, "ray://head:10001", "ray"),  # a cluster was named
        (2, None, 4, False, None, "pool"),  # a source of unknown size (an index fetched over HTTP) is not small
    ],
)
def test_auto_chooses_by_the_work_to_do(cpus, input_bytes, shards, gpus, address, expected):
    assert choose(cpus=cpus, input_bytes=input_bytes, shards=shards, gpus=gpus, ray_address=address) == expected


def test_work_bytes_counts_files_and_ranges_and_knows_when_it_cannot(tmp_path):
    part = tmp_path / "part-00000.parquet"
    part.write_bytes(b"x" * 1000)
    warc = tmp_path / "a.warc.gz"
    warc.write_bytes(b"y" * 300)
    tasks = [
        ShardTask(index=0, source_shard={"path": str(warc)}),
        ShardTask(index=1, source_shard={"path": str(warc), "start": 100, "end": 250}),
        ShardTask(index=2, input_path=str(part)),
    ]
    assert work_bytes(tasks) == 300 + 150 + 1000
    assert work_bytes([*tasks, ShardTask(index=3, source_shard={"index": "https://data.example/cc.parquet"})]) is None


def test_auto_runs_a_small_job_in_process_and_says_so(tmp_path):
    plan = _plan(tmp_path, "auto", executor="auto")
    executor = make_executor(plan.executor, num_cpus=2)
    assert isinstance(executor, AutoExecutor)
    try:
        manifest = run(plan, executor)
    finally:
        executor.close()
    assert manifest["profile"]["executor"] == "auto: local"
    assert isinstance(executor.chosen, LocalExecutor)
    recorded = json.loads((Path(plan.root) / "manifest.json").read_text())
    assert recorded["profile"]["workers"] == 1


def test_plan_accepts_the_new_executors_and_names_the_field(tmp_path):
    for kind in ("auto", "pool"):
        assert _plan(tmp_path, kind, executor=kind).executor == kind
    with pytest.raises(plan_mod.PlanError, match="pipeline.executor"):
        _plan(tmp_path, "bad", executor="threads")


def test_pool_workers_exit_when_the_driver_is_killed(tmp_path: Path) -> None:
    """A run killed with SIGKILL (OOM killer, kill -9) must not leave its worker processes (and the
    forkserver) behind, each holding its models in memory, waiting forever for work."""
    import os
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "driver.py"
    script.write_text(
        "import time\n"
        "from corpusforge.runtime.pool import PoolExecutor, worker_pid\n"
        "if __name__ == '__main__':\n"
        "    pool = PoolExecutor(2)\n"
        "    print(*sorted(set(pool.map(worker_pid, list(range(8))))), flush=True)\n"
        "    time.sleep(600)\n"
    )
    driver = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    try:
        assert driver.stdout is not None
        workers = [int(p) for p in driver.stdout.readline().split()]
        assert workers and driver.pid not in workers
        os.kill(driver.pid, signal.SIGKILL)
        driver.wait(10)
        deadline = time.monotonic() + 15
        alive = workers
        while alive and time.monotonic() < deadline:
            time.sleep(0.2)
            alive = [p for p in workers if _alive(p)]
        assert not alive, f"worker processes {alive} outlived their driver"
    finally:
        if driver.poll() is None:
            driver.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
