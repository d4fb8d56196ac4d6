"""Stratified, reproducible samples of a run's kept and rejected shards for linguists to review.

A stratum is `lang_tag x node x decision (kept or the drop_reason) x score band`. The score is the
signal the decision turned on: `q_<signal>` for a `quality:min_<signal>` / `max_<signal>` rejection,
`lang_score` otherwise. Bands are equal-count quantile bins of that score within the
`lang_tag x node x decision` group, so every band of a group stands for the same number of documents
and the plain share of labels in a group is an unbiased estimate for the group. Within a stratum the
rows with the smallest `xxhash64(seed:id)` are taken, which makes a sample independent of shard order
and identical for the same seed.

Cost: one pass over the id, lang_tag, drop_reason and score columns of every shard (no text), then
one read of the chosen rows per shard. Memory is a few numbers per row of the run.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import xxhash

from corpusforge import io
from corpusforge.pii.table import redact_table
from corpusforge.review import run_thresholds
from corpusforge.review import sample_extras as extras
from corpusforge.rundir import RunDir
from corpusforge.stages.write import from_portable

SAMPLE_FILE = "sample.parquet"
META_FILE = "sample.json"
KEPT = "kept"
NO_TAG = "-"
_NOT_SAMPLED = {"html"}


@dataclass(frozen=True)
class SampleConfig:
    """How many documents to draw, per stratum, and from which nodes."""

    seed: int = 0
    bands: int = 5  # quantile bins of the score per lang_tag x node x decision group
    per_band: int = 4  # documents per stratum unless `sizes` says otherwise
    # Per-band size by decision: an exact reason ("lang:low_score"), a family ("quality") or "kept".
    sizes: Mapping[str, int] = field(default_factory=dict)
    kept_nodes: tuple[str, ...] | None = None  # default: the run's final nodes (recorded in its manifest)


@dataclass(frozen=True)
class ShardSource:
    path: str
    node: str
    decision: str  # "kept" or "rejected"


def size_for(reason: str | None, config: SampleConfig) -> int:
    """Documents per band for a decision: exact reason, then its family, then the default.

    Errors (`error:*`, e.g. an extractor time-out) have no text for a linguist to judge: none are
    drawn unless `sizes` names them.
    """
    key = reason or KEPT
    if key in config.sizes:
        return config.sizes[key]
    family = key.split(":", 1)[0]
    return config.sizes.get(family, 0 if family == "error" else config.per_band)


def score_column(reason: str | None, columns: set[str]) -> str | None:
    """The column a decision turned on: the rule's `q_` signal for quality rules, else `lang_score`."""
    if reason and reason.startswith("quality:"):
        rule = reason.split(":", 1)[1]
        op, _, signal = rule.partition("_")
        if op in ("min", "max") and f"q_{signal}" in columns:
            return f"q_{signal}"
    return "lang_score" if "lang_score" in columns else None


def find_sources(run_dir: str, *, kept_nodes: tuple[str, ...] | None = None) -> list[ShardSource]:
    """Kept shards of the run's final nodes (or `kept_nodes`) and every rejected shard of a run."""
    run = RunDir(run_dir)
    fs, _ = io.fs_and_path(run_dir)
    if kept_nodes is None:
        kept_nodes = tuple(run.final_nodes())  # never a pass-through copy or a pack node
    else:
        _check_kept_nodes(run, kept_nodes)
    sources = [ShardSource(p, node, KEPT) for node in kept_nodes for p in _parquet_files(fs, run.node(node))]
    rejected_root = io.fs_and_path(run.rejected(""))[1].rstrip("/")
    if fs.exists(rejected_root):
        for node_dir in sorted(fs.ls(rejected_root, detail=False)):
            node = node_dir.rstrip("/").rsplit("/", 1)[-1]
            sources += [ShardSource(p, node, "rejected") for p in _parquet_files(fs, node_dir)]
    return sources


def _check_kept_nodes(run: RunDir, kept_nodes: tuple[str, ...]) -> None:
    """`--kept-node` must name a node of the run that holds documents (not a pack node's streams)."""
    nodes = {n["id"]: n for n in (run.read_manifest() or {}).get("nodes", [])}
    for node in kept_nodes:
        entry = nodes.get(node)
        if entry is None or str(entry.get("stage", "")).startswith("pack."):
            what = "is a pack node (token streams, not documents)" if entry else "is not a node of the run"
            raise ValueError(f"--kept-node {node!r} {what}; the run's final nodes: {', '.join(run.final_nodes())}")


def _parquet_files(fs, directory: str) -> list[str]:  # noqa: ANN001 - an fsspec filesystem
    if not fs.exists(directory):
        return []
    found = fs.glob(f"{io.fs_and_path(directory)[1].rstrip('/')}/**/*.parquet")
    return sorted(p for p in found if ".tmp-" not in p)


def _hive_values(path: str) -> dict[str, str]:
    """`lang_tag=gl` folders of a hive-partitioned writer: columns the file itself may not hold."""
    return dict(part.split("=", 1) for part in path.split("/")[:-1] if "=" in part)


