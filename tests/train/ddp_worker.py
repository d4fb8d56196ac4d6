"""Body of one process of the two-process DDP test (imported by torch.multiprocessing.spawn)."""

from __future__ import annotations

import os

import torch

from corpusforge.train import environment
from corpusforge.train.config import TrainConfig
from corpusforge.train.loop import accumulate_gradients, build, train_step


def first_step_and_losses(config: TrainConfig, *, steps: int) -> dict:
    """Gradients of the first global batch (before any update), then the losses of `steps` full steps."""
    env = environment.setup(config.run)
    try:
        t = build(config, env)
        loss = accumulate_gradients(t)
        grads = {n: p.grad.detach().clone() for n, p in t.model.named_parameters()}
        t.optimizer.zero_grad(set_to_none=True)
        t.sampler.load_state_dict(t.sampler.state_dict() | {"epoch": 0, "cursor": 0})  # replay the same batch
        losses = [train_step(t)[0] for _ in range(steps)]
        return {"loss": loss, "grads": grads, "losses": losses}
    finally:
        environment.teardown(env)


def run_rank(rank: int, world_size: int, port: int, config: TrainConfig, steps: int, out: str) -> None:
    os.environ.update(
        {"MASTER_ADDR": "127.0.0.1", "MASTER_PORT": str(port), "RANK": str(rank), "LOCAL_RANK": str(rank),
         "WORLD_SIZE": str(world_size)}
    )
    result = first_step_and_losses(config, steps=steps)
    torch.save(result, f"{out}/rank{rank}.pt")
