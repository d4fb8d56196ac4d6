"""Data-parallel training on CPU (gloo, 127.0.0.1 only) agrees with one process on the same global batch."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys

import pytest
import torch
import torch.multiprocessing as mp
from ddp_worker import first_step_and_losses, loopback_env, run_rank

from corpusforge.train.config import load_config
from corpusforge.train.loop import train, with_data_vocab
from corpusforge.train.metrics import read

pytestmark = pytest.mark.skipif(not torch.distributed.is_available(), reason="torch built without torch.distributed")

SMALL_STEPS = ["data.seq_len=32", "data.micro_batch_size=4", "run.threads=1", "run.device='cpu'"]


def _config(packed, out, *, accum, extra=()):
    overrides = [f"data.path='{packed}'", f"run.out_dir='{out}'", "run.steps=50", *SMALL_STEPS]
    return with_data_vocab(load_config("tiny", overrides=[*overrides, f"data.grad_accum_steps={accum}", *extra]))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_process_ddp_matches_single_process_gradients(packed_corpus, tmp_path):
    steps = 3
    # 2 ranks x 1 micro-batch of 4 == 1 process x 2 accumulated micro-batches of 4: the same 8 windows.
    ddp_config = _config(packed_corpus, tmp_path / "ddp", accum=1)
    mp.spawn(run_rank, args=(2, _free_port(), ddp_config, steps, str(tmp_path)), nprocs=2, join=True)
    ranks = [torch.load(tmp_path / f"rank{r}.pt", weights_only=False) for r in range(2)]
    single = first_step_and_losses(_config(packed_corpus, tmp_path / "single", accum=2), steps=steps)

    assert ranks[0]["loss"] == pytest.approx(single["loss"], rel=1e-5)
    assert single["grads"].keys() == ranks[0]["grads"].keys()
    for name, grad in single["grads"].items():
        for r in ranks:  # after the all-reduce every rank holds the averaged gradient
            torch.testing.assert_close(r["grads"][name], grad, rtol=1e-4, atol=1e-6, msg=name)
    # The gradients are not trivially equal (zero) and the runs keep agreeing after optimizer updates.
    assert max(float(g.abs().max()) for g in single["grads"].values()) > 1e-3
    assert ranks[0]["losses"] == pytest.approx(single["losses"], rel=1e-4)
    assert ranks[0]["losses"] == ranks[1]["losses"]


def test_torchrun_cli_trains_two_processes_like_one(packed_corpus, tmp_path):
    """`torchrun --nproc-per-node 2 -m corpusforge.cli train ...`: one metrics file, per-rank RNG in checkpoints."""
    common = ["run.log_every=1", "run.eval_every=0", "run.checkpoint_every=2", "run.sample_tokens=0"]
    args = [a for kv in [*SMALL_STEPS, *common] for a in ("--set", kv)]
    cmd = [
        sys.executable, "-m", "torch.distributed.run", "--nnodes", "1", "--nproc-per-node", "2",
        "--master-addr", "127.0.0.1", "--master-port", str(_free_port()),
        "-m", "corpusforge.cli", "train", "tiny", "--data", str(packed_corpus), "--out", str(tmp_path / "ddp"),
        "--steps", "4", *args,
    ]  # fmt: skip
    env = os.environ | loopback_env() | {"OMP_NUM_THREADS": "1"}
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("model:") == 1  # only rank 0 reports

    records = read(tmp_path / "ddp")
    assert [r["step"] for r in records if r["kind"] == "train"] == [1, 2, 3, 4]
    ckpt = tmp_path / "ddp" / "checkpoints" / "step-000004"
    assert (ckpt / "rng-rank0.json").exists() and (ckpt / "rng-rank1.json").exists()
    assert json.loads((ckpt / "trainer.json").read_text(encoding="utf-8"))["world_size"] == 2

    single = train(_config(packed_corpus, tmp_path / "single", accum=2, extra=["run.steps=4", *common]))
    ddp_losses = {r["step"]: r["loss"] for r in records if r["kind"] == "train"}
    assert ddp_losses == pytest.approx(single["losses"], rel=1e-4)
