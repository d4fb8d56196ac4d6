"""Presets load, overrides apply, and config errors name the file and field."""

from __future__ import annotations

import math

import pytest

from corpusforge.cli import main
from corpusforge.train.config import ConfigError, load_config
from corpusforge.train.loop import lr_at
from corpusforge.train.model import Transformer


def test_presets_and_overrides():
    tiny = load_config("tiny", overrides=["optim.lr=1e-3", "data.path=runs/x-packed", "run.compile=true"])
    assert tiny.optim.lr == 1e-3 and tiny.data.path == "runs/x-packed" and tiny.run.compile
    small = load_config("small")
    assert small.run.compile and small.run.precision == "auto" and small.data.seq_len == 1024


def test_small_preset_is_about_125m_parameters():
    small = load_config("small", overrides=["model.vocab_size=32768"])
    import torch

    with torch.device("meta"):  # shapes only: no memory, no init cost
        model = Transformer(small.model)
    assert 100e6 < model.num_params() < 140e6


def test_config_errors_name_the_field(tmp_path):
    with pytest.raises(ConfigError, match="d_model=130 is not divisible"):
        load_config("tiny", overrides=["model.d_model=130"])
    with pytest.raises(ConfigError, match=r"optim\.lrr"):
        load_config("tiny", overrides=["optim.lrr=0.1"])
    with pytest.raises(ConfigError, match="seq_len=4096 exceeds"):
        load_config("tiny", overrides=["data.seq_len=4096"])
    with pytest.raises(ConfigError, match="preset"):
        load_config("huge")
    bad = tmp_path / "bad.toml"
    bad.write_text("[run]\nsteps = 'many'\n")
    with pytest.raises(ConfigError, match=r"bad\.toml: run\.steps"):
        load_config(str(bad))


def test_warmup_then_cosine_to_the_floor():
    optim = load_config("tiny", overrides=["optim.warmup_steps=10", "optim.lr=1.0", "optim.min_lr_ratio=0.1"]).optim
    lrs = [lr_at(s, optim, total_steps=110) for s in range(110)]
    assert lrs[:10] == pytest.approx([(s + 1) / 10 for s in range(10)])
    assert lrs[10] == pytest.approx(1.0) and lrs[-1] == pytest.approx(0.1)
    assert lrs[60] == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * 50 / 99)))


def test_cli_reports_missing_data(tmp_path, capsys):
    code = main(["train", "tiny", "--data", str(tmp_path / "nowhere"), "--out", str(tmp_path / "run")])
    assert code == 2
    assert "no manifest.json" in capsys.readouterr().err
