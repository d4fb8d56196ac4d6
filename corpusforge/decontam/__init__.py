"""Benchmark decontamination: remove documents (or lines) that share long n-grams with evaluation sets.

    from corpusforge.decontam import DecontamSpec, EvalSet, run_decontam
    spec = DecontamSpec(sets=(EvalSet(name="flores", paths=("flores/*.txt",)),), ngram=13)
    summary = run_decontam(spec, inputs=parts, workdir="/tmp/dc")
    # then per shard: the rows of matches/{shard:05d}.parquet are dropped or cut

Phases, each a pure function of its inputs writing files atomically (like the dedup library):
    1. index (one process): every n-gram of every evaluation record -> `index/` (see index.py);
    2. match, per input shard (parallel through `map_fn`): `matches/{shard}.parquet`;
    3. summary (one process): per set, documents matched, removed and cut, words removed.
Words and n-grams are normalised as in `ngrams.py`; an evaluation record shorter than n words
has no n-gram and so can never match (it is counted as `too_short`).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import fsspec

from corpusforge.decontam import index
from corpusforge.decontam.evalsets import EvalSet, EvalSetError
from corpusforge.decontam.match import match_shard, matches_path, read_matches, summarise
from corpusforge.decontam.spec import DecontamSpec
from dedup import store

MapFn = Callable[[Callable[[Any], Any], list[Any]], list[Any]]

__all__ = [
    "DecontamSpec",
    "EvalSet",
    "EvalSetError",
    "matches_path",
    "publish",
    "read_matches",
    "read_summary",
    "run_decontam",
]
REVIEW_FILES = ("summary.json", "index/info.json", "index/records.parquet")


def publish(workdir: str, reports: str) -> None:
    """Copy what people review after the run (summary, matches, evaluation records) from the work
    folder, which the runtime deletes when the run is done, to `reports` (same layout)."""
    fs, base = fsspec.core.url_to_fs(workdir)
    if fs.exists(reports):
        fs.rm(reports, recursive=True)
    names = list(REVIEW_FILES) + [f"matches/{p.rsplit('/', 1)[-1]}" for p in fs.ls(store.join(base, "matches"), detail=False)
                                  if p.endswith(".parquet")]  # fmt: skip
    for name in names:
        target = store.join(reports, name)
        fs.makedirs(target.rsplit("/", 1)[0], exist_ok=True)
        fs.copy(store.join(base, name), fsspec.core.url_to_fs(target)[1])


def read_summary(workdir: str) -> dict[str, Any]:
    return dict(store.read_json(store.join(workdir, "summary.json")))


def run_decontam(
    spec: DecontamSpec,
    *,
    inputs: list[str],
    workdir: str,
    map_fn: MapFn | None = None,
    shard_ids: list[int] | None = None,
) -> dict[str, Any]:
    """Phases 1-3 over the Parquet `inputs` (shard `shard_ids[k]` is `inputs[k]`); writes and returns
    `summary.json`."""
    pmap = map_fn or (lambda fn, items: [fn(x) for x in items])
    ids = shard_ids if shard_ids is not None else list(range(len(inputs)))
    t0 = time.perf_counter()
    info = index.build(spec, workdir)
    t1 = time.perf_counter()
    results = pmap(match_shard, [(spec, workdir, i, path) for i, path in zip(ids, inputs, strict=True)])
    t2 = time.perf_counter()
    summary = summarise(spec, workdir, info, results)
    summary.update(shards=len(inputs), index_s=round(t1 - t0, 3), match_s=round(t2 - t1, 3))
    store.write_json(store.join(workdir, "summary.json"), summary)
    return summary
