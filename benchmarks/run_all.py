"""`make bench`: run every side-by-side benchmark, then gather their tables into benchmarks/README.md.

Each benchmark is its own script (runnable alone, see its docstring) that writes
`benchmarks/results/<name>.md`. This runner calls them one after another in fresh processes, so one
failing benchmark is reported and the others still run, and rebuilds benchmarks/README.md from the
results files that exist. Benchmarks that need ../shared/data say so and exit 0 when it is absent.

    .venv/bin/python benchmarks/run_all.py                  # all
    .venv/bin/python benchmarks/run_all.py extract dedup    # some
    .venv/bin/python benchmarks/run_all.py --readme-only    # only rebuild the README
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DATA = HERE.parent.parent / "shared" / "data"

PIPELINE_SIDES = "corpusforge,corpusforge:local,corpusforge:ray,corpusforge:local:extract.trafilatura.v1,datatrove"
# name -> (script, extra arguments, what it measures); in the order the README lists them.
BENCHMARKS: dict[str, tuple[str, list[str], str]] = {
    "extract": ("extract.py", [], "WARC ingest and HTML extraction vs datatrove"),
    "ingest": ("ingest.py", [], "ingest alone (WARC, JSONL, Parquet) vs datatrove's readers"),
    "lid": ("lid.py", [], "language and variety ID vs fastText lid.176, langid, lingua"),
    "lid_stream": ("lid_stream.py", [], "language id of a document stream: word scorer vs fastText calls"),
    "lid_mixed": ("lid_mixed.py", [], "mixed pages and languages outside the set vs the heuristics alone, lid.176"),
    "quality": ("quality.py", [], "quality signals and PII vs datatrove's filters"),
    "quality_perplexity": ("quality_perplexity.py", [], "perplexity signal: candidates, with vs without, KenLM"),
    "dedup": ("dedup_bench.py", ["--scale"], "exact and MinHash dedup vs datatrove, datasketch"),
    "crawl": ("crawl.py", [], "Common Crawl ingestion by index"),
    "pack": ("pack.py", [], "tokenising and packing vs datatrove's tokenizer"),
    "train": ("train.py", [], "the pretraining loop"),
    "review": ("review.py", [], "review sampling vs datatrove's sampler"),
    "ingest_encodings": ("ingest_encodings.py", [], "decoding pages in Western encodings"),
    "mojibake": ("mojibake.py", [], "mojibake detection and repair vs ftfy"),
    "pii": ("pii.py", [], "PII validators vs python-stdnum, table redaction"),
    "decontam": ("decontam.py", [], "benchmark decontamination (n-gram) vs datatrove"),
    "refilter": ("refilter.py", [], "new quality thresholds on a finished run vs a full re-run"),
    "impact_tally": ("impact_tally.py", [], "the review report's impact tally: numpy vs polars"),
    "ablate": ("ablate.py", [], "data ablation on the demo corpus: held-out bits per byte per variant"),
    "urlfilter": ("urlfilter.py", [], "URL blocklists (UT1) vs datatrove's URLFilter"),
    "datatrove_adapter": ("datatrove_adapter.py", [], "overhead of datatrove's steps inside corpusforge"),
    "pipeline": (
        "pipeline.py",
        ["--pages", "6000", "--files", "4", "--runs", "3", "--sides", PIPELINE_SIDES],
        "the shipped pipeline end to end vs datatrove's FineWeb-style pipeline, per core",
    ),
    "pipeline_100k": (
        "pipeline.py",
        [
            *("--pages", "100000", "--files", "20", "--runs", "1", "--project"),
            *("--sides", "corpusforge,corpusforge:local,datatrove"),
            *("--results", "benchmarks/results/pipeline_100k.md"),
        ],
        "the same on 100,000 pages in 20 WARC files, projected to one Common Crawl snapshot on N nodes",
    ),
    "memory_pool": ("memory_pool.py", [], "the whole pipeline with freed memory kept (default) and returned"),
}

INTRO = """# Benchmarks

Every figure here comes from `make bench` (or one script of `benchmarks/`, named in each section)
run on the project's development machine: 2 CPU cores, 24 GiB, Python 3.11, no GPU unless a
section says otherwise. Each benchmark runs a peer and corpusforge on the same input in the same
run and reports the ratio. Inputs come from `../shared/data` (real text with its licences in
`SOURCES.md`); a benchmark without it prints that it is absent and writes nothing. Speed targets
are checked here, never by timed tests.
"""


def run(names: list[str]) -> dict[str, str]:
    outcome: dict[str, str] = {}
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "PYTHONPATH": str(HERE.parent)}
    for name in names:
        script, extra, _ = BENCHMARKS[name]
        print(f"== {name}: {script} {' '.join(extra)}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / script), *extra], cwd=HERE.parent, env=env)
        took = time.perf_counter() - t0
        outcome[name] = f"exit {proc.returncode} after {took:.0f}s"
        print(f"== {name}: {outcome[name]}", flush=True)
    return outcome


def build_readme() -> Path:
    parts = [INTRO]
    if not DATA.exists():
        parts.append(f"\n**`{DATA}` is absent on this machine: the tables below are from an earlier run.**\n")
    parts.append("\n| benchmark | script | measures | results file |\n|---|---|---|---|\n")
    for name, (script, extra, measures) in BENCHMARKS.items():
        result = RESULTS / f"{name}.md"
        shown = f"[results/{name}.md](results/{name}.md)" if result.exists() else "not run yet"
        command = " ".join(["python", f"benchmarks/{script}", *extra])
        parts.append(f"| {name} | `{command}` | {measures} | {shown} |\n")
    for name in BENCHMARKS:
        result = RESULTS / f"{name}.md"
        if result.exists():
            text = result.read_text(encoding="utf-8").strip()
            # Demote the results file's headings one level so they sit under this page's title.
            text = "\n".join("#" + line if line.startswith("#") else line for line in text.splitlines())
            parts.append(f"\n{text}\n")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    parts.append(f"\n---\nAssembled by `benchmarks/run_all.py` on {stamp} ({platform.python_version()}).\n")
    readme = HERE / "README.md"
    readme.write_text("".join(parts), encoding="utf-8")
    return readme


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="benchmarks to run (default: all)")
    parser.add_argument("--readme-only", action="store_true", help="only rebuild benchmarks/README.md")
    args = parser.parse_args()
    unknown = [n for n in args.names if n not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")
    if not DATA.exists():
        print(f"note: {DATA} is absent; the benchmarks that need it will say so and skip")
    outcome = {} if args.readme_only else run(args.names or list(BENCHMARKS))
    print(f"wrote {build_readme()}")
    failed = {n: o for n, o in outcome.items() if not o.startswith("exit 0")}
    for name, what in failed.items():
        print(f"FAILED {name}: {what}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
