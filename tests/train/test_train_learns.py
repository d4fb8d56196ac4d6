"""The tiny preset learns on a small packed corpus; metrics, plot, checkpoint and sampling work end to end."""

from __future__ import annotations

import json

import pytest
from train_fixtures import SENTENCES, unigram_entropy

from corpusforge.cli import main
from corpusforge.pack.dataset import read_manifest
from corpusforge.train.config import load_config
from corpusforge.train.loop import train
from corpusforge.train.metrics import read


@pytest.fixture(scope="module")
def tiny_run(packed_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("tiny-run")
    config = load_config(
        "tiny",
        overrides=[
            f"data.path='{packed_corpus}'",
            f"run.out_dir='{out}'",
            "run.steps=150",
            "data.seq_len=64",
            "run.eval_every=50",
            "run.checkpoint_every=50",
            "run.threads=1",
            "run.sample_prompt='El museo'",
        ],
    )
    return train(config), out


def test_validation_loss_falls_well_below_unigram_entropy(tiny_run, packed_corpus):
    summary, _ = tiny_run
    entropy = unigram_entropy(packed_corpus)
    assert entropy > 4.0  # the corpus is not trivial for a context-free model
    assert summary["eval"]["loss"] < 0.5 * entropy
    # Every language is evaluated on its own documents and each one learns.
    assert set(summary["eval"]["by_lang"]) == set(SENTENCES)
    for tag, result in summary["eval"]["by_lang"].items():
        assert result["loss"] < 0.5 * entropy, tag
        assert result["tokens"] > 0


def test_metrics_jsonl_and_loss_plot(tiny_run):
    _, out = tiny_run
    records = read(out)
    steps = [r for r in records if r["kind"] == "train"]
    assert [r["step"] for r in steps] == list(range(10, 151, 10))
    for r in steps:
        assert {"loss", "lr", "tokens_per_s", "mfu", "memory_gb", "grad_norm"} <= set(r)
        assert r["tokens_per_s"] > 0 and r["mfu"] is None  # no MFU on CPU
    evals = [r for r in records if r["kind"] == "eval"]
    assert [r["step"] for r in evals] == [0, 50, 100, 150]
    assert evals[-1]["loss"] < evals[0]["loss"] - 3.0
    assert (out / "loss.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_schedule_warms_up_then_decays(tiny_run):
    _, out = tiny_run
    lrs = [r["lr"] for r in read(out) if r["kind"] == "train"]
    peak = 3e-3
    assert lrs[0] == pytest.approx(peak * 10 / 30)  # step 10 of a 30-step warmup
    assert max(lrs) <= peak and lrs[-1] == pytest.approx(0.1 * peak)  # ends at min_lr_ratio * lr
    assert lrs[3:] == sorted(lrs[3:], reverse=True)


def test_checkpoints_keep_the_newest_and_are_self_contained(tiny_run, packed_corpus):
    _, out = tiny_run
    kept = sorted(p.name for p in (out / "checkpoints").glob("step-*"))
    assert kept == ["step-000100", "step-000150"]
    assert (out / "checkpoints" / "latest").read_text().strip() == "step-000150"
    ckpt = out / "checkpoints" / "step-000150"
    config = json.loads((ckpt / "config.json").read_text())
    assert config["model"]["vocab_size"] == 512 and config["tokens"]["eos_id"] == read_manifest(packed_corpus)["eos_id"]
    assert (ckpt / "tokenizer.json").exists()


def test_generate_cli_continues_the_prompt_in_the_corpus_language(tiny_run, capsys):
    _, out = tiny_run
    code = main(["generate", "--checkpoint", str(out), "--prompt", "O concello", "--temperature", "0"])
    assert code == 0
    text = capsys.readouterr().out.strip()
    assert text.startswith("O concello")
    # Greedy decoding of a model that learnt the corpus continues with Galician words it saw.
    galician = set(" ".join(SENTENCES["gl"]).split())
    continuation = text.removeprefix("O concello").split()[:4]
    assert continuation and all(w in galician for w in continuation)


def test_end_of_training_sample(tiny_run):
    summary, _ = tiny_run
    assert summary["sample"].startswith("El museo")
    assert len(summary["sample"]) > len("El museo") + 10


def test_train_plot_command_redraws(tiny_run, capsys):
    _, out = tiny_run
    (out / "loss.png").unlink()
    assert main(["train", "plot", str(out)]) == 0
    assert (out / "loss.png").exists()
