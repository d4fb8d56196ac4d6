"""Training metrics as JSON lines, and the loss plot drawn from them.

`{run}/metrics.jsonl` holds one object per line:

    {"kind": "train", "step": 10, "loss": 5.91, "lr": 0.0006, "tokens": 20480, "tokens_per_s": 51234.0,
     "mfu": null, "memory_gb": 0.41, "grad_norm": 1.7}
    {"kind": "eval", "step": 100, "loss": 4.12, "ppl": 61.6,
     "by_lang": {"ca": {"loss": 4.0, "ppl": 54.6, "tokens": 2048}, ...}}

`mfu` is null on CPU (no meaningful peak). `memory_gb` is the peak CUDA allocation on GPU and the
process's peak resident set on CPU.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

METRICS = "metrics.jsonl"
PLOT = "loss.png"


class MetricsLog:
    """Appends records to `{run}/metrics.jsonl`; on resume, forgets lines past the resumed step."""

    def __init__(self, run_dir: str | Path, *, resume_step: int | None = None) -> None:
        self.path = Path(run_dir) / METRICS
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if resume_step is None:
            self.path.write_text("", encoding="utf-8")
        elif self.path.exists():
            # A run killed after step s logged lines past its last checkpoint; replaying them would
            # leave duplicates, so keep only what the checkpoint covers.
            kept = [r for r in read(self.path.parent) if r["step"] <= resume_step]
            self.path.write_text("".join(json.dumps(r) + "\n" for r in kept), encoding="utf-8")

    def write(self, record: dict[str, Any]) -> None:
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")


def read(run_dir: str | Path) -> list[dict[str, Any]]:
    path = Path(run_dir) / METRICS
    if not path.exists():
        raise FileNotFoundError(f"{path} does not exist; is {run_dir} a training run directory?")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def perplexity(loss: float) -> float:
    return math.exp(min(loss, 50.0))  # exp overflows past ~709; a loss of 50 is already meaningless


def plot(run_dir: str | Path, *, out: str | Path | None = None) -> Path:
    """Draw training loss and validation loss per lang_tag against step into a PNG (Agg backend)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    records = read(run_dir)
    train = [r for r in records if r["kind"] == "train"]
    evals = [r for r in records if r["kind"] == "eval"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), constrained_layout=True)
    left.plot([r["step"] for r in train], [r["loss"] for r in train], color="black", lw=1)
    left.set(title="training loss", xlabel="step", ylabel="cross-entropy (nats/token)")
    tags = sorted({tag for r in evals for tag in r["by_lang"]})
    for tag in tags:
        points = [(r["step"], r["by_lang"][tag]["loss"]) for r in evals if tag in r["by_lang"]]
        right.plot(*zip(*points, strict=True), marker="o", ms=3, label=tag)
    right.set(title="validation loss per lang_tag", xlabel="step", ylabel="cross-entropy (nats/token)")
    if tags:
        right.legend(fontsize=8)
    for ax in (left, right):
        ax.grid(alpha=0.3)
    target = Path(out) if out else Path(run_dir) / PLOT
    fig.savefig(target, dpi=110)
    plt.close(fig)
    return target
