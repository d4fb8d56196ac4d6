"""The review app's server: stdlib `ThreadingHTTPServer` on 127.0.0.1, a JSON API and static files.

    GET  /                      the app (static/index.html, app.js, app.css; no external assets)
    GET  /api/meta              sample size, strata, verdicts, language tags
    GET  /api/docs              [{i, id, stratum}] in review order
    GET  /api/doc?i=N&reviewer=R one document with its signals and R's label, if any
    GET  /api/progress?reviewer=R per stratum: total and labelled by R; R's assigned documents
    GET  /api/disagreements     documents whose reviewers disagree, with every label (to adjudicate)
    POST /api/label             {doc, reviewer, verdict, reason?, lang?, note?, adjudicate?} -> saved before the reply

A document comes with the rule that decided it and each of its signals against the run's
thresholds, the reason "should keep" starts from, and for a duplicate the document it duplicates
(`doc_view.py`). Only an adjudication request (`adjudicate=1`) shows the other reviewers' labels.

The sample is read once at start (a few MB for a few thousand documents); labels are re-read from
`labels.jsonl` on each progress request, so several servers or a restart see the same labels.
"""

from __future__ import annotations

import json
import math
import mimetypes
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

from corpusforge.review import doc_view, team
from corpusforge.review import sample as sample_mod
from corpusforge.review.labels import VERDICTS, Label, LabelStore, adjudications
from corpusforge.review.reasons import REASONS
from corpusforge.review.report import load_docs, thresholds_of

STATIC = ("index.html", "app.js", "app.css")
TARGET_TAGS = ("es", "ca", "ca-valencia", "eu", "gl")
PII_TOKENS = ("EMAIL", "PHONE", "DNI", "NIE", "CIF", "IBAN", "CARD", "IP")
_MAX_BODY = 64 * 1024


class ReviewData:
    """The sample as JSON-ready documents, plus the label store beside it."""

    def __init__(self, review_dir: str | Path) -> None:
        self.dir = Path(review_dir)
        table = sample_mod.load(self.dir)
        self.docs = [_clean(row) for row in table.to_pylist()]
        self.index = {d["id"]: i for i, d in enumerate(self.docs)}
        self.store = LabelStore(self.dir)
        self.strata = list(dict.fromkeys(d.get("review_stratum") or "" for d in self.docs))
        self.thresholds = thresholds_of(self.dir, sample_mod.load_meta(self.dir))
        self.assigned = team.load_assignments(self.dir)

    def meta(self) -> dict[str, Any]:
        tags = sorted({str(d["lang_tag"]) for d in self.docs if d.get("lang_tag")} | set(TARGET_TAGS))
        totals: dict[str, int] = {}
        for d in self.docs:
            totals[d.get("review_stratum") or ""] = totals.get(d.get("review_stratum") or "", 0) + 1
        return {
            "name": self.dir.name,
            "count": len(self.docs),
            "strata": [{"key": k, "total": totals[k]} for k in self.strata],
            "verdicts": list(VERDICTS),
            "reasons": [{"key": r.key, "label": r.label, "rules": list(r.rules)} for r in REASONS],
            "assignments": bool(self.assigned),
            "lang_tags": tags,
            "pii_tokens": list(PII_TOKENS),
        }

    def doc(self, i: int, reviewer: str, *, adjudicate: bool = False) -> dict[str, Any]:
        d = self.docs[i]
        labels = self.store.all()
        mine = self.store.latest().get((reviewer, d["id"])) if reviewer else None
        rules = doc_view.rules_table(d, self.thresholds)
        settled = adjudications(labels).get(d["id"])
        others = [x.__dict__ for (who, doc), x in self.store.latest().items() if doc == d["id"] and who != reviewer]
        signals = {k: v for k, v in d.items() if k.startswith("q_")}
        pii = {k: v for k, v in d.items() if k.startswith("pii_")}
        return {
            "i": i,
            "id": d["id"],
            "url": d.get("url"),
            "title": d.get("title"),
            "domain": d.get("domain"),
            "lang": d.get("lang"),
            "lang_tag": d.get("lang_tag"),
            "lang_score": d.get("lang_score"),
            "lang_mix": d.get("lang_mix"),
            "decision": d.get("review_decision"),
            "node": d.get("review_node"),
            "drop_reason": d.get("drop_reason"),
            "why": doc_view.why(d, rules),
            "rules": rules,
            "suggested_reason": doc_view.suggested_reason(d),
            "dup_of": doc_view.duplicate_of(d),
            "copies": d.get("review_copies") or 1,
            "assigned": self.assigned.get(d["id"], []),
            "others": others if adjudicate else None,  # shown only to settle a disagreement
            "adjudication": settled.__dict__ if adjudicate and settled else None,
            "stratum": d.get("review_stratum"),
            "score_column": d.get("review_score_column"),
            "score": d.get("review_score"),
            "signals": signals,
            "pii": pii,
            "dup_cluster": d.get("dup_cluster"),
            "text": d.get("text") or "",
            "label": mine.__dict__ if mine else None,
        }

    def progress(self, reviewer: str) -> dict[str, Any]:
        latest = self.store.latest()
        labelled = {doc for (who, doc) in latest if who == reviewer}
        per: dict[str, dict[str, int]] = {k: {"total": 0, "done": 0} for k in self.strata}
        for d in self.docs:
            entry = per[d.get("review_stratum") or ""]
            entry["total"] += 1
            entry["done"] += d["id"] in labelled
        reviewers = sorted({who for (who, _doc) in latest})
        mine = sorted(i for doc, i in self.index.items() if reviewer in self.assigned.get(doc, ()))
        return {
            "assigned": mine,
            "strata": [{"key": k, **v} for k, v in per.items()],
            "done": sum(v["done"] for v in per.values()),
            "total": len(self.docs),
            "labelled": sorted(i for doc, i in self.index.items() if doc in labelled),
            "reviewers": reviewers,
        }

    def save(self, body: dict[str, Any]) -> Label:
        doc = str(body.get("doc") or "")
        if doc not in self.index:
            raise ValueError(f"unknown document {doc!r}")
        verdict = str(body.get("verdict") or "")
        lang = (str(body.get("lang") or "").strip() or None) if verdict == "lang" else None
        reason = (str(body.get("reason") or "").strip() or None) if verdict in ("keep", "reject") else None
        label = Label(
            doc=doc,
            reviewer=str(body.get("reviewer") or "").strip(),
            verdict=verdict,
            lang=lang,
            note=str(body.get("note") or "")[:4000],
            reason=reason,
            adjudicate=body.get("adjudicate") is True,
        )
        return self.store.append(label)

    def disagreements(self) -> list[dict[str, Any]]:
        """Documents whose reviewers chose different categories, in review order."""
        found = team.disagreements(load_docs(self.dir, self.store.all()))
        return [{"i": self.index[x["id"]], **x} for x in found if x["id"] in self.index]


