"""Checkpoints from elsewhere are data, not code: tensors load with `weights_only=True`, the rest is JSON,
and a checkpoint that carries a pickled object is refused before anything in it runs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from corpusforge.cli import main
from corpusforge.train import checkpoint
from corpusforge.train.checkpoint import CheckpointError
from corpusforge.train.config import load_config
from corpusforge.train.generate import load_checkpoint
from corpusforge.train.loop import ResumeError, train


class Payload:
    """What a hostile checkpoint holds: unpickling it calls `exec`, which writes `marker`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').write('ran')",))


def _config(packed, out):
    small = ["run.steps=8", "data.seq_len=32", "data.micro_batch_size=4", "run.threads=1", "run.sample_tokens=0"]
    return load_config(
        "tiny",
        overrides=[f"data.path='{packed}'", f"run.out_dir='{out}'", "run.eval_every=0", *small],
    )


@pytest.fixture(scope="module")
def short_run(packed_corpus, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("ckpt") / "run"
    train(_config(packed_corpus, out), stop_after=3)
    return out


def _copy(run: Path, tmp_path: Path) -> tuple[Path, Path]:
    out = tmp_path / "run"
    shutil.copytree(run, out)
    return out, checkpoint.latest(out)


def test_a_checkpoint_holds_tensors_and_json_only(short_run: Path) -> None:
    ckpt = checkpoint.latest(short_run)
    assert sorted(p.name for p in ckpt.iterdir()) == [
        "config.json",
        "model.pt",
        "optim.pt",
        "rng-rank0.json",
        "tokenizer.json",
        "trainer.json",
    ]
    for part in ("model.pt", "optim.pt"):
        torch.load(ckpt / part, map_location="cpu", weights_only=True)  # loads under the strict unpickler
    trainer = json.loads((ckpt / "trainer.json").read_text(encoding="utf-8"))
    assert trainer["step"] == 3 and trainer["world_size"] == 1 and trainer["sampler"]["cursor"] > 0


@pytest.mark.parametrize("part", ["model.pt", "optim.pt"])
def test_resume_refuses_a_pickled_object_and_runs_none_of_it(short_run, packed_corpus, tmp_path, part) -> None:
    out, ckpt = _copy(short_run, tmp_path)
    marker = tmp_path / "pwned"
    real = torch.load(ckpt / part, map_location="cpu", weights_only=True)
    torch.save({**real, "extra": Payload(marker)}, ckpt / part)  # a real checkpoint with a passenger
    with pytest.raises(CheckpointError, match=part):
        train(_config(packed_corpus, out), resume=True)
    assert not marker.exists()
    assert (ckpt / part).exists()  # refused, not deleted


def test_generate_refuses_a_pickled_object_and_runs_none_of_it(short_run, tmp_path, capsys) -> None:
    out, ckpt = _copy(short_run, tmp_path)
    marker = tmp_path / "pwned"
    torch.save(Payload(marker), ckpt / "model.pt")
    with pytest.raises(CheckpointError, match="model.pt"):
        load_checkpoint(out)
    assert main(["generate", "--checkpoint", str(ckpt), "--prompt", "La ciutat"]) == 2
    assert "refused" in capsys.readouterr().err
    assert not marker.exists()


def test_rng_and_trainer_state_are_json_not_pickles(short_run, packed_corpus, tmp_path) -> None:
    """A hand-edited trainer.json that is not what a run writes is an error, not a crash in the loop."""
    out, ckpt = _copy(short_run, tmp_path)
    (ckpt / "rng-rank0.json").write_text('{"python": "not a state"}', encoding="utf-8")
    with pytest.raises(CheckpointError, match="rng-rank0.json"):
        train(_config(packed_corpus, out), resume=True)


def test_an_old_pickled_checkpoint_is_not_resumed_nor_deleted(short_run, packed_corpus, tmp_path) -> None:
    """Checkpoints of earlier versions kept trainer/RNG state as pickles: resume says so and keeps them."""
    out, ckpt = _copy(short_run, tmp_path)
    (ckpt / "trainer.json").rename(ckpt / "trainer.pt")
    with pytest.raises(ResumeError, match="older"):
        train(_config(packed_corpus, out), resume=True)
    assert (ckpt / "trainer.pt").exists()
