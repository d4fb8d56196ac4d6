"""What a dataset card says about a finished run, gathered from its manifest and its files.

Everything comes from the run directory through `RunDir`: the manifest (nodes, parameters,
versions, funnel, inputs), the final nodes' Parquet files (read a few columns at a time: the
language, fetch date, provenance and PII counts), the rejected rows (language and reason
only), the pack manifests and the decontamination summaries. Nothing is recomputed from text.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from corpusforge import io, schema
from corpusforge.provenance.signals import license_id
from corpusforge.rundir import RunDir

NULL_PARTITIONS = ("null", "__HIVE_DEFAULT_PARTITION__")  # write.parquet.v1's folder for a null value; Hive's
UNDETERMINED = "und"
_SCANNED = (schema.LANG_TAG, schema.FETCH_TIME, schema.ROBOTS, schema.LICENSE_URL, schema.SOURCE)


@dataclass
class FinalData:
    """The documents of one final node: where its files are, by lang_tag partition ("" if none)."""

    node: str
    directory: str
    partitions: dict[str, list[str]]  # lang_tag -> files, or {"": files} when not partitioned by lang_tag


@dataclass
class RunFacts:
    root: str
    manifest: dict[str, Any]
    finals: list[FinalData]
    documents: int = 0
    docs_by_lang: Counter[str] = field(default_factory=Counter)
    fetch_first: str | None = None
    fetch_last: str | None = None
    with_source: int = 0
    robots: Counter[str] = field(default_factory=Counter)  # directive -> kept documents carrying it
    licenses: Counter[str] = field(default_factory=Counter)  # licence id ("other" for non-CC links)
    pii: Counter[str] = field(default_factory=Counter)  # pii_* column -> redactions in kept documents
    rejections_by_lang: dict[str, Counter[str]] = field(default_factory=dict)  # lang -> "node: reason" -> n
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)  # pack node -> its manifest
    decontam: dict[str, dict[str, Any]] = field(default_factory=dict)  # decontam node -> summary
    columns: dict[str, pa.DataType] | None = None  # columns every final file has, with their type
    partial_columns: set[str] = field(default_factory=set)  # columns only some final files have

    def nodes(self, stage_prefix: str) -> list[dict[str, Any]]:
        return [n for n in self.manifest["nodes"] if str(n["stage"]).startswith(stage_prefix)]


def _parquet_files(directory: str) -> list[str]:
    """Data files under `directory`: *.parquet, skipping any path part that starts with _ or ."""
    fs, base = io.fs_and_path(directory)
    if not fs.exists(base):
        return []
    found = []
    for path in sorted(fs.find(base)):
        rel = path[len(base.rstrip("/")) + 1 :]
        if rel.endswith(".parquet") and not any(p.startswith(("_", ".")) for p in rel.split("/")):
            found.append(directory.rstrip("/") + "/" + rel)
    return found


def _final_data(run: RunDir, node: dict[str, Any]) -> FinalData:
    """A final node's files by language: a sink partitioned by lang_tag writes one folder per value
    (`write/ca-valencia/`, `write/null/`; older runs: Hive `write/lang_tag=ca-valencia/`)."""
    params = node.get("params", {})
    sink = node.get("kind") == "sink"
    directory = (params.get("path") if sink else None) or run.node(node["id"])
    by_lang = sink and params.get("partition_by") == schema.LANG_TAG
    partitions: dict[str, list[str]] = {}
    for path in _parquet_files(directory):
        rel = path[len(directory.rstrip("/")) + 1 :]
        key = ""
        if "/" in rel:
            folder = unquote(rel.split("/", 1)[0])
            if folder.startswith(f"{schema.LANG_TAG}="):
                key = folder.split("=", 1)[1]
            elif by_lang:
                key = folder
            key = UNDETERMINED if key in NULL_PARTITIONS else key
        partitions.setdefault(key, []).append(path)
    return FinalData(node=node["id"], directory=directory, partitions=partitions)


def gather(root: str) -> RunFacts:
    run = RunDir(root)
    manifest = run.read_manifest()
    if manifest is None:
        raise FileNotFoundError(f"{run.manifest} not found: is {root} a finished run?")
    by_id = {n["id"]: n for n in manifest["nodes"]}
    facts = RunFacts(root=root, manifest=manifest, finals=[_final_data(run, by_id[n]) for n in run.final_nodes()])
    for final in facts.finals:
        for lang, files in final.partitions.items():
            for path in files:
                _scan(facts, path, lang or None)
    facts.rejections_by_lang = _rejections(run, manifest)
    for node in facts.nodes("pack."):
        pack_manifest = io.join(node["params"].get("out") or run.node(node["id"]), "manifest.json")
        if io.exists(pack_manifest):
            facts.tokens[node["id"]] = io.read_json(pack_manifest)
    for node in facts.nodes("decontam."):
        summary = io.join(run.reports(node["id"]), "summary.json")
        if io.exists(summary):
            facts.decontam[node["id"]] = io.read_json(summary)
    return facts


def _scan(facts: RunFacts, path: str, partition_lang: str | None) -> None:
    """Add one final file's documents to the counts, reading only the columns the card uses."""
    fs, p = io.fs_and_path(path)
    with fs.open(p, "rb") as fh:
        pf = pq.ParquetFile(fh)
        names = pf.schema_arrow.names
        _add_schema(facts, pf.schema_arrow)
        cols = [c for c in names if c in _SCANNED or c.startswith("pii_")]
        table = pf.read(columns=cols) if cols else None
        n = pf.metadata.num_rows
    facts.documents += n
    if table is None:
        facts.docs_by_lang[partition_lang or UNDETERMINED] += n
        return
    if schema.LANG_TAG in cols:
        for item in pc.value_counts(table.column(schema.LANG_TAG)).to_pylist():
            facts.docs_by_lang[item["values"] or UNDETERMINED] += item["counts"]
    else:
        facts.docs_by_lang[partition_lang or UNDETERMINED] += n
    if schema.FETCH_TIME in cols:
        times = pc.drop_null(table.column(schema.FETCH_TIME))
        times = times.filter(pc.not_equal(times, ""))
        if len(times):
            bounds = pc.min_max(times).as_py()
            facts.fetch_first = min(filter(None, [facts.fetch_first, bounds["min"]]))
            facts.fetch_last = max(filter(None, [facts.fetch_last, bounds["max"]]))
    if schema.SOURCE in cols:
        facts.with_source += n - table.column(schema.SOURCE).null_count
    if schema.ROBOTS in cols:
        for value in pc.drop_null(table.column(schema.ROBOTS)).to_pylist():
            facts.robots.update(value.split(","))
    if schema.LICENSE_URL in cols:
        for url in pc.drop_null(table.column(schema.LICENSE_URL)).to_pylist():
            facts.licenses[license_id(url) or "other"] += 1
    for c in cols:
        if c.startswith("pii_"):
            facts.pii[c] += int(pc.sum(table.column(c)).as_py() or 0)


