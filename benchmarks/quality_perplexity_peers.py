"""The other candidates of `quality_perplexity.py`: a character 5-gram of ours, KenLM's query, and
what our language identifier does with text of a close language (the character model's one win)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from corpusforge.quality import calibrate
from corpusforge.quality.lm.model import NgramModel
from corpusforge.quality.lm.text import FIRST_ID, WordSymbols, normalise
from corpusforge.quality.lm.train import CHAR_CANDIDATE, MODELS, train_language
from corpusforge.quality.perplexity import PerplexityScorer, model_paths

CLOSE = {"es": "flores200-dev/ast.txt", "ca": "flores200-dev/oc.txt", "gl": "flores200-dev/pt.txt"}


def sizes_mb(directory: Path | None) -> dict[str, float]:
    return {tag: p.stat().st_size / 1e6 for tag, p in model_paths(directory).items()}


def char_candidate(data: Path, out: Path) -> tuple[PerplexityScorer, dict[str, np.ndarray]]:
    """Character 5-grams trained on each language's shipped sources (held-out lines excluded)."""
    for tag, spec in MODELS.items():
        candidate = type(CHAR_CANDIDATE)(**{**CHAR_CANDIDATE.__dict__, "sources": spec.sources, "extra": spec.extra})
        train_language(tag, candidate, data / "lid-train", data / "lid-train-extra").save(out / f"{tag}.bin")
    scorer = PerplexityScorer(out)
    held = calibrate.read_heldout(data / "lid-train")
    return scorer, {tag: scorer.compute(held[tag], [tag] * len(held[tag])) for tag in MODELS}


def write_arpa(model: NgramModel, path: Path) -> None:
    """The (dequantised) model as an ARPA file; "<nl>" is our line boundary, "<unk>" our UNK."""
    assert isinstance(model.symbols, WordSymbols)
    names = ["<unk>", "<nl>", *model.symbols.words]
    mask = np.uint64((1 << model.bits) - 1)
    with path.open("w", encoding="utf-8") as fh:
        fh.write("\\data\\\n")
        for n, keys in enumerate(model.keys, 1):
            fh.write(f"ngram {n}={len(keys) + (2 if n == 1 else 0)}\n")
        for n, keys in enumerate(model.keys, 1):
            fh.write(f"\n\\{n}-grams:\n")
            if n == 1:
                fh.write("-99\t<s>\t0\n-99\t</s>\n")
            logp = model.logp_books[n - 1][model.logp_codes[n - 1]]
            bow = model.bow_books[n - 1][model.bow_codes[n - 1]]
            parts = [(keys >> np.uint64(model.bits * (n - 1 - j))) & mask for j in range(n)]
            for i in range(len(keys)):
                gram = " ".join(names[int(p[i])] for p in parts)
                fh.write(f"{logp[i]:.6f}\t{gram}\t{bow[i]:.6f}\n" if n < model.order else f"{logp[i]:.6f}\t{gram}\n")
        fh.write("\n\\end\\\n")
    _ = FIRST_ID  # names[FIRST_ID + i] is words[i], as in text.WordSymbols


def kenlm_row(scorer: PerplexityScorer, clean: list[tuple[str, str, str]]) -> tuple[str, float, str]:
    """(name, docs per CPU-second, note) for KenLM's query over the shipped word models."""
    try:
        import kenlm
    except ImportError:
        return "KenLM query (same word 3-gram)", float("nan"), "not installed: `pip install kenlm` (builds C++)"
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        loaded, arpa_mb = {}, 0.0
        for tag, model in scorer.models.items():
            write_arpa(model, Path(tmp) / f"{tag}.arpa")
            arpa_mb += (Path(tmp) / f"{tag}.arpa").stat().st_size / 1e6
            loaded[tag] = kenlm.Model(str(Path(tmp) / f"{tag}.arpa"))
    ours = scorer.compute([t for _, _, t in clean], [lang for lang, _, _ in clean])
    t0 = time.process_time()
    theirs = []
    for lang, _, text in clean:
        model = scorer.models[lang]
        tokens = ["<nl>" if t == "\n" else t for t in model.symbols.tokens(normalise([text])[0], lang)]
        first = loaded[lang].score("<nl>", bos=False, eos=False)  # the leading boundary is context only
        total = loaded[lang].score(" ".join(tokens), bos=False, eos=False) - first
        theirs.append(10 ** (-total / (len(tokens) - 1)))
    rate = len(clean) / (time.process_time() - t0)
    diff = np.max(np.abs(np.log10(np.array(theirs)) - np.log10(ours)))
    return (
        "KenLM query (same word 3-gram)",
        rate,
        f"max abs diff of log10 perplexity vs ours {diff:.1e}; ARPA {arpa_mb:.0f} MB",
    )


def lid_close_language(
    data: Path,
    word: tuple[PerplexityScorer, dict[str, np.ndarray]],
    char: tuple[PerplexityScorer, dict[str, np.ndarray]],
) -> list[str]:
    """Text of a close language: tagged as the target by our LID? rejected by each model?"""
    from benchmarks.quality import grouped
    from language_id import Identifier

    identifier = Identifier()
    md = ["Text of a close language under the target's model (lid-dev, ten lines a document):", ""]
    md += ["| target | text | docs | our LID tags it as the target | word 3-gram rejects | char 5-gram rejects |"]
    md += ["|---|---|---|---|---|---|"]
    for tag, rel in CLOSE.items():
        docs = grouped(data / "lid-dev" / rel)
        as_target = sum(p.tag == tag for p in identifier.predict(docs))
        cells = []
        for scorer, held in (word, char):
            cut = float(np.percentile(held[tag], 99.5)) * 2.0
            cells.append(f"{100 * np.mean(scorer.compute(docs, [tag] * len(docs)) > cut):.1f}%")
        md.append(f"| {tag} | {rel} | {len(docs)} | {as_target} | {cells[0]} | {cells[1]} |")
    return md
