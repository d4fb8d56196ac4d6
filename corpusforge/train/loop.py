"""The training loop, as functions over a `TrainConfig`: build, step, evaluate, checkpoint, resume.

    >>> from corpusforge.train.config import load_config
    >>> summary = train(load_config("tiny", overrides=["data.path='runs/demo-packed'"]))  # doctest: +SKIP

One optimizer step consumes `micro_batch_size * grad_accum_steps * world_size` samples of `seq_len`
tokens. Exact resume: the sampler position, the optimizer moments, the schedule position (the learning
rate is a pure function of the step) and every RNG are restored from the checkpoint, so on CPU
(deterministic algorithms) a resumed run reproduces the losses of an uninterrupted one bit for bit.
"""

from __future__ import annotations

import contextlib
import math
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from corpusforge.train import checkpoint, data, environment
from corpusforge.train.config import OptimConfig, TrainConfig
from corpusforge.train.environment import Environment
from corpusforge.train.metrics import MetricsLog, perplexity, plot
from corpusforge.train.model import Transformer


def with_data_vocab(config: TrainConfig) -> TrainConfig:
    """Fill model.vocab_size from the packed data's manifest when the config leaves it at 0."""
    manifest = data.read_manifest(config.data.path)
    vocab = int(manifest["vocab_size"])
    if config.model.vocab_size == 0:
        return config.model_copy(update={"model": config.model.model_copy(update={"vocab_size": vocab})})
    if config.model.vocab_size < vocab:
        raise ValueError(f"model.vocab_size={config.model.vocab_size} is smaller than the data's vocabulary {vocab}")
    return config


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def build_optimizer(model: nn.Module, optim: OptimConfig, *, device: torch.device) -> torch.optim.AdamW:
    """AdamW with two groups: matrices (linear, embedding) decay; vectors (norm gains) do not."""
    params = [p for p in model.parameters() if p.requires_grad]
    decay = [p for p in params if p.dim() >= 2]
    no_decay = [p for p in params if p.dim() < 2]
    groups = [
        {"params": decay, "weight_decay": optim.weight_decay},
        {"params": no_decay, "weight_decay": 0.0},
    ]
    return torch.optim.AdamW(
        groups,
        lr=optim.lr,
        betas=(optim.beta1, optim.beta2),
        eps=optim.eps,
        fused=device.type == "cuda",  # one kernel for all parameters on GPU
    )


def lr_at(step: int, optim: OptimConfig, *, total_steps: int) -> float:
    """Learning rate of optimizer step `step` (0-based): linear warmup, then cosine to min_lr_ratio * lr."""
    if step < optim.warmup_steps:
        return optim.lr * (step + 1) / optim.warmup_steps
    span = max(1, total_steps - 1 - optim.warmup_steps)  # the last step (total_steps - 1) trains at the floor
    progress = min(1.0, (step - optim.warmup_steps) / span)
    floor = optim.lr * optim.min_lr_ratio
    return floor + (optim.lr - floor) * 0.5 * (1.0 + math.cos(math.pi * progress))


@dataclass
class Trainer:
    """Everything one process holds during a run."""

    config: TrainConfig
    env: Environment
    model: Transformer  # the plain module: evaluation, checkpoints, generation
    forward: nn.Module  # what training calls: model, possibly compiled and wrapped in DDP
    optimizer: torch.optim.AdamW
    dataset: data.PackedTokens
    sampler: data.ResumableSampler
    step: int = 0
    val_sets: dict[str, tuple[torch.Tensor, torch.Tensor]] = field(default_factory=dict)


def build(config: TrainConfig, env: Environment) -> Trainer:
    """Model, optimizer and data for this process, from a config whose vocab_size is resolved."""
    seed_everything(config.run.seed)  # the same initial weights on every rank
    model = Transformer(config.model).to(env.device)
    torch.manual_seed(config.run.seed + env.rank)  # then a dropout stream of its own per rank
    forward: nn.Module = model
    if config.run.compile:
        forward = torch.compile(model)  # type: ignore[assignment]
    if env.distributed:
        from torch.nn.parallel import DistributedDataParallel

        forward = DistributedDataParallel(forward, device_ids=[env.local_rank] if env.device.type == "cuda" else None)
    dataset = data.PackedTokens(config.data.path, "train", seq_len=config.data.seq_len, mode=config.data.sampling)
    sampler = data.ResumableSampler(len(dataset), seed=config.run.seed, shuffle=config.data.shuffle)
    val_sets = data.validation_sets(
        config.data.path, seq_len=config.data.seq_len, windows_per_lang=config.data.val_windows_per_lang
    )
    optimizer = build_optimizer(model, config.optim, device=env.device)
    return Trainer(config, env, model, forward, optimizer, dataset, sampler, val_sets=val_sets)


