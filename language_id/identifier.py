"""`Identifier`: language, variety and calibrated score for texts, and segment-level mixes.

    >>> from language_id import Identifier
    >>> ident = Identifier()
    >>> [p.tag for p in ident.predict(["Bon dia a tothom, com esteu?", "Egun on guztioi!"])]
    ['ca', 'eu']

Two stages: a fastText model over 11 languages (ca includes Valencian), then, for Catalan,
the variety model (`variety.py`) that decides `ca-valencia` versus `ca`. Cost: ~30-40 µs per
sentence on one core (normalisation in Python, one batched fastText call for all texts, a
bisect, and the marker scan for Catalan); documents are cut to `normalize.MAX_CHARS` for the
language decision. `identify` (documents and their paragraphs, what the pipeline stage asks)
computes fastText's answer from remembered per-word sums instead (`linear.WordScorer`) where
the model allows it: on a stream of documents the words repeat and a document is the sum of
its paragraphs. It normalises all of a batch's paragraphs at once, in numpy
(`normalize.normalize_batch`), so each distinct word of the batch is looked up once.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from language_id.calibration import Calibration
from language_id.linear import WordScorer
from language_id.normalize import MAX_CHARS, BatchWords, normalize, normalize_batch, normalize_words
from language_id.outofset import NON_LATIN_LETTER, NON_LATIN_SHARE, OutOfSetModel, feature_rows, letters
from language_id.segments import Mix, Segment, build_mix, spans
from language_id.variety import VarietyModel

MODELS_DIR = Path(__file__).resolve().parent / "models"
DEFAULT_MODEL = MODELS_DIR / "iberian-lid.ftz"
UND = "und"
_LABEL_PREFIX = "__label__"
_PREFIX_LEN = len(_LABEL_PREFIX)
# Text the variety model scans at most (markers are frequent; more text adds cost, not accuracy).
_VARIETY_MAX_CHARS = 20_000
_VARIETY_REMEMBERED = 4096  # texts whose variety is remembered (a batch's Catalan documents)
# Labels asked of fastText per text. Priors only lower an/ast, so the best label after them is
# always among the three best before them; labels further down only enter the normalisation of
# the score, by at most their (tiny) probability. Three labels cost ~2 µs less than all eleven.
_TOP_K = 3
_ASCII_LETTER = re.compile("[a-z]")
_OUTSIDE_LATIN_BLOCKS = re.compile("[^\x00-\u024f\u1e00-\u1eff]")
_LATIN_LETTER = re.compile("[a-zß-öø-ÿ\u0100-\u024f\u1e00-\u1eff]")
_URL_RE = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\w+")


def _without_urls(text: str) -> str:
    """`text` with URLs and e-mail addresses blanked. A match never crosses whitespace, so
    blanking a text's paragraphs one by one gives the same words as blanking the whole text."""
    if "://" in text or "www." in text or "@" in text:
        return _URL_RE.sub(" ", text)
    return text


@dataclass(frozen=True, slots=True)
class Prediction:
    """One text's language. `score` is calibrated: P(lang is right); `variety_score` is the
    probability of the Catalan variety in `tag` (None for other languages)."""

    lang: str
    tag: str
    score: float
    variety_score: float | None = None
    # P(the text is in a language outside the model's set): 1.0 for another script, 0.0 when
    # there was nothing to identify. `lang` is `und` when it reaches the model's threshold.
    other: float = 0.0

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"lang": self.lang, "tag": self.tag, "score": round(self.score, 4)}
        if self.variety_score is not None:
            out["variety_score"] = round(self.variety_score, 4)
        if self.other:
            out["other"] = round(self.other, 4)
        return out


UNDETERMINED = Prediction(lang=UND, tag=UND, score=0.0)
OTHER_SCRIPT = Prediction(lang=UND, tag=UND, score=0.0, other=1.0)
# `_normalized` answers this for text mostly in another script (no model call needed).
_OTHER_SCRIPT_MARK = "\x00script"


