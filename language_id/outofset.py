"""Out-of-set score: P(the text is in a language the model does not cover).

A softmax over 11 languages always names one of them, so German comes out as Basque or Occitan
and Dutch as English. Two checks run before the label is believed:

1. Script (`script_share`): letters outside the Latin script (Cyrillic, Greek, Arabic, Han,
   Devanagari...) make up at least `NON_LATIN_SHARE` of the letters -> out of set, P = 1.
2. A logistic regression over five cheap features of the normalised text:
   - known: share of words found in the model's own vocabulary (the fastText dictionary,
     words seen at least 5 times in training): ~0.9 for our languages, ~0.2 for German,
     Polish or Turkish;
   - known x log(1 + words) and log(1 + words): a share over three words means less than one
     over thirty;
   - foreign: log(1 + count) of letters that none of the 11 languages writes (ł ř ő ß å ä ø ă ş ğ ı...);
   - top_logit: log-odds of the model's best probability after priors (clipped to +-6.9): Basque
     news knows only a third of its words (agglutination, names) but fastText is sure of it, at
     odds the other languages rarely reach; a plain probability saturates there.
   Fit (`fit`) on held-out training lines of the 11 languages against interface strings of the
   `others.CALIBRATION` languages; measured on `others.HELDOUT` languages it never saw.

Cost: one set look-up per word (the words come from normalisation) and a regex search, ~2 µs
for a 25-word sentence on a quiet core (the look-ups miss the CPU cache: more on a busy one).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from language_id.logistic import fit_logistic

# Letters, lower case, that none of es ca eu gl pt oc ast an fr it en writes (ç, ñ, ü, ï, à,
# è, ò, ô, ã, õ, œ, æ are theirs; ö, ä, ß, å, ø and the Central/Eastern European letters are not).
FOREIGN_LETTERS = "äößåøðþāēīōūăąćčďęěğıķļłńňőřśşșšţțťůűźżžǎǐǒǔ"
_FOREIGN_RE = re.compile("[" + FOREIGN_LETTERS + "]")
# Letters of any script other than Latin.
NON_LATIN_LETTER = re.compile(r"[^\W\d_a-zA-ZÀ-ÖØ-öø-ÿ\u0100-\u024f\u1e00-\u1eff]")
_LETTER = re.compile(r"[^\W\d_]")
NON_LATIN_SHARE = 0.25
FEATURES = ("known", "known_x_logwords", "logwords", "foreign", "top_logit")


def letters(text: str) -> tuple[int, int]:
    """(letters, letters outside the Latin script) of `text`."""
    if text.isascii():
        return sum(1 for c in text if c.isalpha()), 0
    return len(_LETTER.findall(text)), len(NON_LATIN_LETTER.findall(text))


def non_latin_share(text: str) -> float:
    """Share of the letters of `text` that are not Latin (0.0 when it has no letters)."""
    total, non_latin = letters(text)
    return non_latin / total if total else 0.0


# log(1 + n) for small n, looked up rather than computed (this runs for every text).
_LOG1P = [math.log1p(n) for n in range(256)]


def features(
    norm: str,
    vocab: frozenset[str] | set[str],
    top: float,
    words: list[str] | None = None,
    in_vocab: int | None = None,
    *,
    n_words: int | None = None,
) -> tuple[float, float, float, float, float]:
    """The five features of a normalised text (see the module docstring); `words` is
    `norm.split()` and `in_vocab` the number of them in `vocab` when the caller has them
    already (the identifier does: `normalize_words`, the word scorer's table); with
    `in_vocab`, `n_words` may stand for `words`."""
    if n_words is None or in_vocab is None:
        if words is None:
            words = norm.split()
        n_words = len(words)
    n = n_words
    if in_vocab is None:
        assert words is not None
        in_vocab = sum(map(vocab.__contains__, words))
    known = in_vocab / n if n else 0.0
    logwords = _LOG1P[n] if n < 256 else math.log1p(n)
    foreign = 0.0
    if not norm.isascii() and _FOREIGN_RE.search(norm) is not None:
        foreign = math.log1p(len(_FOREIGN_RE.findall(norm)))
    top = min(max(top, 1e-3), 1.0 - 1e-3)
    return known, known * logwords, logwords, foreign, math.log(top / (1.0 - top))


def feature_rows(norms: list[str], top: np.ndarray, in_vocab: np.ndarray, n_words: np.ndarray) -> np.ndarray:
    """`features(norm, vocab, top, in_vocab=k, n_words=n)` of many texts at once, one row
    each, by the same operations (so exactly the same numbers)."""
    n = n_words.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        known = np.where(n_words > 0, in_vocab.astype(np.float64) / n, 0.0)
    logwords = np.array([_LOG1P[k] if k < 256 else math.log1p(k) for k in n_words.tolist()], dtype=np.float64)
    foreign = [
        math.log1p(len(_FOREIGN_RE.findall(norm))) if not norm.isascii() and _FOREIGN_RE.search(norm) else 0.0
        for norm in norms
    ]
    clipped = np.minimum(np.maximum(top, 1e-3), 1.0 - 1e-3).tolist()
    top_logit = [math.log(t / (1.0 - t)) for t in clipped]
    return np.column_stack([known, known * logwords, logwords, foreign, top_logit]).reshape(len(norms), 5)


@dataclass(frozen=True, kw_only=True)
class OutOfSetModel:
    """Logistic regression over `FEATURES`; `threshold` on P(out of set) decides `und`."""

    weights: tuple[float, ...] = ()
    bias: float = 0.0
    threshold: float = 0.5

    def probability(self, feats: tuple[float, ...]) -> float:
        if not self.weights:
            return 0.0
        w0, w1, w2, w3, w4 = self.weights  # written out: this runs for every text
        x0, x1, x2, x3, x4 = feats
        z = self.bias + w0 * x0 + w1 * x1 + w2 * x2 + w3 * x3 + w4 * x4
        return 1.0 / (1.0 + math.exp(-z)) if z > -30.0 else 0.0

    def probabilities(self, rows: np.ndarray) -> list[float]:
        """`probability` of each row of `feature_rows`, by the same operations."""
        if not self.weights:
            return [0.0] * len(rows)
        w0, w1, w2, w3, w4 = self.weights
        z = self.bias + w0 * rows[:, 0] + w1 * rows[:, 1] + w2 * rows[:, 2] + w3 * rows[:, 3] + w4 * rows[:, 4]
        return [1.0 / (1.0 + math.exp(-v)) if v > -30.0 else 0.0 for v in z.tolist()]

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OutOfSetModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise ValueError(f"out-of-set model features {data.get('features')} differ from {list(FEATURES)}")
        return cls(weights=tuple(data["weights"]), bias=float(data["bias"]), threshold=float(data["threshold"]))


def fit(
    in_set: list[tuple[float, ...]],
    others: list[tuple[float, ...]],
    *,
    other_weight: float = 0.5,
    l2: float = 1e-3,
    iterations: int = 30,
    threshold: float = 0.5,
) -> OutOfSetModel:
    """Newton's method on the two groups, `other_weight` of the total weight on `others`."""
    x = np.array(in_set + others, dtype=np.float64)
    y = np.concatenate([np.zeros(len(in_set)), np.ones(len(others))])
    sample_w = np.concatenate(
        [np.full(len(in_set), (1 - other_weight) / len(in_set)), np.full(len(others), other_weight / len(others))]
    )
    w, bias = fit_logistic(x, y, sample_w, l2=l2, iterations=iterations)
    return OutOfSetModel(weights=tuple(round(float(v), 4) for v in w), bias=round(bias, 4), threshold=threshold)