def _clean(row: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe values: maps (lang_mix) become dicts, NaN becomes null, bytes are dropped."""
    out: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, float) and math.isnan(v):
            v = None
        elif isinstance(v, list) and v and isinstance(v[0], tuple):
            v = {str(a): b for a, b in v}
        elif isinstance(v, bytes):
            continue
        out[k] = v
    return out


def make_handler(data: ReviewData) -> type[BaseHTTPRequestHandler]:
    static_dir = resources.files("corpusforge.review").joinpath("static")

    class Handler(BaseHTTPRequestHandler):
        server_version = "corpusforge-review"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
            return  # quiet: the terminal shows the URL, not every request

        def _send(self, status: int, body: bytes, ctype: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def _json(self, obj: Any, status: int = HTTPStatus.OK) -> None:
            self._send(status, json.dumps(obj, ensure_ascii=False, default=str).encode(), "application/json")

        def do_GET(self) -> None:  # noqa: N802 - stdlib name
            url = urlparse(self.path)
            q = {k: v[0] for k, v in parse_qs(url.query).items()}
            try:
                if url.path in ("/", "/index.html"):
                    return self._static("index.html")
                if url.path.startswith("/static/"):
                    return self._static(url.path.removeprefix("/static/"))
                if url.path == "/api/meta":
                    return self._json(data.meta())
                if url.path == "/api/docs":
                    docs = [
                        {"i": i, "id": d["id"], "stratum": d.get("review_stratum")} for i, d in enumerate(data.docs)
                    ]
                    return self._json(docs)
                if url.path == "/api/doc":
                    i = int(q.get("i", "0"))
                    if not 0 <= i < len(data.docs):
                        return self._json({"error": f"no document {i}"}, HTTPStatus.NOT_FOUND)
                    return self._json(data.doc(i, q.get("reviewer", ""), adjudicate=q.get("adjudicate") == "1"))
                if url.path == "/api/progress":
                    return self._json(data.progress(q.get("reviewer", "")))
                if url.path == "/api/disagreements":
                    return self._json(data.disagreements())
            except ValueError as exc:
                return self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
            self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)

        def do_POST(self) -> None:  # noqa: N802 - stdlib name
            if urlparse(self.path).path != "/api/label":
                return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
            length = int(self.headers.get("Content-Length") or 0)
            if length > _MAX_BODY:
                return self._json({"error": "label too large"}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
            try:
                label = data.save(json.loads(self.rfile.read(length) or b"{}"))
            except (ValueError, TypeError) as exc:
                return self._json({"error": str(exc)}, HTTPStatus.BAD_REQUEST)
            self._json({"saved": label.__dict__, "progress": data.progress(label.reviewer)})

        def _static(self, name: str) -> None:
            if name not in STATIC:
                return self._json({"error": "not found"}, HTTPStatus.NOT_FOUND)
            body = static_dir.joinpath(name).read_bytes()
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self._send(HTTPStatus.OK, body, f"{ctype}; charset=utf-8")

    return Handler


def make_server(review_dir: str | Path, *, port: int = 8765, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    """A server bound to `host:port` (port 0 picks a free one); call `serve_forever()` on it."""
    data = ReviewData(review_dir)
    server = ThreadingHTTPServer((host, port), make_handler(data))
    server.daemon_threads = True
    return server
