"""Train the shipped perplexity models from clean reference text.

    python -m corpusforge.quality.lm.train --data ../shared/data/lid-train \\
        --extra ../shared/data/lid-train-extra --out corpusforge/quality/lm/models

One model per language (`MODELS`): the lines of its `<source>.txt` files (one sentence a
line) in `--data` and `--extra`, minus the held-out lines (`is_heldout`: 1 in 10 by a hash of
the line), each line its own sentence.
The held-out lines are never trained on, so thresholds are calibrated on text the model has
not seen (a model's perplexity on its own training text is optimistic). One thread, no
randomness: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xxhash

from corpusforge.quality.lm import kneser_ney
from corpusforge.quality.lm.model import NgramModel
from corpusforge.quality.lm.text import FIRST_ID, CharSymbols, WordSymbols, normalise, token_pattern

HELDOUT_EVERY = 10


@dataclass(frozen=True)
class ModelSpec:
    """How one language's model is trained (the shipped choice is `MODELS`).

    The shipped models are word 3-grams; `benchmarks/quality_perplexity.py` also trains the
    character 5-gram candidate (`CHAR_CANDIDATE`) it was chosen against.
    """

    kind: str = "word"  # "word" (the quality tokeniser's words) or "char" (code points)
    order: int = 3
    min_counts: tuple[int, ...] = (1, 1, 2)  # per order: rarer n-grams are pruned (their mass backs off)
    min_symbol_count: int = 2  # rarer words / characters are UNK (so UNK is learnt from real rare words)
    # ... and so are those under this share of all symbols (1e-4: ~1,100-1,400 words a language).
    # A word seen a few times in a small, mostly legal reference gets a tiny probability, lower than
    # <unk>'s: clean text on another topic looked implausible (a Spanish opinion piece on trains
    # scored twice the threshold). With only frequent words, the model scores how function words
    # and word classes follow each other: topic-free, and what scrambled or generated text breaks.
    min_symbol_share: float = 1e-4
    max_vocab: int = 65_534  # word ids are 16 bits (3 x 16 bits fit a 64-bit key); char ids 8 bits
    sources: tuple[str, ...] = ()  # stems of --data files it is trained on
    extra: tuple[str, ...] = ()  # stems of --extra files (software translations) it is also trained on


# ca-valencia: its own text is all administrative (DOGV, Generalitat, BOUMH), so it is trained
# with the Catalan text too. eu and gl: lid-train is small (~1 MB), so the .po translations are
# added (both measured in MODEL_CARD.md).
MODELS: dict[str, ModelSpec] = {
    "es": ModelSpec(sources=("es",)),
    "ca": ModelSpec(sources=("ca",)),
    "ca-valencia": ModelSpec(sources=("ca-valencia", "ca")),
    "eu": ModelSpec(sources=("eu",), extra=("eu",)),
    "gl": ModelSpec(sources=("gl",), extra=("gl",)),
}
CHAR_CANDIDATE = ModelSpec(
    kind="char", order=5, min_counts=(1, 1, 1, 2, 2), min_symbol_count=3, min_symbol_share=0.0, max_vocab=250
)


def is_heldout(line: str) -> bool:
    """1 line in HELDOUT_EVERY, chosen by a hash of the stripped line (stable across runs)."""
    return xxhash.xxh64_intdigest(line.strip().encode("utf-8")) % HELDOUT_EVERY == 0


def read_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def split(lines: list[str]) -> tuple[list[str], list[str]]:
    """(training lines, held-out lines)."""
    held = [is_heldout(ln) for ln in lines]
    return [ln for ln, h in zip(lines, held) if not h], [ln for ln, h in zip(lines, held) if h]


def build_symbols(spec: ModelSpec, docs: list[str], lang_tag: str) -> CharSymbols | WordSymbols:
    """The vocabulary: symbols seen often enough (`min_symbol_count`, `min_symbol_share`), at most `max_vocab`."""
    counts: Counter[str] = Counter()
    if spec.kind == "char":
        for d in docs:
            counts.update(d)
    else:
        pattern = token_pattern(lang_tag)
        for d in docs:
            counts.update(pattern.findall(d))
    counts.pop("\n", None)
    floor = max(spec.min_symbol_count, spec.min_symbol_share * sum(counts.values()))
    ranked = sorted((s for s, c in counts.items() if c >= floor), key=lambda s: (-counts[s], s))
    chosen = sorted(ranked[: spec.max_vocab])
    return CharSymbols(chosen) if spec.kind == "char" else WordSymbols(chosen)


def bits_for(vocab_size: int) -> int:
    return max(1, int(np.ceil(np.log2(vocab_size))))


def train(spec: ModelSpec, lines: list[str], lang_tag: str, *, meta: dict | None = None) -> NgramModel:
    """A model of `lines` (each its own sentence), after the shared normalisation."""
    docs = normalise(lines)
    symbols = build_symbols(spec, docs, lang_tag)
    ids, doc = symbols.streams(docs, lang_tag)
    bits = bits_for(symbols.vocab_size)
    tables = kneser_ney.estimate(
        ids, doc, order=spec.order, bits=bits, vocab_size=symbols.vocab_size, min_counts=spec.min_counts
    )
    info = {
        "lang_tag": lang_tag,
        "kind": spec.kind,
        "order": spec.order,
        "min_counts": list(spec.min_counts),
        "training_lines": len(lines),
        "training_symbols": int(len(ids)),
        "ngrams": [int(len(t.keys)) for t in tables],
        "vocab_size": symbols.vocab_size,
        "first_id": FIRST_ID,
        **(meta or {}),
    }
    return NgramModel.from_tables(symbols, tables, bits=bits, meta=info)


def sha1_prefix(path: Path) -> str:
    return hashlib.sha1(path.read_bytes()).hexdigest()[:12]


def source_paths(spec: ModelSpec, data: Path, extra: Path | None) -> list[Path]:
    paths = [data / f"{stem}.txt" for stem in spec.sources]
    if spec.extra:
        if extra is None:
            raise ValueError(f"the model needs --extra for {', '.join(spec.extra)}")
        paths += [extra / f"{stem}.txt" for stem in spec.extra]
    return paths


def train_language(tag: str, spec: ModelSpec, data: Path, extra: Path | None = None) -> NgramModel:
    """`tag`'s model from its reference files, held-out lines excluded."""
    lines: list[str] = []
    files = {}
    for path in source_paths(spec, data, extra):
        lines += split(read_lines(path))[0]
        files[f"{path.parent.name}/{path.name}"] = sha1_prefix(path)
    heldout = f"xxh64(line) % {HELDOUT_EVERY} == 0 held out (corpusforge.quality.lm.train.is_heldout)"
    return train(spec, lines, tag, meta={"sources": files, "heldout": heldout})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="directory of <lang>.txt reference files (lid-train)")
    parser.add_argument("--extra", help="directory of further <lang>.txt files (lid-train-extra)")
    parser.add_argument("--out", required=True, help="directory for <lang_tag>.bin")
    parser.add_argument("--langs", nargs="*", default=list(MODELS), help="lang_tags to train (default: all)")
    args = parser.parse_args(argv)
    data, out = Path(args.data), Path(args.out)
    extra = Path(args.extra) if args.extra else None
    unknown = [t for t in args.langs if t not in MODELS]
    if unknown:
        print(f"error: no model spec for {', '.join(unknown)} (known: {', '.join(MODELS)})", file=sys.stderr)
        return 2
    try:
        missing = [str(p) for t in args.langs for p in source_paths(MODELS[t], data, extra) if not p.exists()]
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if missing:
        print(f"error: missing reference files: {', '.join(missing)}", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for tag in args.langs:
        model = train_language(tag, MODELS[tag], data, extra)
        size = model.save(out / f"{tag}.bin")
        print(f"{out / f'{tag}.bin'}: {size / 1e6:.2f} MB, n-grams per order {model.meta['ngrams']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
