"""An ablation file (TOML): what to compare, on which reference text, with which model and budget.

```toml
[ablation]
out = "runs/ablate-quality"       # everything is written here
reference = ["refs/*.parquet"]    # held-out clean text: Parquet or JSONL with text and lang_tag
preset = "tiny"                   # a `corpusforge train` preset or TOML file
steps = 300
seeds = [1, 2]
tokens = 500000                   # training tokens per variant (documents are cut to this budget)
seq_len = 128
vocab_size = 2048                 # of the one tokenizer trained on every variant (or `tokenizer = DIR`)
baseline = "final"
set = ["run.threads=2"]           # `corpusforge train --set` overrides

[[variant]]
name = "final"
run = "runs/demo"                 # the run's final documents

[[variant]]
name = "before-quality"
run = "runs/demo"
before = "quality"                # the documents that entered node `quality`

[[variant]]
name = "random"
run = "runs/demo"
before = "langfilter"
sample_like = "final"             # a random sample with as many documents as variant `final`

[[variant]]
name = "stricter"
run = "runs/demo"
thresholds = "my-thresholds"      # the run re-filtered with other quality thresholds (corpusforge refilter)

[[variant]]
name = "mine"
paths = ["my/shards/*.parquet"]   # any Parquet shards with text (and lang_tag)
```
Errors name the file and the field, as `corpusforge plan` does.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from corpusforge.errors import UserError


class AblationError(UserError):
    """An ablation file that cannot run, with the place of the fault."""


class Variant(BaseModel):
    """One corpus to train on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z0-9_.-]+$", description="a name for reports and folders")
    run: str | None = Field(None, description="a finished run's root: its final documents")
    before: str | None = Field(None, description="with `run`: the documents that entered this node instead")
    thresholds: str | None = Field(
        None, description="with `run`: its corpus re-filtered with these quality thresholds (corpusforge refilter)"
    )
    paths: list[str] = Field(default_factory=list, description="Parquet shards or globs (text, lang_tag)")
    sample_like: str | None = Field(
        None, description="draw at random as many documents as that variant has (a random-selection control)"
    )

    @model_validator(mode="after")
    def _one_source(self) -> Variant:
        if bool(self.run) == bool(self.paths):
            raise ValueError("give either `run` or `paths`")
        if (self.before or self.thresholds) and not self.run:
            raise ValueError("`before` and `thresholds` need `run`")
        if self.before and self.thresholds:
            raise ValueError("give `before` or `thresholds`, not both")
        return self


class Ablation(BaseModel):
    """The shared settings of every variant's training."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    out: str = Field(description="output directory")
    reference: list[str] = Field(min_length=1, description="held-out clean text (Parquet/JSONL with text, lang_tag)")
    preset: str = Field("tiny", description="train preset name or TOML file")
    steps: int = Field(300, ge=1, description="optimizer steps per training")
    seeds: list[int] = Field(default_factory=lambda: [1, 2], min_length=1, description="one training per seed")
    tokens: int = Field(500_000, ge=1000, description="training tokens per variant")
    seq_len: int = Field(128, ge=8, description="training sequence length")
    vocab_size: int = Field(2048, ge=300, description="the shared tokenizer's vocabulary")
    tokenizer: str | None = Field(None, description="a tokenizer directory to use instead of training one")
    baseline: str | None = Field(None, description="the variant others are compared with (default: the first)")
    device: str = Field("auto", description="auto, cpu or cuda")
    set: list[str] = Field(default_factory=list, description="train overrides, section.field=value")
    sample_seed: int = Field(0, description="seed of document order, budget cut and random samples")


class AblationFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    ablation: Ablation
    variant: list[Variant] = Field(min_length=2)

    @model_validator(mode="after")
    def _names(self) -> AblationFile:
        names = [v.name for v in self.variant]
        if len(set(names)) != len(names):
            raise ValueError(f"variant names must be unique: {names}")
        for v in self.variant:
            if v.sample_like and v.sample_like not in names:
                raise ValueError(f"variant {v.name!r}: sample_like {v.sample_like!r} is not a variant")
        if self.ablation.baseline and self.ablation.baseline not in names:
            raise ValueError(f"baseline {self.ablation.baseline!r} is not a variant")
        return self

    @property
    def baseline(self) -> str:
        return self.ablation.baseline or self.variant[0].name


def load(path: str | Path) -> AblationFile:
    file = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AblationError(f"{file}: file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise AblationError(f"{file}: not valid TOML: {exc}") from None
    return from_dict(raw, file=file)


def from_dict(raw: dict[str, Any], *, file: str = "<ablation>") -> AblationFile:
    try:
        return AblationFile.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ".".join(str(p) for p in err["loc"])
        if loc.startswith("variant."):
            index = err["loc"][1]
            variants = raw.get("variant", [])
            name = variants[index].get("name") if isinstance(index, int) and index < len(variants) else None
            loc = f"variant {name!r}" + (
                f", field {'.'.join(str(p) for p in err['loc'][2:])!r}" if err["loc"][2:] else ""
            )
        else:
            loc = f"field {loc!r}"
        raise AblationError(f"{file}, {loc}: {err['msg']}") from None
