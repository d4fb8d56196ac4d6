"""The training run's configuration: four frozen sections loaded from one TOML file.

A preset (`presets/tiny.toml`, `presets/small.toml`) is such a file. Every field is documented here,
so `corpusforge train --help-config` and a TOML file read the same way. Overrides from the command
line are dotted `section.field=value` strings, parsed as TOML values:

    >>> cfg = load_config("tiny", overrides=["optim.lr=1e-3", "run.steps=20"])
    >>> cfg.optim.lr, cfg.run.steps
    (0.001, 20)
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PRESETS = Path(__file__).parent / "presets"


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ModelConfig(_Section):
    """Shape of the decoder-only transformer (see `model.py`)."""

    vocab_size: int = Field(0, ge=0, description="Vocabulary size; 0 takes it from the packed data's manifest.")
    vocab_multiple_of: int = Field(
        64, ge=1, description="Round the embedding table up to a multiple of this (faster matmuls; unused ids)."
    )
    d_model: int = Field(128, ge=8, description="Width of the residual stream.")
    n_layers: int = Field(2, ge=1, description="Number of transformer blocks.")
    n_heads: int = Field(4, ge=1, description="Attention heads; d_model must be divisible by it.")
    ffn_hidden: int = Field(0, ge=0, description="SwiGLU hidden width; 0 means 8/3 * d_model rounded up to 64.")
    max_seq_len: int = Field(1024, ge=8, description="Longest sequence the rotary cache covers.")
    rope_theta: float = Field(10000.0, gt=0, description="Base of the rotary position embedding frequencies.")
    norm_eps: float = Field(1e-5, gt=0, description="Epsilon of RMSNorm.")
    tie_embeddings: bool = Field(True, description="Share the input embedding and the output projection.")
    dropout: float = Field(0.0, ge=0, lt=1, description="Dropout on attention and residual branches (0 = off).")

    @model_validator(mode="after")
    def _heads_divide_width(self) -> ModelConfig:
        if self.d_model % self.n_heads:
            raise ValueError(f"d_model={self.d_model} is not divisible by n_heads={self.n_heads}")
        if (self.d_model // self.n_heads) % 2:
            raise ValueError("head dimension d_model/n_heads must be even for rotary embeddings")
        return self


class OptimConfig(_Section):
    """AdamW with decoupled weight decay on matrices only, linear warmup then cosine decay."""

    lr: float = Field(3e-3, gt=0, description="Peak learning rate, reached at the end of warmup.")
    min_lr_ratio: float = Field(0.1, ge=0, le=1, description="Final learning rate as a fraction of the peak.")
    warmup_steps: int = Field(50, ge=0, description="Optimizer steps of linear warmup from 0 to the peak.")
    weight_decay: float = Field(
        0.1, ge=0, description="Applied to 2-D weights (linear, embedding); never to norms or biases."
    )
    beta1: float = Field(0.9, ge=0, lt=1, description="AdamW first-moment decay.")
    beta2: float = Field(0.95, ge=0, lt=1, description="AdamW second-moment decay.")
    eps: float = Field(1e-8, gt=0, description="AdamW epsilon.")
    grad_clip: float = Field(1.0, ge=0, description="Clip the global gradient norm to this (0 = no clipping).")


class DataConfig(_Section):
    """Where the packed token streams are and how batches are cut from them (see `data.py`)."""

    path: str = Field("runs/demo-packed", description="Pack directory (manifest.json, train.bin, val.bin ...).")
    seq_len: int = Field(128, ge=8, description="Tokens per training sequence (the model sees seq_len+1 windows).")
    micro_batch_size: int = Field(16, ge=1, description="Sequences per forward pass on each process.")
    grad_accum_steps: int = Field(1, ge=1, description="Micro-batches accumulated per optimizer step.")
    sampling: Literal["fixed", "bos_aligned"] = Field(
        "fixed",
        description="fixed: windows at multiples of seq_len across documents; bos_aligned: samples start at a "
        "document's BOS (repeats some tokens, see corpusforge.pack.dataset).",
    )
    shuffle: bool = Field(True, description="Shuffle samples each epoch with the run seed (resumable).")
    val_windows_per_lang: int = Field(
        32, ge=1, description="At most this many seq_len windows per lang_tag in each evaluation."
    )
    eval_batch_size: int = Field(16, ge=1, description="Sequences per forward pass during evaluation.")


class RunConfig(_Section):
    """Length, device, precision, cadence of logs, evaluations and checkpoints."""

    out_dir: str = Field("runs/train/tiny", description="Run directory: metrics, checkpoints, plot, config.")
    steps: int = Field(300, ge=1, description="Optimizer steps to train (the cosine schedule ends here).")
    seed: int = Field(1234, description="Seeds model init, data order and sampling.")
    device: Literal["auto", "cpu", "cuda"] = Field("auto", description="auto picks cuda when available.")
    precision: Literal["auto", "fp32", "bf16"] = Field(
        "auto", description="auto is bf16 autocast on CUDA and fp32 on CPU."
    )
    compile: bool = Field(False, description="Wrap the model in torch.compile (GPU; slow to start).")
    deterministic: bool = Field(
        True, description="torch.use_deterministic_algorithms on CPU, so resume reproduces losses exactly."
    )
    threads: int = Field(0, ge=0, description="CPU threads for torch (0 = torch's default).")
    log_every: int = Field(10, ge=1, description="Write a metrics line every this many steps.")
    eval_every: int = Field(100, ge=0, description="Evaluate per lang_tag every this many steps (0 = only at the end).")
    checkpoint_every: int = Field(
        100, ge=0, description="Save a checkpoint every this many steps (0 = only at the end)."
    )
    keep_checkpoints: int = Field(2, ge=1, description="Keep the newest this many checkpoints.")
    peak_tflops: float = Field(
        0.0, ge=0, description="Peak dense TFLOP/s for MFU; 0 looks the device up (CPU: MFU not reported)."
    )
    sample_prompt: str = Field(
        "La", description="Prompt of the end-of-training sample (no trailing space: words carry their leading one)."
    )
    sample_tokens: int = Field(48, ge=0, description="Tokens to sample at the end (0 = no sample).")


class TrainConfig(_Section):
    """One training run: `[model]`, `[optim]`, `[data]`, `[run]`."""

    # Frozen sections, so one shared default instance each is safe (model_validate: every field defaulted).
    model: ModelConfig = ModelConfig.model_validate({})
    optim: OptimConfig = OptimConfig.model_validate({})
    data: DataConfig = DataConfig.model_validate({})
    run: RunConfig = RunConfig.model_validate({})

    @model_validator(mode="after")
    def _seq_fits_model(self) -> TrainConfig:
        if self.data.seq_len > self.model.max_seq_len:
            raise ValueError(f"data.seq_len={self.data.seq_len} exceeds model.max_seq_len={self.model.max_seq_len}")
        return self


class ConfigError(ValueError):
    """A config file or override that does not validate; the message names the file and field."""


def resolve_preset(name_or_path: str) -> Path:
    """A path to a TOML file, or the name of a bundled preset (`tiny`, `small`)."""
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        return path
    preset = PRESETS / f"{name_or_path}.toml"
    if not preset.exists():
        known = ", ".join(sorted(p.stem for p in PRESETS.glob("*.toml")))
        raise ConfigError(f"{name_or_path!r} is neither a TOML file nor a preset ({known})")
    return preset


def load_config(name_or_path: str, *, overrides: list[str] | tuple[str, ...] = ()) -> TrainConfig:
    """Read a preset or TOML file and apply `section.field=value` overrides."""
    path = resolve_preset(name_or_path)
    try:
        raw: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    for item in overrides:
        _apply_override(raw, item)
    return config_from_dict(raw, origin=str(path))


def config_from_dict(raw: dict[str, Any], *, origin: str = "<dict>") -> TrainConfig:
    try:
        return TrainConfig.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ConfigError(f"{origin}: {problems}") from exc


def describe_fields() -> str:
    """Every field as TOML, `field = default  # description` under its `[section]` (`--help-config`)."""
    lines = []
    for section, info in TrainConfig.model_fields.items():
        model = info.annotation
        assert isinstance(model, type) and issubclass(model, BaseModel)
        lines.append(f"[{section}]  # {(model.__doc__ or '').strip()}")
        for name, field in model.model_fields.items():
            lines.append(f"{name} = {_toml_value(field.default)}  # {field.description}")
        lines.append("")
    return "\n".join(lines).rstrip()


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return repr(value)


def _apply_override(raw: dict[str, Any], item: str) -> None:
    key, sep, text = item.partition("=")
    section, dot, field = key.strip().partition(".")
    if not sep or not dot:
        raise ConfigError(f"override {item!r} is not of the form section.field=value")
    try:
        value = tomllib.loads(f"v = {text.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = text.strip()  # a bare word such as a path: take it as a string
    raw.setdefault(section, {})[field] = value
