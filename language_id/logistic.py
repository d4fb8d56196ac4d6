"""Weighted, L2-regularised logistic regression by Newton's method: the fit behind the variety
markers and the out-of-set score (a few features each, so exact Newton steps are cheap)."""

from __future__ import annotations

import numpy as np


def fit_logistic(
    x: np.ndarray, y: np.ndarray, sample_w: np.ndarray, *, l2: float, iterations: int
) -> tuple[np.ndarray, float]:
    """(weights per column of `x`, bias) minimising the `sample_w`-weighted log loss of labels
    `y` (0/1) plus `l2` x |weights|^2 (the bias is not penalised)."""
    x = np.hstack([x, np.ones((x.shape[0], 1))])  # last column: the bias
    w = np.zeros(x.shape[1])
    ridge = l2 * np.eye(x.shape[1])
    ridge[-1, -1] = 0.0
    for _ in range(iterations):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ ((p - y) * sample_w) + ridge @ w
        hess = (x * (sample_w * p * (1 - p))[:, None]).T @ x + ridge + 1e-9 * np.eye(x.shape[1])
        w -= np.linalg.solve(hess, grad)
    return w[:-1], float(w[-1])