def train_step(t: Trainer) -> tuple[float, float]:
    """One optimizer step over this process's share of the global batch; returns (mean loss, grad norm)."""
    lr = lr_at(t.step, t.config.optim, total_steps=t.config.run.steps)
    for group in t.optimizer.param_groups:
        group["lr"] = lr
    loss = accumulate_gradients(t)
    clip = t.config.optim.grad_clip
    norm = nn.utils.clip_grad_norm_(t.model.parameters(), clip if clip > 0 else float("inf"))
    t.optimizer.step()
    t.optimizer.zero_grad(set_to_none=True)
    t.step += 1
    return loss, float(norm)


def accumulate_gradients(t: Trainer) -> float:
    """Forward and backward over the next global batch's share of this rank; returns the global mean loss.

    Afterwards each parameter's .grad is the gradient of the mean loss over the whole global batch
    (DDP averages across ranks; each micro-batch contributes 1/n_micro of its own mean).
    """
    d = t.config.data
    global_indices = data.take(t.sampler, d.micro_batch_size * d.grad_accum_steps * t.env.world_size)
    micro_batches = data.rank_micro_batches(
        global_indices, micro_batch_size=d.micro_batch_size, rank=t.env.rank, world_size=t.env.world_size
    )
    total = torch.zeros((), device=t.env.device)
    for i, indices in enumerate(micro_batches):
        x, y = data.batch(t.dataset, indices)
        x, y = x.to(t.env.device, non_blocking=True), y.to(t.env.device, non_blocking=True)
        last = i == len(micro_batches) - 1
        # DDP all-reduces gradients only on the last micro-batch; the earlier ones accumulate locally.
        sync = t.forward.no_sync() if t.env.distributed and not last else contextlib.nullcontext()  # type: ignore[operator]
        with sync:
            with t.env.autocast():  # the forward only: backward runs each op in its forward's dtype
                _, loss = t.forward(x, y)
            (loss / len(micro_batches)).backward()
        total += loss.detach()
    mean = total / len(micro_batches)
    if t.env.distributed:
        dist.all_reduce(mean, op=dist.ReduceOp.AVG)
    return float(mean)


@torch.no_grad()
def evaluate(t: Trainer) -> dict[str, Any]:
    """Mean loss and perplexity per lang_tag on the validation windows, and token-weighted overall."""
    t.model.eval()
    by_lang: dict[str, dict[str, float]] = {}
    for tag, (xs, ys) in t.val_sets.items():
        loss_sum, count = 0.0, 0
        for start in range(0, len(xs), t.config.data.eval_batch_size):
            x = xs[start : start + t.config.data.eval_batch_size].to(t.env.device)
            y = ys[start : start + t.config.data.eval_batch_size].to(t.env.device)
            with t.env.autocast():
                _, loss = t.model(x, y)
            loss_sum += float(loss) * y.numel()
            count += y.numel()
        by_lang[tag] = {"loss": loss_sum / count, "ppl": perplexity(loss_sum / count), "tokens": count}
    t.model.train()
    tokens = sum(v["tokens"] for v in by_lang.values())
    overall = sum(v["loss"] * v["tokens"] for v in by_lang.values()) / tokens if tokens else float("nan")
    return {"kind": "eval", "step": t.step, "loss": overall, "ppl": perplexity(overall), "by_lang": by_lang}


def save(t: Trainer) -> Path | None:
    """Checkpoint this step atomically; every rank contributes its RNG state."""
    run_dir = t.config.run.out_dir
    tmp = checkpoint.temp_dir(run_dir, t.step)
    if t.env.is_main:
        checkpoint.begin(run_dir, t.step)
    t.env.barrier()
    checkpoint.write_rank_state(tmp, rank=t.env.rank)
    t.env.barrier()
    final = None
    if t.env.is_main:
        final = checkpoint.commit(
            tmp,
            run_dir=run_dir,
            step=t.step,
            model_state=t.model.state_dict(),
            optim_state=t.optimizer.state_dict(),
            trainer_state=_trainer_state(t),
            config=t.config.model_dump(mode="json") | {"tokens": _token_info(t.config)},
            tokenizer=Path(t.config.data.path) / "tokenizer" / "tokenizer.json",
            keep=t.config.run.keep_checkpoints,
        )
    t.env.barrier()
    return final


