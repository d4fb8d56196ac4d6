"""Score calibration: map the model's top probability to the chance that the label is right.

Isotonic regression (pool-adjacent-violators) on held-out training lines, stored as a short
list of (raw, calibrated) knots and applied with linear interpolation. fastText's softmax is
over-confident on short text; the map pulls those scores down. Cost: one `bisect` per text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, kw_only=True)
class Calibration:
    """Monotone piecewise-linear map from raw probability to calibrated score."""

    raw: tuple[float, ...] = (0.0, 1.0)
    calibrated: tuple[float, ...] = (0.0, 1.0)

    def __call__(self, p: float) -> float:
        raw, cal = self.raw, self.calibrated
        if p <= raw[0]:
            return cal[0]
        if p >= raw[-1]:
            return cal[-1]
        i = bisect.bisect_right(raw, p)
        x0, x1, y0, y1 = raw[i - 1], raw[i], cal[i - 1], cal[i]
        return y0 + (y1 - y0) * (p - x0) / (x1 - x0) if x1 > x0 else y1

    def many(self, p: np.ndarray) -> np.ndarray:
        """`self(x)` of every x of `p`, by the same operations element by element (so exactly)."""
        if len(self.raw) < 2:
            return np.array([self(x) for x in p.tolist()], dtype=np.float64)
        raw, cal = np.asarray(self.raw, dtype=np.float64), np.asarray(self.calibrated, dtype=np.float64)
        i = np.clip(np.searchsorted(raw, p, side="right"), 1, len(raw) - 1)
        x0, x1, y0, y1 = raw[i - 1], raw[i], cal[i - 1], cal[i]
        with np.errstate(divide="ignore", invalid="ignore"):
            inside = np.where(x1 > x0, y0 + (y1 - y0) * (p - x0) / (x1 - x0), y1)
        return np.where(p <= raw[0], cal[0], np.where(p >= raw[-1], cal[-1], inside))

    def to_json(self) -> dict[str, list[float]]:
        return {"raw": list(self.raw), "calibrated": list(self.calibrated)}

    @classmethod
    def from_json(cls, data: dict[str, list[float]]) -> Calibration:
        return cls(raw=tuple(data["raw"]), calibrated=tuple(data["calibrated"]))


def fit_isotonic(scores: list[float], correct: list[bool], *, min_block: int = 200) -> Calibration:
    """Isotonic fit of correctness on score; blocks of at least `min_block` examples keep the
    knots few and the map smooth. Cost: O(n log n) for the sort."""
    if not scores:
        return Calibration()
    pairs = sorted(zip(scores, correct, strict=True))
    # Start from blocks of min_block consecutive examples, then pool adjacent violators.
    blocks: list[list[float]] = []  # [sum of scores, sum of correct, count]
    for start in range(0, len(pairs), min_block):
        chunk = pairs[start : start + min_block]
        blocks.append([sum(s for s, _ in chunk), float(sum(c for _, c in chunk)), float(len(chunk))])
    merged: list[list[float]] = []
    for block in blocks:
        merged.append(block)
        while len(merged) > 1 and merged[-2][1] / merged[-2][2] >= merged[-1][1] / merged[-1][2]:
            last = merged.pop()
            merged[-1] = [a + b for a, b in zip(merged[-1], last, strict=True)]
    raw = [b[0] / b[2] for b in merged]
    cal = [b[1] / b[2] for b in merged]
    return Calibration(
        raw=tuple(round(x, 5) for x in [0.0, *raw, 1.0]), calibrated=tuple(round(y, 5) for y in [0.0, *cal, cal[-1]])
    )
