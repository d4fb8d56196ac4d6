"""Several reviewers on one sample: assignment, agreement per rule, disagreements, export.

- `assign`: each document to `k` reviewers, cycling through every k-subset of the team, so each
  reviewer gets about k/R of the sample and every pair of reviewers shares documents (Cohen's kappa
  needs them). Saved as `assignments.json`; the app shows each reviewer their documents first.
- Agreement: Cohen's kappa per pair of reviewers, and Fleiss' kappa per rule (the decision a
  document was drawn for: kept, quality:min_words, lang:low_score, ...) over documents with two or
  more labels. The categories are the label categories (correct, keep, reject, lang:<tag>, variety).
- Disagreements: documents whose reviewers gave different categories; an adjudication settles one.
- Export: every reviewer's latest label and every adjudication, with the document's consensus and
  where it came from, as JSONL and as a Parquet table joinable to the run by `doc_id` (= the run's `id`).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from corpusforge.review import metrics
from corpusforge.review import sample as sample_mod
from corpusforge.review.evidence import Doc
from corpusforge.review.labels import LABELS_FILE, Label, adjudications, latest, read_labels
from corpusforge.review.reasons import rules_of

ASSIGNMENTS = "assignments.json"
_MAX_SUBSETS = 10_000


def assign(doc_ids: list[str], reviewers: list[str], k: int) -> dict[str, list[str]]:
    """doc -> its k reviewers, in sample order; deterministic for the same inputs.

    >>> assign(["d1", "d2", "d3"], ["Ana", "Bea", "Carles"], 2)
    {'d1': ['Ana', 'Bea'], 'd2': ['Ana', 'Carles'], 'd3': ['Bea', 'Carles']}
    """
    names = list(dict.fromkeys(r.strip() for r in reviewers if r.strip()))
    if not 1 <= k <= len(names):
        raise ValueError(f"each document needs 1 to {len(names)} reviewers (the team), got {k}")
    subsets = list(itertools.islice(itertools.combinations(names, k), _MAX_SUBSETS))
    if len(subsets) == _MAX_SUBSETS:  # a large team: rotate instead (still balanced per reviewer)
        subsets = [tuple(names[(i * k + j) % len(names)] for j in range(k)) for i in range(len(names))]
    return {doc: list(subsets[i % len(subsets)]) for i, doc in enumerate(doc_ids)}


def write_assignments(review_dir: str | Path, reviewers: list[str], k: int) -> dict[str, Any]:
    table = sample_mod.load(review_dir)
    docs = assign(table.column("id").to_pylist(), reviewers, k)
    data = {
        "k": k,
        "reviewers": sorted({r for names in docs.values() for r in names}),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "docs": docs,
    }
    path = Path(review_dir) / ASSIGNMENTS
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False), encoding="utf-8")
    return data


def load_assignments(review_dir: str | Path) -> dict[str, list[str]]:
    path = Path(review_dir) / ASSIGNMENTS
    return json.loads(path.read_text(encoding="utf-8"))["docs"] if path.exists() else {}


def pairwise(docs: list[Doc]) -> list[dict[str, Any]]:
    """Cohen's kappa for every two reviewers who labelled the same documents."""
    reviewers = sorted({r for d in docs for r in d.labels})
    rows = []
    for i, a in enumerate(reviewers):
        for b in reviewers[i + 1 :]:
            both = [d for d in docs if a in d.labels and b in d.labels]
            if both:
                agr = metrics.cohen_kappa([d.labels[a].category for d in both], [d.labels[b].category for d in both])
                rows.append({"reviewers": [a, b], **asdict(agr)})
    return rows


def per_rule(docs: list[Doc]) -> list[dict[str, Any]]:
    """Fleiss' kappa per rule (and over all rules) on documents with two or more labels."""
    groups: dict[str, list[list[str]]] = {}
    for d in docs:
        if len(d.labels) >= 2:
            cats = [v.category for v in d.labels.values()]
            groups.setdefault(d.rule, []).append(cats)
            groups.setdefault("all rules", []).append(cats)
    rows = []
    for rule, items in sorted(groups.items(), key=lambda kv: (kv[0] == "all rules", kv[0])):
        agr = metrics.fleiss_kappa(items)
        rows.append({"rule": rule, "raters": sum(len(x) for x in items), **asdict(agr)})
    return rows


def disagreements(docs: list[Doc]) -> list[dict[str, Any]]:
    """Documents whose reviewers chose different categories, with each label and any adjudication."""
    out = []
    for d in docs:
        if len({v.category for v in d.labels.values()}) > 1:
            out.append({
                "id": d.id,
                "lang_tag": d.lang_tag,
                "rule": d.rule,
                "labels": {r: asdict(v) for r, v in sorted(d.labels.items())},
                "adjudicated": asdict(d.adjudicated) if d.adjudicated else None,
            })  # fmt: skip
    return out


def export(review_dir: str | Path, docs: list[Doc], out_dir: str | Path | None = None) -> tuple[Path, Path]:
    """Write `labels.jsonl` and `labels.parquet` (one row per reviewer's latest label per document,
    and one per adjudication); returns their paths."""
    review_dir = Path(review_dir)
    out = Path(out_dir) if out_dir else review_dir / "export"
    out.mkdir(parents=True, exist_ok=True)
    labels = read_labels(review_dir / LABELS_FILE)
    by_id = {d.id: d for d in docs}
    meta = _sample_columns(review_dir)
    chosen: list[Label] = sorted(latest(labels).values(), key=lambda x: (x.doc, x.reviewer))
    chosen += sorted(adjudications(labels).values(), key=lambda x: x.doc)
    rows = []
    for label in chosen:
        doc = by_id.get(label.doc)
        consensus = doc.consensus() if doc else None
        rows.append({
            "doc_id": label.doc,
            "reviewer": label.reviewer,
            "verdict": label.verdict,
            "reason": label.reason,
            "rules": list(rules_of(label.reason)),
            "lang": label.lang,
            "note": label.note,
            "time": label.time,
            "adjudicate": label.adjudicate,
            "consensus": consensus.category if consensus else None,
            "consensus_reason": consensus.reason if consensus else None,
            **meta.get(label.doc, dict.fromkeys(_META_COLUMNS.values())),
        })  # fmt: skip
    jsonl = out / "labels.jsonl"
    jsonl.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    parquet = out / "labels.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema=EXPORT_SCHEMA), parquet, compression="zstd")
    return jsonl, parquet


_META_COLUMNS = {"lang_tag": "lang_tag", "review_decision": "decision", "drop_reason": "drop_reason",
                 "review_node": "node", "review_stratum": "stratum"}  # fmt: skip
EXPORT_SCHEMA = pa.schema(
    [("doc_id", pa.string()), ("reviewer", pa.string()), ("verdict", pa.string()), ("reason", pa.string()),
     ("rules", pa.list_(pa.string())), ("lang", pa.string()), ("note", pa.string()), ("time", pa.string()),
     ("adjudicate", pa.bool_()), ("consensus", pa.string()), ("consensus_reason", pa.string())]
    + [(name, pa.string()) for name in _META_COLUMNS.values()]
)  # fmt: skip


def _sample_columns(review_dir: Path) -> dict[str, dict[str, Any]]:
    path = review_dir / sample_mod.SAMPLE_FILE
    present = [c for c in _META_COLUMNS if c in pq.read_schema(path).names]
    table = pq.read_table(path, columns=["id", *present])  # no text: nothing to redact
    out = {}
    for row in table.select(["id", *present]).to_pylist():
        out[row["id"]] = {_META_COLUMNS[c]: row.get(c) for c in _META_COLUMNS}
    return out
