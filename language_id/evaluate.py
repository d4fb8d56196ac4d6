"""Per-label precision, recall, F1 and the confusion matrix; dev-set loading.

Gold labels come from file names (`<label>.txt`). Language-level scores fold `ca-valencia`
into `ca` (`fold_variety=True`), as the targets do; `und` predictions count as errors.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from language_id.data import STEM_ALIASES, language_of, read_lines


@dataclass(frozen=True, kw_only=True)
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(kw_only=True)
class Report:
    """Scores over the gold labels present; `macro_f1` averages them with equal weight."""

    per_label: dict[str, LabelScores]
    confusion: Counter[tuple[str, str]] = field(default_factory=Counter)
    accuracy: float = 0.0

    @property
    def macro_f1(self) -> float:
        if not self.per_label:
            return 0.0
        return sum(s.f1 for s in self.per_label.values()) / len(self.per_label)

    def to_json(self) -> dict[str, Any]:
        """The scores as plain JSON values; the confusion as {gold: {predicted: count}}."""
        confusion: dict[str, dict[str, int]] = {}
        for (gold, predicted), n in sorted(self.confusion.items()):
            confusion.setdefault(gold, {})[predicted] = n
        return {
            "per_label": {label: asdict(s) for label, s in self.per_label.items()},
            "macro_f1": self.macro_f1,
            "accuracy": self.accuracy,
            "confusion": confusion,
        }

    def render(self) -> str:
        """Plain-text table and confusion matrix (rows gold, columns predicted)."""
        lines = [f"{'label':<12} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>6}"]
        for label, s in self.per_label.items():
            lines.append(f"{label:<12} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:6d}")
        lines.append(f"{'macro':<12} {'':>6} {'':>6} {self.macro_f1:6.3f}   accuracy {self.accuracy:.3f}")
        gold = list(self.per_label)
        predicted = sorted({p for _, p in self.confusion} - set(gold))
        cols = gold + predicted
        lines += ["", "confusion (rows gold, columns predicted)", " " * 12 + "".join(f"{c[:6]:>7}" for c in cols)]
        for g in gold:
            lines.append(f"{g:<12}" + "".join(f"{self.confusion[(g, c)]:>7}" for c in cols))
        return "\n".join(lines)


def score(gold: list[str], predicted: list[str], *, fold_variety: bool = True) -> Report:
    """Precision/recall/F1 per gold label. Predicted labels absent from gold lower precision
    only through the gold labels' counts (a `pt` prediction for `gl` text hurts gl recall)."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} gold labels but {len(predicted)} predictions")
    if fold_variety:
        gold = [language_of(g) for g in gold]
        predicted = [language_of(p) for p in predicted]
    confusion = Counter(zip(gold, predicted, strict=True))
    per_label: dict[str, LabelScores] = {}
    for label in sorted(set(gold)):
        tp = confusion[(label, label)]
        n_gold = sum(1 for g in gold if g == label)
        n_pred = sum(1 for p in predicted if p == label)
        precision = tp / n_pred if n_pred else 0.0
        recall = tp / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = LabelScores(precision=precision, recall=recall, f1=f1, support=n_gold)
    accuracy = sum(confusion[(g, g)] for g in per_label) / len(gold) if gold else 0.0
    return Report(per_label=per_label, confusion=confusion, accuracy=accuracy)


def reliability(
    scores: list[float], correct: list[bool], *, bins: int = 10
) -> tuple[float, list[tuple[float, float, int]]]:
    """Expected calibration error and (mean score, accuracy, count) per equal-width score bin."""
    table: list[tuple[float, float, int]] = []
    ece = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        idx = [i for i, s in enumerate(scores) if lo <= s < hi or (b == bins - 1 and s == 1.0)]
        if not idx:
            continue
        mean_score = sum(scores[i] for i in idx) / len(idx)
        acc = sum(1 for i in idx if correct[i]) / len(idx)
        ece += len(idx) / len(scores) * abs(mean_score - acc)
        table.append((mean_score, acc, len(idx)))
    return ece, table


def load_labelled(folder: Path) -> tuple[list[str], list[str]]:
    """(gold labels, texts) from `<label>.txt` files directly in `folder` (aliases applied)."""
    gold: list[str] = []
    texts: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        lines = read_lines(path)
        gold += [STEM_ALIASES.get(path.stem, path.stem)] * len(lines)
        texts += lines
    if not texts:
        raise FileNotFoundError(f"no <label>.txt files under {folder}")
    return gold, texts
