"""Scale benchmark: pipelines/iberian-web.toml end to end, and datatrove's equivalent, on the same pages.

    python benchmarks/scale.py                       # 10,000 pages in 20 WARC files (make bench)
    python benchmarks/scale.py --pages 100000        # the full run of benchmarks/results/scale.md

1. `--pages` generated pages (benchmarks/web_pages.py) in `--files` WARC files.
2. corpusforge: `corpusforge run` of pipelines/iberian-web.toml as shipped, only `paths` and the root
   changed (WARC -> trafilatura -> URL filter -> normalize -> language id -> PII -> line dedup ->
   quality -> exact + MinHash dedup -> Parquet per lang_tag -> tokenizer training + token streams),
   embedded Ray over `--cpus` cores.
3. datatrove, the same cores (LocalPipelineExecutor, workers = cores, one task per file): WarcReader ->
   Trafilatura -> Gopher repetition, Gopher quality, C4 quality, FineWeb quality filters ->
   ParquetWriter; then MinHash in its four stages (signatures, buckets, cluster, filter) -> ParquetWriter.
   Its filters split words with corpusforge's Spanish splitter (its own need spaCy/Stanza models) and
   Gopher's stop-word test uses our es/ca/eu/gl stop words (its default English ones reject ~95%).
   datatrove has no language id (its LanguageFilter downloads a model), PII or token packing here, so
   it does less work per page: the table gives the per-node seconds of ours to compare the shared part.

Each side runs as a child process; wall time, CPU time (user + system of the whole process tree,
Ray workers and datatrove's pool included) and the peak of the summed RSS come from /proc
(benchmarks/proc_tree.py). Then a projection to one Common Crawl snapshot (assumptions printed).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from benchmarks import proc_tree, web_pages  # noqa: E402
from benchmarks.scale_projection import projection  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "scale.md"


def _du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) if path.exists() else 0


def _toml_value(v: object) -> str:
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    return repr(v)


def ours_pipeline(warc_glob: str, root: Path) -> str:
    """pipelines/iberian-web.toml with its input paths and root changed, nothing else."""
    raw = tomllib.loads((REPO / "pipelines" / "iberian-web.toml").read_text(encoding="utf-8"))
    raw["pipeline"]["root"] = str(root)
    raw["node"][0]["params"]["paths"] = [warc_glob]
    lines = ["[pipeline]", *(f"{k} = {_toml_value(v)}" for k, v in raw["pipeline"].items())]
    for node in raw["node"]:
        lines += ["", "[[node]]", *(f"{k} = {_toml_value(v)}" for k, v in node.items())]
    return "\n".join(lines) + "\n"


def run_datatrove(warc_dir: str, out: str, workers: int, tasks: int) -> dict[str, float]:
    """datatrove's pipeline (runs inside the measured child process); returns seconds per stage."""
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )
    from datatrove.pipeline.readers import ParquetReader, WarcReader
    from datatrove.pipeline.writers import ParquetWriter

    from benchmarks.dedup_corpus import xxh64_str
    from corpusforge.quality import tokenise
    from corpusforge.stages.datatrove_steps import word_tokenizer

    tok = word_tokenizer("es")
    # Its default stop words are English (then nearly every page fails): ours for the five languages.
    stop_words = sorted(set().union(*(tokenise.stopwords(t) for t in ("es", "ca", "eu", "gl"))))
    cfg = MinhashConfig()
    signature = MinhashDedupSignature(output_folder=f"{out}/sigs", config=cfg, language=tok)
    signature._hash_func = xxh64_str  # datatrove passes str to xxhash, which xxhash >= 3.5 refuses
    stages = {
        "extract+filter": (
            [
                WarcReader(warc_dir, glob_pattern="*.warc.gz"),
                Trafilatura(favour_precision=True, timeout=5.0),
                GopherRepetitionFilter(language=tok),
                GopherQualityFilter(language=tok, stop_words=stop_words),
                C4QualityFilter(filter_no_terminal_punct=False, language=tok),
                FineWebQualityFilter(language=tok),
                ParquetWriter(f"{out}/filtered"),
            ],
            tasks,
        ),
        "minhash signatures": ([ParquetReader(f"{out}/filtered"), signature], tasks),
        "minhash buckets": (
            [MinhashDedupBuckets(input_folder=f"{out}/sigs", output_folder=f"{out}/buckets", config=cfg)],
            cfg.num_buckets,
        ),
        "minhash cluster": (
            [MinhashDedupCluster(input_folder=f"{out}/buckets", output_folder=f"{out}/remove", config=cfg)],
            1,
        ),
        "minhash filter": (
            [
                ParquetReader(f"{out}/filtered"),
                MinhashDedupFilter(input_folder=f"{out}/remove"),
                ParquetWriter(f"{out}/final"),
            ],
            tasks,
        ),
    }
    seconds = {}
    for name, (pipeline, n_tasks) in stages.items():
        t0 = time.perf_counter()
        LocalPipelineExecutor(
            pipeline=pipeline, tasks=n_tasks, workers=min(workers, n_tasks), logging_dir=f"{out}/logs/{name}"
        ).run()
        seconds[name] = time.perf_counter() - t0
    return seconds


