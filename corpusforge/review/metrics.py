"""The statistics of the review report: Wilson intervals, Cohen's kappa, the best cut on a signal.

Pure functions over plain Python values; each is O(n) or O(n log n) in the labels given.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

Z95 = 1.959963984540054


def wilson(successes: int, n: int, *, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion (95% by default); (0, 1) when n is 0.

    Unlike the normal approximation it stays inside [0, 1] and behaves at 0/n and n/n,
    which is what a review of a few dozen documents per rule produces.

    >>> [round(x, 4) for x in wilson(8, 10)]
    [0.4902, 0.9433]
    """
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Agreement:
    n: int
    observed: float  # share of documents given the same category
    expected: float  # chance agreement from each reviewer's own category shares
    kappa: float | None  # None when chance agreement is 1 (both used one and the same category)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> Agreement:
    """Cohen's kappa of two reviewers' categories for the same documents, in the same order.

    >>> round(cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]).kappa, 3)
    0.5
    """
    if len(a) != len(b):
        raise ValueError("both reviewers must label the same documents")
    n = len(a)
    if n == 0:
        return Agreement(0, 0.0, 0.0, None)
    observed = sum(x == y for x, y in zip(a, b)) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    kappa = None if expected >= 1.0 else (observed - expected) / (1 - expected)
    return Agreement(n, observed, expected, kappa)


@dataclass(frozen=True)
class Cut:
    value: float
    youden_j: float  # sensitivity + specificity - 1 for "reject" as the positive class
    wrong_rejects: int  # should-keep documents the cut would reject
    wrong_keeps: int  # should-reject documents the cut would keep


def evaluate_cut(values: Sequence[float], reject: Sequence[bool], op: str, cut: float) -> Cut:
    """How a `min` rule (reject below `cut`) or `max` rule (reject above) agrees with the labels."""
    rejected = [v < cut if op == "min" else v > cut for v in values]
    pos = sum(reject)
    neg = len(reject) - pos
    tp = sum(r and t for r, t in zip(rejected, reject))
    tn = sum((not r) and (not t) for r, t in zip(rejected, reject))
    j = (tp / pos if pos else 0.0) + (tn / neg if neg else 0.0) - 1.0
    return Cut(cut, j, wrong_rejects=neg - tn, wrong_keeps=pos - tp)


def best_cut(values: Sequence[float], reject: Sequence[bool], op: str, *, current: float | None) -> Cut:
    """The cut with the highest Youden's J (balanced accuracy) over midpoints between observed values.

    Youden's J weighs both kinds of error equally whatever the class sizes, so a sample that is
    mostly kept documents does not pull the cut towards keeping everything. Ties go to the cut
    closest to `current` (the smallest change a linguist has to accept).
    """
    distinct = sorted(set(values))
    candidates = [_between(lo, hi) for lo, hi in zip(distinct, distinct[1:])]
    candidates += [distinct[0] - 1e-9 if op == "min" else distinct[-1] + 1e-9] if distinct else []
    if current is not None:
        candidates.append(current)
    anchor = current if current is not None else (distinct[len(distinct) // 2] if distinct else 0.0)
    scored = [evaluate_cut(values, reject, op, c) for c in candidates]
    return max(scored, key=lambda c: (round(c.youden_j, 12), -abs(c.value - anchor)))


def _between(lo: float, hi: float) -> float:
    """The midpoint of two observed values, rounded to the fewest decimals that keep it strictly
    between them (0.2 rather than 0.2367), so the cut separates them for `min` and `max` rules alike."""
    mid = (lo + hi) / 2
    for digits in range(0, 9):
        candidate = round(mid, digits)
        if lo < candidate < hi:
            return candidate
    return mid


def fleiss_kappa(items: Sequence[Sequence[str]]) -> Agreement:
    """Fleiss' kappa over items each labelled by two or more raters (their number may vary per item).

    Per item, the share of agreeing rater pairs; chance agreement from the categories' overall shares.
    Items with fewer than two labels are left out.

    >>> round(fleiss_kappa([["a", "a"], ["b", "b"], ["a", "b"]]).kappa, 3)
    0.333
    """
    rated = [list(x) for x in items if len(x) >= 2]
    if not rated:
        return Agreement(0, 0.0, 0.0, None)
    per_item = []
    totals: Counter[str] = Counter()
    for labels in rated:
        counts = Counter(labels)
        n = len(labels)
        per_item.append((sum(c * c for c in counts.values()) - n) / (n * (n - 1)))
        totals.update(counts)
    observed = sum(per_item) / len(per_item)
    all_labels = sum(totals.values())
    expected = sum((c / all_labels) ** 2 for c in totals.values())
    kappa = None if expected >= 1.0 else (observed - expected) / (1 - expected)
    return Agreement(len(rated), observed, expected, kappa)
