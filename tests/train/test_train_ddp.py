"""Two CPU processes under DDP (gloo) compute the same gradients as one process on the same global batch."""

from __future__ import annotations

import socket

import pytest
import torch
import torch.multiprocessing as mp
from ddp_worker import first_step_and_losses, run_rank

from corpusforge.train.config import load_config
from corpusforge.train.loop import with_data_vocab


def _config(packed, out, *, accum):
    return with_data_vocab(
        load_config(
            "tiny",
            overrides=[
                f"data.path='{packed}'",
                f"run.out_dir='{out}'",
                "run.steps=50",
                "data.seq_len=32",
                "data.micro_batch_size=4",
                f"data.grad_accum_steps={accum}",
                "run.threads=1",
                "run.device='cpu'",
            ],
        )
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch built without torch.distributed")
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