def _read(path: str, columns: list[str] | None, rows: np.ndarray | None = None) -> pa.Table:
    fs, p = io.fs_and_path(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        names = pf.schema_arrow.names
        # The raw page (`html`) is not for reviewing and can be most of a shard's bytes.
        wanted = [c for c in names if c not in _NOT_SAMPLED] if columns is None else [c for c in columns if c in names]
        table = pf.read(columns=wanted)
    table = from_portable(table)  # a sink's list-of-structs maps, as rejected rows hold them
    if rows is not None:
        table = table.take(pa.array(rows, type=pa.int64()))
    for key, value in _hive_values(path).items():
        if key not in table.column_names and (columns is None or key in columns):
            table = table.append_column(key, pa.array([value] * table.num_rows, type=pa.string()))
    return table


def _schema_names(path: str) -> set[str]:
    fs, p = io.fs_and_path(path)
    with fs.open(p, "rb") as fh:
        return set(pq.ParquetFile(fh).schema_arrow.names) | set(_hive_values(path))


@dataclass
class _Candidates:
    """One entry per row of the run: where it is, which group it falls in, its score and hash."""

    source: list[int] = field(default_factory=list)
    row: list[int] = field(default_factory=list)
    group: list[tuple[str, str, str]] = field(default_factory=list)  # (lang_tag, node, decision)
    score: list[float] = field(default_factory=list)
    score_col: list[str | None] = field(default_factory=list)
    hash: list[int] = field(default_factory=list)


def _collect(sources: list[ShardSource], seed: int) -> _Candidates:
    cands = _Candidates()
    for si, src in enumerate(sources):
        names = _schema_names(src.path)
        light = ["id", "lang_tag", "drop_reason", "lang_score", *sorted(c for c in names if c.startswith("q_"))]
        table = _read(src.path, light if "q_chars" in names else [*light, "text"])  # text only to tell empty pages
        n = table.num_rows
        readable = extras.has_text(table).tolist()
        ids = table.column("id").to_pylist() if "id" in names else [None] * n
        tags = table.column("lang_tag").to_pylist() if "lang_tag" in names else [None] * n
        reasons = table.column("drop_reason").to_pylist() if src.decision != KEPT else [None] * n
        cols = {c: table.column(c).to_pylist() for c in table.column_names if c == "lang_score" or c.startswith("q_")}
        for i in range(n):
            col = score_column(reasons[i], names)
            value = cols[col][i] if col else None
            key = ids[i] if ids[i] is not None else f"{src.path}#{i}"
            cands.source.append(si)
            cands.row.append(i)
            decision = (reasons[i] or KEPT) + ("" if readable[i] else extras.NO_TEXT)  # never drawn
            cands.group.append((tags[i] or NO_TAG, src.node, decision))
            cands.score.append(np.nan if value is None else float(value))
            cands.score_col.append(col)
            cands.hash.append(xxhash.xxh64_intdigest(f"{seed}:{key}".encode()))
    return cands


def assign_bands(scores: np.ndarray, hashes: np.ndarray, bands: int) -> np.ndarray:
    """Equal-count bands 0..bands-1 by (score, hash) rank; -1 where the score is missing."""
    out = np.full(len(scores), -1, dtype=np.int64)
    known = np.flatnonzero(~np.isnan(scores))
    if len(known):
        order = known[np.lexsort((hashes[known], scores[known]))]
        out[order] = np.arange(len(order)) * bands // len(order)
    return out


def _choose(cands: _Candidates, config: SampleConfig) -> tuple[list[tuple[int, str, int]], dict[str, dict]]:
    """(index into `cands`, stratum, band) of the chosen rows, and population/sample counts per stratum."""
    groups: dict[tuple[str, str, str], list[int]] = {}
    for idx, g in enumerate(cands.group):
        groups.setdefault(g, []).append(idx)
    scores, hashes = np.asarray(cands.score, dtype=np.float64), np.asarray(cands.hash, dtype=np.uint64)
    chosen: list[tuple[int, str, int]] = []
    strata: dict[str, dict] = {}
    for group in sorted(groups):
        members = np.asarray(groups[group])
        bands = assign_bands(scores[members], hashes[members], config.bands)
        take = 0 if group[2].endswith(extras.NO_TEXT) else size_for(None if group[2] == KEPT else group[2], config)
        unscored = bool((bands < 0).all())  # a group without any score is one stratum of bands x size
        for band in sorted(set(bands.tolist())):
            in_band = members[bands == band]
            size = take * config.bands if unscored else take
            # A pool of POOL x the size, in hash order: identical texts are collapsed after reading them.
            picked = in_band[np.argsort(hashes[in_band], kind="stable")[: size * extras.POOL]]
            key = stratum_key(group, band, config.bands)
            strata[key] = {"population": len(in_band), "sampled": min(size, len(picked)), "band": band, "size": size}
            chosen += [(int(i), key, band) for i in picked]
    return chosen, strata


def stratum_key(group: tuple[str, str, str], band: int, bands: int) -> str:
    tag, node, decision = group
    band_label = "no score" if band < 0 else f"band {band + 1}/{bands}"
    return f"{tag} | {node} | {decision} | {band_label}"


def draw(run_dir: str, out_dir: str | Path, config: SampleConfig | None = None) -> pa.Table:
    """Write `out_dir/sample.parquet` and `sample.json`; returns the sample.

    Example:
        >>> draw("runs/iberian-web", "review/2026-11", SampleConfig(seed=7, per_band=3))  # doctest: +SKIP
    """
    config = config or SampleConfig()
    sources = find_sources(run_dir, kept_nodes=config.kept_nodes)
    cands = _collect(sources, config.seed)
    chosen, strata = _choose(cands, config)
    by_source: dict[int, list[tuple[int, str, int]]] = {}
    for idx, key, band in chosen:
        by_source.setdefault(cands.source[idx], []).append((idx, key, band))
    parts: list[pa.Table] = []
    seen: set[str] = set()
    for si in sorted(by_source):
        picks = by_source[si]
        table = _read(sources[si].path, None, np.asarray([cands.row[i] for i, _, _ in picks]))
        parts.append(_annotate(table, sources[si], picks, cands))
    sample = (
        pa.concat_tables(parts, promote_options="permissive") if parts else pa.table({"id": pa.array([], pa.string())})
    )
    sample = _order_and_dedupe(sample, seen)
    if sample.num_rows:
        sample, collapsed = extras.collapse_identical(sample, {k: v["size"] for k, v in strata.items()})
        shown = Counter(sample.column("review_stratum").to_pylist())
        for key, entry in strata.items():
            entry.update(sampled=shown.get(key, 0), collapsed=collapsed.get(key, 0))
        sample = extras.attach_keepers(sample, lambda ids: _find_rows(sources, ids))
    sample = redact_table(sample)  # rows of runs that kept raw PII in rejected/
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(sample, out / SAMPLE_FILE, compression="zstd")
    meta = {
        "run_dir": str(run_dir),
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "seed": config.seed,
        "bands": config.bands,
        "per_band": config.per_band,
        "sizes": dict(config.sizes),
        "sources": len(sources),
        "rows_seen": len(cands.row),
        "rows_sampled": sample.num_rows,
        "strata": strata,
        "thresholds": run_thresholds.from_run(run_dir).to_json(),  # what the run decided with
    }
    (out / META_FILE).write_text(json.dumps(meta, indent=1, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return sample


def _annotate(table: pa.Table, src: ShardSource, picks: list[tuple[int, str, int]], cands: _Candidates) -> pa.Table:
    cols = {
        "review_stratum": pa.array([key for _, key, _ in picks], pa.string()),
        "review_band": pa.array([band for _, _, band in picks], pa.int64()),
        "review_node": pa.array([src.node] * len(picks), pa.string()),
        "review_decision": pa.array([src.decision] * len(picks), pa.string()),
        "review_score_column": pa.array([cands.score_col[i] for i, _, _ in picks], pa.string()),
        "review_score": pa.array(
            [None if np.isnan(cands.score[i]) else cands.score[i] for i, _, _ in picks], pa.float64()
        ),
        "review_hash": pa.array([cands.hash[i] for i, _, _ in picks], pa.uint64()),
    }
    if "id" not in table.column_names:
        table = table.append_column("id", pa.array([f"{src.path}#{cands.row[i]}" for i, _, _ in picks], pa.string()))
    for name, arr in cols.items():
        table = table.append_column(name, arr)
    return table


def _order_and_dedupe(sample: pa.Table, seen: set[str]) -> pa.Table:
    """Stable order (stratum, hash); a document id appears once even if two sinks kept it."""
    if sample.num_rows == 0:
        return sample
    sample = sample.sort_by([("review_stratum", "ascending"), ("review_hash", "ascending")])
    keep = []
    for i, doc_id in enumerate(sample.column("id").to_pylist()):
        if doc_id not in seen:
            seen.add(doc_id)
            keep.append(i)
    return sample.take(pa.array(keep, type=pa.int64()))


def _find_rows(sources: list[ShardSource], ids: set[str]) -> dict[str, dict]:
    """id -> {id, url, title, text} of the first row with each id (a second pass over ids only)."""
    found: dict[str, dict] = {}
    wanted = pa.array(sorted(ids), pa.string())
    for src in sources:
        if len(found) == len(ids):
            break
        table = _read(src.path, ["id"])
        rows = np.flatnonzero(
            pc.fill_null(pc.is_in(table.column("id"), value_set=wanted), False).to_numpy(zero_copy_only=False)
        )
        if len(rows):
            for row in _read(src.path, ["id", "url", "title", "text"], rows).to_pylist():
                found.setdefault(row["id"], {k: row.get(k) for k in ("id", "url", "title", "text")})
    return found


def load(review_dir: str | Path) -> pa.Table:
    path = Path(review_dir) / SAMPLE_FILE
    if not path.exists():
        raise FileNotFoundError(f"{path} not found: draw a sample first with `corpusforge sample RUN_DIR --out DIR`")
    return redact_table(pq.read_table(path))  # a sample drawn before samples were redacted is shown redacted


def load_meta(review_dir: str | Path) -> dict:
    path = Path(review_dir) / META_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
