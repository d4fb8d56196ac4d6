"""The whole pipeline, ours against datatrove's FineWeb-style one, on the same WARC files and cores.

Ours: the shipped `pipelines/iberian-web.toml` without its pack node (ingest, extract, URL filter,
normalisation, language id and filter, PII, site-level line dedup, quality signals and filter,
exact and MinHash dedup, Parquet by lang_tag), run by the CLI in a fresh process as a user runs it
(`corpusforge run FILE --num-cpus N --quiet`), with the shipped parameters.
Peer: datatrove 0.10 as in its FineWeb example, minus what needs a download here (URL lists,
language id): WarcReader -> Trafilatura -> GopherRepetition -> GopherQuality -> C4Quality ->
FineWebQuality -> Parquet, then MinHash in its 4 stages (signatures, buckets, cluster, filter ->
Parquet), each stage a LocalPipelineExecutor over N workers. Its filters and MinHash tokenise with a
regular expression (their default tokenisers need nltk/spaCy models), and GopherQuality counts our
es/ca/gl/eu stop words instead of its English ones (which would reject ~98% of these pages, leaving
its later stages nothing to do); both set up in benchmarks/datatrove_peer.py.

Both sides run as child processes of this script, which makes itself their subreaper, so the CPU
seconds count every process of the run (Ray's raylet and workers, datatrove's pool) and none of
ours; memory is the sum of the RSS of the run's processes, sampled every 0.25 s.

    python benchmarks/pipeline.py --pages 6000 --files 4 --cores 2 --runs 3
    python benchmarks/pipeline.py --pages 100000 --files 20 --runs 1 --project --results benchmarks/results/pipeline_100k.md

`--project` appends the cost of one Common Crawl snapshot's es/ca/eu/gl pages on N nodes
(benchmarks/scale_projection.py, its assumptions printed with it) from the pages per CPU-second of
our side and the mean HTML size of the generated pages.

Input: `benchmarks/web_corpus.py` (real lid-train sentences in generated pages); it needs
../shared/data, and says so and exits 0 when it is absent. Runs alternate between the sides and the
median counts. Writes benchmarks/results/pipeline.md (or --results).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[0] = str(REPO)  # import `benchmarks.web_corpus` and the local `dedup`, not benchmarks/dedup_*.py

from benchmarks import web_corpus  # noqa: E402
from benchmarks.datatrove_peer import datatrove_filters, iberian_stop_words, regex_tokenizer  # noqa: E402
from benchmarks.dedup_corpus import xxh64_str  # noqa: E402
from benchmarks.scale_projection import projection  # noqa: E402

BIN = Path(sys.executable).parent
RESULTS = HERE / "results" / "pipeline.md"
SHIPPED = REPO / "pipelines" / "iberian-web.toml"


# ------------------------------------------------------------------ measuring a process tree
@dataclass
class Measure:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    docs_out: int = 0
    out_mb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def become_subreaper() -> None:
    """Orphans of our children (Ray's workers when the raylet goes) become ours, so their CPU counts."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _processes() -> dict[int, tuple[int, float, int]]:
    """pid -> (parent pid, own CPU seconds, RSS bytes) of every process, from /proc."""
    out = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
            f = stat[stat.rfind(b")") + 2 :].split()
            out[int(entry.name)] = (int(f[1]), (int(f[11]) + int(f[12])) / _TICK, int(f[21]) * _PAGE)
        except (OSError, ValueError, IndexError):
            continue
    return out


def _descendants(procs: dict[int, tuple[int, float, int]], root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    out, frontier = [], [root]
    while frontier:
        frontier = [c for p in frontier for c in children.get(p, [])]
        out += frontier
    return out


class TreeSampler:
    """Every `interval_s`, the CPU seconds and RSS of each process below us (the run, and any of its
    processes orphaned to us). Ray's workers are reaped by nobody who would pass their CPU time on
    through wait(), so `RUSAGE_CHILDREN` misses them; this sees them (less their last interval)."""

    def __init__(self, interval_s: float = 0.2) -> None:
        self.interval_s = interval_s
        self.cpu: dict[int, float] = {}
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        procs = _processes()
        mine = _descendants(procs, os.getpid())
        for pid in mine:
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), procs[pid][1])
        self.peak_rss = max(self.peak_rss, sum(procs[p][2] for p in mine))

    def _loop(self) -> None:
        while not self._stop.wait(self.interval_s):
            self._sample()

    def __enter__(self) -> TreeSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def cpu_s(self) -> float:
        return sum(self.cpu.values())


def _reap_orphans(timeout_s: float = 30.0) -> None:
    """Wait for every process adopted by us to end (Ray's shut down after the driver), reaping them."""
    end = time.monotonic() + timeout_s
    while time.monotonic() < end:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.05)


