"""Per-shard matching against the index, and the per-set summary of a run.

`match_shard` streams one Parquet shard's `text` in batches, hashes every n-gram, looks them
up, and writes `matches/{shard:05d}.parquet`: one row per contaminated document with what to
do (`action`: "drop" or "cut"), why (`set`, the set with most matched n-grams; `sets`, all of
them), how much (`hits`, `words`, `removed_words`), where (`cuts`, the lines to remove in
passage mode) and what to review (`excerpt` of the document, `eval_ref` of the evaluation
record). A pure function of its inputs that writes one file atomically, so a retried task
writes the same file. Memory: one batch of windows (~40 bytes per word) and the index.
"""

from __future__ import annotations

from typing import Any

import fsspec
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge.decontam import index as index_mod
from corpusforge.decontam.ngrams import windows
from corpusforge.decontam.passages import place
from corpusforge.decontam.spec import DecontamSpec
from dedup import store

CUT = pa.struct([("start", pa.int64()), ("end", pa.int64())])
MATCHES = pa.schema(
    [
        ("shard", pa.int32()),
        ("row", pa.int64()),
        ("id", pa.string()),
        ("set", pa.string()),
        ("sets", pa.list_(pa.string())),
        ("hits", pa.int32()),
        ("words", pa.int32()),
        ("removed_words", pa.int32()),
        ("action", pa.string()),
        ("aligned", pa.bool_()),
        ("cuts", pa.list_(CUT)),
        ("excerpt", pa.string()),
        ("eval_ref", pa.int64()),
    ]
)


def matches_path(workdir: str, shard: int) -> str:
    return store.join(workdir, "matches", f"{shard:05d}.parquet")


def _batches(spec: DecontamSpec, path: str) -> Any:
    fs, p = fsspec.core.url_to_fs(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        cols = [c for c in (spec.id_column, spec.text_column) if c in pf.schema_arrow.names]
        yield from pf.iter_batches(batch_size=spec.batch_rows, columns=cols)


def match_shard(task: tuple[DecontamSpec, str, int, str]) -> dict[str, int]:
    """Find the contaminated documents of one shard; returns {"documents", "words", "flagged"}."""
    spec, workdir, shard, path = task
    index = index_mod.load(workdir)
    names = [s.name for s in spec.sets]
    rows: list[dict[str, Any]] = []
    row0 = words = 0
    for batch in _batches(spec, path):
        texts = batch.column(spec.text_column) if spec.text_column in batch.schema.names else pa.nulls(batch.num_rows)
        w = windows(texts, n=spec.ngram, fold_digits=spec.fold_digits)
        words += int(w.words.sum())
        at, pos = index.lookup(w.hashes)
        if len(at):
            ids = batch.column(spec.id_column) if spec.id_column in batch.schema.names else None
            rows += [{"shard": shard, **r} for r in _flagged(spec, names, texts, ids, row0, w, at, pos, index)]
        row0 += batch.num_rows
    store.write_table(matches_path(workdir, shard), pa.Table.from_pylist(rows, schema=MATCHES))
    return {"documents": row0, "words": words, "flagged": len(rows)}


def _flagged(spec: DecontamSpec, names: list[str], texts: Any, ids: Any, row0: int, w: Any, at: np.ndarray,
             pos: np.ndarray, index: index_mod.NgramIndex) -> list[dict[str, Any]]:  # fmt: skip
    """One match row per document of the batch with at least `min_hits` matched n-grams."""
    doc, start, masks, refs = w.doc[at], w.start[at], index.sets[pos], index.refs[pos]
    per_set = np.stack(
        [np.bincount(doc[(masks >> np.uint64(s)) & np.uint64(1) == 1], minlength=len(w.words))
         for s in range(len(names))]
    )  # fmt: skip
    total = np.bincount(doc, minlength=len(w.words))
    out = []
    for d in np.flatnonzero(total >= spec.min_hits).tolist():
        mine = doc == d
        order = np.argsort(start[mine], kind="stable")
        starts, first_ref = start[mine][order], int(refs[mine][order][0])
        text = texts[d].as_py() or ""
        placement = place(text, np.unique(starts), n=spec.ngram, fold_digits=spec.fold_digits,
                          passage=spec.mode == "passage")  # fmt: skip
        drop = spec.mode == "document" or placement.emptied
        out.append(
            {
                "row": row0 + d,
                "id": ids[d].as_py() if ids is not None else None,
                "set": names[int(np.argmax(per_set[:, d]))],  # most hits; ties: the set listed first
                "sets": [names[s] for s in range(len(names)) if per_set[s, d]],
                "hits": int(total[d]),
                "words": int(w.words[d]),
                "removed_words": int(w.words[d]) if drop else placement.removed_words,
                "action": "drop" if drop else "cut",
                "aligned": placement.aligned,
                "cuts": [] if drop else [{"start": s, "end": e} for s, e in placement.cuts],
                "excerpt": placement.excerpt,
                "eval_ref": first_ref,
            }
        )
    return out


def read_matches(workdir: str) -> pa.Table:
    """Every contaminated document of the run, by shard and row, with the evaluation record it
    matched first (`eval_set`, `eval_file`, `eval_line`, `eval_text`), for review."""
    matches = store.read_dir(store.join(workdir, "matches"), MATCHES)
    records = index_mod.read_records(workdir).take(matches.column("eval_ref"))  # record `ref` is at row `ref`
    for name in ("set", "file", "line", "text"):
        matches = matches.append_column(f"eval_{name}", records.column(name))
    return matches


def summarise(spec: DecontamSpec, workdir: str, info: dict[str, Any], results: list[dict[str, int]]) -> dict[str, Any]:
    """Per set: documents matched, removed and cut, words removed (what `summary.json` holds)."""
    matches = store.read_dir(store.join(workdir, "matches"), MATCHES)
    sets: dict[str, Any] = {}
    for name in (s.name for s in spec.sets):
        mine = matches.filter(pc.equal(matches.column("set"), name))
        dropped = mine.filter(pc.equal(mine.column("action"), "drop"))
        sets[name] = {
            **info["sets"][name],
            "documents_matched": sum(1 for s in matches.column("sets").to_pylist() if name in s),
            "documents_removed": dropped.num_rows,
            "documents_cut": mine.num_rows - dropped.num_rows,
            "words_removed": int(pc.sum(mine.column("removed_words")).as_py() or 0),
        }
    summary = {
        "ngram": spec.ngram,
        "mode": spec.mode,
        "min_hits": spec.min_hits,
        "fold_digits": spec.fold_digits,
        "documents": sum(r["documents"] for r in results),
        "words": sum(r["words"] for r in results),
        "documents_removed": sum(s["documents_removed"] for s in sets.values()),
        "documents_cut": sum(s["documents_cut"] for s in sets.values()),
        "words_removed": sum(s["words_removed"] for s in sets.values()),
        "unaligned": int(pc.sum(pc.invert(matches.column("aligned"))).as_py() or 0) if matches.num_rows else 0,
        "sets": sets,
    }
    return summary
