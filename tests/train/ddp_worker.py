"""Body of one process of the two-process DDP test (imported by torch.multiprocessing.spawn)."""

from __future__ import annotations

import os
import sys

import torch

from corpusforge.train import environment
from corpusforge.train.config import TrainConfig
from corpusforge.train.loop import accumulate_gradients, build, train_step


def loopback_env() -> dict[str, str]:
    """Keep gloo's connections on the loopback interface (the tests never leave 127.0.0.1)."""
    return {"MASTER_ADDR": "127.0.0.1", **({"GLOO_SOCKET_IFNAME": "lo"} if sys.platform == "linux" else {})}


def first_step_and_losses(config: TrainConfig, *, steps: int) -> dict:
    """Gradients of the first global batch (before any update), then the losses of `steps` full steps."""
    env = environment.setup(config.run)
    try:
        # The trainer (and its DDP wrapper) lives in the inner frame, so it is freed before the process
        # group is destroyed: a DDP reducer outliving its group can hang in its destructor.
        return _first_step_and_losses(config, env, steps=steps)
    finally:
        environment.teardown(env)


def _first_step_and_losses(config: TrainConfig, env: environment.Environment, *, steps: int) -> dict:
    t = build(config, env)
    loss = accumulate_gradients(t)
    grads = {n: p.grad.detach().clone() for n, p in t.model.named_parameters()}
    t.optimizer.zero_grad(set_to_none=True)
    t.sampler.load_state_dict(t.sampler.state_dict() | {"epoch": 0, "cursor": 0})  # replay the same batch
    losses = [train_step(t)[0] for _ in range(steps)]
    return {"loss": loss, "grads": grads, "losses": losses}


def run_rank(rank: int, world_size: int, port: int, config: TrainConfig, steps: int, out: str) -> None:
    os.environ.update(
        loopback_env()
        | {"MASTER_PORT": str(port), "RANK": str(rank), "LOCAL_RANK": str(rank), "WORLD_SIZE": str(world_size)}
    )
    result = first_step_and_losses(config, steps=steps)
    torch.save(result, f"{out}/rank{rank}.pt")
