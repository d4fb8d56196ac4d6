"""The review server's API and the label file: saved on each label, surviving a server restart."""

from __future__ import annotations

from pathlib import Path

from app_client import serving

from corpusforge.quality import rules
from corpusforge.review.labels import LABELS_FILE, Label, LabelStore, read_labels


def test_labels_survive_a_server_restart(review_dir: Path) -> None:
    with serving(review_dir) as app:
        docs = app.get("/api/docs")
        first, second = docs[0]["id"], docs[1]["id"]
        assert app.post("/api/label", {"doc": first, "reviewer": "Aitor", "verdict": "correct"}).status == 200
        reply = app.post(
            "/api/label",
            {"doc": second, "reviewer": "Aitor", "verdict": "lang", "lang": "pt", "note": "és portuguès"},
        )
        assert reply.status == 200
        saved = app.post(
            "/api/label",
            {"doc": first, "reviewer": "Aitor", "verdict": "reject", "reason": "boilerplate", "note": "menú"},
        )
        assert saved.status == 200 and saved.body["progress"]["done"] == 2
    # A new server process on the same folder sees every label; the latest one per doc wins.
    with serving(review_dir) as app:
        progress = app.get("/api/progress?reviewer=Aitor")
        assert progress["done"] == 2 and progress["reviewers"] == ["Aitor"]
        doc0 = app.get("/api/doc?i=0&reviewer=Aitor")
        assert doc0["label"]["verdict"] == "reject" and doc0["label"]["note"] == "menú"
        assert doc0["label"]["reason"] == "boilerplate"
        doc1 = app.get("/api/doc?i=1&reviewer=Aitor")
        assert (doc1["label"]["verdict"], doc1["label"]["lang"]) == ("lang", "pt")
        assert app.get("/api/doc?i=0&reviewer=Maria")["label"] is None
        assert app.get("/api/progress?reviewer=Maria")["done"] == 0
    lines = (review_dir / LABELS_FILE).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3  # append-only: the relabel is a new line


def test_bad_labels_are_refused_and_not_written(review_dir: Path) -> None:
    with serving(review_dir) as app:
        doc = app.get("/api/docs")[0]["id"]
        for body in (
            {"doc": doc, "reviewer": "Aitor", "verdict": "maybe"},
            {"doc": doc, "reviewer": " ", "verdict": "correct"},
            {"doc": doc, "reviewer": "Aitor", "verdict": "lang"},
            {"doc": "no-such-doc", "reviewer": "Aitor", "verdict": "correct"},
            {"doc": doc, "reviewer": "Aitor", "verdict": "reject"},  # why? a reason is required
            {"doc": doc, "reviewer": "Aitor", "verdict": "keep", "reason": "too_long"},  # not in the taxonomy
            {"doc": doc, "reviewer": "Aitor", "verdict": "reject", "reason": "other"},  # "other" needs a note
        ):
            assert app.post("/api/label", body).status == 400
    assert not (review_dir / LABELS_FILE).exists()


def test_doc_carries_what_a_linguist_needs(review_dir: Path) -> None:
    with serving(review_dir) as app:
        docs = app.get("/api/docs")
        seen = [app.get(f"/api/doc?i={d['i']}") for d in docs]
        meta = app.get("/api/meta")
        page = app.request("GET", "/", token=False).body.decode()
    assert meta["count"] == len(docs) and sum(s["total"] for s in meta["strata"]) == len(docs)
    rejected = next(d for d in seen if d["drop_reason"] == "quality:min_stopword_ratio")
    value = rejected["signals"]["q_stopword_ratio"]
    # Which rule rejected it, and its signal against the run's threshold (here: the shipped files).
    assert rejected["why"].startswith("rejected by node quality: quality:min_stopword_ratio (q_stopword_ratio")
    (rule,) = [r for r in rejected["rules"] if r["rejected_by"]]
    assert (rule["rule"], rule["value"], rule["op"], rule["fails"]) == ("min_stopword_ratio", value, "≥", True)
    shipped = rules.load_dir()[rejected["lang_tag"]].rules
    assert rule["threshold"] == next(r.value for r in shipped if r.name == "min_stopword_ratio")
    assert rejected["suggested_reason"] == "boilerplate"  # what "should keep" starts from
    assert rejected["score_column"] == "q_stopword_ratio" and "q_stopword_ratio" in rejected["signals"]
    # A near-duplicate comes with the page it duplicates and the passages they share.
    dup = next(d for d in seen if d["drop_reason"] == "dup:near")
    assert dup["dup_of"]["id"] == "gl-000" and dup["dup_of"]["spans"] and dup["dup_of"]["other_spans"]
    start, end = dup["dup_of"]["spans"][0]
    assert dup["text"][start:end] in dup["dup_of"]["text"]
    kept = next(d for d in seen if d["decision"] == "kept")
    assert kept["why"].startswith("kept") and kept["lang_tag"] and kept["url"].startswith("https://")
    assert any("<EMAIL>" in d["text"] and d["pii"]["pii_email"] >= 1 for d in seen)
    assert 'src="/static/app.js"' in page and "http" not in page.split("<body>")[0]  # no CDN assets


def test_a_torn_last_line_is_skipped(tmp_path: Path) -> None:
    store = LabelStore(tmp_path)
    store.append(Label(doc="gl-001", reviewer="Uxía", verdict="correct"))
    with open(tmp_path / LABELS_FILE, "a", encoding="utf-8") as fh:
        fh.write('{"doc": "gl-002", "reviewer": "Ux')  # the server died mid-write
    assert [lab.doc for lab in read_labels(tmp_path / LABELS_FILE)] == ["gl-001"]
    store.append(Label(doc="gl-003", reviewer="Uxía", verdict="variety"))  # after a restart
    assert [lab.doc for lab in read_labels(tmp_path / LABELS_FILE)] == ["gl-001", "gl-003"]
