"""Training text: folders of `<label>.txt` files, balancing, short-fragment augmentation.

A corpus is a mapping label -> lines. `load_folder` reads `<label>.txt` files (one text a
line); sub-folders are read too, so `lid-train-extra/po-variety/ca-valencia.txt` counts as
`ca-valencia`. A file named `same.txt` holds strings valid in both Catalan standards and is
read as `ca`.
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterable
from pathlib import Path

# The variety label folded into its language for the first-stage (language) model.
VARIETY_OF = {"ca-valencia": "ca"}
# File stems that are not labels but known aliases.
STEM_ALIASES = {"same": "ca", "oc-aranese": "oc"}


def language_of(tag: str) -> str:
    """The language of a tag: `ca-valencia` -> `ca`, anything else unchanged."""
    return VARIETY_OF.get(tag, tag)


def read_lines(path: Path) -> list[str]:
    """Non-empty stripped lines of a UTF-8 file (undecodable bytes replaced)."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        return [line.strip() for line in fh if line.strip()]


def load_folder(folder: Path, *, recursive: bool = True) -> dict[str, list[str]]:
    """label -> lines from every `<label>.txt` under `folder` (sorted, so the order is stable)."""
    pattern = "**/*.txt" if recursive else "*.txt"
    corpus: dict[str, list[str]] = {}
    for path in sorted(folder.glob(pattern)):
        label = STEM_ALIASES.get(path.stem, path.stem)
        corpus.setdefault(label, []).extend(read_lines(path))
    if not corpus:
        raise FileNotFoundError(f"no <label>.txt files under {folder}")
    return corpus


def merge(*corpora: dict[str, list[str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for corpus in corpora:
        for label, lines in corpus.items():
            out.setdefault(label, []).extend(lines)
    return out


def is_heldout(line: str, *, share: float) -> bool:
    """Deterministic split on a hash of the text, so a line always lands on the same side."""
    return (zlib.crc32(line.encode("utf-8")) % 10_000) < share * 10_000


def split_heldout(corpus: dict[str, list[str]], *, share: float) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """(train, heldout): `share` of each label's lines go to heldout (for calibration)."""
    train: dict[str, list[str]] = {}
    held: dict[str, list[str]] = {}
    for label, lines in corpus.items():
        train[label] = [x for x in lines if not is_heldout(x, share=share)]
        held[label] = [x for x in lines if is_heldout(x, share=share)]
    return train, held


def fragment(line: str, rng: random.Random, *, min_words: int = 2, max_words: int = 8) -> str | None:
    """A random run of `min_words`..`max_words` words from `line`, or None when it is too short.

    Short conversational sentences (Tatoeba) are rare in the training text; fragments of
    long sentences teach the model to decide from a handful of words.
    """
    words = line.split()
    if len(words) <= max_words:
        return None
    n = rng.randint(min_words, max_words)
    start = rng.randint(0, len(words) - n)
    return " ".join(words[start : start + n])


def balanced_examples(
    corpus: dict[str, list[str]],
    *,
    max_per_label: int,
    min_per_label: int,
    fragment_rate: float,
    seed: int,
    fragments_per_line: int = 1,
) -> list[tuple[str, str]]:
    """(label, text) pairs: at most `max_per_label` lines per label, small labels repeated up to
    `min_per_label`, plus `fragments_per_line` short fragments, each for `fragment_rate` of the
    lines. Shuffled."""
    rng = random.Random(seed)
    examples: list[tuple[str, str]] = []
    for label in sorted(corpus):
        lines = list(corpus[label])
        rng.shuffle(lines)
        chosen = lines[:max_per_label]
        while chosen and len(chosen) < min_per_label:
            chosen += lines[: min_per_label - len(chosen)]
        for line in chosen:
            examples.append((label, line))
            for _ in range(fragments_per_line):
                if rng.random() < fragment_rate:
                    frag = fragment(line, rng)
                    if frag:
                        examples.append((label, frag))
    rng.shuffle(examples)
    return examples


def to_language_labels(corpus: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fold varieties into their language (the first-stage model predicts languages only)."""
    out: dict[str, list[str]] = {}
    for label, lines in corpus.items():
        out.setdefault(language_of(label), []).extend(lines)
    return out


def chunk_documents(lines: Iterable[str], *, size: int) -> list[str]:
    """Consecutive groups of `size` lines joined by spaces (the 5-sentence documents of the targets)."""
    items = list(lines)
    return [" ".join(items[i : i + size]) for i in range(0, len(items) - size + 1, size)]


def variety_sources(folders: Iterable[Path]) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """(Valencian lines, central lines, aligned (central, Valencian) pairs) for the variety model.

    A folder holding `ca.txt` and `ca-valencia.txt` with the same number of lines (such as
    `lid-train-extra/po-variety`) is read as pairs of the same strings in both standards; other
    `ca-valencia.txt` / `ca.txt` files are monolingual text. `same.txt` is left out (valid in both).
    """
    valencian: list[str] = []
    central: list[str] = []
    pairs: list[tuple[str, str]] = []
    for folder in folders:
        for va_path in sorted(folder.glob("**/ca-valencia.txt")):
            ca_path = va_path.with_name("ca.txt")
            va_lines = read_lines(va_path)
            if ca_path.exists():
                ca_lines = read_lines(ca_path)
                if len(ca_lines) == len(va_lines):
                    pairs += list(zip(ca_lines, va_lines, strict=True))
                    continue
                central += ca_lines
            valencian += va_lines
        for ca_path in sorted(folder.glob("**/ca.txt")):
            if not ca_path.with_name("ca-valencia.txt").exists():
                central += read_lines(ca_path)
    return valencian, central, pairs
