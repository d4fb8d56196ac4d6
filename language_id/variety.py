"""Second stage: Valencian (`ca-valencia`) versus central Catalan (`ca`) for Catalan text.

Two parts, added as logits:

1. Markers: a logistic regression over the grouped marker features of `markers.py`
   (log(1 + count) per feature). Only forms that differ between the two standards are
   counted, so register and topic carry no weight. It is fit on register-matched data:
   administrative Valencian against administrative central Catalan (DOGC/BOIB/gencat lines of
   `lid-train/ca.txt`), the Catalan/Valencian pairs of `po-variety` (the same strings in both
   standards), and a smaller share of general central text.
2. Gazette model (optional, `<model>.variety.ftz`): a small fastText model trained only on
   administrative text of both standards plus the po-variety pairs, with capitalised words
   and place/institution names removed. It is consulted only for administrative text (at
   least `min_register_words` words of `markers.REGISTER_RE`), where Valencian often has no
   marker at all in five sentences (it writes `aquest`, `-eix`, `servei` like central
   Catalan); its logit is scaled by `alpha`. On other text it says nothing, so it cannot turn
   general central Catalan into Valencian; since both of its training sides are
   administrative, it cannot learn "administrative register => Valencian" either. What it
   does learn is the house style of the two gazettes (DOGV vs DOGC/BOIB) beside the variety.

Cost: `markers.count_features` plus a dot product, ~5 µs for a sentence (`logits` reads a batch's
texts at once in numpy, `varietytokens.py`, for about a third of that); the gazette model
adds, for administrative Catalan documents only, its answer computed by `bigrams.BigramScorer`
for a batch of texts at once (~60 µs for a 400-word document; fastText's own call ~240 µs).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from language_id.bigrams import BigramScorer
from language_id.logistic import fit_logistic
from language_id.markers import FEATURES, count_features, count_features_batch
from language_id.varietytokens import Tokens, VarietyTokens, tokenize

# Removed before the gazette model sees text: they name the institution, not the variety.
_GAZETTE_MASK = frozenset(
    [
        "valència",
        "valencia",
        "valenciana",
        "valencianes",
        "valencians",
        "valencià",
        "catalunya",
        "catalana",
        "catalanes",
        "catalans",
        "català",
        "conselleria",
        "conselleries",
        "consellera",
        "conseller",
        "consellers",
        "departament",
        "departaments",
        "generalitat",
        "barcelona",
        "alacant",
        "castelló",
        "girona",
        "lleida",
        "tarragona",
        "aran",
        "aranès",
        "aranés",
        "aranesa",
        "balears",
        "illes",
        "mallorca",
        "menorca",
        "eivissa",
        "elx",
        "alcoi",
        "gandia",
        "dogv",
        "dogc",
        "boib",
        "corts",
        "parlament",
        "govern",
        "consell",
    ]
)
_GAZETTE_TOKEN = re.compile(r"[^\W\d_]+(?:[·'’-][^\W\d_]+)*")


def gazette_text(text: str) -> str:
    """The form the gazette model is trained and queried on: lower-case words, without
    capitalised words (names, institutions, sentence starts) or place/institution names."""
    return " ".join(gazette_words(text))


def gazette_words(text: str) -> list[str]:
    """The words of `gazette_text(text)`."""
    get = _GAZETTE_WORD.get
    return list(filter(None, [get(word) or _gazette_word(word) for word in _GAZETTE_TOKEN.findall(text)]))


class _GazetteForms:
    """`gazette_words` of the texts of a tokenised batch (`varietytokens.tokenize`'s gazette
    tokens): each distinct token's form is worked out once."""

    def __init__(self, tokens: Tokens) -> None:
        forms = [_GAZETTE_WORD[word] if word in _GAZETTE_WORD else _gazette_word(word) for word in tokens.distinct]
        self._forms = np.array(forms, dtype=object)
        self._kept = np.fromiter(map(bool, forms), dtype=bool, count=len(forms))[tokens.ids]
        self._tokens = tokens

    def words(self, i: int) -> list[str]:
        a, b = self._tokens.offsets[i], self._tokens.offsets[i + 1]
        ids = self._tokens.ids[a:b]
        return self._forms[ids[self._kept[a:b]]].tolist()