def _trainer_state(t: Trainer) -> dict[str, Any]:
    """What besides weights and moments a resume needs: the step (which is also the schedule's whole
    state), the sampler position and the number of processes the data was dealt to."""
    optim = t.config.optim
    return {
        "step": t.step,
        "sampler": t.sampler.state_dict(),
        "world_size": t.env.world_size,
        "schedule": {
            "kind": "warmup_cosine",
            "warmup_steps": optim.warmup_steps,
            "total_steps": t.config.run.steps,
            "next_lr": lr_at(t.step, optim, total_steps=t.config.run.steps),
        },
    }


def _token_info(config: TrainConfig) -> dict[str, Any]:
    manifest = data.read_manifest(config.data.path)
    keys = ("bos_id", "eos_id", "pad_id", "bos_per_document", "vocab_size", "tokenizer_sha256")
    return {k: manifest.get(k) for k in keys} | {"sampling": config.data.sampling}


class ResumeError(RuntimeError):
    """A checkpoint this run cannot continue from: other processes, pack, seed or model shape."""


def restore(t: Trainer, ckpt: Path) -> None:
    """Load model, optimizer, step, data position and this rank's RNG from a checkpoint."""
    trainer_state = checkpoint.read_json(ckpt / checkpoint.TRAINER)
    if not isinstance(trainer_state, dict) or not {"step", "sampler", "world_size"} <= trainer_state.keys():
        raise checkpoint.CheckpointError(f"{ckpt / checkpoint.TRAINER}: not a trainer state this program writes")
    if trainer_state["world_size"] != t.env.world_size:
        raise ResumeError(
            f"{ckpt} was written by {trainer_state['world_size']} processes; resume with the same number "
            f"(this run has {t.env.world_size}) so the data order and RNG streams match"
        )
    try:
        t.sampler.load_state_dict(trainer_state["sampler"])  # first: the cheap check of pack and seed
        t.model.load_state_dict(checkpoint.load(ckpt, part="model"))
        t.optimizer.load_state_dict(checkpoint.load(ckpt, part="optim"))
    except (ValueError, RuntimeError) as exc:
        raise ResumeError(f"{ckpt} does not fit this run's config: {exc}") from exc
    t.step = int(trainer_state["step"])
    checkpoint.restore_rng(ckpt, rank=t.env.rank)


def train(config: TrainConfig, *, resume: bool = False, stop_after: int | None = None) -> dict[str, Any]:
    """Run (or resume) training; returns a summary with the per-step losses of this invocation.

    `stop_after` ends the invocation after that many total steps without finishing the schedule (the
    schedule still spans `run.steps`): how the resume test interrupts a run.
    """
    config = with_data_vocab(config)
    env = environment.setup(config.run)
    try:
        # _run holds the trainer, so its DDP wrapper is freed before teardown destroys the process
        # group (a reducer that outlives its group can hang in its destructor).
        return _run(config, env, resume=resume, stop_after=stop_after)
    finally:
        environment.teardown(env)