def measured(cmd: list[str], *, env: dict[str, str], log: Path) -> Measure:
    """Run `cmd`: its wall seconds, the CPU seconds of all its processes, their peak total RSS."""
    cpu0 = _children_cpu()
    with open(log, "wb") as out, TreeSampler() as tree:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        code = proc.wait()
        wall = time.perf_counter() - t0
        _reap_orphans()
    if code != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {code}; see {log}:\n{log.read_text()[-3000:]}")
    # Processes reaped through wait() are counted exactly by rusage; the sampler sees those that are not.
    cpu = max(_children_cpu() - cpu0, tree.cpu_s)
    return Measure(wall_s=wall, cpu_s=cpu, peak_rss_mb=tree.peak_rss / 2**20)


# ------------------------------------------------------------------ ours
def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"no TOML for {v!r}")


def to_toml(raw: dict[str, Any]) -> str:
    lines = ["[pipeline]", *(f"{k} = {_toml_value(v)}" for k, v in raw["pipeline"].items())]
    for node in raw["node"]:
        lines += ["", "[[node]]", *(f"{k} = {_toml_value(v)}" for k, v in node.items())]
    return "\n".join(lines) + "\n"


def ours_pipeline(warcs: str, root: Path, *, extractor: str | None = None) -> str:
    """The shipped iberian-web pipeline over `warcs`, rooted at `root`, without its pack node."""
    raw = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    raw["pipeline"]["root"] = str(root)
    nodes = [n for n in raw["node"] if not n["stage"].startswith("pack.")]
    for node in nodes:
        if node["stage"] == "ingest.warc.v1":
            node["params"] = {**node.get("params", {}), "paths": [warcs]}
        if extractor and node["stage"].startswith("extract."):
            node["stage"] = extractor
    raw["node"] = nodes
    return to_toml(raw)


def run_ours(warc_dir: Path, work: Path, *, cores: int, executor: str | None, extractor: str | None) -> Measure:
    root = work / "root"
    file = work / "iberian-web-bench.toml"
    file.write_text(ours_pipeline(f"{warc_dir}/*.warc.gz", root, extractor=extractor), encoding="utf-8")
    cmd = [str(BIN / "corpusforge"), "run", str(file), "--num-cpus", str(cores), "--quiet"]
    if executor:
        cmd += ["--executor", executor]
    env = {**os.environ, "RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}
    m = measured(cmd, env=env, log=work / "ours.log")
    manifest = json.loads((root / "manifest.json").read_text())
    write = next(n for n in manifest["nodes"] if n["stage"] == "write.parquet.v1")
    m.docs_out = write["kept"]
    m.out_mb = write.get("bytes", 0) / 1e6
    from corpusforge.profile import render_profile

    m.extra = {"manifest": manifest, "urls": _urls(root / write["id"], "url"), "profile": render_profile(str(root))}
    return m


# ------------------------------------------------------------------ datatrove
def run_datatrove(warc_dir: Path, work: Path, *, cores: int, files: int) -> Measure:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--datatrove-side", str(warc_dir), str(work)]
    cmd += ["--cores", str(cores), "--files", str(files)]
    m = measured(cmd, env=dict(os.environ), log=work / "datatrove.log")
    out = work / "final"
    m.docs_out = sum(_rows(f) for f in out.glob("*.parquet"))
    m.out_mb = sum(f.stat().st_size for f in out.glob("*.parquet")) / 1e6
    stages = re.findall(r"datatrove stage (\S+): ([\d.]+)s", (work / "datatrove.log").read_text())
    m.extra = {"urls": _urls(out, "metadata"), "stages": dict(stages)}
    return m


def _rows(path: Path) -> int:
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _urls(folder: Path, column: str) -> set[str]:
    import pyarrow.dataset as ds

    if not folder.exists():
        return set()
    table = ds.dataset(folder, format="parquet", partitioning="hive", exclude_invalid_files=True).to_table(
        columns=[column]
    )
    values = table.column(column).to_pylist()
    return {v["url"] if isinstance(v, dict) else v for v in values}


def datatrove_side(warc_dir: Path, work: Path, *, cores: int, files: int) -> None:
    """The peer's pipeline (runs in its own process; see the module docstring)."""

    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashConfig,
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.extractors import Trafilatura
    from datatrove.pipeline.readers import ParquetReader, WarcReader
    from datatrove.pipeline.writers import ParquetWriter

    tok = regex_tokenizer()
    # GopherQuality counts our stop words (see datatrove_peer), so both sides keep comparable sets.
    filters = datatrove_filters(tok, stop_words=iberian_stop_words())
    cfg = MinhashConfig()
    signature = MinhashDedupSignature(output_folder=str(work / "sigs"), config=cfg, language=tok)
    signature._hash_func = xxh64_str  # datatrove 0.10 hashes str, which xxhash >= 3.5 refuses
    filtered, sigs, buckets, remove = (str(work / d) for d in ("filtered", "sigs", "buckets", "remove"))
    stages = [
        ("extract+filter", [
            WarcReader(str(warc_dir), glob_pattern="*.warc.gz"),
            Trafilatura(favour_precision=True),
            *filters.values(),
            ParquetWriter(filtered),
        ], files),
        ("signatures", [ParquetReader(filtered), signature], files),
        ("buckets", [MinhashDedupBuckets(input_folder=sigs, output_folder=buckets, config=cfg)], cfg.num_buckets),
        ("cluster", [MinhashDedupCluster(input_folder=buckets, output_folder=remove, config=cfg)], 1),
        ("filter", [ParquetReader(filtered), MinhashDedupFilter(input_folder=remove), ParquetWriter(str(work / "final"))], files),
    ]  # fmt: skip
    for name, steps, tasks in stages:
        t0 = time.perf_counter()
        LocalPipelineExecutor(
            pipeline=steps, tasks=tasks, workers=cores, logging_dir=str(work / f"logs-{name}"), skip_completed=False
        ).run()
        print(f"datatrove stage {name}: {time.perf_counter() - t0:.1f}s", flush=True)


# ------------------------------------------------------------------ the report
def median_measure(runs: list[Measure]) -> Measure:
    return Measure(
        wall_s=statistics.median(m.wall_s for m in runs),
        cpu_s=statistics.median(m.cpu_s for m in runs),
        peak_rss_mb=statistics.median(m.peak_rss_mb for m in runs),
        docs_out=runs[-1].docs_out,
        out_mb=runs[-1].out_mb,
        extra=runs[-1].extra,
    )


def load_average() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg())