@dataclass(frozen=True, kw_only=True)
class ModelInfo:
    """What ships beside the fastText file (`<model>.json`): calibration, priors, threshold."""

    calibration: Calibration = Calibration()
    # Multipliers on the model's probabilities for languages rare on the web; applied fully to
    # short texts (<= short_words words), to the square root of them on longer ones.
    priors: dict[str, float] = field(default_factory=dict)
    short_words: int = 10
    und_below: float = 0.3
    outofset: OutOfSetModel = OutOfSetModel()
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ModelInfo:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            calibration=Calibration.from_json(data["calibration"]) if "calibration" in data else Calibration(),
            priors={k: float(v) for k, v in data.get("priors", {}).items()},
            short_words=int(data.get("short_words", 10)),
            und_below=float(data.get("und_below", 0.3)),
            outofset=OutOfSetModel.from_json(data["outofset"]) if "outofset" in data else OutOfSetModel(),
            meta=data.get("meta", {}),
        )


def sidecar_path(model_path: Path) -> Path:
    """`model.ftz` -> `model.json` (calibration, priors, training metadata)."""
    return model_path.with_suffix(".json")


def variety_path_for(model_path: Path) -> Path:
    """`model.ftz` -> `model.variety.json` (the Valencian/central-Catalan weights)."""
    return model_path.with_suffix(".variety.json")


