"""The n-gram index of the evaluation sets: built once per run, then read by every shard's task.

On disk, under `{workdir}/index/`: `ngrams.npy` (the distinct n-gram hashes, sorted, uint64),
`sets.npy` (per n-gram a bit mask of the sets that contain it, uint64: at most 64 sets),
`refs.npy` (the first evaluation record that contains it), `records.parquet` (every record:
ref, set, file, line, text, for review) and `info.json` (per set: files, records, records
indexed, records shorter than n words, distinct n-grams).

Memory: 24 bytes per distinct evaluation n-gram, plus a bucket filter of 8 bits per n-gram
that lets most corpus n-grams be rejected with one table look-up before the binary search.
The corpus side is streamed; the index does not grow with it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa

from corpusforge.decontam.evalsets import Record, files_of, records
from corpusforge.decontam.ngrams import windows
from corpusforge.decontam.spec import DecontamSpec
from dedup import store

RECORDS = pa.schema([("ref", pa.int64()), ("set", pa.string()), ("file", pa.string()), ("line", pa.int64()),
                     ("text", pa.string())])  # fmt: skip
_CHUNK = 4096


def _chunks(items: Iterator[Record]) -> Iterator[list[Record]]:
    chunk: list[Record] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def build(spec: DecontamSpec, workdir: str) -> dict[str, Any]:
    """Read every evaluation set, hash its n-grams, write the index; returns info.json's content."""
    hashes: list[np.ndarray] = []
    masks: list[np.ndarray] = []
    refs: list[np.ndarray] = []
    record_tables: list[pa.Table] = []
    info: dict[str, Any] = {"ngram": spec.ngram, "fold_digits": spec.fold_digits, "sets": {}}
    ref = 0
    for set_id, evalset in enumerate(spec.sets):
        files = files_of(evalset.paths)
        counts = {"files": len(files), "records": 0, "indexed": 0, "too_short": 0}
        set_hashes: list[np.ndarray] = []
        for chunk in _chunks(r for f in files for r in records(f, evalset.fields)):
            w = windows(pa.array([r.text for r in chunk], pa.string()), n=spec.ngram, fold_digits=spec.fold_digits)
            chunk_refs = ref + np.arange(len(chunk), dtype=np.int64)
            set_hashes.append(w.hashes)
            masks.append(np.full(len(w.hashes), np.uint64(1) << np.uint64(set_id), dtype=np.uint64))
            refs.append(chunk_refs[w.doc])
            long_enough = int((w.words >= spec.ngram).sum())
            counts["records"] += len(chunk)
            counts["indexed"] += long_enough
            counts["too_short"] += len(chunk) - long_enough
            record_tables.append(
                pa.table(
                    {
                        "ref": chunk_refs,
                        "set": [evalset.name] * len(chunk),
                        "file": [r.file for r in chunk],
                        "line": [r.line for r in chunk],
                        "text": [r.text for r in chunk],
                    },
                    schema=RECORDS,
                )  # fmt: skip
            )
            ref += len(chunk)
        hashes += set_hashes
        counts["ngrams"] = int(np.unique(np.concatenate(set_hashes)).size) if set_hashes else 0
        info["sets"][evalset.name] = counts
    _write(workdir, hashes, masks, refs, record_tables)
    store.write_json(store.join(workdir, "index", "info.json"), info)
    return info


def _write(workdir: str, hashes: list[np.ndarray], masks: list[np.ndarray], refs: list[np.ndarray],
           record_tables: list[pa.Table]) -> None:  # fmt: skip
    h = np.concatenate(hashes) if hashes else np.zeros(0, np.uint64)
    m = np.concatenate(masks) if masks else np.zeros(0, np.uint64)
    r = np.concatenate(refs) if refs else np.zeros(0, np.int64)
    order = np.argsort(h, kind="stable")  # stable: the first record of an n-gram stays first
    h, m, r = h[order], m[order], r[order]
    starts = np.flatnonzero(np.r_[True, h[1:] != h[:-1]]) if len(h) else np.zeros(0, np.int64)
    base = store.join(workdir, "index")
    store.write_array(store.join(base, "ngrams.npy"), h[starts])
    store.write_array(store.join(base, "sets.npy"), np.bitwise_or.reduceat(m, starts) if len(h) else m)
    store.write_array(store.join(base, "refs.npy"), r[starts])
    table = pa.concat_tables(record_tables) if record_tables else RECORDS.empty_table()
    store.write_table(store.join(base, "records.parquet"), table)


@dataclass
class NgramIndex:
    """The sorted n-gram hashes with their set masks and first records; `lookup` finds hits."""

    hashes: np.ndarray
    sets: np.ndarray
    refs: np.ndarray

    def __post_init__(self) -> None:
        bits = int(np.clip(np.ceil(np.log2(max(len(self.hashes), 1) * 8)), 12, 30))
        self._shift = np.uint64(64 - bits)
        self._buckets = np.zeros(1 << bits, dtype=bool)
        self._buckets[self.hashes >> self._shift] = True

    def lookup(self, hashes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions in `hashes` found in the index, their positions in the index)."""
        if not len(self.hashes) or not len(hashes):
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        candidates = np.flatnonzero(self._buckets[hashes >> self._shift])
        pos = np.minimum(np.searchsorted(self.hashes, hashes[candidates]), len(self.hashes) - 1)
        hit = self.hashes[pos] == hashes[candidates]
        return candidates[hit], pos[hit]


def load(workdir: str) -> NgramIndex:
    base = store.join(workdir, "index")
    return NgramIndex(
        hashes=np.asarray(store.read_array(store.join(base, "ngrams.npy"))),
        sets=np.asarray(store.read_array(store.join(base, "sets.npy"))),
        refs=np.asarray(store.read_array(store.join(base, "refs.npy"))),
    )


def read_records(workdir: str) -> pa.Table:
    return store.read_table(store.join(workdir, "index", "records.parquet"))