def _add_schema(facts: RunFacts, file_schema: pa.Schema) -> None:
    """Keep the columns common to every final file; a null-typed column takes the others' type."""
    here = {f.name: f.type for f in file_schema}
    if facts.columns is None:
        facts.columns = here
        return
    common = facts.columns.keys() & here.keys()
    facts.partial_columns |= (facts.columns.keys() | here.keys()) - common
    merged = {}
    for name in [n for n in facts.columns if n in common]:
        known, new = facts.columns[name], here[name]
        merged[name] = new if pa.types.is_null(known) else known
        if not (pa.types.is_null(known) or pa.types.is_null(new) or known == new):
            facts.partial_columns.add(name)  # two types: no single feature fits
            del merged[name]
    facts.columns = merged


def _rejections(run: RunDir, manifest: dict[str, Any]) -> dict[str, Counter[str]]:
    """Rejected rows per language and "node: reason", from `rejected/` (two columns read)."""
    out: dict[str, Counter[str]] = {}
    for node in manifest["nodes"]:
        if not node["rejected"] and not node["errors"]:
            continue
        for path in _parquet_files(run.rejected(node["id"])):
            fs, p = io.fs_and_path(path)
            with fs.open(p, "rb") as fh:
                pf = pq.ParquetFile(fh)
                if schema.DROP_REASON not in pf.schema_arrow.names:
                    continue
                has_lang = schema.LANG_TAG in pf.schema_arrow.names
                table = pf.read(columns=[schema.DROP_REASON] + ([schema.LANG_TAG] if has_lang else []))
            langs = table.column(schema.LANG_TAG).to_pylist() if has_lang else [None] * table.num_rows
            for lang, reason in zip(langs, table.column(schema.DROP_REASON).to_pylist(), strict=True):
                out.setdefault(lang or "", Counter())[f"{node['id']}: {reason}"] += 1
    return out


def thresholds_hash(manifest: dict[str, Any]) -> tuple[str, list[str]]:
    """SHA-256 of the parameters and data versions of every node that decides (filters and global
    stages), and the node ids it covers: two runs with the same hash applied the same thresholds."""
    deciding = [n for n in manifest["nodes"] if n.get("kind") in ("filter", "global")]
    blob = json.dumps([[n["id"], n["stage"], n["params"], n.get("data", {})] for n in deciding], sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest(), [n["id"] for n in deciding]
