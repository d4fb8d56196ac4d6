"""Fertility (tokens per word) per language on held-out text, against a Spanish-only tokenizer.

A word is a whitespace-separated unit, so the figure compares tokenizers on the same text,
not languages with each other. Lower is better: fewer tokens per word means longer effective
context and cheaper training per document. The baseline is a tokenizer of the same vocabulary
size trained on the Spanish documents only: the gap shows what balancing bought Basque and
Galician, and what it cost Spanish.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpusforge.pack import tokenizer as tk
from corpusforge.pack.sources import read_docs


@dataclass(frozen=True)
class Fertility:
    lang_tag: str
    documents: int
    words: int
    tokens: int

    @property
    def tokens_per_word(self) -> float:
        return self.tokens / self.words if self.words else float("nan")


def heldout_docs(shards: list[str], *, heldout_permille: int, max_docs_per_lang: int = 2000) -> dict[str, list[str]]:
    """The held-out documents (those `train` never saw), at most `max_docs_per_lang` per tag."""
    out: dict[str, list[str]] = {}
    for shard in shards:
        for batch in read_docs(shard):
            for text, tag in zip(batch.texts, batch.tags, strict=True):
                if text and tk.is_heldout(text, heldout_permille=heldout_permille):
                    docs = out.setdefault(tag, [])
                    if len(docs) < max_docs_per_lang:
                        docs.append(text)
    return dict(sorted(out.items()))


def fertility(tokenizer: Any, docs_by_lang: dict[str, list[str]]) -> dict[str, Fertility]:
    """Tokens per word for each language; cost: one batched encode of every document."""
    out = {}
    for tag, docs in docs_by_lang.items():
        encodings = tokenizer.encode_batch_fast(docs, add_special_tokens=False)
        out[tag] = Fertility(
            lang_tag=tag,
            documents=len(docs),
            words=sum(len(d.split()) for d in docs),
            tokens=sum(len(e.ids) for e in encodings),
        )
    return out


def report(
    shards: list[str],
    *,
    tokenizer_dir: str | Path,
    baseline_dir: str | Path | None = None,
    baseline_lang: str = "es",
    max_docs_per_lang: int = 2000,
) -> dict[str, Any]:
    """Fertility of the tokenizer and of a `baseline_lang`-only one, per language, as JSON-able rows.

    Without `baseline_dir`, the baseline is trained here with the tokenizer's own vocabulary
    size, sample size and held-out split (cost: one more BPE training on that language).
    """
    ours = tk.load(tokenizer_dir)
    meta = _meta(ours.path.parent)
    permille = int(meta.get("heldout_permille", 20))
    docs = heldout_docs(shards, heldout_permille=permille, max_docs_per_lang=max_docs_per_lang)
    if not docs:
        raise tk.TokenizerError("no held-out documents in the input; is it the text the tokenizer was trained on?")
    if baseline_dir is None:
        with tempfile.TemporaryDirectory(prefix="cf-baseline-") as tmp:
            tk.train(
                shards,
                out=tmp,
                vocab_size=ours.vocab_size,
                sample_chars=int(meta.get("sample_chars_target", 50_000_000)),
                seed=int(meta.get("seed", 0)),
                heldout_permille=permille,
                langs=[baseline_lang],
            )
            base = tk.load(tmp)
    else:
        base = tk.load(baseline_dir)
    ours_f, base_f = fertility(ours.tokenizer, docs), fertility(base.tokenizer, docs)
    rows = []
    for tag in docs:
        a, b = ours_f[tag], base_f[tag]
        rows.append(
            {
                "lang_tag": tag,
                "documents": a.documents,
                "words": a.words,
                "fertility": round(a.tokens_per_word, 4),
                f"fertility_{baseline_lang}_only": round(b.tokens_per_word, 4),
                "ratio": round(a.tokens_per_word / b.tokens_per_word, 4) if b.tokens else None,
            }
        )
    return {"tokenizer": str(ours.path), "vocab_size": ours.vocab_size, "baseline_lang": baseline_lang, "rows": rows}


def render(result: dict[str, Any]) -> str:
    """The report as an aligned text table."""
    lang = result["baseline_lang"]
    head = f"{'lang_tag':<14}{'docs':>7}{'words':>10}{'ours':>9}{lang + '-only':>10}{'ratio':>8}"
    lines = [f"fertility (tokens per word) on held-out documents, vocab {result['vocab_size']}", head]
    for r in result["rows"]:
        lines.append(
            f"{r['lang_tag']:<14}{r['documents']:>7}{r['words']:>10}{r['fertility']:>9.3f}"
            f"{r[f'fertility_{lang}_only']:>10.3f}{(r['ratio'] or float('nan')):>8.3f}"
        )
    return "\n".join(lines)


def _meta(directory: Path) -> dict[str, Any]:
    import json

    file = directory / tk.META_FILE
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