def _rows(folder: Path) -> int:
    import pyarrow.parquet as pq

    return sum(pq.ParquetFile(p).metadata.num_rows for p in folder.rglob("*.parquet"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=10_000)
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--workdir", type=Path, help="keep inputs and outputs here (default: a temp dir, removed)")
    parser.add_argument("--datatrove-child", nargs=2, metavar=("WARC_DIR", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.datatrove_child:
        seconds = run_datatrove(*args.datatrove_child, workers=args.cpus, tasks=args.files)
        Path(args.datatrove_child[1], "stages.json").write_text(json.dumps(seconds), encoding="utf-8")
        return 0

    load_before = os.getloadavg()[1]  # other work on the machine shows in wall time, not in CPU time
    work = args.workdir or Path(tempfile.mkdtemp(prefix="cf-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    warcs, origin = web_pages.write_warcs(work / "warc", args.pages, args.files)
    print(f"generated {args.pages} pages in {len(warcs)} files in {time.perf_counter() - t0:.0f}s ({origin})")
    input_bytes = sum(p.stat().st_size for p in warcs)
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0", "PYTHONPATH": str(REPO)}

    toml = work / "iberian-web.toml"
    toml.write_text(ours_pipeline(str(work / "warc" / "*.warc.gz"), work / "ours"), encoding="utf-8")
    cli = [sys.executable, "-m", "corpusforge.cli", "run", str(toml), "--quiet", "--num-cpus", str(args.cpus)]
    ours = proc_tree.measure(cli, env=env, log=str(work / "ours.log"))
    if ours.returncode != 0:
        print((work / "ours.log").read_text()[-3000:], file=sys.stderr)
        return 1
    manifest = json.loads((work / "ours" / "manifest.json").read_text(encoding="utf-8"))
    print(f"corpusforge: {ours}")

    peer_cmd = [sys.executable, __file__, "--datatrove-child", str(work / "warc"), str(work / "dt"),
                "--cpus", str(args.cpus), "--files", str(args.files)]  # fmt: skip
    peer = proc_tree.measure(peer_cmd, env=env, log=str(work / "datatrove.log"))
    if peer.returncode != 0:
        print((work / "datatrove.log").read_text()[-3000:], file=sys.stderr)
        return 1
    stages = json.loads((work / "dt" / "stages.json").read_text(encoding="utf-8"))
    print(f"datatrove: {peer}")

    by_id = {n["id"]: n for n in manifest["nodes"]}
    written = sum(n.get("bytes", 0) + n.get("rejected_bytes", 0) for n in manifest["nodes"])
    sides = [
        ("corpusforge iberian-web.toml (14 nodes, Ray)", ours, by_id["write"]["kept"], written + _du(work / "ours" / "tokens"),
         _du(work / "ours")),
        ("datatrove WarcReader→Trafilatura→4 filters→MinHash (4 stages)→Parquet", peer, _rows(work / "dt" / "final"),
         _du(work / "dt") - _du(work / "dt" / "logs"), _du(work / "dt") - _du(work / "dt" / "logs")),
    ]  # fmt: skip
    lines = [
        "# Scale: pipelines/iberian-web.toml end to end",
        "",
        f"`python benchmarks/scale.py --pages {args.pages} --files {args.files} --cpus {args.cpus}`: {args.pages:,} generated "
        f"pages ({origin}) in {len(warcs)} WARC files, {input_bytes / 2**20:.0f} MiB; {args.cpus} cores; both sides on the "
        "same files in the same run. docs/s/core = pages / wall / cores; docs/CPU-s = pages / CPU seconds of the "
        "process tree. Written = bytes of documents and rejected rows (and token streams) per input byte; kept on disk = "
        "what stays after the run (ours deletes intermediate outputs; datatrove keeps them). "
        f"Load average of the machine (5 min): {load_before:.1f} before, {os.getloadavg()[1]:.1f} after: "
        "with more runnable processes than cores, compare CPU seconds, not wall time.",
        "",
        "| pipeline | pages | docs out | wall s | CPU s | docs/s/core | docs/CPU-s | peak RSS MiB | written/input | kept on disk/input |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, usage, out, written_bytes, kept_bytes in sides:
        lines.append(
            f"| {name} | {args.pages:,} | {out:,} | {usage.wall_s:.0f} | {usage.cpu_s:.0f} | "
            f"{args.pages / usage.wall_s / args.cpus:.1f} | {args.pages / usage.cpu_s:.1f} | {usage.peak_rss_mb:,.0f} | "
            f"{written_bytes / input_bytes:.2f} | {kept_bytes / input_bytes:.2f} |"
        )
    lines += [
        "",
        f"datatrove / corpusforge: wall time {peer.wall_s / ours.wall_s:.2f}, CPU time {peer.cpu_s / ours.cpu_s:.2f} "
        "(above 1: corpusforge costs less), corpusforge doing more per page (language id, PII redaction, line "
        "and exact dedup, tokenizer training and token packing).",
        "",
        "Seconds per node of corpusforge (wall clock in the stage, summed over shards; under load it counts waiting too): "
        + ", ".join(f"{n['id']} {n['seconds']:.0f}" for n in manifest["nodes"]),
        "",
        "Seconds per stage of datatrove (wall): " + ", ".join(f"{k} {v:.0f}" for k, v in stages.items()),
        "",
        *projection(pages_per_cpu_s=args.pages / ours.cpu_s, synthetic_html_kb=web_pages.mean_html_kb(warcs)),
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
