"""Per-language threshold files and the decision they make.

A file `thresholds/<lang_tag>.toml` (fixed format, reviewed by linguists)::

    lang_tag = "gl"

    [thresholds]
    min_words = 50  # Gopher default (Rae et al. 2021), fixed
    min_stopword_ratio = 0.2  # p0.5 of lid-train gl.txt x 0.9 (calibrate, 2026-11-24)

A key `min_<signal>` rejects a document whose `q_<signal>` is below the value, `max_<signal>`
one above it. The reason is `quality:<rule>` for the first failing rule in file order.
Rows whose `lang_tag` is null or has no file use `default.toml`.

A project keeps its own directory (`corpusforge quality thresholds init DIR` copies the shipped
files) and points `thresholds_dir` at it. That directory may hold only some languages, and a file
only some keys: everything else falls back to the shipped files (`load_dir`). A key missing from a
project's `<tag>.toml` takes the value the language would have without that file: the shipped
`<tag>.toml`, or for a language the package does not ship, the effective default. The decision
order is the shipped file's, then the keys only the project's file has, in its order.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from corpusforge.quality.signals import RULE_SIGNAL_NAMES

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
        """Rows breaking the rule; NaN (a null signal, e.g. no perplexity model) never does."""
        return values < self.value if self.op == "min" else values > self.value


@dataclass(frozen=True)
class Thresholds:
    lang_tag: str
    rules: tuple[Rule, ...]
    source: str  # the file it came from, for messages


def check_rule_name(name: str) -> None:
    op, _, signal = name.partition("_")
    if op not in ("min", "max") or f"q_{signal}" not in RULE_SIGNAL_NAMES:
        known = ", ".join(s[2:] for s in RULE_SIGNAL_NAMES)
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


def read_dir(directory: str | Path) -> dict[str, Thresholds]:
    """The `<lang_tag>.toml` files of one directory as written, without falling back to anything."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory}: no such directory of threshold files")
    sets: dict[str, Thresholds] = {}
    for path in sorted(directory.glob("*.toml")):
        parsed = parse(path.read_text(encoding="utf-8"), source=str(path))
        if parsed.lang_tag != path.stem:
            raise ValueError(f"{path}: lang_tag {parsed.lang_tag!r} does not match the file name")
        sets[parsed.lang_tag] = parsed
    return sets


def overlay(base: Thresholds | None, own: Thresholds) -> Thresholds:
    """`base` with `own`'s values: base's rule order, then the rules only `own` has."""
    values = {r.name: r.value for r in own.rules}
    merged = [Rule(r.name, values.pop(r.name, r.value)) for r in (base.rules if base else ())]
    merged += [Rule(name, value) for name, value in values.items()]
    source = own.source if base is None else f"{own.source} over {base.source}"
    return Thresholds(own.lang_tag, tuple(merged), source)


def load_dir(directory: str | Path | None = None) -> dict[str, Thresholds]:
    """The effective thresholds: the shipped files, overridden by a project's `directory` (if any)."""
    shipped = read_dir(shipped_dir())
    if DEFAULT_TAG not in shipped:  # pragma: no cover - the package ships it
        raise ValueError(f"{shipped_dir()}: no {DEFAULT_TAG}.toml")
    if directory is None or Path(directory).resolve() == shipped_dir().resolve():
        return shipped
    own = read_dir(directory)
    sets = dict(shipped)
    if DEFAULT_TAG in own:
        sets[DEFAULT_TAG] = overlay(shipped[DEFAULT_TAG], own[DEFAULT_TAG])
    for tag, thresholds in own.items():
        if tag != DEFAULT_TAG:
            sets[tag] = overlay(shipped.get(tag, sets[DEFAULT_TAG]), thresholds)
    return sets


def without(sets: dict[str, Thresholds], skip: set[str] | frozenset[str]) -> dict[str, Thresholds]:
    """`sets` without the rules named in `skip` (a node's `skip_rules`)."""
    return {
        tag: Thresholds(t.lang_tag, tuple(r for r in t.rules if r.name not in skip), t.source)
        for tag, t in sets.items()
    }


def thresholds_hash(sets: dict[str, Thresholds]) -> str:
    """A short SHA-256 of the values and their order (which decides the reason), not of comments."""
    canonical = {tag: [[r.name, r.value] for r in sets[tag].rules] for tag in sorted(sets)}
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()[:16]


def as_dict(sets: dict[str, Thresholds]) -> dict[str, list[list[str | float]]]:
    """{lang_tag: [[rule, value], ...]} in decision order (pairs, so that JSON written with sorted
    keys keeps the order): for a sample, a report or a manifest."""
    return {tag: [[r.name, r.value] for r in sets[tag].rules] for tag in sorted(sets)}


def from_dict(values: dict[str, Any], *, source: str) -> dict[str, Thresholds]:
    """The inverse of `as_dict` (a {rule: value} table per language is read too); names are checked."""
    sets = {}
    for tag, given in values.items():
        pairs = list(given.items()) if isinstance(given, dict) else [tuple(p) for p in given]
        for name, _ in pairs:
            check_rule_name(str(name))
        sets[tag] = Thresholds(tag, tuple(Rule(str(n), float(v)) for n, v in pairs), source)
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
