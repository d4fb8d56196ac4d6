"""`WordScorer`: fastText's softmax prediction computed from remembered per-word sums.

A supervised fastText model with word unigrams (`wordNgrams = 1`) reads a line as the mean of
the input rows of its tokens (each word's own row when the word is in the dictionary, its
character n-grams, and one end-of-line token) and answers softmax(W · mean). W is linear, so
a word always adds the same vector W · (sum of its rows) and the same number of rows: the
scorer asks fastText for each distinct word once, remembers both, and scores any line as
softmax(sum of its words' vectors / their rows), and a document as the sum of its
paragraphs' sums. Web text repeats its words (Zipf), so a batch costs one dict look-up per
distinct word (`batch_sums`; per word with `sums`) and a few array operations (`bincount` per
column), where `multilinePredict` decodes ~10 quantized rows per word of the document and
again of each paragraph. A word seen for the first
time costs ~4 µs (one fastText call); up to `MAX_WORDS` words are remembered.

The answer is fastText's up to float rounding (fastText sums in float32, this in float64;
probabilities agree to ~1e-7). `load` returns None for any model it cannot reproduce
(quantized output, another loss, word n-grams) and checks itself against fastText on a few
lines first; the identifier then keeps calling fastText.
"""

from __future__ import annotations

import struct
from itertools import chain, repeat
from pathlib import Path
from typing import Any

import numpy as np

from language_id import ftz
from language_id.normalize import BatchWords

EOS = "</s>"
_LABEL_PREFIX = "__label__"
# fastText adds 1e-5 to each probability before its log (`std_log`) and hands back exp of that.
STD_LOG_EPS = 1e-5
MAX_WORDS = 1 << 19  # remembered words; the table starts again from empty beyond this (~100 MB)
_CHECK_LINES = (
    "el gat menja peix a la platja",
    "la casa de mi abuela tiene un patio con naranjos",
    "etxeko atea irekita zegoen goizean",
    "o can do veciño ladra pola noite",
    "zzqx wvk",
)


