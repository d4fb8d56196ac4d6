"""`Identifier._decide_rows` answers each text exactly as the per-text loop it replaced (kept
here as the reference), for any batch, with priors below and above 1."""

from __future__ import annotations

import math
import random

import numpy as np
import pytest

from language_id.identifier import _PREFIX_LEN, _TOP_K, UND, Identifier
from language_id.outofset import features


def _reference(ident: Identifier, norm: str, n_words: int, labels: list[str], probs: list[float], known: int):
    if not labels:
        return UND, 0.0, 0.0
    factors = ident._short_factors if n_words - 1 < ident.info.short_words else ident._long_factors
    best, best_p = labels[0], probs[0]
    total = 1.0
    if factors:
        for label, factor in factors.items():
            if label in labels:
                total -= (1.0 - factor) * probs[labels.index(label)]
        if best in factors or not ident._factors_at_most_one:
            best_p *= factors.get(best, 1.0)
            for label, p in zip(labels[1:], probs[1:], strict=True):
                if p <= best_p and ident._factors_at_most_one:
                    break
                p *= factors.get(label, 1.0)
                if p > best_p:
                    best, best_p = label, p
    top = best_p / total if total > 0 else 0.0
    score = ident.info.calibration(top)
    other = (
        ident.outofset.probability(features(norm, ident.vocabulary, top, in_vocab=known, n_words=n_words))
        if ident.vocabulary
        else 0.0
    )
    if score < ident.und_below or other >= ident.other_above:
        return UND, score, other
    return best[_PREFIX_LEN:], score, other


def _cases(ident: Identifier, rng: random.Random, n: int):
    names = ident._label_names
    norms = ["el gat", "etxeko atea", "o can", "ŝŭ ĉi", "xyz", "la casa de la vila"]
    cases = []
    for _ in range(n):
        k = rng.choice([0, 1, 2, _TOP_K, _TOP_K])
        labels = rng.sample(names, k)
        raw = sorted((rng.random() ** rng.choice([1, 4]) for _ in range(k)), reverse=True)
        if k and rng.random() < 0.2:
            raw = [1.0 - 1e-5 * i for i in range(k)]  # near ties and near-certain answers
        n_words = rng.choice([1, 2, 9, 10, 11, 12, 40, 255, 256, 3000])
        cases.append((rng.choice(norms), n_words, labels, raw, rng.randint(0, n_words)))
    return cases


@pytest.mark.parametrize("priors", ["shipped", "above_one"])
def test_rows_equal_the_per_text_loop(priors: str) -> None:
    ident = Identifier()
    if priors == "above_one":  # a prior above 1: no early stop, every label is adjusted
        ident._short_factors = {"__label__an": 0.1, "__label__es": 1.5, "__label__gl": 0.7}
        ident._long_factors = {k: math.sqrt(v) for k, v in ident._short_factors.items()}
        ident._factors_at_most_one = False
        ident._factor_sets = Identifier._factor_sets_of(ident)
    cases = _cases(ident, random.Random(priors), 3000)
    want = [_reference(ident, *case) for case in cases]
    best, probs = ident._label_rows([c[2] for c in cases], [c[3] for c in cases])
    got = ident._decide_rows(
        [c[0] for c in cases],
        np.array([c[1] for c in cases]),
        best,
        probs,
        np.array([c[4] for c in cases]),
    )
    assert got == want
    assert [ident._decide(*case) for case in cases[:200]] == want[:200]
    assert any(w[0] not in (UND,) for w in want) and any(w[0] == UND for w in want)
