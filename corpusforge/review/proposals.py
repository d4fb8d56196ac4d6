"""When labels are enough to propose a new threshold, and how many more are needed when not.

For a rule and language, the candidate is the cut on the rule's signal with the best Youden's J over
the rule's evidence (`evidence.py`); ties go to today's value. A candidate differing from today's
value flips the decision of the labelled documents between the two values. It is **proposed** only
when

1. at least `min_labels` (default 20) labelled documents lie between today's value and the
   candidate: the change rests on the documents it changes, not on the hundreds it leaves alone;
2. the 95% Wilson interval of the change's precision on them (the share it flips the right way)
   lies above 50%. Before the change their precision is the complement of that share, so the
   interval then also excludes the precision today.

Otherwise the report says "not enough labels" and about how many more labelled documents in that
band are needed (at the rate seen so far), or "not supported" when the labels in the band do not
favour the change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from corpusforge.review import metrics
from corpusforge.review.evidence import Point

MIN_LABELS = 20
PROPOSED, NOT_ENOUGH, NOT_SUPPORTED, NO_CHANGE = "proposed", "not enough labels", "not supported", "no change"


@dataclass
class Proposal:
    lang_tag: str
    rule: str  # "min_words", or "min_lang_score" for the language filter
    signal: str  # "q_words", "lang_score"
    op: str  # "min" or "max"
    current: float
    candidate: float | None  # the best cut when it differs from `current`
    status: str
    message: str
    n_points: int  # all evidence (with kept pages labelled correct)
    n_about: int  # labels about this rule
    n_band: int = 0  # labelled documents whose decision the candidate flips
    band_right: int = 0  # of them, flipped the right way
    ci: tuple[float, float] = (0.0, 1.0)
    needed: int | None = None  # more labelled documents in the band, when not enough
    current_j: float | None = None
    candidate_j: float | None = None
    points: list[Point] = field(default_factory=list)

    @property
    def proposed(self) -> bool:
        return self.status == PROPOSED


def decide(lang_tag: str, rule: str, signal: str, op: str, current: float, points: list[Point], *,
           min_labels: int = MIN_LABELS) -> Proposal:  # fmt: skip
    values, truth = [p.value for p in points], [p.reject for p in points]
    best = metrics.best_cut(values, truth, op, current=current)
    now = metrics.evaluate_cut(values, truth, op, current)
    base = Proposal(lang_tag, rule, signal, op, current, None, NO_CHANGE, "the labels support today's value",
                    n_points=len(points), n_about=sum(p.about_rule for p in points), current_j=now.youden_j,
                    candidate_j=best.youden_j, points=sorted(points, key=lambda p: p.value))  # fmt: skip
    if best.value == current or best.youden_j <= now.youden_j + 1e-9:
        return base
    base.candidate = best.value
    flipped = [p for p in points if _rejects(p.value, op, current) != _rejects(p.value, op, best.value)]
    right = sum(_rejects(p.value, op, best.value) == p.reject for p in flipped)
    base.n_band, base.band_right = len(flipped), right
    base.ci = metrics.wilson(right, len(flipped))
    band = f"between {min(current, best.value):g} and {max(current, best.value):g}"
    if len(flipped) < min_labels:
        base.status, base.needed = NOT_ENOUGH, min_labels - len(flipped)
        base.message = (f"{len(flipped)} labelled documents {band} (the ones this change flips); a proposal needs "
                        f"{min_labels}: label {base.needed} more there")  # fmt: skip
    elif base.ci[0] > 0.5:
        base.status = PROPOSED
        base.message = (f"{right} of {len(flipped)} documents {band} flipped the right way "
                        f"(95% CI {base.ci[0]:.0%}-{base.ci[1]:.0%})")  # fmt: skip
    elif right * 2 > len(flipped):
        base.status, base.needed = NOT_ENOUGH, more_needed(right, len(flipped))
        more = f"about {base.needed} more" if base.needed is not None else "many more"
        base.message = (f"{right} of {len(flipped)} documents {band} flipped the right way (95% CI "
                        f"{base.ci[0]:.0%}-{base.ci[1]:.0%} includes 50%): {more} labels there at this rate")  # fmt: skip
    else:
        base.status = NOT_SUPPORTED
        base.message = f"only {right} of {len(flipped)} documents {band} would be flipped the right way"
    return base


def _rejects(value: float, op: str, cut: float) -> bool:
    return value < cut if op == "min" else value > cut


def more_needed(right: int, n: int, *, limit: int = 100_000) -> int | None:
    """Extra labels (at the rate `right / n`) until the Wilson lower bound passes 50%; None past `limit`."""
    rate = right / n
    for m in range(n, limit + 1):
        if metrics.wilson(round(rate * m), m)[0] > 0.5:
            return m - n
    return None
