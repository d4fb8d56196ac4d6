"""Keeping freed memory (`corpusforge/memory.py`) on and off: the whole pipeline, same input.

The shipped pipeline (as in benchmarks/pipeline.py) runs alternately with the default setting and
with `CORPUSFORGE_KEEP_MEMORY=0`, on the same generated WARC files and cores; the table gives the
median wall and CPU seconds of each, and the kernel (system) CPU seconds of the in-process runs,
where the memory effect shows (pool workers are not this script's children, so their kernel time
cannot be split out; their CPU seconds are in the totals).

    python benchmarks/memory_pool.py --pages 6000 --files 4 --runs 3

Needs ../shared/data (benchmarks/web_corpus.py): says so and exits 0 when it is absent.
Writes benchmarks/results/memory_pool.md (or --results).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[0] = str(HERE.parent)

from benchmarks import web_corpus  # noqa: E402
from benchmarks.pipeline import become_subreaper, run_ours  # noqa: E402
from corpusforge.memory import ENV  # noqa: E402

RESULTS = HERE / "results" / "memory_pool.md"


def _kernel_s() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (web_corpus.DATA / "lid-train").is_dir():
        print(f"benchmarks/memory_pool.py: {web_corpus.DATA / 'lid-train'} is absent; nothing to measure (skipped).")
        return 0
    become_subreaper()
    base = Path(tempfile.mkdtemp(prefix="cf-memory-"))
    rows = []
    try:
        warcs = base / "input"
        web_corpus.generate_warcs(args.pages, args.files, warcs)
        for executor, cores in (("local", 1), (None, args.cores)):
            got: dict[str, list[tuple[float, float, float, float]]] = {"kept (default)": [], "returned (=0)": []}
            for r in range(args.runs):
                for label, value in (("kept (default)", "1"), ("returned (=0)", "0")):
                    os.environ[ENV] = value
                    work = base / f"run-{r}"
                    shutil.rmtree(work, ignore_errors=True)
                    work.mkdir()
                    k0 = _kernel_s()
                    m = run_ours(warcs, work, cores=cores, executor=executor, extractor=None)
                    got[label].append((m.wall_s, m.cpu_s, _kernel_s() - k0, m.peak_rss_mb))
                    print(
                        f"{executor or 'auto'} {label} run {r}: {m.wall_s:.1f}s wall, {m.cpu_s:.1f} CPU s",
                        file=sys.stderr,
                    )
            for label, runs in got.items():
                wall, cpu, kernel, rss = (statistics.median(x[i] for x in runs) for i in range(4))
                kernel_cell = f"{kernel:.2f}" if executor == "local" else "n/a"
                rows.append(
                    f"| {executor or 'auto'} | {cores} | {label} | {wall:.1f} | {cpu:.1f} | {kernel_cell} | {rss:.0f} |"
                )
    finally:
        os.environ.pop(ENV, None)
        shutil.rmtree(base, ignore_errors=True)
    text = "\n".join(
        [
            "# Keeping freed memory: on (default) and off (`CORPUSFORGE_KEEP_MEMORY=0`)",
            "",
            f"`python benchmarks/memory_pool.py --pages {args.pages} --files {args.files} --runs {args.runs}` — the "
            f"shipped pipeline (no pack) on {args.pages} generated pages in {args.files} WARC files; median of "
            f"{args.runs} runs each, alternating. Kernel s: system CPU of the in-process runs.",
            "",
            "| executor | cores | freed memory | wall s | CPU s | kernel s | peak RSS MB |",
            "|---|---:|---|---:|---:|---:|---:|",
            *rows,
            "",
        ]
    )
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
