"""A variant's documents, in a seeded random order, cut to the token budget.

Pass 1 reads only ids and text lengths (about 16 bytes a document in memory) and orders the
documents by a seeded hash, so every variant is cut the same unbiased way; a `sample_like` variant
first keeps, by a second hash, as many documents as the variant it imitates. Pass 2 reads the text
of the documents that can fit the budget (by a generous chars-per-token guess), and the tokenizer
then cuts them exactly (`cut_to_budget`). No variant is held in memory whole.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from corpusforge import io, lineage, schema
from corpusforge.ablate.config import AblationError, Variant

COLUMNS = [schema.ID, schema.TEXT, schema.LANG_TAG]
CHARS_PER_TOKEN_GUESS = 2.5  # low on purpose: more candidates than the budget needs, never fewer
_ORDER_SALT, _SAMPLE_SALT = 0x0AB1, 0x5A3E


@dataclass
class Candidates:
    """Pass 1: where each document is, its order key and its length in characters."""

    parts: list[lineage.Part]
    part: np.ndarray  # int32: index into parts
    row: np.ndarray  # int64: row among the documents read from that part
    key: np.ndarray  # uint64: seeded order
    chars: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.key)


def source_parts(variant: Variant, *, workdir: Path) -> list[lineage.Part]:
    if variant.run and variant.thresholds:
        from corpusforge.refilter import refilter

        manifest = refilter(variant.run, variant.thresholds, out=str(workdir / "refiltered"))
        return lineage.parts_entering(manifest["refilter"]["out"])
    if variant.run:
        return lineage.parts_entering(variant.run, variant.before)
    files = sorted({p for pattern in variant.paths for p in glob.glob(pattern, recursive=True)})
    files = [f for f in files if f.endswith(".parquet")]
    if not files:
        raise AblationError(f"variant {variant.name!r}: no Parquet file matches {variant.paths}")
    return [lineage.Part(f) for f in files]


def scan(variant: Variant, *, seed: int, workdir: Path) -> Candidates:
    """Pass 1 over a variant's documents (non-empty text only)."""
    parts = source_parts(variant, workdir=workdir)
    cols: dict[str, list[np.ndarray]] = {"part": [], "row": [], "key": [], "chars": []}
    for i, part in enumerate(parts):
        row0 = 0
        for table in lineage.read_documents([part], [schema.ID, schema.TEXT]):
            texts = table.column(schema.TEXT)
            lengths = pc.fill_null(pc.utf8_length(texts), 0).to_numpy(zero_copy_only=False).astype(np.int64)
            ids = table.column(schema.ID).to_pylist()
            tx = texts.to_pylist()
            keys = np.array([_hash(d if d is not None else (t or ""), seed ^ _ORDER_SALT) for d, t in zip(ids, tx, strict=True)],
                            dtype=np.uint64)  # fmt: skip
            rows = row0 + np.arange(len(lengths), dtype=np.int64)
            keep = lengths > 0
            cols["part"].append(np.full(int(keep.sum()), i, dtype=np.int32))
            cols["row"].append(rows[keep])
            cols["key"].append(keys[keep])
            cols["chars"].append(lengths[keep])
            row0 += len(lengths)
    if not any(len(k) for k in cols["key"]):
        raise AblationError(f"variant {variant.name!r} has no document with text")
    cand = Candidates(parts, *(np.concatenate(cols[c]) for c in ("part", "row", "key", "chars")))
    order = np.argsort(cand.key, kind="stable")
    return Candidates(parts, cand.part[order], cand.row[order], cand.key[order], cand.chars[order])


def sample_like(cand: Candidates, n: int, *, seed: int) -> Candidates:
    """`n` documents drawn at random (by a second hash), still in the budget order."""
    if n >= len(cand):
        return cand
    second = np.array([_hash(int(k).to_bytes(8, "little"), seed ^ _SAMPLE_SALT) for k in cand.key], dtype=np.uint64)
    chosen = np.sort(np.argsort(second, kind="stable")[:n])
    return Candidates(cand.parts, cand.part[chosen], cand.row[chosen], cand.key[chosen], cand.chars[chosen])


