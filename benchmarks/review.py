"""Review sampling: our stratified sample vs datatrove's random `SamplerFilter` at the same sample size.

A synthetic run is built from real lid-train lines (es, ca, ca-valencia, eu, gl, plus a little fr):
kept rows and rejections by `lang:low_score`, `lang:fr`, `quality:min_stopword_ratio` and `dup:near`
in a skewed mix, like a real run (most rows kept, some reasons rare). Both sides draw the same
number of documents; we report the time and how many review strata (lang_tag x node x decision x
score band) and decision groups each sample covers, and the fewest documents it gives any group.

    .venv/bin/python benchmarks/review.py [--docs 100000]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import xxhash

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lid-train"
RESULTS = Path(__file__).resolve().parent / "results" / "review.md"
LANGS = ("es", "ca", "ca-valencia", "eu", "gl")
SHARD = 10_000


def _lines(lang: str, limit: int = 20_000) -> list[str]:
    with open(DATA / f"{lang}.txt", encoding="utf-8") as fh:
        return [line.strip() for _, line in zip(range(limit), fh) if line.strip()]


def build_run(root: Path, n_docs: int, rng: np.random.Generator) -> pa.Table:
    """Write kept shards and rejected shards under `root`; return the whole population (no text)."""
    lines = {lang: _lines(lang) for lang in (*LANGS, "fr")}
    tags = rng.choice([*LANGS, "fr"], size=n_docs, p=[0.45, 0.2, 0.08, 0.1, 0.12, 0.05])
    score = np.where(tags == "fr", 0.9, rng.beta(6, 2, n_docs)).round(4)
    stop = rng.beta(5, 12, n_docs).round(4)
    dup = rng.random(n_docs) < 0.03
    reason = np.full(n_docs, None, dtype=object)
    reason[dup] = "dup:near"
    reason[stop < 0.12] = "quality:min_stopword_ratio"
    reason[score < 0.4] = "lang:low_score"
    reason[tags == "fr"] = "lang:fr"
    node = np.array([{"dup": "dedup", "qua": "quality", "lan": "langid"}.get(str(r)[:3], "write") for r in reason])
    pools = {t: np.array(v, dtype=object) for t, v in lines.items()}
    picks = rng.integers(0, 1 << 30, size=(n_docs, 4))
    texts = [" ".join(pools[t][picks[i] % len(pools[t])]) for i, t in enumerate(tags)]
    table = pa.table(
        {
            "id": [f"doc-{i:07d}" for i in range(n_docs)],
            "url": [f"https://example.org/{t}/{i}" for i, t in enumerate(tags)],
            "text": texts,
            "lang_tag": tags.tolist(),
            "lang_score": score,
            "q_stopword_ratio": stop,
            "drop_reason": reason.tolist(),
            "drop_node": [None if n == "write" else n for n in node],
        }
    )
    for name in ("write", "langid", "quality", "dedup"):
        part = table.filter(pa.array(node == name))
        folder = root / name if name == "write" else root / "rejected" / name
        folder.mkdir(parents=True, exist_ok=True)
        for k, start in enumerate(range(0, part.num_rows, SHARD)):
            chunk = part.slice(start, SHARD)
            pq.write_table(
                chunk.drop(["drop_reason", "drop_node"]) if name == "write" else chunk, folder / f"part-{k:05d}.parquet"
            )
    nodes = [
        {"id": n, "inputs": [p] if p else [], "output": str(root / n) if n == "write" else None}
        for n, p in (("langid", None), ("quality", "langid"), ("dedup", "quality"), ("write", "dedup"))
    ]
    (root / "manifest.json").write_text(__import__("json").dumps({"nodes": nodes}))
    return table.drop(["text", "url"]).append_column("node", pa.array(node.tolist()))


def strata_of(population: pa.Table, bands: int, seed: int) -> dict[str, str]:
    """id -> stratum, computed like corpusforge.review.sample (score = the decision's signal)."""
    from corpusforge.review.sample import assign_bands

    rows = population.to_pylist()
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["lang_tag"], r["node"], r["drop_reason"] or "kept"), []).append(r)
    out = {}
    for (tag, node, decision), members in groups.items():
        col = "q_stopword_ratio" if decision.startswith("quality:") else "lang_score"
        hashes = np.array([xxhash.xxh64_intdigest(f"{seed}:{m['id']}".encode()) for m in members], dtype=np.uint64)
        b = assign_bands(np.array([m[col] for m in members]), hashes, bands)
        for m, band in zip(members, b.tolist()):
            out[m["id"]] = f"{tag}|{node}|{decision}|{band}"
    return out


