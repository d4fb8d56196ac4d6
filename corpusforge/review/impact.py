"""What a threshold change would do to the run, before anyone applies it.

Every document that reached the run's quality filter is in its final output or in the rejected
rows of the filter and of the nodes after it (`refilter.rebuild.light_rows`), with its signals. For
each change, its language's documents are decided twice, with today's thresholds and with the
change, and counted per lang_tag and per language (varieties together): documents and words
(`q_words`; the run may have no tokenizer) kept by the filter now and after, those of the final
output that would go, those brought back (before deduplication, which may still drop some), and a
few examples each way. A change that removes more than `max_drop` of a language or variety is
flagged. Reading costs the ids, tags, titles, URLs and the signals the rules use, never the text.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import xxhash

from corpusforge.quality import rules
from corpusforge.refilter.locate import RefilterError, locate
from corpusforge.refilter.rebuild import KEPT, light_rows
from corpusforge.review.run_thresholds import RunThresholds

MAX_DROP = 0.10
EXAMPLES = 3


@dataclass(frozen=True)
class Change:
    lang_tag: str
    rule: str
    value: float


@dataclass
class _Tally:
    docs_now: int = 0
    docs_after: int = 0
    words_now: int = 0
    words_after: int = 0
    final_now: int = 0
    final_lost: int = 0
    rescued: int = 0

    def row(self) -> dict[str, Any]:
        change = self.docs_after - self.docs_now
        share = change / self.docs_now if self.docs_now else 0.0
        return {**self.__dict__, "change": change, "share": share}


@dataclass
class _Impact:
    tags: dict[str, _Tally] = field(default_factory=dict)
    flips: dict[str, list[tuple[int, str, dict[str, Any]]]] = field(
        default_factory=lambda: {"rejected": [], "kept": []}
    )
    mismatch: int = 0  # documents whose stored decision today's thresholds do not reproduce


def estimate(
    run_dir: str, current: RunThresholds, changes: dict[str, list[Change]], *, max_drop: float = MAX_DROP
) -> dict[str, dict[str, Any]]:
    """{key: impact} for each named set of changes (one change, or the whole patch); raises
    RefilterError when the run cannot be read this way (no quality filter, no manifest)."""
    place = locate(run_dir, need_rebuild=False)
    sets_for = {key: _apply(current.sets, group) for key, group in changes.items()}
    tags_for = {key: {c.lang_tag for c in group} for key, group in changes.items()}
    needed = {r.column for t in current.sets.values() for r in t.rules} | {"q_words"}
    tallies = {key: _Impact() for key in changes}
    for table, fates in light_rows(place, ["lang_tag", "url", "title", *sorted(needed)]):
        if table.num_rows == 0:
            continue
        rows = _Rows.of(table, current.sets)
        cols = {c: _numbers(table, c) for c in needed}
        stored = np.array([q == KEPT for q in fates.column("quality_before").to_pylist()], dtype=bool)
        final = np.array(fates.column("final_before").to_pylist(), dtype=bool)
        for key in changes:
            moved = [i for i, tag in enumerate(rows.effective) if tag in tags_for[key]]
            mask = np.isin(rows.codes, moved)
            _tally(tallies[key], table, rows, cols, mask, stored, final, current.sets, sets_for[key], changes[key])
    return {key: _report(t, max_drop, _languages(tags_for[key])) for key, t in tallies.items()}


def _languages(tags: set[str]) -> set[str] | None:
    """The languages a change can move (its tag's, varieties included); None (all) for default.toml."""
    return None if rules.DEFAULT_TAG in tags else {t.split("-")[0] for t in tags}


def _apply(sets: dict[str, rules.Thresholds], group: Iterable[Change]) -> dict[str, rules.Thresholds]:
    out = dict(sets)
    for c in group:
        base = out.get(c.lang_tag) or out[rules.DEFAULT_TAG]
        own = rules.Thresholds(c.lang_tag, (rules.Rule(c.rule, c.value),), "proposed")
        out[c.lang_tag] = rules.overlay(base, own)
    return out


def _at(table: pa.Table, name: str, k: int) -> Any:
    return table.column(name)[k].as_py() if name in table.column_names else None


def _numbers(table: pa.Table, name: str) -> np.ndarray:
    if name not in table.column_names:
        return np.zeros(table.num_rows)
    return np.nan_to_num(table.column(name).to_numpy(zero_copy_only=False).astype(np.float64), nan=0.0)


@dataclass(frozen=True)
class _Rows:
    """A file's lang_tags as codes into `names`, and the thresholds file each name uses."""

    names: list[str]
    codes: np.ndarray
    effective: list[str]  # per name: itself when it has thresholds, else "default"

    @classmethod
    def of(cls, table: pa.Table, sets: dict[str, rules.Thresholds]) -> _Rows:
        tags = table.column("lang_tag") if "lang_tag" in table.column_names else pa.nulls(table.num_rows, pa.string())
        encoded = pc.dictionary_encode(pc.fill_null(tags.cast(pa.string()), "-")).combine_chunks()
        names = encoded.dictionary.to_pylist()
        effective = [n if n in sets else rules.DEFAULT_TAG for n in names]
        return cls(names, encoded.indices.to_numpy(zero_copy_only=False), effective)


def _tally(imp: _Impact, table: pa.Table, tags: _Rows, cols: dict[str, np.ndarray], mask: np.ndarray,
           stored: np.ndarray, final: np.ndarray, now_sets: dict, after_sets: dict, group: list[Change]) -> None:  # fmt: skip
    now, after = stored.copy(), stored.copy()
    rows = np.flatnonzero(mask)
    if len(rows):
        sub_cols = {c: v[rows] for c, v in cols.items()}
        sub_tags: list[str | None] = [tags.effective[c] for c in tags.codes[rows]]
        now[rows] = np.array([d is None for d in rules.decide(sub_cols, sub_tags, now_sets)])
        after[rows] = np.array([d is None for d in rules.decide(sub_cols, sub_tags, after_sets)])
        imp.mismatch += int((now[rows] != stored[rows]).sum())
    # Per lang_tag sums by bincount over the tags' codes (measured: ~9x a loop over tags on 1M rows;
    # polars' group_by is ~4x faster again, but the tally is a small part of reading the run and
    # polars is no run-time dependency; benchmarks/impact_tally.py).
    names, codes = tags.names, tags.codes
    words = cols["q_words"]
    sums = {
        "docs_now": now, "docs_after": after, "words_now": words * now, "words_after": words * after,
        "final_now": final, "final_lost": final & now & ~after, "rescued": ~now & after,
    }  # fmt: skip
    for field_name, values in sums.items():
        per_tag = np.bincount(codes, weights=values.astype(np.float64), minlength=len(names))
        for name, total in zip(names, per_tag.tolist(), strict=True):
            t = imp.tags.setdefault(name, _Tally())
            setattr(t, field_name, getattr(t, field_name) + int(round(total)))
    signal = group[0].rule.partition("_")[2]
    values = cols.get(f"q_{signal}", np.zeros(table.num_rows))
    for side, hits in (("rejected", now & ~after), ("kept", ~now & after)):
        flipped = np.flatnonzero(hits)
        picked = table.take(pa.array(flipped, pa.int64()))
        for k, i in enumerate(flipped.tolist()):
            item = {"id": _at(picked, "id", k), "lang_tag": tags.names[tags.codes[i]], "url": _at(picked, "url", k),
                    "title": _at(picked, "title", k), "value": float(values[i])}  # fmt: skip
            # The same few examples whatever the file order: those with the smallest hash of their id.
            entry = (-xxhash.xxh64_intdigest(str(item["id"]).encode()), str(item["id"]), item)
            heap = imp.flips[side]
            if len(heap) < EXAMPLES:
                heapq.heappush(heap, entry)
            elif entry[:2] > heap[0][:2]:
                heapq.heapreplace(heap, entry)


def _report(imp: _Impact, max_drop: float, shown: set[str] | None) -> dict[str, Any]:
    tallies = {tag: t for tag, t in imp.tags.items() if shown is None or tag.split("-")[0] in shown}
    by_tag = {tag: t.row() for tag, t in sorted(tallies.items())}
    languages: dict[str, _Tally] = {}
    for tag, t in tallies.items():
        agg = languages.setdefault(tag.split("-")[0], _Tally())
        for name, value in t.__dict__.items():
            setattr(agg, name, getattr(agg, name) + value)
    by_lang = {lang: t.row() for lang, t in sorted(languages.items())}
    rows = list(by_tag.items()) + [(f"{lang} (all varieties)", r) for lang, r in by_lang.items()]
    worst = min(rows, key=lambda kv: kv[1]["share"], default=None)
    warning = None
    if worst is not None and -worst[1]["share"] > max_drop:
        name, r = worst
        warning = (f"removes {-r['share']:.0%} of {name} ({-r['change']} of {r['docs_now']} documents kept by the "
                   f"quality filter), more than the {max_drop:.0%} allowed without a loud warning")  # fmt: skip
    examples = {
        side: [item for *_, item in sorted(heap, key=lambda e: (-e[0], e[1]))] for side, heap in imp.flips.items()
    }
    return {"by_tag": by_tag, "by_language": by_lang, "examples": examples, "warning": warning,
            "stored_mismatch": imp.mismatch}  # fmt: skip


def safe_estimate(run_dir: str | None, current: RunThresholds, changes: dict[str, list[Change]], *,
                  max_drop: float = MAX_DROP) -> tuple[dict[str, dict[str, Any]], str | None]:  # fmt: skip
    """`estimate`, or ({}, why not) when the run is not there or cannot be read."""
    if not changes:
        return {}, None
    if not run_dir:
        return {}, "the sample does not name its run (sample.json has no run_dir)"
    try:
        return estimate(run_dir, current, changes, max_drop=max_drop), None
    except (RefilterError, FileNotFoundError) as exc:
        return {}, f"impact not computed: {exc}"