class WordScorer:
    """Top-k labels and probabilities of lines given as word lists (see the module docstring)."""

    def __init__(
        self,
        model: Any,
        output: np.ndarray,
        *,
        vocabulary: frozenset[str] | None = None,
        quantized: ftz.QuantizedInput | None = None,
        max_words: int = MAX_WORDS,
    ) -> None:
        self._model = model
        self.max_words = max_words
        self._output_t = output.astype(np.float64).T  # (dim, labels)
        self.labels = np.array(model.get_labels(), dtype=object)
        self._vocabulary = vocabulary if vocabulary else frozenset(model.get_words())
        # With the decoded input rows, new words are found in batches (ftz.py): each row's
        # label vector W · row, one array per label.
        self._quantized = quantized
        self._row_labels = quantized.label_rows(output) if quantized else None
        from fasttext import FastText

        self._buffer = FastText.fasttext.Vector(model.get_dimension())
        self._reset()

    @classmethod
    def load(cls, model: Any, path: Path, vocabulary: frozenset[str] | None = None) -> WordScorer | None:
        """A scorer for the fastText `model` read from `path`, or None when its prediction is not
        the linear form above or the scorer disagrees with fastText on the check lines."""
        args = model.f.getArgs()
        if args.wordNgrams != 1 or str(args.loss) != "loss_name.softmax" or getattr(args, "qout", False):
            return None
        output = output_matrix(path, len(model.get_labels()), model.get_dimension())
        if output is None:
            return None
        scorer = cls(model, output, vocabulary=vocabulary, quantized=ftz.read(path))
        if not scorer._agrees_with_fasttext():
            return None
        return scorer

    def _reset(self) -> None:
        self._index: dict[str, int] = {}
        # Row 0 is never a word (so a look-up's 0 means "not seen"): columns are the label
        # vector, then the number of rows the word adds, then 1 when fastText's dictionary has it.
        # Stored column by column: a batch sums each column with one `bincount`.
        self._table = np.zeros((len(self.labels) + 2, 1024), dtype=np.float64)
        self._rows = 1
        self._eos = self._rows_of([EOS])[0]
        self._eos[-1] = 0.0  # fastText's token, not one of the text's words

    def _rows_of(self, words: list[str]) -> np.ndarray:
        """[W · sum of the word's input rows, number of rows, in dictionary] per word, as
        fastText's line reader sees the word (it splits at NUL and skips label-like tokens)."""
        rows = np.zeros((len(words), len(self.labels) + 2), dtype=np.float64)
        odd = [i for i, w in enumerate(words) if "\x00" in w or w.startswith(_LABEL_PREFIX) or w == EOS]
        plain = sorted(set(range(len(words))).difference(odd)) if odd else list(range(len(words)))
        if self._quantized is not None and self._row_labels is not None:
            if plain:
                plain_words = [words[i] for i in plain] if odd else words
                rows[plain, :-2], rows[plain, -2] = self._quantized.word_label_sums(plain_words, self._row_labels)
        else:
            odd = list(range(len(words)))
        for i in odd:  # one word at a time through fastText (it splits at NUL, skips labels)
            for part in words[i].split("\x00"):
                if part and not part.startswith(_LABEL_PREFIX):
                    n = len(self._model.get_subwords(part)[1])
                    self._model.f.getWordVector(self._buffer, part)
                    rows[i, :-2] += (np.asarray(self._buffer, dtype=np.float64) * n) @ self._output_t
                    rows[i, -2] += n
        rows[:, -1] = np.fromiter(map(self._vocabulary.__contains__, words), dtype=bool, count=len(words))
        return rows

    def _add(self, words: list[str]) -> None:
        """Remembers the rows of `words` (distinct, none remembered yet)."""
        need = self._rows + len(words)
        if need > self._table.shape[1]:
            grown = np.zeros((self._table.shape[0], max(need, 2 * self._table.shape[1])), dtype=np.float64)
            grown[:, : self._rows] = self._table[:, : self._rows]
            self._table = grown
        self._table[:, self._rows : need] = self._rows_of(words).T
        self._index.update(zip(words, range(self._rows, need)))
        self._rows = need

    def sums(self, lines: list[list[str]]) -> np.ndarray:
        """Per line: the summed rows of its words and of its end-of-line token (columns as in
        the table); a line needs a word before `decide` can answer for it."""
        out = []
        chunk: list[list[str]] = []
        words = 0
        for line in lines:  # chunks of at most half the table: a chunk's words always fit
            if words + len(line) > self.max_words // 2 and chunk:
                out.append(self._chunk_sums(chunk))
                chunk, words = [], 0
            chunk.append(line)
            words += len(line)
        out.append(self._chunk_sums(chunk))
        return out[0] if len(out) == 1 else np.concatenate(out)

    def _chunk_sums(self, lines: list[list[str]]) -> np.ndarray:
        get = self._index.get
        flat = list(chain.from_iterable(lines))
        ids = np.fromiter(map(get, flat, repeat(0)), dtype=np.intp, count=len(flat))
        missing = np.flatnonzero(ids == 0).tolist()  # words not seen yet (row 0 is no word)
        if missing:
            missing_words = list(map(flat.__getitem__, missing))
            new = list(dict.fromkeys(missing_words))
            if self._rows + len(new) > self.max_words:  # full: start again with this chunk's words
                self._reset()
                missing, missing_words, new = list(range(len(flat))), flat, list(dict.fromkeys(flat))
            self._add(new)
            ids[missing] = list(map(self._index.__getitem__, missing_words))
        return self._line_totals(ids, np.fromiter(map(len, lines), dtype=np.intp, count=len(lines)))

    def _line_totals(self, rows: np.ndarray, counts: np.ndarray) -> np.ndarray:
        """Per line (of `counts` words each, laid end to end in `rows`: their table rows), the
        sum of its words' columns and of the end-of-line token."""
        line_of = np.repeat(np.arange(len(counts)), counts)
        totals = np.stack([np.bincount(line_of, column[rows], len(counts)) for column in self._table], axis=1)
        totals += self._eos
        return totals

    def batch_sums(self, batch: BatchWords) -> np.ndarray:
        """`sums` of the texts of a numbered batch (`normalize.normalize_batch`): each of its
        distinct words is looked up once, not each occurrence."""
        if len(batch.distinct) > self.max_words // 2:  # more new words than the table holds at once
            return self.sums([batch.words(i) for i in range(len(batch.offsets) - 1)])
        ids = np.fromiter(map(self._index.get, batch.distinct, repeat(0)), dtype=np.intp, count=len(batch.distinct))
        missing = np.flatnonzero(ids == 0)  # words not seen yet (row 0 is no word)
        if len(missing):
            if self._rows + len(missing) > self.max_words:  # full: start again with this batch's words
                self._reset()
                missing = np.arange(len(ids))
            first = self._rows
            self._add([batch.distinct[i] for i in missing.tolist()])
            ids[missing] = np.arange(first, self._rows)
        return self._line_totals(ids[batch.ids], np.diff(batch.offsets))

    def predict(self, lines: list[list[str]], k: int) -> tuple[list[list[str]], list[list[float]], list[int]]:
        """(best `k` labels, their probabilities as fastText reports them, words found in the
        dictionary) per line; each line needs at least one word."""
        if not lines:
            return [], [], []
        return self.decide(self.sums(lines), k)

    def combine(self, totals: np.ndarray, parts: list[list[int]]) -> np.ndarray:
        """Sums of lines made of other lines' words: row i joins the words of `totals[parts[i]]`
        (one end-of-line token, not one per part)."""
        counts = np.fromiter(map(len, parts), dtype=np.intp, count=len(parts))
        flat = np.fromiter(chain.from_iterable(parts), dtype=np.intp, count=int(counts.sum()))
        owner = np.repeat(np.arange(len(parts)), counts)
        joined = np.stack([np.bincount(owner, column[flat], len(parts)) for column in totals.T], axis=1)
        joined -= np.outer(counts - 1, self._eos)
        return joined

    def decide(self, totals: np.ndarray, k: int) -> tuple[list[list[str]], list[list[float]], list[int]]:
        """`predict`'s answer from line sums (`sums`, `combine`)."""
        best, top, known = self.top(totals, k)
        return self.labels[best].tolist(), top.tolist(), known.tolist()

    def top(self, totals: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """`decide`'s answer as arrays: the best `k` label numbers (in `labels`) per line, their
        probabilities, and the words found in the dictionary."""
        nlabels = len(self.labels)
        logits = totals[:, :nlabels] / totals[:, nlabels : nlabels + 1]
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        probs += STD_LOG_EPS
        best = np.argsort(-probs, axis=1, kind="stable")[:, :k]
        return best, np.take_along_axis(probs, best, axis=1), totals[:, nlabels + 1].astype(np.int64)

    def _agrees_with_fasttext(self) -> bool:
        lines = [line.split() for line in _CHECK_LINES]
        labels, probs, _ = self.predict(lines, 3)
        want_labels, want_probs = self._model.f.multilinePredict(
            [line + "\n" for line in _CHECK_LINES], 3, 0.0, "strict"
        )
        for got_l, got_p, exp_l, exp_p in zip(labels, probs, want_labels, want_probs, strict=True):
            if got_l[0] != exp_l[0] or not np.allclose(got_p, exp_p, rtol=1e-4, atol=1e-6):
                return False
        self._reset()  # the check's words need not stay
        return True


def output_matrix(path: Path, nlabels: int, dim: int) -> np.ndarray | None:
    """The output matrix fastText writes last in a model file (a `qout` flag, then rows, columns
    and float32 values), or None when the file's end is not that."""
    size = 17 + nlabels * dim * 4
    with path.open("rb") as f:
        f.seek(0, 2)
        if f.tell() < size:
            return None
        f.seek(-size, 2)
        tail = f.read(size)
    if tail[0] != 0 or struct.unpack("<qq", tail[1:17]) != (nlabels, dim):
        return None
    return np.frombuffer(tail[17:], dtype="<f4").reshape(nlabels, dim).copy()
