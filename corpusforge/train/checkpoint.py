"""Atomic, self-contained checkpoints under `{run}/checkpoints/step-000123/`.

A checkpoint is a directory: `model.pt` (weights), `optim.pt` (AdamW moments and hyper-parameters),
`trainer.json` (step, data-order position, schedule), `rng-rank{r}.json` (python, numpy, torch and
CUDA generator states of each process), `config.json` (the resolved TrainConfig) and `tokenizer.json`,
so `corpusforge generate` needs nothing else. It is written into a hidden temp directory and renamed
into place: a run killed mid-save leaves the previous checkpoint intact and never a half-written one.
`latest` (one line, replaced atomically) names the newest.

A checkpoint may come from someone else, and unpickling runs whatever the pickle names. So the `.pt`
files hold only tensors, numbers, strings and containers of them, and load with `weights_only=True`
(PyTorch's restricted unpickler): a file with any other object is refused (`CheckpointError`) before
any of it runs. Everything else is JSON. Checkpoints of versions before this format (`trainer.pt`,
`rng-rank*.pt`, pickled) are not resumed; `generate` still reads their `model.pt`, which was tensors.
"""

from __future__ import annotations

import json
import pickle
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import torch

from corpusforge import io

LATEST = "latest"
TRAINER = "trainer.json"
LEGACY_TRAINER = "trainer.pt"  # the pickled format of earlier versions


class CheckpointError(Exception):
    """A checkpoint file that is refused (it holds code-bearing objects) or is not what a run writes."""


def step_dir(run_dir: str | Path, step: int) -> Path:
    return Path(run_dir) / "checkpoints" / f"step-{step:06d}"


def rng_state() -> dict[str, Any]:
    """Every generator's state as JSON values (exact: integers, and floats that round-trip)."""
    version, mt, gauss = random.getstate()
    kind, key, pos, has_gauss, cached = np.random.get_state(legacy=True)
    assert isinstance(key, np.ndarray)  # the legacy tuple form: (kind, key array, pos, has_gauss, cached)
    state: dict[str, Any] = {
        "python": {"version": version, "state": list(mt), "gauss": gauss},
        "numpy": {"kind": kind, "key": key.tolist(), "pos": pos, "has_gauss": has_gauss, "cached": cached},
        "torch": torch.get_rng_state().tolist(),
    }
    if torch.cuda.is_available():
        state["cuda"] = [s.tolist() for s in torch.cuda.get_rng_state_all()]
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    py, npy = state["python"], state["numpy"]
    random.setstate((int(py["version"]), tuple(int(x) for x in py["state"]), py["gauss"]))
    key = np.asarray(npy["key"], dtype=np.uint32)
    np.random.set_state((str(npy["kind"]), key, int(npy["pos"]), int(npy["has_gauss"]), float(npy["cached"])))
    torch.set_rng_state(torch.tensor(state["torch"], dtype=torch.uint8))
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all([torch.tensor(s, dtype=torch.uint8) for s in state["cuda"]])


def restore_rng(ckpt: Path, *, rank: int) -> None:
    """Set every generator from `rng-rank{rank}.json`; a file that is not such a state is a CheckpointError."""
    path = ckpt / f"rng-rank{rank}.json"
    try:
        set_rng_state(read_json(path))
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise CheckpointError(f"{path}: not a generator state this program writes ({exc})") from None


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
    (tmp / f"rng-rank{rank}.json").write_text(json.dumps(rng_state()), encoding="utf-8")


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
    (tmp / TRAINER).write_text(json.dumps(trainer_state, indent=1), encoding="utf-8")
    (tmp / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False), encoding="utf-8")
    if tokenizer is not None and tokenizer.exists():
        shutil.copyfile(tokenizer, tmp / "tokenizer.json")
    final = step_dir(run_dir, step)
    io.commit_local(tmp, final)  # a resumed run re-saving the same step replaces it
    with io.atomic_path(final.parent / LATEST) as pointer:
        Path(pointer).write_text(final.name + "\n", encoding="utf-8")
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
        if (candidate / TRAINER).exists():
            return candidate
    done = sorted(p for p in root.glob("step-*") if (p / TRAINER).exists())
    return done[-1] if done else None


def legacy(run_dir: str | Path) -> list[Path]:
    """Complete checkpoints in the pickled format of earlier versions, oldest first."""
    return sorted(p for p in (Path(run_dir) / "checkpoints").glob("step-*") if (p / LEGACY_TRAINER).exists())


def resolve(path: str | Path) -> Path:
    """A checkpoint directory, or a run directory (its latest checkpoint; for weights, an old-format one too)."""
    p = Path(path)
    if (p / "model.pt").exists():
        return p
    found = latest(p) or next(reversed(legacy(p)), None)
    if found is None:
        raise FileNotFoundError(f"{path}: neither a checkpoint nor a run directory with checkpoints")
    return found


def load(ckpt: Path, *, part: str) -> Any:
    """A tensor part ("model", "optim") of a checkpoint, on CPU, through the restricted unpickler."""
    path = ckpt / f"{part}.pt"
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError as exc:
        first = str(exc).strip().splitlines()[-1][:300] if str(exc).strip() else type(exc).__name__
        raise CheckpointError(
            f"{path}: refused: it holds objects other than tensors and plain values, and loading them could "
            f"run code. Only load checkpoints you trust this way. ({first})"
        ) from None


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(f"{path}: not valid JSON ({exc})") from None
