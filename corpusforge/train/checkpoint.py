"""Atomic, self-contained checkpoints under `{run}/checkpoints/step-000123/`.

A checkpoint is a directory: `model.pt` (weights), `optim.pt` (AdamW moments), `trainer.pt` (step,
data-order position, schedule), `rng-rank{r}.pt` (python, numpy, torch and CUDA generator states of each
process), `config.json` (the resolved TrainConfig) and `tokenizer.json`, so `corpusforge generate` needs
nothing else. It is written into a hidden temp directory and renamed into place: a run killed mid-save
leaves the previous checkpoint intact and never a half-written one. `latest` (one line, replaced
atomically) names the newest.
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch

LATEST = "latest"


def step_dir(run_dir: str | Path, step: int) -> Path:
    return Path(run_dir) / "checkpoints" / f"step-{step:06d}"


def rng_state() -> dict[str, Any]:
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    np.random.set_state(state["numpy"])
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def temp_dir(run_dir: str | Path, step: int) -> Path:
    final = step_dir(run_dir, step)
    return final.with_name(f".tmp-{final.name}")


def begin(run_dir: str | Path, step: int) -> Path:
    """Create an empty temp directory for checkpoint `step` (rank 0, before the others write into it)."""
    tmp = temp_dir(run_dir, step)
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    return tmp


def write_rank_state(tmp: Path, *, rank: int) -> None:
    torch.save(rng_state(), tmp / f"rng-rank{rank}.pt")


def commit(
    tmp: Path,
    *,
    run_dir: str | Path,
    step: int,
    model_state: dict[str, Any],
    optim_state: dict[str, Any],
    trainer_state: dict[str, Any],
    config: dict[str, Any],
    tokenizer: Path | None,
    keep: int,
) -> Path:
    """Write the shared files into `tmp`, rename it into place, point `latest` at it, prune old ones."""
    torch.save(model_state, tmp / "model.pt")
    torch.save(optim_state, tmp / "optim.pt")
    torch.save(trainer_state, tmp / "trainer.pt")
    (tmp / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False), encoding="utf-8")
    if tokenizer is not None and tokenizer.exists():
        shutil.copyfile(tokenizer, tmp / "tokenizer.json")
    final = step_dir(run_dir, step)
    if final.exists():  # a resumed run re-saving the same step: replace it
        shutil.rmtree(final)
    os.replace(tmp, final)
    pointer = final.parent / f".{LATEST}.tmp"
    pointer.write_text(final.name + "\n", encoding="utf-8")
    os.replace(pointer, final.parent / LATEST)
    _prune(final.parent, keep=keep)
    return final


def _prune(root: Path, *, keep: int) -> None:
    done = sorted(p for p in root.glob("step-*") if p.is_dir())
    for old in done[:-keep]:
        shutil.rmtree(old, ignore_errors=True)


def latest(run_dir: str | Path) -> Path | None:
    """The newest complete checkpoint of a run, or None."""
    root = Path(run_dir) / "checkpoints"
    pointer = root / LATEST
    if pointer.exists():
        candidate = root / pointer.read_text(encoding="utf-8").strip()
        if (candidate / "trainer.pt").exists():
            return candidate
    done = sorted(p for p in root.glob("step-*") if (p / "trainer.pt").exists())
    return done[-1] if done else None


def resolve(path: str | Path) -> Path:
    """A checkpoint directory, or a run directory (its latest checkpoint)."""
    p = Path(path)
    if (p / "model.pt").exists():
        return p
    found = latest(p)
    if found is None:
        raise FileNotFoundError(f"{path}: neither a checkpoint nor a run directory with checkpoints")
    return found


def load(ckpt: Path, *, part: str) -> Any:
    """One part ("model", "optim", "trainer", "rng-rank0" ...) of a checkpoint, on CPU."""
    # weights_only=False: numpy's RNG state is not a tensor; these files are ones this run wrote.
    return torch.load(ckpt / f"{part}.pt", map_location="cpu", weights_only=False)
