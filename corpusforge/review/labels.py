"""Reviewers' labels: an append-only JSONL file next to the sample, one fsync'd line per label.

A label is written to disk before the app hears "saved", so closing the browser or killing the
server loses nothing. Relabelling appends a new line; the latest line per (reviewer, doc) wins.
A line torn by a crash mid-write is skipped on reading (it was never acknowledged).

Verdicts::

    correct   the pipeline's decision (keep or reject) was right
    keep      wrong: should be kept
    reject    wrong: should be rejected
    lang      wrong language; `lang` holds the right tag ("pt", "ca", ...)
    variety   right language, wrong variety (e.g. ca vs ca-valencia)

"keep" and "reject" carry a `reason` from `reasons.py` (too_short, boilerplate, ...), which ties
the label to the rules it is evidence for; "other" needs a note. A label with `adjudicate = true`
settles a document the reviewers disagree on: the latest adjudication is the document's verdict.
Labels written before reasons existed are read as they are (no reason: evidence for no rule).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

from corpusforge.review.reasons import BY_KEY, KEYS, NEEDS_NOTE

LABELS_FILE = "labels.jsonl"
VERDICTS = ("correct", "keep", "reject", "lang", "variety")


@dataclass(frozen=True)
class Label:
    doc: str
    reviewer: str
    verdict: str
    lang: str | None = None  # the right tag when verdict == "lang"
    note: str = ""
    time: str = ""
    reason: str | None = None  # why, for "keep" and "reject" (reasons.KEYS)
    adjudicate: bool = False  # settles a disagreement: the latest adjudication wins

    def validate(self, *, new: bool = False) -> Label:
        """Raise ValueError for a malformed label; `new` labels (from the app) must give a reason
        for "keep" and "reject" (older files are read without one)."""
        if not self.doc or not self.reviewer.strip():
            raise ValueError("a label needs a doc id and a reviewer name")
        if self.verdict not in VERDICTS:
            raise ValueError(f"verdict {self.verdict!r} is not one of {', '.join(VERDICTS)}")
        if self.verdict == "lang" and not (self.lang or "").strip():
            raise ValueError("verdict 'lang' needs the right language tag")
        if self.reason is not None and self.reason not in BY_KEY:
            raise ValueError(f"reason {self.reason!r} is not one of {', '.join(KEYS)}")
        if new and self.verdict in ("keep", "reject") and self.reason is None:
            raise ValueError(f"verdict {self.verdict!r} needs a reason, one of {', '.join(KEYS)}")
        if new and self.reason == NEEDS_NOTE and not self.note.strip():
            raise ValueError("reason 'other' needs a note saying what is wrong")
        return self


class LabelStore:
    """Appends labels to `review_dir/labels.jsonl` (thread-safe within one process).

    Cost: one write + fsync per label (a few ms on a laptop disk).
    """

    def __init__(self, review_dir: str | Path) -> None:
        self.path = Path(review_dir) / LABELS_FILE
        self._lock = threading.Lock()

    def append(self, label: Label) -> Label:
        label.validate(new=True)
        if not label.time:
            stamp = dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
            label = Label(**{**asdict(label), "time": stamp})
        line = json.dumps(asdict(label), ensure_ascii=False, sort_keys=True) + "\n"
        with self._lock, open(self.path, "a+", encoding="utf-8") as fh:
            if fh.tell() > 0 and not _ends_with_newline(self.path):
                line = "\n" + line  # close a line torn by a crash so this label stays readable
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())
        return label

    def all(self) -> list[Label]:
        return read_labels(self.path)

    def latest(self) -> dict[tuple[str, str], Label]:
        return latest(self.all())


def _ends_with_newline(path: Path) -> bool:
    with open(path, "rb") as fh:
        fh.seek(-1, os.SEEK_END)
        return fh.read(1) == b"\n"


def read_labels(path: str | Path) -> list[Label]:
    """Every well-formed line, in file order (torn or hand-broken lines are skipped)."""
    path = Path(path)
    if not path.exists():
        return []
    out = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            try:
                raw = json.loads(line)
                out.append(
                    Label(
                        **{k: raw.get(k) for k in ("doc", "reviewer", "verdict", "lang", "reason")},
                        note=raw.get("note") or "",
                        time=raw.get("time") or "",
                        adjudicate=bool(raw.get("adjudicate")),
                    ).validate()
                )
            except (ValueError, TypeError):
                continue
    return out


def latest(labels: list[Label]) -> dict[tuple[str, str], Label]:
    """(reviewer, doc) -> the last label given, file order being the order they were saved.
    Adjudications are kept apart (see `adjudications`)."""
    out: dict[tuple[str, str], Label] = {}
    for label in labels:
        if not label.adjudicate:
            out[(label.reviewer, label.doc)] = label
    return out


def adjudications(labels: list[Label]) -> dict[str, Label]:
    """doc -> the last adjudication given for it."""
    return {label.doc: label for label in labels if label.adjudicate}
