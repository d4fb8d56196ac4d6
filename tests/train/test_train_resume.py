"""Exact resume: a run stopped and resumed logs the same losses as an uninterrupted run (bit for bit on CPU)."""

from __future__ import annotations

import shutil

import pytest

from corpusforge.train import checkpoint
from corpusforge.train.config import load_config
from corpusforge.train.data import ResumableSampler, take
from corpusforge.train.loop import ResumeError, train
from corpusforge.train.metrics import read


def _config(packed, out, *extra):
    return load_config(
        "tiny",
        overrides=[
            f"data.path='{packed}'",
            f"run.out_dir='{out}'",
            "run.steps=24",
            "data.seq_len=32",
            "data.micro_batch_size=4",
            "data.grad_accum_steps=2",
            "optim.warmup_steps=5",
            "run.log_every=1",
            "run.eval_every=8",
            "run.checkpoint_every=0",
            "run.sample_tokens=0",
            "data.val_windows_per_lang=4",
            "run.threads=1",  # small matmuls: one thread is faster than two fighting over shared cores
            *extra,
        ],
    )


def test_resume_reproduces_uninterrupted_losses(packed_corpus, tmp_path):
    straight = train(_config(packed_corpus, tmp_path / "straight"))
    assert len(straight["losses"]) == 24

    first = train(_config(packed_corpus, tmp_path / "split"), stop_after=11)
    assert sorted(first["losses"]) == list(range(1, 12))
    assert checkpoint.latest(tmp_path / "split").name == "step-000011"
    second = train(_config(packed_corpus, tmp_path / "split"), resume=True)
    assert sorted(second["losses"]) == list(range(12, 25))

    resumed = first["losses"] | second["losses"]
    assert resumed == straight["losses"]  # exact equality, not approx
    assert second["eval"] == straight["eval"]

    # The metrics file of the resumed run reads like the uninterrupted one (timings aside).
    def losses(out):
        return [(r["kind"], r["step"], r["loss"]) for r in read(out)]

    assert losses(tmp_path / "split") == losses(tmp_path / "straight")


def test_resume_ignores_a_half_written_checkpoint(packed_corpus, tmp_path):
    out = tmp_path / "run"
    train(_config(packed_corpus, out), stop_after=6)
    # A save killed midway leaves only the hidden temp directory: it must never be picked up.
    half = checkpoint.begin(out, 9)
    (half / "model.pt").write_bytes(b"truncated")
    assert checkpoint.latest(out).name == "step-000006"
    resumed = train(_config(packed_corpus, out), resume=True, stop_after=8)
    assert sorted(resumed["losses"]) == [7, 8]


def test_fresh_run_does_not_reuse_old_checkpoints(packed_corpus, tmp_path):
    out = tmp_path / "run"
    train(_config(packed_corpus, out), stop_after=4)
    again = train(_config(packed_corpus, out), stop_after=2)
    assert sorted(again["losses"]) == [1, 2]
    assert [p.name for p in (out / "checkpoints").glob("step-*")] == ["step-000002"]


def test_resume_refuses_another_data_order(packed_corpus, tmp_path):
    out = tmp_path / "run"
    train(_config(packed_corpus, out), stop_after=3)
    shutil.copytree(out, tmp_path / "copy")
    with pytest.raises(ResumeError, match="seed"):
        train(_config(packed_corpus, tmp_path / "copy", "run.seed=99"), resume=True)


def test_sampler_position_round_trips_across_epochs():
    sampler = ResumableSampler(7, seed=3)
    take(sampler, 5)
    state = sampler.state_dict()
    expected = take(sampler, 12)  # crosses two epoch boundaries
    again = ResumableSampler(7, seed=3)
    again.load_state_dict(state)
    assert take(again, 12) == expected
    # Each epoch is a permutation of every sample, and an epoch that ends exactly on a step boundary
    # moves on to the next one.
    fresh = ResumableSampler(7, seed=3)
    first, second = take(fresh, 7), take(fresh, 7)
    assert sorted(first) == sorted(second) == list(range(7)) and first != second