def _run(config: TrainConfig, env: Environment, *, resume: bool, stop_after: int | None) -> dict[str, Any]:
    run, out = config.run, Path(config.run.out_dir)
    t = build(config, env)
    ckpt = checkpoint.latest(out) if resume else None
    if resume and ckpt is None and checkpoint.legacy(out):
        raise ResumeError(
            f"{checkpoint.legacy(out)[-1]} was written by an older corpusforge, whose trainer and RNG state "
            "were pickles that can run code when loaded; it is not resumed. Train afresh (without --resume); "
            "`corpusforge generate` still reads its weights"
        )
    if resume and ckpt is None and env.is_main:
        print(f"note: no checkpoint under {out}; starting from step 0", file=sys.stderr)
    if ckpt is not None:
        restore(t, ckpt)
    log = None
    if env.is_main:
        if ckpt is None and (out / "checkpoints").exists():
            shutil.rmtree(out / "checkpoints")  # a fresh run must never resume into an old run's files
        out.mkdir(parents=True, exist_ok=True)
        (out / "config.json").write_text(config.model_dump_json(indent=1), encoding="utf-8")
        log = MetricsLog(out, resume_step=t.step if ckpt is not None else None)
        _describe(t)
    flops_per_token = t.model.flops_per_token(config.data.seq_len)
    peak = environment.peak_flops(env, run)
    tokens_per_step = config.data.micro_batch_size * config.data.grad_accum_steps * env.world_size * config.data.seq_len
    losses: dict[int, float] = {}
    last_eval: dict[str, Any] | None = None
    if t.step == 0 and log is not None and t.val_sets:
        log.write(evaluate(t))
    end = min(run.steps, stop_after) if stop_after else run.steps
    environment.synchronize(env)
    clock, since = time.perf_counter(), t.step
    while t.step < end:
        loss, norm = train_step(t)
        losses[t.step] = loss
        if not math.isfinite(loss):
            raise FloatingPointError(f"loss is {loss} at step {t.step}; lower optim.lr or check the data")
        if t.step % run.log_every == 0 or t.step == end:
            environment.synchronize(env)
            elapsed = time.perf_counter() - clock
            tps = tokens_per_step * (t.step - since) / elapsed
            record = {
                "kind": "train",
                "step": t.step,
                "loss": loss,
                "lr": t.optimizer.param_groups[0]["lr"],
                "grad_norm": norm,
                "tokens": t.step * tokens_per_step,
                "tokens_per_s": tps,
                "mfu": flops_per_token * tps / (peak * env.world_size) if peak else None,
                "memory_gb": environment.peak_memory_gb(env),
            }
            if log is not None:
                log.write(record)
                _print_progress(record)
            clock, since = time.perf_counter(), t.step
        at_end = t.step == run.steps
        if log is not None and t.val_sets and (at_end or (run.eval_every and t.step % run.eval_every == 0)):
            last_eval = evaluate(t)
            log.write(last_eval)
            _print_eval(last_eval)
        if at_end or t.step == end or (run.checkpoint_every and t.step % run.checkpoint_every == 0):
            save(t)
        if log is not None and (at_end or (run.eval_every and t.step % run.eval_every == 0)):
            clock, since = time.perf_counter(), t.step  # evaluation and saving are not training throughput
    summary: dict[str, Any] = {"step": t.step, "losses": losses, "eval": last_eval, "out_dir": str(out)}
    if env.is_main and t.step == run.steps:
        summary["plot"] = str(plot(out))
        if run.sample_tokens:
            from corpusforge.train.generate import sample_text

            summary["sample"] = sample_text(
                t.model,
                tokenizer_path=Path(config.data.path) / "tokenizer" / "tokenizer.json",
                tokens=_token_info(config),
                prompt=run.sample_prompt,
                max_new_tokens=run.sample_tokens,
                seed=run.seed,
            )
    return summary


def _describe(t: Trainer) -> None:
    c, e = t.config, t.env
    print(
        f"model: {t.model.num_params() / 1e6:.2f}M parameters, {c.model.n_layers} layers, d={c.model.d_model}; "
        f"device {e.device}, {e.world_size} process(es), {str(e.dtype).removeprefix('torch.')}"
        f"{', compiled' if c.run.compile else ''}; {len(t.dataset)} train samples of {c.data.seq_len} tokens "
        f"({c.data.sampling}), "
        f"val tags: {', '.join(t.val_sets) or '(none)'}",
        flush=True,
    )


def _print_progress(r: dict[str, Any]) -> None:
    mfu = f" mfu {100 * r['mfu']:.1f}%" if r["mfu"] is not None else ""
    print(
        f"step {r['step']:>6}  loss {r['loss']:.4f}  lr {r['lr']:.2e}  {r['tokens_per_s']:,.0f} tok/s{mfu}"
        f"  mem {r['memory_gb']:.2f} GB",
        flush=True,
    )


def _print_eval(r: dict[str, Any]) -> None:
    tags = "  ".join(f"{k} {v['loss']:.3f}" for k, v in r["by_lang"].items())
    print(f"eval {r['step']:>6}  loss {r['loss']:.4f}  ppl {r['ppl']:.1f}  |  {tags}", flush=True)