class Identifier:
    """Loads the model once; `predict` and `mix` are batch-friendly and never raise on text.

    `model_path` defaults to the model shipped in the package; `variety_path` to the weights
    beside the model (`<model>.variety.json`), else the shipped ones. `und_below` overrides the
    calibrated score under which the answer is `und`; `other_above` the out-of-set probability
    at which it is `und` too (default: the model's threshold).
    """

    def __init__(
        self,
        model_path: str | Path | None = None,
        *,
        variety_path: str | Path | None = None,
        und_below: float | None = None,
        other_above: float | None = None,
        codeswitch_share: float = 0.2,
        min_segment_chars: int = 20,
    ) -> None:
        from fasttext.FastText import _FastText  # heavy import; also avoids load_model's stderr warning

        path = Path(model_path) if model_path is not None else DEFAULT_MODEL
        if not path.exists():
            raise FileNotFoundError(f"language-id model not found: {path}")
        self._model = _FastText(model_path=str(path))
        self.labels = [label.removeprefix(_LABEL_PREFIX) for label in self._model.get_labels()]
        self.info = ModelInfo.load(sidecar_path(path))
        self.und_below = self.info.und_below if und_below is None else und_below
        self.outofset = self.info.outofset
        self.other_above = self.outofset.threshold if other_above is None else other_above
        # The model's own dictionary (words seen >= min_count times in training): the out-of-set
        # score asks what share of a text's words it knows.
        self.vocabulary = frozenset(self._model.get_words()) if self.outofset.weights else frozenset()
        # fastText's answer from remembered per-word sums where the model allows it (linear.py).
        self._scorer = WordScorer.load(self._model, path, self.vocabulary)
        vpath = Path(variety_path) if variety_path is not None else variety_path_for(path)
        if not vpath.exists():
            vpath = variety_path_for(DEFAULT_MODEL)
        self.variety: VarietyModel | None = VarietyModel.load(vpath) if vpath.exists() else None
        self.codeswitch_share = codeswitch_share
        self._variety_seen: dict[str, tuple[str, float]] = {}
        self.min_segment_chars = min_segment_chars
        self._short_priors = self.info.priors
        self._long_priors = {k: math.sqrt(v) for k, v in self.info.priors.items()}
        # The same, keyed by fastText label ("__label__an"), for the prediction loop.
        self._short_factors = {_LABEL_PREFIX + k: v for k, v in self._short_priors.items()}
        self._long_factors = {_LABEL_PREFIX + k: v for k, v in self._long_priors.items()}
        self._factors_at_most_one = all(v <= 1.0 for v in self.info.priors.values())
        # For `_decide_rows`: fastText's labels by number, and each prior set as (number, factor)
        # pairs in the priors' order and as a factor per label (1.0 where it has none).
        self._label_names = list(self._model.get_labels())
        self._label_number = {label: i for i, label in enumerate(self._label_names)}
        self._factor_sets = self._factor_sets_of()

    def _factor_sets_of(self) -> list[tuple[list[tuple[int, float]], np.ndarray, np.ndarray]]:
        return [
            (
                [(self._label_number[k], v) for k, v in factors.items() if k in self._label_number],
                np.array([factors.get(label, 1.0) for label in self._label_names], dtype=np.float64),
                np.array([label in factors for label in self._label_names], dtype=bool),
            )
            for factors in (self._short_factors, self._long_factors)
        ]

    def predict(self, texts: Iterable[str | None]) -> list[Prediction]:
        """One prediction per input, in order (None, empty or unreadable text -> `und`).

        Batch path: texts are normalised in Python, then one fastText call (`multilinePredict`)
        scores them all in C++, so the per-text Python work is two regex substitutions, a split
        and a short loop over the best label probabilities. (Short texts seen once, the usual
        input here, are cheaper this way than through the word scorer, which pays ~3 µs for each
        word it has not met; `identify` uses the scorer, for document streams.)"""
        items = texts if isinstance(texts, list) else list(texts)
        languages = self._languages(items)
        if self.variety is not None:
            self._remember_varieties([t for t, d in zip(items, languages, strict=True) if d[0] == "ca"])
        return [
            self._prediction(text, *decided)  # type: ignore[arg-type]
            for text, decided in zip(items, languages, strict=True)
        ]

    def predict_one(self, text: str | None) -> Prediction:
        norm, n_words, known = self._normalized(text)
        if not norm:
            return UNDETERMINED
        if norm is _OTHER_SCRIPT_MARK:
            return OTHER_SCRIPT
        pairs = self._model.f.predict(norm + "\n", _TOP_K, 0.0, "replace")
        decided = self._decide(norm, n_words, [label for _, label in pairs], [p for p, _ in pairs], known)
        return self._prediction(text, *decided)  # type: ignore[arg-type]

    def _languages(self, items: list[str | None]) -> list[tuple[str, float, float]]:
        """(language or `und`, calibrated score, out-of-set probability) per text, without
        the variety: one fastText call for all texts that have something to identify."""
        return self._decided([self._normalized(text) for text in items])

    def _decided(
        self, normalized: list[tuple[str, int, int]], totals: np.ndarray | None = None
    ) -> list[tuple[str, float, float]]:
        """`_languages` of texts already normalised ((norm, words, known) as `_normalized` gives):
        from `totals`, each text's word sums from the scorer (`WordScorer.sums`), when given,
        else from one `multilinePredict` call."""
        out: list[tuple[str, float, float]] = [(UND, 0.0, 0.0)] * len(normalized)
        found: list[tuple[int, str, int, int]] = []
        for i, (norm, n_words, known) in enumerate(normalized):
            if norm is _OTHER_SCRIPT_MARK:
                out[i] = (UND, 0.0, 1.0)
            elif norm:
                found.append((i, norm, n_words, known))
        if not found:
            return out
        norms = [norm for _, norm, _, _ in found]
        words = np.fromiter((n for _, _, n, _ in found), dtype=np.int64, count=len(found))
        if totals is not None:  # word sums from the scorer (`identify`)
            assert self._scorer is not None
            best, probs, in_vocabulary = self._scorer.top(totals[[i for i, _, _, _ in found]], _TOP_K)
        else:
            all_labels, all_probs = self._model.f.multilinePredict(
                [norm + "\n" for norm in norms], _TOP_K, 0.0, "replace"
            )
            best, probs = self._label_rows(all_labels, [p.tolist() for p in all_probs])
            in_vocabulary = np.fromiter((k for _, _, _, k in found), dtype=np.int64, count=len(found))
        decided = self._decide_rows(norms, words, best, probs, in_vocabulary)
        for (i, _, _, _), answer in zip(found, decided, strict=True):
            out[i] = answer
        return out

    def _normalized(self, text: str | None) -> tuple[str, int, int]:
        """The model's input form of `text`, its number of words and how many of them the model's
        dictionary has; "" when there is nothing to identify (not a string, empty, no letters);
        `_OTHER_SCRIPT_MARK` when a quarter or more of its letters are outside the Latin script
        (checked before the model, which knows Latin only)."""
        if not isinstance(text, str) or not text:
            return "", 0, 0
        words = normalize_words(_without_urls(text))
        norm = self._classified(" ".join(words))
        if not norm or norm is _OTHER_SCRIPT_MARK:
            return norm, 0, 0
        return norm, len(words), sum(map(self.vocabulary.__contains__, words))

    def _classified(self, norm: str) -> str:
        """`_normalized`'s first answer from the normalised text."""
        if not norm:
            return ""
        if norm.isascii():
            return norm if _ASCII_LETTER.search(norm) else ""
        # The common case: every character in the Latin blocks (one scan of a plain range class,
        # cheaper than the letter class); otherwise count letters by script.
        if _OUTSIDE_LATIN_BLOCKS.search(norm) is None or NON_LATIN_LETTER.search(norm) is None:
            return norm if _LATIN_LETTER.search(norm) else ""
        total, non_latin = letters(norm)
        if not total:
            return ""  # emoji, symbols
        return _OTHER_SCRIPT_MARK if non_latin >= NON_LATIN_SHARE * total else norm

    def _batch_normalized(
        self, batch: BatchWords, parts: list[list[int]], *, count_known: bool
    ) -> list[tuple[str, int, int]]:
        """`_normalized` of texts made of the units of `batch` (`parts[i]`: text i's units, whose
        words it has in that order): the normalised texts join the units' with single spaces.
        Without `count_known` the words the dictionary has are left at 0 (the word scorer's
        sums count them)."""
        counts = np.diff(batch.offsets).tolist()
        if count_known and self.vocabulary:  # how many of each unit's words the dictionary has
            in_vocabulary = np.fromiter(map(self.vocabulary.__contains__, batch.distinct), dtype=np.int64)
            unit_of = np.repeat(np.arange(len(counts)), counts)
            known = np.bincount(unit_of, in_vocabulary[batch.ids], len(counts)).astype(np.int64).tolist()
        else:
            known = [0] * len(counts)
        norms = batch.norms
        out = []
        for own in parts:
            if len(own) == 1:
                unit = own[0]
                norm, n_words, n_known = norms[unit], counts[unit], known[unit]
            else:
                norm = " ".join(norms[u] for u in own if norms[u])
                n_words, n_known = sum(counts[u] for u in own), sum(known[u] for u in own)
            norm = self._classified(norm)
            out.append((norm, n_words, n_known) if norm and norm is not _OTHER_SCRIPT_MARK else (norm, 0, 0))
        return out

    def _decide(
        self, norm: str, n_words: int, labels: list[str], probs: list[float], known: int
    ) -> tuple[str, float, float]:
        """`_decide_rows` of one text, from its best labels and their probabilities."""
        if not labels:
            return UND, 0.0, 0.0
        best, top = self._label_rows([labels], [probs])
        return self._decide_rows([norm], np.array([n_words]), best, top, np.array([known]))[0]

    def _label_rows(self, labels: list[list[str]], probs: list[list[float]]) -> tuple[np.ndarray, np.ndarray]:
        """(label numbers, probabilities) as arrays of `_TOP_K` columns; a missing label is -1 at 0.0."""
        number = self._label_number
        best = np.full((len(labels), _TOP_K), -1, dtype=np.int64)
        top = np.zeros((len(labels), _TOP_K), dtype=np.float64)
        for row, (names, values) in enumerate(zip(labels, probs, strict=True)):
            best[row, : len(names)] = [number[name] for name in names]
            top[row, : len(values)] = values
        return best, top

    def _decide_rows(
        self, norms: list[str], n_words: np.ndarray, best: np.ndarray, probs: np.ndarray, known: np.ndarray
    ) -> list[tuple[str, float, float]]:
        """(language or `und`, calibrated score, out-of-set probability) per text from the
        model's best labels (`best`, label numbers, best first, -1 for none) and their
        probabilities; a label not listed counts as probability 0. The priors are factors on the
        probabilities; the mass they take away renormalises the best adjusted one. With factors
        <= 1, once a label's raw probability is below the best adjusted one, no later label can
        win. `known`: how many of the `n_words` words the model's dictionary has.
        Every text's numbers come from the same floating-point operations in the same order as
        a loop over the texts would do, so the answers do not depend on the batch."""
        n = len(norms)
        choice, top_p = best[:, 0].copy(), probs[:, 0].copy()
        total = np.ones(n, dtype=np.float64)
        short = n_words - 1 < self.info.short_words
        for in_set, (pairs, factor, has) in zip((short, ~short), self._factor_sets, strict=True):
            if not pairs or not in_set.any():
                continue
            for label, f in pairs:  # the mass each prior takes, in the priors' order
                at = (best == label) & in_set[:, None]
                hit = at.any(axis=1)
                total[hit] -= (1.0 - f) * probs[at]
            adjust = in_set & (has[best[:, 0]] if self._factors_at_most_one else True)
            p_best = np.where(adjust, top_p * factor[best[:, 0]], top_p)
            going = adjust.copy()
            for k in range(1, best.shape[1]):
                p = probs[:, k]
                if self._factors_at_most_one:
                    going &= ~(p <= p_best)
                p = p * np.where(best[:, k] >= 0, factor[best[:, k]], 1.0)
                better = going & (p > p_best) & (best[:, k] >= 0)
                choice = np.where(better, best[:, k], choice)
                p_best = np.where(better, p, p_best)
            top_p = p_best
        with np.errstate(divide="ignore", invalid="ignore"):
            top = np.where(total > 0, top_p / total, 0.0)
        scores = self.info.calibration.many(top).tolist()
        rows = feature_rows(norms, top, known, n_words) if self.vocabulary else None
        others = self.outofset.probabilities(rows) if rows is not None else [0.0] * n
        names = self._label_names
        out = []
        for label, score, other in zip(choice.tolist(), scores, others, strict=True):
            if label < 0:  # the model listed no label
                out.append((UND, 0.0, 0.0))
            elif score < self.und_below or other >= self.other_above:
                out.append((UND, score, other))
            else:
                out.append((names[label][_PREFIX_LEN:], score, other))
        return out

    def _prediction(self, text: str, lang: str, score: float, other: float) -> Prediction:
        if lang == UND:
            return Prediction(lang=UND, tag=UND, score=score, other=other)
        if lang == "ca" and self.variety is not None:
            tag, vscore = self._variety_tag(text)
            return Prediction(lang=lang, tag=tag, score=score, variety_score=vscore, other=other)
        return Prediction(lang=lang, tag=lang, score=score, other=other)

    def _remember_varieties(self, texts: list[str]) -> None:
        """Tags the Catalan `texts` not remembered yet, in one call of the variety model (its
        gazette part answers a batch at once), so that `_variety_tag` finds them."""
        assert self.variety is not None
        keys = [k for k in dict.fromkeys(t[:_VARIETY_MAX_CHARS].strip() for t in texts) if k not in self._variety_seen]
        if not keys:
            return
        if len(self._variety_seen) + len(keys) > _VARIETY_REMEMBERED:
            self._variety_seen.clear()
        self._variety_seen.update(zip(keys, self.variety.tags(keys), strict=True))

    def _variety_tag(self, text: str) -> tuple[str, float]:
        """The variety model's tag of a Catalan text, remembered for the last texts: a Catalan
        document's paragraphs joined are usually the document itself, asked again by `mix`."""
        key = text[:_VARIETY_MAX_CHARS].strip()
        found = self._variety_seen.get(key)
        if found is None:
            assert self.variety is not None
            if len(self._variety_seen) >= _VARIETY_REMEMBERED:
                self._variety_seen.clear()
            found = self._variety_seen[key] = self.variety.tag(key)
        return found

    def raw_scores(self, text: str) -> dict[str, float]:
        """Label -> probability after priors, before calibration, of the labels `predict` looks at
        (the best three; calibration is fit on these, so it sees what `predict` sees)."""
        norm = normalize(_URL_RE.sub(" ", text))
        if not norm:
            return {}
        pairs = self._model.f.predict(norm + "\n", _TOP_K, 0.0, "replace")
        priors = self._short_priors if norm.count(" ") < self.info.short_words else self._long_priors
        scores = {label[len(_LABEL_PREFIX) :]: p for p, label in pairs}
        total = 1.0  # as in `_decide`: the probability mass the priors leave, unlisted labels at 0
        for lang, factor in priors.items():
            if lang in scores:
                total -= (1.0 - factor) * scores[lang]
                scores[lang] *= factor
        return {k: v / total for k, v in scores.items()} if total > 0 else {}

    def mix(self, texts: Iterable[str | None], *, max_segments: int = 200) -> list[Mix]:
        """Per document: each paragraph (line; lines under `min_segment_chars` characters join
        the next) is identified; the result has the segments with their character offsets,
        tag -> share of characters, the dominant tag and whether the document switches
        language. All Catalan segments of a document share one variety, decided on their
        joined text. Cost: one batched scoring of every paragraph of the batch, at
        most `max_segments` paragraphs per document (adjacent ones merge beyond that)."""
        return [mix for _, mix in self.identify(texts, max_segments=max_segments, whole=False)]

    def identify(
        self, texts: Iterable[str | None], *, max_segments: int = 200, whole: bool = True
    ) -> list[tuple[Prediction, Mix]]:
        """`predict` and `mix` of each text at once, as `langid.iberian.v1` needs both: each
        text is normalised once (the whole-text words are rebuilt from its paragraphs' words,
        the same words `predict` computes; with the word scorer its sums are its paragraphs'
        sums) and one batched scoring serves texts and paragraphs.
        With `whole=False` the whole-text prediction is skipped (`UNDETERMINED` in its place)."""
        items = texts if isinstance(texts, list) else list(texts)
        doc_spans = [spans(t, min_chars=self.min_segment_chars, max_segments=max_segments) for t in items]
        units: list[str] = []  # the texts normalised: paragraphs (URLs blanked), cut paragraphs
        parts: list[list[int]] = []  # per text to decide (whole texts, paragraphs): its units
        for text, sp in zip(items, doc_spans, strict=True):
            blanked = [_without_urls(text[a:b]) for a, b in sp]  # type: ignore[index]
            first = len(units)
            units += blanked
            if whole:
                kept, tail = _whole_parts(sp, blanked)
                own = list(range(first, first + kept))
                if tail is not None:
                    own.append(len(units))
                    units.append(tail)
                parts.append(own)
            parts.extend([i] for i in range(first, first + len(blanked)))
        batch = normalize_batch(units)
        normalized = self._batch_normalized(batch, parts, count_known=self._scorer is None)
        # With the scorer, a text's words are summed once: a document is its paragraphs' sums.
        totals = self._scorer.combine(self._scorer.batch_sums(batch), parts) if self._scorer and units else None
        decided = iter(self._decided(normalized, totals))
        docs = []  # (text, whole-text decision, its paragraphs' decisions, its Catalan paragraphs)
        for text, sp in zip(items, doc_spans, strict=True):
            doc = next(decided) if whole else None
            found = [(a, b, *next(decided)) for a, b in sp]
            catalan = "\n".join(text[a:b] for a, b, lang, _, _ in found if lang == "ca")  # type: ignore[index]
            docs.append((text, doc, found, catalan))
        if self.variety is not None:  # the variety of every Catalan text of the batch at once
            self._remember_varieties(
                [text for text, doc, _, _ in docs if doc is not None and doc[0] == "ca"]
                + [catalan for _, _, _, catalan in docs if catalan]
            )
        out: list[tuple[Prediction, Mix]] = []
        for text, doc, found, catalan in docs:
            pred = self._prediction(text, *doc) if doc is not None else UNDETERMINED  # type: ignore[arg-type]
            ca_tag = self._variety_tag(catalan)[0] if catalan and self.variety else "ca"
            segments = [
                Segment(start=a, end=b, lang=lang, tag=ca_tag if lang == "ca" else lang, score=score, other=other)
                for a, b, lang, score, other in found
            ]
            out.append((pred, build_mix(segments, codeswitch_share=self.codeswitch_share)))
        return out


def _whole_parts(doc_spans: list[tuple[int, int]], blanked: list[str]) -> tuple[int, str | None]:
    """How `_normalized(text)` (URLs blanked, then cut at `MAX_CHARS`) reads a text from its
    paragraphs (`blanked`: each span with URLs blanked): the number of leading paragraphs whose
    words it keeps whole, and what it keeps of the paragraph the cut falls in (None if none).
    The spans cover every non-blank character and URL blanking never crosses whitespace, so
    only that paragraph is normalised again."""
    shift = 0  # how much URL blanking has shortened the text before the current span
    for kept, ((a, b), piece) in enumerate(zip(doc_spans, blanked, strict=True)):
        start = a + shift
        if start + len(piece) > MAX_CHARS:
            return kept, piece[: MAX_CHARS - start] if start < MAX_CHARS else None
        shift += len(piece) - (b - a)
    return len(doc_spans), None
