"""The YAML header of a Hugging Face dataset card: languages, licence, size, and `configs`.

`configs` declares one configuration per `lang_tag` (and `all`, the default) whose
`data_files` are globs relative to the card's directory that match only `*.parquet` files,
so `datasets.load_dataset(card_dir, "ca-valencia")` reads exactly that language's shards
whatever else (manifests, `_manifests/`) sits beside them. Values are written as JSON
scalars, which YAML reads as they are.

`datasets` has no feature type for an Arrow map and fails on any file that holds one
(`write.parquet.v1` stores `lang_mix` as key/value structs, but other final nodes may keep the
map); so when the shards have such a column, or one only some files have, each config also
names the columns it reads (`columns`) and their `features`, declared once and shared through a
YAML anchor. The card lists the columns left out; pyarrow, polars and DuckDB read them all.
"""

from __future__ import annotations

import json
import os
from typing import Any

import pyarrow as pa

from corpusforge.card.facts import RunFacts

_INTS = {8, 16, 32, 64}

SIZE_CATEGORIES = [
    (1_000, "n<1K"),
    (10_000, "1K<n<10K"),
    (100_000, "10K<n<100K"),
    (1_000_000, "100K<n<1M"),
    (10_000_000, "1M<n<10M"),
    (100_000_000, "10M<n<100M"),
    (1_000_000_000, "100M<n<1B"),
    (10_000_000_000, "1B<n<10B"),
]
ALL = "all"


def size_category(documents: int) -> str:
    for bound, name in SIZE_CATEGORIES:
        if documents < bound:
            return name
    return "n>10B"


def iso_language(lang_tag: str) -> str | None:
    """The ISO 639 code the Hub's `language` field wants ("ca-valencia" -> "ca"); None for und."""
    code = lang_tag.split("-", 1)[0].lower()
    return code if code.isalpha() and 2 <= len(code) <= 3 and code != "und" else None


def _relative(path: str, card_dir: str) -> str:
    """`path` relative to the card's directory when it lies under it (the Hub needs that), else as is."""
    if "://" in path or "://" in card_dir:
        prefix = card_dir.rstrip("/") + "/"
        return path[len(prefix) :] if path.startswith(prefix) else path
    rel = os.path.relpath(path, card_dir)
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def data_files(facts: RunFacts, card_dir: str) -> dict[str, list[str]]:
    """Config name -> globs of its Parquet files; `all` covers every final document."""
    configs: dict[str, list[str]] = {ALL: []}
    for final in facts.finals:
        base = _relative(final.directory, card_dir)
        for lang in sorted(final.partitions):
            folders = sorted({p[len(final.directory.rstrip("/")) + 1 :].rsplit("/", 1)[0] for p in final.partitions[lang]
                              if "/" in p[len(final.directory.rstrip("/")) + 1 :]})  # fmt: skip
            globs = [f"{base}/{f}/*.parquet" for f in folders] if lang else [f"{base}/*.parquet"]
            configs[ALL] += globs
            if lang:
                configs.setdefault(lang, []).extend(globs)
    return configs


def hf_dtype(t: pa.DataType) -> str | None:
    """The `datasets` Value dtype of a primitive Arrow type ("string", "int32", ...), else None."""
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return "large_string" if pa.types.is_large_string(t) else "string"
    if pa.types.is_boolean(t):
        return "bool"
    if pa.types.is_null(t):
        return "null"
    if pa.types.is_integer(t) and t.bit_width in _INTS:
        return f"{'int' if pa.types.is_signed_integer(t) else 'uint'}{t.bit_width}"
    if pa.types.is_floating(t):
        return f"float{t.bit_width}"
    return None


def _has_map(t: pa.DataType) -> bool:
    if pa.types.is_map(t):
        return True
    return any(_has_map(t.field(i).type) for i in range(t.num_fields)) if t.num_fields else False


def hf_features(facts: RunFacts) -> tuple[list[tuple[str, str]], list[str]]:
    """(name, dtype) of the columns every config declares, and the names of those left out.

    Nothing is declared (`datasets` infers every feature) unless some column would make it fail:
    an Arrow map, or a column that only some files have. Then the configs list their columns and
    features, which covers the primitive columns; nested ones are left out with the map."""
    columns = facts.columns or {}
    if not facts.partial_columns and not any(_has_map(t) for t in columns.values()):
        return [], []
    kept, left_out = [], sorted(facts.partial_columns)
    for name, arrow_type in columns.items():
        dtype = hf_dtype(arrow_type)
        if dtype is None:
            left_out.append(name)
        else:
            kept.append((name, dtype))
    return kept, sorted(left_out)


def _config_lines(facts: RunFacts, card_dir: str) -> list[str]:
    features, left_out = hf_features(facts)
    lines = ["configs:"]
    first = True
    for name, globs in data_files(facts, card_dir).items():
        if not globs:
            continue
        lines.append(f"- config_name: {json.dumps(name)}")
        if name == ALL:
            lines.append("  default: true")
        lines += ["  data_files:", "  - split: train", "    path:"]
        lines += [f"    - {json.dumps(g, ensure_ascii=False)}" for g in globs]
        if left_out and first:
            lines.append(f"  columns: &columns {json.dumps([n for n, _ in features])}")
            lines.append("  features: &features")
            lines += [f"  - {{name: {json.dumps(n)}, dtype: {json.dumps(d)}}}" for n, d in features]
        elif left_out:
            lines += ["  columns: *columns", "  features: *features"]
        first = False
    return lines


def render(facts: RunFacts, *, card_dir: str, license_id: str, pretty_name: str) -> str:
    languages = sorted({c for t in facts.docs_by_lang if (c := iso_language(t))})
    meta: dict[str, Any] = {
        "pretty_name": pretty_name,
        "language": languages,
        "license": license_id,
    }
    if license_id == "other":
        meta["license_name"] = "per-document"  # each page keeps its publisher's terms (see the card's body)
    meta.update(
        multilinguality="multilingual" if len(languages) > 1 else "monolingual",
        size_categories=[size_category(facts.documents)],
        source_datasets=["original"],
        task_categories=["text-generation"],
        task_ids=["language-modeling"],
        tags=["corpusforge", "web-crawl", *sorted(t for t in facts.docs_by_lang if t != "und")],
    )
    lines = ["---"]
    for key, value in meta.items():
        if isinstance(value, list):
            lines.append(f"{key}:")
            lines += [f"- {json.dumps(v, ensure_ascii=False)}" for v in value]
        else:
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines += _config_lines(facts, card_dir)
    lines.append("---")
    return "\n".join(lines) + "\n"
