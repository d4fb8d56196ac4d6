"""`BigramScorer`: fastText's softmax for a model with word bigrams, without calling fastText.

The variety's gazette model (`variety.GazetteModel`) reads each administrative Catalan document
whole, with word bigrams (`wordNgrams = 2`). fastText's reader turns a line into row ids: for
each word its own row (when the dictionary has it) and its character n-grams; the end-of-line
token's row; and for each pair of neighbours, end-of-line included, the row
`nwords + (h1 * 116049371 + h2) % bucket`, where h is the word's dictionary hash as a
sign-extended int32 (fastText keeps the hashes in an int32 vector) and the product wraps at
64 bits. The answer is softmax(W · mean of those rows).

Each distinct word's part (W · its rows summed, their number, its hash) is worked out once and
remembered, so a document costs a dict look-up per word and a few array operations, where
fastText's `predict` copies the text, splits it again and decodes ~10 quantized rows per word
(~40 µs per 100 words here against ~4x that). The answer is fastText's up to float rounding
(float64 here, float32 there). `load` returns None for a model it cannot reproduce, and checks
itself against fastText first.
"""

from __future__ import annotations

from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

from language_id import ftz
from language_id.linear import EOS, STD_LOG_EPS, output_matrix

_BIGRAM_FACTOR = np.uint64(116049371)
MAX_WORDS = 200_000  # remembered words; the table starts again from empty beyond this
_CHECK_LINES = (
    "la present resolució entra en vigor el dia següent al de la seua publicació",
    "es convoquen les subvencions per a l'any previstes en aquesta ordre",
    "zzqx wvk",
    "a",
)


class BigramScorer:
    """Probabilities of every label (as fastText's `predict` reports them) of a word list."""

    def __init__(self, model: Any, output: np.ndarray, quantized: ftz.QuantizedInput, *, max_words: int = MAX_WORDS):
        self.labels: list[str] = list(model.get_labels())
        self.max_words = max_words
        self._quantized = quantized
        self._bucket = np.uint64(quantized.bucket)
        self._nwords = quantized.nwords
        self._row_labels = quantized.label_rows(output)  # (labels, rows)
        eos_id = quantized.word_ids.get(EOS)
        self._eos = self._row_labels[:, eos_id] if eos_id is not None else np.zeros(len(self.labels))
        self._eos_rows = 1 if eos_id is not None else 0
        self._eos_hash = _signed(ftz.word_hashes([EOS]))[0]
        self._reset()

    @classmethod
    def load(cls, model: Any, path: Path) -> BigramScorer | None:
        """A scorer for the fastText `model` read from `path`, or None when it is not a softmax
        model with word bigrams and a readable `.ftz` file, or disagrees with fastText."""
        args = model.f.getArgs()
        if args.wordNgrams != 2 or str(args.loss) != "loss_name.softmax" or getattr(args, "qout", False):
            return None
        output = output_matrix(path, len(model.get_labels()), model.get_dimension())
        quantized = ftz.read(path)
        if output is None or quantized is None:
            return None
        scorer = cls(model, output, quantized)
        return scorer if scorer._agrees_with_fasttext(model) else None

    def _reset(self) -> None:
        self._index: dict[str, int] = {}
        self._sums = np.zeros((1024, len(self.labels)), dtype=np.float64)  # W · the word's rows summed
        self._counts = np.zeros(1024, dtype=np.float64)  # how many rows
        self._hashes = np.zeros(1024, dtype=np.uint64)  # dictionary hash, sign-extended
        self._rows = 0

    def probabilities(self, lines: list[list[str]]) -> np.ndarray:
        """(lines, labels): the probability fastText's `predict` gives each label of the line
        " ".join(words), in `labels` order. Every line needs a word; words are plain tokens (no
        NUL, no "__label__" prefix, not "</s>"), as `variety.gazette_words` makes them."""
        counts = np.fromiter(map(len, lines), dtype=np.intp, count=len(lines))
        if not counts.all():
            raise ValueError("every line needs at least one word")
        flat = list(chain.from_iterable(lines))
        at = np.fromiter(map(self._index.get, flat, repeat(-1)), dtype=np.intp, count=len(flat))
        if (at < 0).any():
            new = [w for w in dict.fromkeys(flat) if w not in self._index]
            if self._rows + len(new) > self.max_words:
                self._reset()
                new = list(dict.fromkeys(flat))
            self._add(new)
            at = np.fromiter(map(self._index.__getitem__, flat), dtype=np.intp, count=len(flat))
        line_of = np.repeat(np.arange(len(lines)), counts)
        # Each word's neighbour to the right: the next word, or the end-of-line token.
        hashes = self._hashes[at]
        right = np.empty_like(hashes)
        right[:-1] = hashes[1:]
        right[np.cumsum(counts) - 1] = self._eos_hash
        bigram_ids = self._nwords + ((hashes * _BIGRAM_FACTOR + right) % self._bucket).astype(np.intp)
        total = np.stack(
            [
                np.bincount(line_of, self._sums[at, k] + label[bigram_ids], len(lines)) + self._eos[k]
                for k, label in enumerate(self._row_labels)
            ],
            axis=1,
        )
        rows = np.bincount(line_of, self._counts[at], len(lines)) + self._eos_rows + counts  # one bigram per word
        logits = total / rows[:, None]
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        return probs / probs.sum(axis=1, keepdims=True) + STD_LOG_EPS

    def _add(self, words: list[str]) -> None:
        """Remembers the rows and hashes of `words` (distinct, none remembered yet)."""
        need = self._rows + len(words)
        if need > len(self._counts):
            size = max(need, 2 * len(self._counts))
            self._sums = np.resize(self._sums, (size, len(self.labels)))
            self._counts = np.resize(self._counts, size)
            self._hashes = np.resize(self._hashes, size)
        new = slice(self._rows, need)
        self._sums[new], self._counts[new] = self._quantized.word_label_sums(words, self._row_labels)
        self._hashes[new] = _signed(ftz.word_hashes(words))
        self._index.update(zip(words, range(self._rows, need)))
        self._rows = need

    def _agrees_with_fasttext(self, model: Any) -> bool:
        got = self.probabilities([line.split() for line in _CHECK_LINES])
        for line, row in zip(_CHECK_LINES, got, strict=True):
            pairs = model.f.predict(line + "\n", len(self.labels), 0.0, "strict")
            want = {label: p for p, label in pairs}
            if not np.allclose(row, [want.get(label, 0.0) for label in self.labels], atol=1e-6):
                return False
        self._reset()
        return True


def _signed(hashes: np.ndarray) -> np.ndarray:
    """uint32 hashes as fastText's bigram rule reads them: int32, sign-extended to 64 bits."""
    return hashes.view(np.int32).astype(np.int64).view(np.uint64)