def read_candidates(cand: Candidates, *, tokens: int, out: Path) -> Path:
    """Pass 2: write the documents that may fit `tokens` (in order) to `out` (text, lang_tag, id)."""
    enough = int(np.searchsorted(np.cumsum(cand.chars), tokens * CHARS_PER_TOKEN_GUESS * 1.5)) + 1
    take = slice(0, min(enough, len(cand)))
    part, row = cand.part[take], cand.row[take]
    pieces = []
    for i in np.unique(part).tolist():
        rows = np.sort(row[part == i])
        table = pa.concat_tables(list(lineage.read_documents([cand.parts[i]], COLUMNS)))
        chosen = table.take(pa.array(rows))
        keys = cand.key[take][part == i][np.argsort(row[part == i], kind="stable")]
        pieces.append(chosen.append_column("_order", pa.array(keys, pa.uint64())))
    docs = pa.concat_tables(pieces).sort_by("_order").drop_columns(["_order"])
    tags = pc.fill_null(docs.column(schema.LANG_TAG).cast(pa.string()), "und")
    docs = docs.set_column(docs.column_names.index(schema.LANG_TAG), schema.LANG_TAG, tags)
    with io.atomic_path(out) as tmp:
        pq.write_table(docs, tmp)
    return out


def cut_to_budget(candidates: Path, *, tokenizer_dir: str | Path, tokens: int, out: Path) -> dict[str, int]:
    """The documents of `candidates`, in order, until their tokens (with BOS/EOS) reach `tokens`."""
    from corpusforge.pack import tokenizer as tk

    loaded = tk.load(tokenizer_dir)
    docs = pq.read_table(candidates)
    lengths = np.array(
        [len(e.ids) + 2 for e in loaded.tokenizer.encode_batch_fast(docs.column(schema.TEXT).to_pylist())],
        dtype=np.int64,
    )
    n = int(np.searchsorted(np.cumsum(lengths), tokens)) + 1
    kept = docs.slice(0, min(n, docs.num_rows))
    with io.atomic_path(out) as tmp:
        pq.write_table(kept, tmp)
    by_lang: dict[str, int] = {}
    for tag, length in zip(kept.column(schema.LANG_TAG).to_pylist(), lengths[: kept.num_rows].tolist(), strict=True):
        by_lang[tag] = by_lang.get(tag, 0) + length
    return {
        "documents": kept.num_rows,
        "tokens": int(lengths[: kept.num_rows].sum()),
        **{f"tokens:{k}": v for k, v in sorted(by_lang.items())},
    }


def read_reference(patterns: list[str], out: Path) -> dict[str, dict[str, int]]:
    """The held-out reference text (Parquet or JSONL with text and lang_tag) as one Parquet file;
    returns documents and UTF-8 bytes per language (bits per byte need the bytes)."""
    import pyarrow.json as pj

    files = sorted({p for pattern in patterns for p in glob.glob(pattern, recursive=True)})
    if not files:
        raise AblationError(f"reference: nothing matches {patterns}")
    tables = []
    for f in files:
        table = pj.read_json(f) if f.endswith((".jsonl", ".json")) else pq.read_table(f)
        if schema.TEXT not in table.column_names or schema.LANG_TAG not in table.column_names:
            raise AblationError(f"reference file {f} needs the columns text and lang_tag")
        tables.append(
            table.select([schema.TEXT, schema.LANG_TAG]).cast(
                pa.schema([(schema.TEXT, pa.string()), (schema.LANG_TAG, pa.string())])
            )
        )
    ref = pa.concat_tables(tables)
    ref = ref.filter(pc.greater(pc.fill_null(pc.utf8_length(ref.column(schema.TEXT)), 0), 0))
    with io.atomic_path(out) as tmp:
        pq.write_table(ref, tmp)
    stats: dict[str, dict[str, int]] = {}
    for text, tag in zip(ref.column(schema.TEXT).to_pylist(), ref.column(schema.LANG_TAG).to_pylist(), strict=True):
        entry = stats.setdefault(tag, {"documents": 0, "bytes": 0})
        entry["documents"] += 1
        entry["bytes"] += len(text.encode("utf-8"))
    return stats


def _hash(value: str | bytes, seed: int) -> int:
    data = value.encode("utf-8") if isinstance(value, str) else value
    return xxhash.xxh64_intdigest(data, seed=seed & 0xFFFFFFFFFFFFFFFF)
