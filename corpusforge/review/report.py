"""`corpusforge review report`: what the labels say about the run's decisions.

Per document the reviewers' latest labels are reduced to one category (see `category`); when
reviewers disagree, the most frequent category wins and a tie leaves the document out of the
precision and threshold figures (it still counts for agreement).

- Precision of rejections per (lang_tag, drop_reason) and of keeps per lang_tag: the share of
  judged documents whose decision was right, with a 95% Wilson interval. Within a lang_tag x node x
  decision group the sample's score bands hold equal numbers of documents, so the plain share is an
  unbiased estimate for the group; the pooled "all rejections" row of a language is not weighted
  by the population of each reason and is labelled as such.
- Agreement: Cohen's kappa per pair of reviewers over the documents both labelled.
- Suggested thresholds: per quality rule (and `lang:low_score`) and language, the cut on the rule's
  signal with the best Youden's J between "should be kept" and "should be rejected" documents (kept
  documents and those rejected by that rule), when at least `min_per_class` of each are labelled.

Cost: reads the sample (a few MB) and labels.jsonl once; everything else is in memory.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from corpusforge.review import metrics
from corpusforge.review import sample as sample_mod
from corpusforge.review.labels import LABELS_FILE, Label, latest, read_labels
from corpusforge.review.thresholds_patch import Change, current_value, write_suggestions

TARGET_TAGS = ("es", "ca", "ca-valencia", "eu", "gl")
CORRECT = "correct"


def category(verdict: str, lang: str | None, decision: str) -> str:
    """One comparable category: "should keep" on a kept document is simply "correct", and so on."""
    if (verdict == "keep" and decision == sample_mod.KEPT) or (verdict == "reject" and decision != sample_mod.KEPT):
        return CORRECT
    return f"lang:{lang}" if verdict == "lang" else verdict


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


def should_reject(cat: str, decision: str) -> bool | None:
    """The labelled truth for threshold fitting; None for language and variety labels."""
    if cat == CORRECT:
        return decision != sample_mod.KEPT
    if cat in ("keep", "reject"):
        return cat == "reject"
    return None


@dataclass
class Doc:
    id: str
    lang_tag: str
    decision: str  # "kept" or "rejected"
    rule: str  # drop_reason, or "kept"
    values: dict[str, float]  # lang_score and q_* of the document
    labels: dict[str, str] = field(default_factory=dict)  # reviewer -> category
    notes: list[str] = field(default_factory=list)

    def consensus(self) -> str | None:
        counts = Counter(self.labels.values()).most_common()
        if not counts or (len(counts) > 1 and counts[0][1] == counts[1][1]):
            return None
        return counts[0][0]


def load_docs(review_dir: Path, labels: list[Label]) -> list[Doc]:
    table = sample_mod.load(review_dir)
    value_cols = [c for c in table.column_names if c == "lang_score" or c.startswith("q_")]
    docs = {}
    for row in table.select(
        ["id", "review_decision", *[c for c in ("lang_tag", "drop_reason") if c in table.column_names], *value_cols]
    ).to_pylist():
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
            d.labels[reviewer] = category(label.verdict, label.lang, d.decision)
            if label.note:
                d.notes.append(f"{reviewer}: {label.note}")
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
    groups: dict[tuple[str, str], list[Doc]] = {}
    for d in docs:
        if d.consensus() is None:
            continue
        groups.setdefault((d.lang_tag, d.rule), []).append(d)
        if d.decision != sample_mod.KEPT:
            groups.setdefault((d.lang_tag, "all rejections"), []).append(d)
    rows = []
    for (tag, rule), members in sorted(groups.items()):
        cats = [(d, d.consensus() or "") for d in members]
        verdicts = [decision_ok(c, d.decision, None if d.rule == sample_mod.KEPT else d.rule, targets) for d, c in cats]
        judged = [v for v in verdicts if v is not None]
        right = sum(judged)
        lo, hi = metrics.wilson(right, len(judged))
        rows.append(
            PrecisionRow(
                tag,
                rule,
                len(members),
                len(judged),
                right,
                right / len(judged) if judged else None,
                lo,
                hi,
                wrong_lang=sum(c.startswith("lang:") for _, c in cats),
                wrong_variety=sum(c == "variety" for _, c in cats),
            )
        )
    return rows


def agreement_rows(docs: list[Doc]) -> list[dict[str, Any]]:
    reviewers = sorted({r for d in docs for r in d.labels})
    rows = []
    for i, a in enumerate(reviewers):
        for b in reviewers[i + 1 :]:
            both = [d for d in docs if a in d.labels and b in d.labels]
            if not both:
                continue
            agr = metrics.cohen_kappa([d.labels[a] for d in both], [d.labels[b] for d in both])
            rows.append({"reviewers": [a, b], **asdict(agr)})
    return rows


@dataclass(frozen=True)
class Suggestion:
    lang_tag: str
    reason: str  # "quality:min_stopword_ratio" or "lang:low_score"
    rule: str  # the threshold key: "min_stopword_ratio", "min_lang_score"
    signal: str  # the column: "q_stopword_ratio", "lang_score"
    op: str
    current: float | None
    current_j: float | None
    suggested: float
    suggested_j: float
    n_keep: int
    n_reject: int
    points: list[tuple[float, bool]]  # (value, should reject) for the chart

    @property
    def changes(self) -> bool:
        return self.current is None or (
            self.suggested != self.current and self.suggested_j > (self.current_j or -1) + 1e-9
        )


def suggest(
    docs: list[Doc], *, thresholds_dir: Path | None, lang_min_score: dict[str, float], min_per_class: int
) -> list[Suggestion]:
    reasons = sorted(
        {
            (d.lang_tag, d.rule)
            for d in docs
            if d.rule.startswith(("quality:min_", "quality:max_")) or d.rule == "lang:low_score"
        }
    )
    out = []
    for tag, reason in reasons:
        if reason == "lang:low_score":
            rule, signal, op = "min_lang_score", "lang_score", "min"
            current = lang_min_score.get(tag, lang_min_score.get("*"))
        else:
            rule = reason.split(":", 1)[1]
            op, signal = rule.split("_", 1)[0], "q_" + rule.split("_", 1)[1]
            current = current_value(thresholds_dir, tag, rule)
        points = []
        for d in docs:
            cat = d.consensus()
            if d.lang_tag != tag or cat is None or signal not in d.values or d.rule not in (reason, sample_mod.KEPT):
                continue
            truth = should_reject(cat, d.decision)
            if truth is not None:
                points.append((d.values[signal], truth))
        n_reject = sum(t for _, t in points)
        if n_reject < min_per_class or len(points) - n_reject < min_per_class:
            continue
        values, labels = [v for v, _ in points], [t for _, t in points]
        best = metrics.best_cut(values, labels, op, current=current)
        now = metrics.evaluate_cut(values, labels, op, current).youden_j if current is not None else None
        out.append(
            Suggestion(
                tag,
                reason,
                rule,
                signal,
                op,
                current,
                now,
                best.value,
                best.youden_j,
                len(points) - n_reject,
                n_reject,
                sorted(points),
            )
        )
    return out


def lang_min_scores(run_dir: str | None) -> dict[str, float]:
    """The language filter's `min_score`-like parameter from the run's manifest ({tag: value}, "*" for all)."""
    if not run_dir or not Path(run_dir, "manifest.json").exists():
        return {}
    manifest = json.loads(Path(run_dir, "manifest.json").read_text(encoding="utf-8"))
    for node in manifest.get("nodes", []):
        for key, value in (node.get("params") or {}).items():
            if "min" in key and "score" in key:
                if isinstance(value, int | float):
                    return {"*": float(value)}
                if isinstance(value, dict):
                    return {str(k): float(v) for k, v in value.items() if isinstance(v, int | float)}
    return {}


def build(
    review_dir: str | Path,
    *,
    thresholds_dir: str | Path | None = None,
    min_per_class: int = 5,
    targets: tuple[str, ...] = TARGET_TAGS,
) -> dict[str, Any]:
    """Compute the report, write report.json, report.html and suggested/ into `review_dir`."""
    from corpusforge.review.report_html import render

    review_dir = Path(review_dir)
    tdir = Path(thresholds_dir) if thresholds_dir else None
    labels = read_labels(review_dir / LABELS_FILE)
    docs = load_docs(review_dir, labels)
    meta = sample_mod.load_meta(review_dir)
    suggestions = suggest(
        docs, thresholds_dir=tdir, lang_min_score=lang_min_scores(meta.get("run_dir")), min_per_class=min_per_class
    )
    date = meta.get("created", "")[:10]
    changes = [
        Change(
            s.lang_tag,
            s.rule,
            s.current,
            s.suggested,
            f"review {review_dir.name}: J {s.current_j if s.current_j is None else round(s.current_j, 2)} -> "
            f"{s.suggested_j:.2f} on {s.n_keep} keep / {s.n_reject} reject labels; was {s.current} (sample {date})",
        )
        for s in suggestions
        if s.changes and s.reason.startswith("quality:")
    ]
    patch = write_suggestions(tdir, changes, review_dir / "suggested") if tdir and changes else None
    report = {
        "review_dir": str(review_dir),
        "labels": len(labels),
        "reviewers": sorted({lab.reviewer for lab in labels}),
        "documents": len(docs),
        "labelled_documents": sum(bool(d.labels) for d in docs),
        "disputed_documents": sum(bool(d.labels) and d.consensus() is None for d in docs),
        "precision": [asdict(r) for r in precision_rows(docs, targets)],
        "agreement": agreement_rows(docs),
        "suggestions": [{**asdict(s), "changes": s.changes} for s in suggestions],
        "thresholds_dir": str(tdir) if tdir else None,
        "patch": str(patch) if patch else None,
        "notes": [{"id": d.id, "lang_tag": d.lang_tag, "rule": d.rule, "notes": d.notes} for d in docs if d.notes],
    }
    (review_dir / "report.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    patch_text = patch.read_text(encoding="utf-8") if patch else ""
    (review_dir / "report.html").write_text(render(report, patch_text), encoding="utf-8")
    return report
