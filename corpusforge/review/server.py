"""The review app's server: stdlib `ThreadingHTTPServer` on 127.0.0.1, a JSON API and static files.

Every request goes through `guard.py` first (Host, per-launch token, same-origin JSON writes, a
body that is a JSON object); the routes below only see requests that passed.

    GET  /                      the app (static/index.html, app.js, app.css; no external assets, no token)
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

import math
import mimetypes
import secrets
from http import HTTPStatus
from http.server import ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any

from corpusforge.review import doc_view, team
from corpusforge.review import sample as sample_mod
from corpusforge.review.guard import WILDCARD_HOSTS, GuardedHandler, Refused, RequestGuard
from corpusforge.review.labels import VERDICTS, Label, LabelStore, adjudications
from corpusforge.review.reasons import REASONS
from corpusforge.review.report import load_docs, thresholds_of

STATIC = ("index.html", "app.js", "app.css")
TARGET_TAGS = ("es", "ca", "ca-valencia", "eu", "gl")
PII_TOKENS = ("EMAIL", "PHONE", "DNI", "NIE", "CIF", "IBAN", "CARD", "IP")


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


def make_handler(data: ReviewData, guard: RequestGuard) -> type[GuardedHandler]:
    static_dir = resources.files("corpusforge.review").joinpath("static")

    class Handler(GuardedHandler):
        server_version = "corpusforge-review"
        public_paths = frozenset({"/", "/index.html"})
        public_prefixes = ("/static/",)

        def get(self, path: str, query: dict[str, str]) -> None:
            try:
                if path in ("/", "/index.html"):
                    return self._static("index.html")
                if path.startswith("/static/"):
                    return self._static(path.removeprefix("/static/"))
                if path == "/api/meta":
                    return self.send_json(data.meta())
                if path == "/api/docs":
                    return self.send_json(
                        [{"i": i, "id": d["id"], "stratum": d.get("review_stratum")} for i, d in enumerate(data.docs)]
                    )
                if path == "/api/doc":
                    i = int(query.get("i", "0"))
                    if not 0 <= i < len(data.docs):
                        raise Refused(HTTPStatus.NOT_FOUND, f"no document {i}")
                    return self.send_json(
                        data.doc(i, query.get("reviewer", ""), adjudicate=query.get("adjudicate") == "1")
                    )
                if path == "/api/progress":
                    return self.send_json(data.progress(query.get("reviewer", "")))
                if path == "/api/disagreements":
                    return self.send_json(data.disagreements())
            except ValueError as exc:
                raise Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
            raise Refused(HTTPStatus.NOT_FOUND, "not found")

        def post(self, path: str, body: dict[str, Any]) -> None:
            if path != "/api/label":
                raise Refused(HTTPStatus.NOT_FOUND, "not found")
            try:
                label = data.save(body)
            except (ValueError, TypeError) as exc:
                raise Refused(HTTPStatus.BAD_REQUEST, str(exc)) from None
            self.send_json({"saved": label.__dict__, "progress": data.progress(label.reviewer)})

        def _static(self, name: str) -> None:
            if name not in STATIC:
                raise Refused(HTTPStatus.NOT_FOUND, "not found")
            body = static_dir.joinpath(name).read_bytes()
            ctype = mimetypes.guess_type(name)[0] or "application/octet-stream"
            self.send_body(HTTPStatus.OK, body, f"{ctype}; charset=utf-8")

    Handler.guard = guard
    return Handler


class ReviewServer(ThreadingHTTPServer):
    """The app's HTTP server; `url` is the address to open (it carries this launch's token)."""

    daemon_threads = True
    guard: RequestGuard
    host: str  # as given (a name stays a name: the guard answers to it, not to what it resolved to)

    @property
    def token(self) -> str:
        return self.guard.token

    @property
    def url(self) -> str:
        shown = "127.0.0.1" if self.host in WILDCARD_HOSTS else self.host
        return f"http://{shown}:{self.server_address[1]}/?token={self.token}"


def make_server(
    review_dir: str | Path,
    *,
    port: int = 8765,
    host: str = "127.0.0.1",
    token: str | None = None,
    allow_hosts: tuple[str, ...] = (),
) -> ReviewServer:
    """A server bound to `host:port` (port 0 picks a free one); call `serve_forever()` on it.

    Every API request needs `token` (a new random one per call when None; see `guard.py`).
    """
    data = ReviewData(review_dir)
    guard = RequestGuard(token=token or secrets.token_urlsafe(32), host=host, allow_hosts=allow_hosts)
    server = ReviewServer((host, port), make_handler(data, guard))
    server.guard, server.host = guard, host
    return server
