"""`corpusforge review report`: what the labels say about the run's decisions, and what to change.

Per document the reviewers' latest labels are reduced to one verdict (`evidence.Doc.consensus`):
an adjudication if there is one, else the most frequent category (a tie leaves the document out of
precision and thresholds; it still counts for agreement).

- Precision of rejections per (lang_tag, drop_reason) and of keeps per lang_tag: the share of
  judged documents whose decision was right, with a 95% Wilson interval. Within a lang_tag x node x
  decision group the sample's score bands hold equal numbers of documents, so the plain share is an
  unbiased estimate for the group; the pooled "all rejections" row is not weighted by reason size.
- Agreement (`team.py`): Cohen's kappa per pair of reviewers, Fleiss' kappa per rule.
- Thresholds: per rule and language that some label is about (`evidence.py`), the best cut, and
  whether the labels are enough to propose it (`proposals.py`); for every candidate, its impact on
  the run (`impact.py`). Proposals that remove more than `max_drop` of a language are left out of
  the patch unless `accept_large_drops`.

Cost: reads the sample and labels.jsonl once, and for the impact tables the run's ids, tags and
signals (no text).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from corpusforge.quality.rules import shipped_dir
from corpusforge.review import impact as impact_mod
from corpusforge.review import metrics, proposals, team
from corpusforge.review import run_thresholds as run_thresholds_mod
from corpusforge.review import sample as sample_mod
from corpusforge.review.evidence import CORRECT, Doc, Verdict, category, point, rules_with_evidence, signal_of
from corpusforge.review.labels import LABELS_FILE, Label, adjudications, latest, read_labels
from corpusforge.review.reasons import LANG_SCORE_RULE
from corpusforge.review.thresholds_patch import Change, write_suggestions

TARGET_TAGS = ("es", "ca", "ca-valencia", "eu", "gl")


def decision_ok(cat: str, decision: str, drop_reason: str | None, targets: tuple[str, ...]) -> bool | None:
    """Was keeping/rejecting right? None when the label does not judge the decision.

    A wrong language on a kept document means it should not be in this language's output. On a
    rejection by the language filter it means the rejection was wrong only when the right language
    is one we keep. "Wrong variety" says nothing about keeping.
    """
    if cat == CORRECT:
        return True
    if cat in ("keep", "reject"):
        return False
    if cat.startswith("lang:"):
        if decision == sample_mod.KEPT:
            return False
        if (drop_reason or "").startswith("lang:"):
            return cat[5:] not in targets
    return None


def load_docs(review_dir: Path, labels: list[Label]) -> list[Doc]:
    table = sample_mod.load(review_dir)
    value_cols = [c for c in table.column_names if c == "lang_score" or c.startswith("q_")]
    extra = [c for c in ("lang_tag", "drop_reason") if c in table.column_names]
    docs = {}
    for row in table.select(["id", "review_decision", *extra, *value_cols]).to_pylist():
        decision = row["review_decision"]
        docs[row["id"]] = Doc(
            id=row["id"],
            lang_tag=row.get("lang_tag") or sample_mod.NO_TAG,
            decision=decision,
            rule=sample_mod.KEPT if decision == sample_mod.KEPT else (row.get("drop_reason") or "?"),
            values={c: float(row[c]) for c in value_cols if row.get(c) is not None},
        )
    for (reviewer, doc_id), label in sorted(latest(labels).items()):
        if doc_id in docs:
            d = docs[doc_id]
            d.labels[reviewer] = Verdict(category(label.verdict, label.lang, d.decision), label.reason)
            if label.note:
                d.notes.append(f"{reviewer}: {label.note}")
    for doc_id, label in adjudications(labels).items():
        if doc_id in docs:
            d = docs[doc_id]
            d.adjudicated = Verdict(category(label.verdict, label.lang, d.decision), label.reason)
            if label.note:
                d.notes.append(f"{label.reviewer} (adjudication): {label.note}")
    return list(docs.values())


@dataclass(frozen=True)
class PrecisionRow:
    lang_tag: str
    rule: str  # drop_reason, "kept", or "all rejections"
    labelled: int
    judged: int
    right: int
    precision: float | None
    ci_low: float
    ci_high: float
    wrong_lang: int
    wrong_variety: int


def precision_rows(docs: list[Doc], targets: tuple[str, ...]) -> list[PrecisionRow]:
    groups: dict[tuple[str, str], list[tuple[Doc, str]]] = {}
    for d in docs:
        v = d.consensus()
        if v is None:
            continue
        groups.setdefault((d.lang_tag, d.rule), []).append((d, v.category))
        if d.decision != sample_mod.KEPT:
            groups.setdefault((d.lang_tag, "all rejections"), []).append((d, v.category))
    rows = []
    for (tag, rule), cats in sorted(groups.items()):
        verdicts = [decision_ok(c, d.decision, None if d.rule == sample_mod.KEPT else d.rule, targets) for d, c in cats]
        judged = [v for v in verdicts if v is not None]
        right = sum(judged)
        lo, hi = metrics.wilson(right, len(judged))
        rows.append(
            PrecisionRow(
                tag,
                rule,
                len(cats),
                len(judged),
                right,
                right / len(judged) if judged else None,
                lo,
                hi,
                wrong_lang=sum(c.startswith("lang:") for _, c in cats),
                wrong_variety=sum(c == "variety" for _, c in cats),
            )  # fmt: skip
        )
    return rows


def thresholds_of(review_dir: Path, meta: dict[str, Any]) -> run_thresholds_mod.RunThresholds:
    """What the run decided with: the sample's snapshot, else the run's manifest, else the shipped files."""
    if meta.get("thresholds"):
        return run_thresholds_mod.RunThresholds.from_json(meta["thresholds"])
    return run_thresholds_mod.from_run(meta.get("run_dir"))


def suggest(docs: list[Doc], current: run_thresholds_mod.RunThresholds, *, min_labels: int,
            targets: tuple[str, ...]) -> list[proposals.Proposal]:  # fmt: skip
    out = []
    for tag, rule in rules_with_evidence(docs, targets):
        now = current.value(tag, rule)
        if now is None:  # the language has no such rule (or the run no language filter)
            continue
        signal, op = signal_of(rule)
        points = [p for d in docs if d.lang_tag == tag and (p := point(d, rule, signal, targets)) is not None]
        if any(p.about_rule for p in points):
            out.append(proposals.decide(tag, rule, signal, op, now, points, min_labels=min_labels))
    return out


def build(
    review_dir: str | Path,
    *,
    thresholds_dir: str | Path | None = None,
    min_labels: int = proposals.MIN_LABELS,
    max_drop: float = impact_mod.MAX_DROP,
    accept_large_drops: bool = False,
    targets: tuple[str, ...] = TARGET_TAGS,
) -> dict[str, Any]:
    """Compute the report; write report.json, report.html and (when something is proposed) suggested/."""
    from corpusforge.review.report_html import render

    review_dir = Path(review_dir)
    labels = read_labels(review_dir / LABELS_FILE)
    docs = load_docs(review_dir, labels)
    meta = sample_mod.load_meta(review_dir)
    current = thresholds_of(review_dir, meta)
    found = suggest(docs, current, min_labels=min_labels, targets=targets)
    candidates = [s for s in found if s.candidate is not None and s.rule != LANG_SCORE_RULE]
    changes = {
        _key(s): [impact_mod.Change(s.lang_tag, s.rule, s.candidate)] for s in candidates if s.candidate is not None
    }
    impacts, impact_note = impact_mod.safe_estimate(meta.get("run_dir"), current, changes, max_drop=max_drop)
    entries = [_entry(s, impacts.get(_key(s)), accept_large_drops) for s in found]
    in_patch = [e for e in entries if e["in_patch"]]
    base = Path(thresholds_dir) if thresholds_dir else Path(current.thresholds_dir or shipped_dir())
    date = meta.get("created", "")[:10]
    patch = write_suggestions(
        base,
        [
            Change(
                e["lang_tag"],
                e["rule"],
                e["current"],
                e["candidate"],
                f"review {review_dir.name} ({date}): {e['message']}",
            )
            for e in in_patch
        ],  # fmt: skip
        review_dir / "suggested",
    )
    combined, _ = impact_mod.safe_estimate(
        meta.get("run_dir"), current,
        {"patch": [impact_mod.Change(e["lang_tag"], e["rule"], e["candidate"]) for e in in_patch]} if in_patch else {},
        max_drop=max_drop,
    )  # fmt: skip
    docs_labelled = [d for d in docs if d.labels or d.adjudicated]
    report = {
        "review_dir": str(review_dir),
        "run_dir": meta.get("run_dir"),
        "labels": len(labels),
        "reviewers": sorted({lab.reviewer for lab in labels}),
        "documents": len(docs),
        "labelled_documents": len(docs_labelled),
        "disputed_documents": sum(d.consensus() is None for d in docs_labelled),
        "precision": [asdict(r) for r in precision_rows(docs, targets)],
        "agreement": team.pairwise(docs),
        "agreement_per_rule": team.per_rule(docs),
        "disagreements": team.disagreements(docs),
        "min_labels": min_labels,
        "max_drop": max_drop,
        "suggestions": entries,
        "impact_note": impact_note,
        "patch_impact": combined.get("patch"),
        "thresholds": {"run": current.to_json(), "changed_since_run": current.changed_since_run},
        "thresholds_dir": str(base),
        "thresholds_dir_is_shipped": base.resolve() == shipped_dir().resolve(),
        "patch": str(patch) if patch else None,
        "notes": [{"id": d.id, "lang_tag": d.lang_tag, "rule": d.rule, "notes": d.notes} for d in docs if d.notes],
    }
    (review_dir / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    patch_text = patch.read_text(encoding="utf-8") if patch else ""
    (review_dir / "report.html").write_text(render(report, patch_text), encoding="utf-8")
    return report


def _key(s: proposals.Proposal) -> str:
    return f"{s.lang_tag}:{s.rule}"


def _entry(s: proposals.Proposal, impact: dict[str, Any] | None, accept_large_drops: bool) -> dict[str, Any]:
    entry = asdict(s)
    entry["points"] = [[p.value, p.reject, p.doc, p.about_rule] for p in s.points]
    entry["reason"] = "lang:low_score" if s.rule == LANG_SCORE_RULE else f"quality:{s.rule}"
    entry["impact"] = impact
    entry["warning"] = (impact or {}).get("warning")
    entry["in_patch"] = bool(s.proposed and s.rule != LANG_SCORE_RULE and (accept_large_drops or not entry["warning"]))
    return entry
