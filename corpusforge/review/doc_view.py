"""What the app shows beside a document: the rule that decided it, each signal against its threshold,
the reason a "should keep" label starts from, and a duplicate's twin with the shared passages.

Thresholds are the run's (`run_thresholds`, stored in sample.json when the sample was drawn).
"""

from __future__ import annotations

from typing import Any

from corpusforge.review import reasons
from corpusforge.review.compare import shared_spans
from corpusforge.review.run_thresholds import RunThresholds

KEPT = "kept"


def rules_table(doc: dict[str, Any], thresholds: RunThresholds) -> list[dict[str, Any]]:
    """One row per rule of the document's language: signal value, threshold, passes or fails, and
    which rule rejected it (the first failing rule in file order, as the filter decides)."""
    tag = doc.get("lang_tag")
    drop_rule = reasons.rule_of_drop(doc.get("drop_reason")) if doc.get("review_decision") != KEPT else None
    rows = []
    lang_min = thresholds.value(tag, reasons.LANG_SCORE_RULE)
    if lang_min is not None and doc.get("lang_score") is not None:
        rows.append(_row(reasons.LANG_SCORE_RULE, "lang_score", "min", doc["lang_score"], lang_min, drop_rule))
    found = thresholds.rules_for(tag)
    for rule in found.rules if found else ():
        value = doc.get(rule.column)
        if value is not None:
            rows.append(_row(rule.name, rule.column, rule.op, value, rule.value, drop_rule))
    return rows


def _row(rule: str, signal: str, op: str, value: float, threshold: float, drop_rule: str | None) -> dict[str, Any]:
    fails = value < threshold if op == "min" else value > threshold
    return {"rule": rule, "signal": signal, "op": "≥" if op == "min" else "≤", "value": value,
            "threshold": threshold, "fails": fails, "rejected_by": rule == drop_rule}  # fmt: skip


def why(doc: dict[str, Any], table: list[dict[str, Any]]) -> str:
    node = doc.get("review_node") or "?"
    if doc.get("review_decision") == KEPT:
        return f"kept: passed every filter up to node {node}"
    reason = doc.get("drop_reason") or "(no reason recorded)"
    text = f"rejected by node {doc.get('drop_node') or node}: {reason}"
    hit = next((r for r in table if r["rejected_by"]), None)
    if hit is not None:
        text += f" ({hit['signal']} {hit['value']:.4g} against the threshold {hit['threshold']:g})"
    return text


def duplicate_of(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The document a duplicate was rejected in favour of, with the passages both texts share."""
    other = doc.get("review_dup_of_text")
    if not doc.get("review_dup_of") or other is None:
        return None
    mine, theirs = shared_spans(doc.get("text") or "", other)
    return {
        "id": doc["review_dup_of"],
        "url": doc.get("review_dup_of_url"),
        "title": doc.get("review_dup_of_title"),
        "text": other,
        "spans": mine,
        "other_spans": theirs,
    }


def suggested_reason(doc: dict[str, Any]) -> str | None:
    """The reason "should keep" starts from on a rejected document (the rule's own category)."""
    if doc.get("review_decision") == KEPT:
        return None
    return reasons.reason_for_drop(doc.get("drop_reason"))
