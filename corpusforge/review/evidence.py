"""Which labels are evidence for which threshold, and what they say.

For rule R (say `min_words`) in language L, a labelled document of L is a point (its signal, whether
R should reject it) when:

    the document                       its (consensus) label                     point           about R
    was rejected by R                  correct                                   should reject   yes
    was rejected by R                  should keep, for a reason that maps to R  should keep     yes
    was rejected by lang:low_score     wrong language, one we keep / not ours    keep / reject   yes (R = min_lang_score)
    was kept                           should reject, for a reason that maps to R  should reject yes
    was kept                           wrong language (R = min_lang_score)       should reject   yes
    was kept                           correct                                   should keep     no

A kept page labelled "correct" is a good page: no rule should reject it, so it is a "should keep"
point for every rule, but it is not a label *about* R and does not count towards the labels a
change needs. Everything else (a page rejected by another rule, a label without a reason, a reason
that maps elsewhere) is no evidence for R: six "too short" labels speak to `min_words` only.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from corpusforge.review import reasons

KEPT = "kept"
CORRECT = "correct"


@dataclass(frozen=True)
class Verdict:
    category: str  # "correct", "keep", "reject", "lang:<tag>" or "variety" (see `category`)
    reason: str | None = None


def category(verdict: str, lang: str | None, decision: str) -> str:
    """One comparable category: "should keep" on a kept document is simply "correct", and so on."""
    if (verdict == "keep" and decision == KEPT) or (verdict == "reject" and decision != KEPT):
        return CORRECT
    return f"lang:{lang}" if verdict == "lang" else verdict


@dataclass
class Doc:
    id: str
    lang_tag: str
    decision: str  # "kept" or "rejected"
    rule: str  # drop_reason, or "kept"
    values: dict[str, float]  # lang_score and q_* of the document
    labels: dict[str, Verdict] = field(default_factory=dict)  # reviewer -> verdict
    adjudicated: Verdict | None = None
    notes: list[str] = field(default_factory=list)

    def consensus(self) -> Verdict | None:
        """The adjudication if any; else the most frequent category (a tie: None, disputed), with
        the most frequent reason among the labels of that category."""
        if self.adjudicated is not None:
            return self.adjudicated
        counts = Counter(v.category for v in self.labels.values()).most_common()
        if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
            return None
        winner = counts[0][0]
        given = Counter(v.reason for v in self.labels.values() if v.category == winner and v.reason)
        return Verdict(winner, min(given, key=lambda r: (-given[r], r)) if given else None)


@dataclass(frozen=True)
class Point:
    doc: str
    value: float
    reject: bool  # the labelled truth: should the rule reject this document
    about_rule: bool  # a label about this rule (counts towards the labels a change needs)


def point(d: Doc, rule: str, signal: str, targets: tuple[str, ...]) -> Point | None:
    """The evidence `d` gives for `rule` (see the module docstring), or None."""
    v = d.consensus()
    if v is None or signal not in d.values:
        return None
    value = d.values[signal]
    if d.decision == KEPT:
        if v.category == CORRECT:
            return Point(d.id, value, reject=False, about_rule=False)
        if v.category == "reject" and reasons.maps_to(v.reason, rule):
            return Point(d.id, value, reject=True, about_rule=True)
        if v.category.startswith("lang:") and rule == reasons.LANG_SCORE_RULE:
            return Point(d.id, value, reject=True, about_rule=True)
        return None
    if reasons.rule_of_drop(d.rule) != rule:
        return None
    if v.category == CORRECT:
        return Point(d.id, value, reject=True, about_rule=True)
    if v.category == "keep" and reasons.maps_to(v.reason, rule):
        return Point(d.id, value, reject=False, about_rule=True)
    if v.category.startswith("lang:") and rule == reasons.LANG_SCORE_RULE:
        return Point(d.id, value, reject=v.category[5:] not in targets, about_rule=True)
    return None


def rules_with_evidence(docs: list[Doc], targets: tuple[str, ...]) -> list[tuple[str, str]]:
    """(lang_tag, rule) pairs some label is about: the rule that rejected a labelled document, or
    a rule a "should reject" reason maps to."""
    pairs: set[tuple[str, str]] = set()
    for d in docs:
        v = d.consensus()
        if v is None:
            continue
        rejected_by = reasons.rule_of_drop(d.rule) if d.decision != KEPT else None
        if rejected_by:
            pairs.add((d.lang_tag, rejected_by))
        elif d.decision == KEPT and v.category == "reject":
            pairs |= {(d.lang_tag, r) for r in reasons.rules_of(v.reason)}
        elif d.decision == KEPT and v.category.startswith("lang:"):
            pairs.add((d.lang_tag, reasons.LANG_SCORE_RULE))
    return sorted(pairs)


def signal_of(rule: str) -> tuple[str, str]:
    """(column, op) of a rule: ("q_words", "min") for min_words, ("lang_score", "min") for min_lang_score."""
    if rule == reasons.LANG_SCORE_RULE:
        return "lang_score", "min"
    op, _, what = rule.partition("_")
    return f"q_{what}", op
