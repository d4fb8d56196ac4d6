"""`q_perplexity`: how surprising a document is to a language model of clean text (CCNet-style).

Heuristics count what a page looks like (stop words, line ends, repeats); they pass text that
has the right words in the wrong order, the output of cheap generators and scramblers. A word
3-gram model of clean reference text (news, encyclopedia, legal; `lm/MODEL_CARD.md`) scores
those far above real prose. One model per lang_tag ships in `lm/models/<lang_tag>.bin`; a row
whose lang_tag has none (or null) gets a null `q_perplexity`, which no rule rejects.

Perplexity = 10 ** (-mean log10 p) over the document's words and line ends, after the model's
normalisation (`lm/text.py`); a document longer than `max_words` is scored on its head.
Cost: ~1 µs per word on one core (tokenising, then a few numpy calls per batch).
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from pathlib import Path

import numpy as np
import pyarrow as pa

from corpusforge.quality.lm.model import MAGIC, NgramModel, perplexity_of
from corpusforge.quality.lm.text import WordSymbols, normalise
from corpusforge.quality.tokenise import BatchTokens

SIGNAL = "q_perplexity"


def shipped_dir() -> Path:
    """The directory of models inside the installed package."""
    return Path(str(resources.files("corpusforge.quality.lm").joinpath("models")))


def model_paths(directory: str | Path | None = None) -> dict[str, Path]:
    """lang_tag -> model file of a directory (the shipped one by default); ValueError when none is usable."""
    directory = Path(directory) if directory is not None else shipped_dir()
    if not directory.is_dir():
        raise ValueError(f"{directory}: no such directory of perplexity models")
    paths = {p.stem: p for p in sorted(directory.glob("*.bin"))}
    for path in paths.values():
        with path.open("rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                raise ValueError(f"{path}: not a corpusforge n-gram model (python -m corpusforge.quality.lm.train)")
    if not paths:
        raise ValueError(f"{directory}: no <lang_tag>.bin perplexity models")
    return paths


class PerplexityScorer:
    """Every model of a directory, loaded once (a worker's `setup`), scoring batches by lang_tag."""

    def __init__(self, directory: str | Path | None = None, *, max_words: int = 100_000) -> None:
        self.models = {tag: NgramModel.load(path) for tag, path in model_paths(directory).items()}
        self.max_words = max_words

    def compute(
        self,
        texts: pa.Array | pa.ChunkedArray | Sequence[str | None],
        lang_tags: Sequence[str | None],
        *,
        tokens: BatchTokens | None = None,
        ready: np.ndarray | None = None,
    ) -> np.ndarray:
        """Perplexity per row (float64), NaN where the row's lang_tag has no model.

        With `tokens` (the batch as the quality signals split it), a row whose `ready[i]` is true
        (`lm.text.reads_as_normalised`) is scored on its tokens, not normalised and split again;
        the result is the same.
        """
        if isinstance(texts, pa.ChunkedArray):
            texts = texts.combine_chunks()
        out = np.full(len(lang_tags), np.nan)
        rows_by_tag: dict[str, list[int]] = {}
        for i, tag in enumerate(lang_tags):
            if tag in self.models:
                rows_by_tag.setdefault(tag, []).append(i)
        for tag, rows in rows_by_tag.items():
            model = self.models[tag]
            rest = rows
            if tokens is not None and ready is not None and isinstance(model.symbols, WordSymbols):
                split = [i for i in rows if ready[i]]  # rows scored on the signals' tokens
                if split:
                    ids, doc = model.symbols.batch_streams(tokens, split, max_symbols=self.max_words)
                    out[split] = perplexity_of(*model.score_streams(ids, doc, len(split)))
                    rest = [i for i in rows if not ready[i]]
            if rest:
                out[rest] = model.perplexity(normalise(_take(texts, rest)), tag, max_symbols=self.max_words)
        return out

    def column(
        self,
        texts: pa.Array | pa.ChunkedArray,
        lang_tags: Sequence[str | None],
        *,
        tokens: BatchTokens | None = None,
        ready: np.ndarray | None = None,
    ) -> pa.Array:
        """`compute` as a float32 column with nulls for rows without a model."""
        values = self.compute(texts, lang_tags, tokens=tokens, ready=ready)
        return pa.array(values.astype(np.float32), mask=np.isnan(values))


def _take(texts: pa.Array | Sequence[str | None], rows: list[int]) -> pa.Array | list[str | None]:
    return texts.take(pa.array(rows, pa.int64())) if isinstance(texts, pa.Array) else [texts[i] for i in rows]


def null_column(n_rows: int) -> pa.Array:
    return pa.nulls(n_rows, pa.float32())