_GAZETTE_WORD: dict[str, str] = {}  # token -> its gazette form ("" when dropped), per distinct token
_GAZETTE_WORD_MAX = 200_000


def _gazette_word(word: str) -> str:
    lower = "" if word[0].isupper() else word.lower()
    form = "" if lower in _GAZETTE_MASK else lower
    if len(_GAZETTE_WORD) >= _GAZETTE_WORD_MAX:
        _GAZETTE_WORD.clear()
    _GAZETTE_WORD[word] = form
    return form


@dataclass(frozen=True, kw_only=True)
class GazetteModel:
    """fastText administrative-text variety model; `logit` is log-odds of Valencian (0 when
    the text is not administrative, so the marker model decides alone). With `scorer` (the
    model's `BigramScorer`) its answer is computed without calling fastText."""

    model: Any
    alpha: float = 0.5
    min_register_words: int = 2
    scorer: BigramScorer | None = None

    def logit(self, text: str) -> float:
        return self.logits([text])[0]

    def logits(self, texts: list[str], tokens: VarietyTokens | None = None) -> list[float]:
        """`logit` of each text; the scorer answers all administrative texts of the list at once.
        `tokens`: what `varietytokens.tokenize` read of the texts, when the caller has it."""
        out = [0.0] * len(texts)
        tokens = tokens if tokens is not None else tokenize(texts)
        forms = _GazetteForms(tokens.gazette)
        asked: list[tuple[int, list[str]]] = []
        for i, hits in enumerate(tokens.register_hits):
            if hits >= self.min_register_words and (words := forms.words(i)):
                asked.append((i, words))
        if not asked:
            return out
        if self.scorer is not None:
            column = self.scorer.labels.index(_VALENCIAN_LABEL)
            probs = self.scorer.probabilities([words for _, words in asked])[:, column].tolist()
        else:
            probs = [self._fasttext_probability(" ".join(words)) for _, words in asked]
        for (i, _), p in zip(asked, probs, strict=True):
            p = min(max(p, 1e-3), 1.0 - 1e-3)
            out[i] = self.alpha * math.log(p / (1.0 - p))
        return out

    def _fasttext_probability(self, clean: str) -> float:
        pairs = self.model.f.predict(clean + "\n", 2, 0.0, "replace")
        return next((prob for prob, label in pairs if label == _VALENCIAN_LABEL), 0.0)


_VALENCIAN_LABEL = "__label__ca-valencia"