def cores_used(side: str, m: Measure, cores: int) -> int:
    """Cores a run could use: one when our auto executor ran in-process."""
    kind = m.extra.get("manifest", {}).get("profile", {}).get("executor", "")
    return 1 if side.startswith("corpusforge") and kind.endswith("local") else cores


def _in_repo(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(REPO)) if path.is_relative_to(REPO) else str(path)


def report(args: argparse.Namespace, n_pages: int, input_mb: float, results: dict[str, list[Measure]]) -> str:
    cmd = f"python benchmarks/pipeline.py --pages {args.pages} --files {args.files} --cores {args.cores}"
    cmd += f" --runs {args.runs} --sides {args.sides}" + (" --project" if args.project else "")
    if args.results != RESULTS:
        cmd += f" --results {_in_repo(args.results)}"
    lines = [
        "# Whole pipeline: iberian-web against datatrove's FineWeb-style pipeline",
        "",
        f"`{cmd}` — {n_pages:,} generated pages ({input_mb:.0f} MB of WARC.gz) in {args.files} files,"
        f" at most {args.cores} cores per run; median of {args.runs} run(s), sides alternating. CPU s: every"
        " process of the run (Ray's included). Per core: pages / wall s / cores the run used (1 when our `auto`"
        " executor chose in-process). Docs out: documents in the final Parquet.",
        "",
        "| pipeline | executor | cores | wall s | CPU s | pages/s | pages/s per core | pages per CPU-s"
        " | CPU-h per 1M pages | peak RSS MB | docs out |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    med = {side: median_measure(runs) for side, runs in results.items()}
    for side, m in med.items():
        used = cores_used(side, m, args.cores)
        kind = m.extra.get("manifest", {}).get("profile", {}).get("executor", "multiprocess")
        lines.append(
            f"| {side} | {kind} | {used} | {m.wall_s:.1f} | {m.cpu_s:.1f} | {n_pages / m.wall_s:.0f}"
            f" | {n_pages / m.wall_s / used:.0f} | {n_pages / m.cpu_s:.0f} | {m.cpu_s / n_pages * 1e6 / 3600:.2f}"
            f" | {m.peak_rss_mb:.0f} | {m.docs_out:,} |"
        )
    dt = med.get("datatrove")
    if dt is not None:
        lines += ["", "Ratios, datatrove / corpusforge (higher is faster for us):", ""]
        dt_core = n_pages / dt.wall_s / cores_used("datatrove", dt, args.cores)
        for side, us in med.items():
            if side == "datatrove":
                continue
            us_core = n_pages / us.wall_s / cores_used(side, us, args.cores)
            lines.append(
                f"- **{side}: {us_core / dt_core:.2f}x per core (wall), {dt.cpu_s / us.cpu_s:.2f}x by CPU seconds,"
                f" {dt.wall_s / us.wall_s:.2f}x by wall clock.**"
            )
            a, b = us.extra.get("urls", set()), dt.extra.get("urls", set())
            lines.append(
                f"  Documents out: {len(a):,} (es, ca, ca-valencia, eu, gl only: language id), datatrove {len(b):,}"
                f" (no language id); in both {len(a & b):,}."
            )
        stages = dt.extra.get("stages")
        if stages:
            lines.append("- datatrove's stages (wall s, last run): " + ", ".join(f"{k} {v}" for k, v in stages.items()))
    lines.append("")
    for side, runs in results.items():
        if side in ("corpusforge", "corpusforge:local") and runs[-1].extra.get("profile"):
            lines += [f"`corpusforge stats RUN --profile` of the last `{side}` run:", "", "```"]
            lines += [runs[-1].extra["profile"], "```", ""]
    for side, runs in results.items():
        walls = ", ".join(f"{m.wall_s:.1f}" for m in runs)
        cpus = ", ".join(f"{m.cpu_s:.1f}" for m in runs)
        lines.append(f"- {side}: wall s per run {walls}; CPU s {cpus}")
    lines.append(f"- load average after the runs (1/5/15 min): {load_average()}")
    return "\n".join(lines) + "\n"


def projected(results: dict[str, list[Measure]], n_pages: int, html_kb: float) -> list[str]:
    """One Common Crawl snapshot's cost (benchmarks/scale_projection.py, its assumptions printed) from
    our pages per CPU-second: the median of the shipped executor's side, else of our first side."""
    ours = [side for side in results if side.startswith("corpusforge")]
    side = "corpusforge" if "corpusforge" in ours else ours[0]
    pages_per_cpu_s = n_pages / median_measure(results[side]).cpu_s
    return [
        *projection(pages_per_cpu_s=pages_per_cpu_s, synthetic_html_kb=html_kb),
        f"Pages per CPU-second: the median of the `{side}` side above.",
    ]


def run_side(side: str, warcs: Path, work: Path, args: argparse.Namespace) -> Measure:
    """`datatrove`, or `corpusforge[:executor[:extract stage]]` (the shipped pipeline's when not given)."""
    if side == "datatrove":
        return run_datatrove(warcs, work, cores=args.cores, files=args.files)
    _, executor, extractor = (side.split(":") + [None, None])[:3]
    return run_ours(warcs, work, cores=args.cores, executor=executor or None, extractor=extractor or None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=6000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--sides",
        default="corpusforge,datatrove",
        help="comma-separated: datatrove, corpusforge[:executor[:extract stage]] (e.g. corpusforge:local)",
    )
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument(
        "--project", action="store_true", help="append a projection to one Common Crawl snapshot on N nodes"
    )
    parser.add_argument("--keep", type=Path, help="keep the inputs and outputs under this folder")
    parser.add_argument("--datatrove-side", nargs=2, type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.datatrove_side:
        datatrove_side(*args.datatrove_side, cores=args.cores, files=args.files)
        return 0
    corpus = web_corpus
    if not (corpus.DATA / "lid-train").is_dir():
        print(f"benchmarks/pipeline.py: {corpus.DATA / 'lid-train'} is absent; nothing to measure (skipped).")
        return 0
    sides = args.sides.split(",")
    if args.project and not any(side.startswith("corpusforge") for side in sides):
        parser.error("--project projects our pipeline's cost: --sides needs a corpusforge side")
    become_subreaper()
    base = args.keep or Path(tempfile.mkdtemp(prefix="cf-pipeline-"))
    try:
        warcs = base / "input"
        if not warcs.is_dir():
            t0 = time.perf_counter()
            corpus.generate_warcs(args.pages, args.files, warcs)
            print(f"generated {args.pages} pages in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
        input_mb = sum(f.stat().st_size for f in warcs.glob("*.warc.gz")) / 1e6
        results: dict[str, list[Measure]] = {s: [] for s in sides}
        for r in range(args.runs):
            for side in sides:
                work = base / f"{side.replace(':', '_')}-{r}"
                shutil.rmtree(work, ignore_errors=True)
                work.mkdir(parents=True)
                m = run_side(side, warcs, work, args)
                results[side].append(m)
                print(f"run {r} {side}: {m.wall_s:.1f}s wall, {m.cpu_s:.1f} CPU s, {m.peak_rss_mb:.0f} MB",
                      file=sys.stderr)  # fmt: skip
                if not args.keep:
                    shutil.rmtree(work, ignore_errors=True)
        text = report(args, args.pages, input_mb, results)
        if args.project:
            html_kb = web_corpus.mean_html_kb(sorted(warcs.glob("*.warc.gz")))
            text += "\n" + "\n".join(projected(results, args.pages, html_kb)) + "\n"
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
