"""Per-language threshold files and the decision they make.

A file `thresholds/<lang_tag>.toml` (fixed format, reviewed by linguists)::

    lang_tag = "gl"

    [thresholds]
    min_words = 50  # Gopher default (Rae et al. 2021), fixed
    min_stopword_ratio = 0.2  # p0.5 of lid-train gl.txt x 0.9 (calibrate, 2026-11-24)

A key `min_<signal>` rejects a document whose `q_<signal>` is below the value, `max_<signal>`
one above it. The reason is `quality:<rule>` for the first failing rule in file order.
Rows whose `lang_tag` is null or has no file use `default.toml`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from corpusforge.quality.signals import SIGNAL_NAMES

DEFAULT_TAG = "default"


@dataclass(frozen=True)
class Rule:
    name: str  # "min_stopword_ratio"
    value: float

    @property
    def op(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def column(self) -> str:
        return "q_" + self.name.split("_", 1)[1]

    def fails(self, values: np.ndarray) -> np.ndarray:
        return values < self.value if self.op == "min" else values > self.value


@dataclass(frozen=True)
class Thresholds:
    lang_tag: str
    rules: tuple[Rule, ...]
    source: str  # the file it came from, for messages


def check_rule_name(name: str) -> None:
    op, _, signal = name.partition("_")
    if op not in ("min", "max") or f"q_{signal}" not in SIGNAL_NAMES:
        known = ", ".join(s[2:] for s in SIGNAL_NAMES)
        raise ValueError(f"rule {name!r} must be min_<signal> or max_<signal> with a signal among: {known}")


def parse(text: str, *, source: str) -> Thresholds:
    """Parse one threshold file's text; ValueError naming `source` when it is malformed."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: not valid TOML: {exc}") from None
    tag, table = data.get("lang_tag"), data.get("thresholds")
    if not isinstance(tag, str) or not isinstance(table, dict):
        raise ValueError(f'{source}: needs a top-level lang_tag = "..." and a [thresholds] table')
    rules = []
    for name, value in table.items():
        try:
            check_rule_name(name)
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"{source}: {name} must be a number, got {value!r}")
        rules.append(Rule(name, float(value)))
    return Thresholds(tag, tuple(rules), source)


def shipped_dir() -> Path:
    """The directory of threshold files inside the installed package."""
    return Path(str(resources.files("corpusforge.quality").joinpath("thresholds")))


def load_dir(directory: str | Path | None = None) -> dict[str, Thresholds]:
    """Every `<lang_tag>.toml` of a directory (the shipped one by default); needs default.toml."""
    directory = Path(directory) if directory is not None else shipped_dir()
    sets: dict[str, Thresholds] = {}
    for path in sorted(directory.glob("*.toml")):
        parsed = parse(path.read_text(encoding="utf-8"), source=str(path))
        if parsed.lang_tag != path.stem:
            raise ValueError(f"{path}: lang_tag {parsed.lang_tag!r} does not match the file name")
        sets[parsed.lang_tag] = parsed
    if DEFAULT_TAG not in sets:
        raise ValueError(f"{directory}: no {DEFAULT_TAG}.toml (used for rows without a known lang_tag)")
    return sets


def decide(
    columns: dict[str, np.ndarray], lang_tags: list[str | None], sets: dict[str, Thresholds]
) -> list[str | None]:
    """The first failing rule per row (None when all pass), using each row's language file."""
    n_rows = len(lang_tags)
    decided = np.full(n_rows, None, dtype=object)
    tags = np.array([t if t in sets else DEFAULT_TAG for t in lang_tags], dtype=object)
    for tag in dict.fromkeys(tags.tolist()):
        rows = np.flatnonzero(tags == tag)
        for rule in sets[tag].rules:
            fails = rows[rule.fails(columns[rule.column][rows])]
            undecided = fails[decided[fails] == None]  # noqa: E711 - elementwise on an object array
            decided[undecided] = rule.name
    return decided.tolist()