@dataclass(frozen=True, kw_only=True)
class VarietyModel:
    """Weights per marker feature and a bias; `probability` is P(ca-valencia | Catalan text).
    `no_evidence`, when set, is P(ca-valencia) of a text without any marker (else the bias)."""

    weights: dict[str, float]
    bias: float
    threshold: float = 0.5
    no_evidence: float | None = None
    gazette: GazetteModel | None = None
    gazette_file: str | None = None

    def logit(self, text: str) -> float:
        return self.logits([text])[0]

    def logits(self, texts: list[str]) -> list[float]:
        """`logit` of each text: the batch is tokenised once for both parts (`varietytokens.py`)."""
        tokens = tokenize(texts)
        z = [self._marker_logit(counts) for counts in count_features_batch(tokens.markers)]
        if self.gazette is not None:
            z = [a + b for a, b in zip(z, self.gazette.logits(texts, tokens), strict=True)]
        return z

    def _marker_logit(self, counts: dict[str, int]) -> float:
        """The marker part's logit from a text's `count_features`."""
        if counts or self.no_evidence is None:
            return self.bias + sum(self.weights.get(f, 0.0) * math.log1p(n) for f, n in counts.items())
        return math.log(self.no_evidence / (1.0 - self.no_evidence))

    def probability(self, text: str) -> float:
        return _sigmoid(self.logit(text))

    def tag(self, text: str) -> tuple[str, float]:
        """("ca-valencia" or "ca", probability of the returned tag)."""
        return self.tags([text])[0]

    def tags(self, texts: list[str]) -> list[tuple[str, float]]:
        """`tag` of each text (the gazette model answers for all of them at once)."""
        out = []
        for z in self.logits(texts):
            p = _sigmoid(z)
            out.append(("ca-valencia", p) if p >= self.threshold else ("ca", 1.0 - p))
        return out

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"weights": self.weights, "bias": self.bias, "threshold": self.threshold}
        if self.no_evidence is not None:
            out["no_evidence"] = self.no_evidence
        if self.gazette is not None and self.gazette_file is not None:
            out["gazette"] = {
                "file": self.gazette_file,
                "alpha": self.gazette.alpha,
                "min_register_words": self.gazette.min_register_words,
            }
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any], *, folder: Path | None = None) -> VarietyModel:
        weights = data["weights"]
        if not isinstance(weights, dict):
            raise ValueError("variety weights must be a mapping feature -> weight")
        gazette, gazette_file = None, None
        spec = data.get("gazette")
        if isinstance(spec, dict) and folder is not None and (folder / str(spec["file"])).exists():
            from fasttext.FastText import _FastText

            gazette_file = str(spec["file"])
            model = _FastText(model_path=str(folder / gazette_file))
            gazette = GazetteModel(
                model=model,
                scorer=BigramScorer.load(model, folder / gazette_file),
                alpha=float(spec.get("alpha", 0.5)),
                min_register_words=int(spec.get("min_register_words", 2)),
            )
        no_evidence = data.get("no_evidence")
        return cls(
            weights={str(k): float(v) for k, v in weights.items()},
            bias=float(data["bias"]),
            threshold=float(data.get("threshold", 0.5)),
            no_evidence=None if no_evidence is None else float(no_evidence),
            gazette=gazette,
            gazette_file=gazette_file,
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(self.to_json(), indent=1, sort_keys=True) + "\n", encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> VarietyModel:
        return cls.from_json(json.loads(path.read_text(encoding="utf-8")), folder=path.parent)


def _sigmoid(z: float) -> float:
    if z < -50:
        return 0.0
    return 1.0 / (1.0 + math.exp(-z)) if z < 50 else 1.0


def feature_matrix(texts: list[str]) -> np.ndarray:
    """Rows of log(1 + count) per feature, in `FEATURES` order."""
    index = {f: i for i, f in enumerate(FEATURES)}
    x = np.zeros((len(texts), len(FEATURES)), dtype=np.float64)
    for row, text in enumerate(texts):
        for f, n in count_features(text).items():
            x[row, index[f]] = math.log1p(n)
    return x


def fit_weighted(
    groups: list[tuple[list[str], int, float]], *, l2: float = 1e-3, iterations: int = 30
) -> tuple[dict[str, float], float]:
    """Logistic regression by Newton's method (28 features: exact and fast). `groups` are
    (texts, label 1=Valencian/0=central, total weight): each group weighs its total whatever
    its size. Returns (weights per feature, bias). Cost: feature extraction dominates."""
    xs, ys, ws = [], [], []
    for texts, label, total in groups:
        if not texts:
            continue
        xs.append(feature_matrix(texts))
        ys.append(np.full(len(texts), float(label)))
        ws.append(np.full(len(texts), total / len(texts)))
    sample_w = np.concatenate(ws)
    w, bias = fit_logistic(np.vstack(xs), np.concatenate(ys), sample_w / sample_w.sum(), l2=l2, iterations=iterations)
    weights = {f: round(float(v), 4) for f, v in zip(FEATURES, w, strict=True)}
    return weights, round(bias, 4)


def fit(
    valencian: list[str],
    central: list[str],
    *,
    l2: float = 1e-4,
    iterations: int = 25,
    no_evidence_probability: float | None = None,
) -> VarietyModel:
    """Class-balanced fit on two lists of texts. With `no_evidence_probability`, a text
    without any marker gets that P(ca-valencia) (the learned bias applies otherwise)."""
    weights, bias = fit_weighted([(valencian, 1, 0.5), (central, 0, 0.5)], l2=l2, iterations=iterations)
    return VarietyModel(weights=weights, bias=bias, no_evidence=no_evidence_probability)
