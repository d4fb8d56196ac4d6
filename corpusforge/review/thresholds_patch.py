"""Proposed thresholds as edits of a project's threshold directory, and a unified diff to apply to it.

The base is a project's thresholds directory (the one the run used, or `--thresholds`), or the
shipped files as `corpusforge quality thresholds init` copies them; never the installed package.
Only the value and comment of the rule's own line change, so the rest of a file (other rules, their
comments, the order that decides which reason is reported first) stays as the linguist left it. A
language without a file in the base gets a new file holding only the changed keys: a project
directory falls back to the shipped values for everything else (`quality.rules.load_dir`).

`suggested/` holds the base's files with the changes applied (usable as `thresholds_dir` or
`corpusforge refilter --thresholds` as it is) and `thresholds.patch`, the same change as a diff.
"""

from __future__ import annotations

import difflib
import re
import shutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Change:
    lang_tag: str
    rule: str  # "min_stopword_ratio"
    old: float | None
    new: float
    why: str  # goes into the line's comment


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
    header = (f"# {lang_tag}: only what a review changed; every other key keeps the shipped value\n"
              f"# (corpusforge/quality/thresholds/{lang_tag}.toml, else default.toml).\n")  # fmt: skip
    return None, f'{header}\nlang_tag = "{lang_tag}"\n\n[thresholds]\n'


def write_suggestions(thresholds_dir: Path, changes: list[Change], out_dir: Path) -> Path | None:
    """Write `out_dir/` (the base's files with the changes) and `out_dir/thresholds.patch`.

    The patch's paths are relative to the thresholds folder: apply it with
    `patch -d <thresholds dir> -p1 < thresholds.patch` (or `git apply --directory=...`).
    Returns the patch path, or None when there is nothing to change.
    """
    by_lang: dict[str, list[Change]] = {}
    for ch in changes:
        by_lang.setdefault(ch.lang_tag, []).append(ch)
    if not by_lang:
        return None
    thresholds_dir = Path(thresholds_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.toml"):
        stale.unlink()
    for path in sorted(thresholds_dir.glob("*.toml")) if thresholds_dir.is_dir() else []:
        shutil.copyfile(path, out_dir / path.name)
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