def coverage(ids: list[str], strata: dict[str, str]) -> tuple[int, int, int]:
    per_stratum = Counter(strata[i] for i in ids)
    per_group = Counter(s.rsplit("|", 1)[0] for s in (strata[i] for i in ids))
    all_groups = {s.rsplit("|", 1)[0] for s in strata.values()}
    fewest = min(per_group.get(g, 0) for g in all_groups)
    return len(per_stratum), len(per_group), fewest


def peer_sample(root: Path, rate: float, seed: int) -> list[str]:
    from datatrove.pipeline.filters import SamplerFilter
    from datatrove.pipeline.readers import ParquetReader

    ids: list[str] = []
    for folder in (root / "write", root / "rejected"):
        reader = ParquetReader(str(folder), glob_pattern="**/*.parquet", read_metadata=True)
        sampler = SamplerFilter(rate=rate, seed=seed)
        ids += [doc.id for doc in sampler.run(reader.run())]
    return ids


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} not found: this benchmark needs ../shared/data/lid-train; skipping.")
        return 0
    from corpusforge.review.sample import SampleConfig, draw

    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "run"
        population = build_run(root, args.docs, rng)
        strata = strata_of(population, bands=5, seed=args.seed)
        t0 = time.perf_counter()
        ours = draw(str(root), Path(tmp) / "review", SampleConfig(seed=args.seed, bands=5, per_band=4))
        t_ours = time.perf_counter() - t0
        our_ids = ours.column("id").to_pylist()
        t0 = time.perf_counter()
        peer_ids = peer_sample(root, len(our_ids) / args.docs, args.seed)
        t_peer = time.perf_counter() - t0
    total_strata = len(set(strata.values()))
    total_groups = len({s.rsplit("|", 1)[0] for s in strata.values()})
    rows = []
    for name, ids, secs in (
        ("ours: corpusforge sample (stratified)", our_ids, t_ours),
        ("peer: datatrove ParquetReader + SamplerFilter (random)", peer_ids, t_peer),
    ):
        n_strata, n_groups, fewest = coverage(ids, strata)
        rows.append(
            f"| {name} | {len(ids)} | {n_strata} / {total_strata} | {n_groups} / {total_groups} | {fewest} | {secs:.2f} |"
        )
    table = "\n".join(
        [
            "# Review sampling: stratified vs random at the same sample size",
            "",
            f"Synthetic run of {args.docs} documents from real lid-train lines (es 45%, ca 20%, gl 12%, eu 10%, "
            "ca-valencia 8%, fr 5%), rejections by lang:low_score, lang:fr, quality:min_stopword_ratio and dup:near; "
            "5 score bands x 4 documents per stratum. Groups are lang_tag x node x decision.",
            "",
            "| sampler | documents | strata covered | groups covered | fewest docs in a group | seconds |",
            "|---|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Ratios (peer / ours): time {t_peer / t_ours:.1f}x, strata covered "
            f"{coverage(peer_ids, strata)[0] / coverage(our_ids, strata)[0]:.2f}x. The peer reads every column of "
            "every shard as Documents; ours reads only id, lang_tag, drop_reason and scores, then the chosen rows.",
            "",
            "Reproduce: `.venv/bin/python benchmarks/review.py"
            + (f" --docs {args.docs}`" if args.docs != 100_000 else "`"),
        ]
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(table + "\n", encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
