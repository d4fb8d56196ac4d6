"""Suggested thresholds as edits of the per-language TOML files, and a unified diff a linguist can apply.

Only the value and comment of the rule's own line change, so the rest of the file (other rules,
their comments, the order that decides which reason is reported first) stays as the linguist left it.
A language without its own file uses `default.toml`; a suggestion for it creates `<lang_tag>.toml`
from `default.toml`, because changing the default would move every other language too.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_FILE = "default.toml"


@dataclass(frozen=True)
class Change:
    lang_tag: str
    rule: str  # "min_stopword_ratio"
    old: float | None
    new: float
    why: str  # goes into the line's comment


def current_value(thresholds_dir: Path | None, lang_tag: str, rule: str) -> float | None:
    """The value a language uses for a rule today: its own file, else default.toml, else None."""
    if thresholds_dir is None:
        return None
    for name in (f"{lang_tag}.toml", DEFAULT_FILE):
        path = thresholds_dir / name
        if path.exists():
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("thresholds", {})
            value = table.get(rule)
            return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
    return None


def _format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(round(value, 6))


def edit(text: str, changes: list[Change]) -> str:
    """`text` with each change's rule line rewritten (or appended to [thresholds] when absent)."""
    lines = text.splitlines(keepends=True)
    for ch in changes:
        new_line = f"{ch.rule} = {_format(ch.new)}  # {ch.why}\n"
        pattern = re.compile(rf"^\s*{re.escape(ch.rule)}\s*=")
        hits = [i for i, line in enumerate(lines) if pattern.match(line)]
        if hits:
            lines[hits[0]] = new_line
            continue
        section = next((i for i, line in enumerate(lines) if line.strip() == "[thresholds]"), None)
        if section is None:
            lines += ["\n[thresholds]\n", new_line]
        else:
            end = next((i for i in range(section + 1, len(lines)) if lines[i].lstrip().startswith("[")), len(lines))
            while end > section + 1 and not lines[end - 1].strip():
                end -= 1
            lines.insert(end, new_line)
    return "".join(lines)


def _base_text(thresholds_dir: Path, lang_tag: str) -> tuple[str | None, str]:
    """(the language's current file text or None when it has none, the text to edit)."""
    own = thresholds_dir / f"{lang_tag}.toml"
    if own.exists():
        text = own.read_text(encoding="utf-8")
        return text, text
    default = thresholds_dir / DEFAULT_FILE
    base = default.read_text(encoding="utf-8") if default.exists() else "[thresholds]\n"
    base = re.sub(r"(?m)^lang_tag\s*=.*$", f'lang_tag = "{lang_tag}"', base)
    if "lang_tag" not in base:
        base = f'lang_tag = "{lang_tag}"\n\n' + base
    return None, f"# {lang_tag}: started from {DEFAULT_FILE} by `corpusforge review report`\n" + base


def write_suggestions(thresholds_dir: Path, changes: list[Change], out_dir: Path) -> Path | None:
    """Write `out_dir/<lang_tag>.toml` per changed language and `out_dir/thresholds.patch`.

    The patch's paths are relative to the thresholds folder: apply it with
    `patch -d <thresholds dir> -p1 < thresholds.patch` (or `git apply --directory=...`).
    Returns the patch path, or None when there is nothing to change.
    """
    by_lang: dict[str, list[Change]] = {}
    for ch in changes:
        by_lang.setdefault(ch.lang_tag, []).append(ch)
    if not by_lang:
        return None
    out_dir.mkdir(parents=True, exist_ok=True)
    diff: list[str] = []
    for tag in sorted(by_lang):
        old, base = _base_text(thresholds_dir, tag)
        new = edit(base, by_lang[tag])
        (out_dir / f"{tag}.toml").write_text(new, encoding="utf-8")
        name = f"{tag}.toml"
        diff += difflib.unified_diff(
            (old or "").splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{name}" if old is not None else "/dev/null",
            tofile=f"b/{name}",
        )
    patch = out_dir / "thresholds.patch"
    patch.write_text("".join(diff), encoding="utf-8")
    return patch
