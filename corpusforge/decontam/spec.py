"""`DecontamSpec`: everything that decides a decontamination run, one frozen value shipped to every task."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from corpusforge.decontam.evalsets import EvalSet

MAX_SETS = 64  # one bit per set in the index's masks


@dataclass(frozen=True, kw_only=True)
class DecontamSpec:
    sets: tuple[EvalSet, ...]
    ngram: int = 13
    mode: Literal["document", "passage"] = "document"
    min_hits: int = 1  # matched n-grams (of any set) that make a document contaminated
    fold_digits: bool = False
    text_column: str = "text"
    id_column: str = "id"
    batch_rows: int = 2048

    def __post_init__(self) -> None:
        if not 0 < len(self.sets) <= MAX_SETS:
            raise ValueError(f"between 1 and {MAX_SETS} evaluation sets, got {len(self.sets)}")
        names = [s.name for s in self.sets]
        if len(set(names)) != len(names):
            raise ValueError(f"evaluation set names must be unique, got {names}")
