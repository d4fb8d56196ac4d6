"""`corpusforge demo`: generate the embedded sample WARC if absent, run pipelines/demo.toml, print the funnel."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

INPUT_DIR = "runs/demo-input"
DEFAULT_PIPELINE = Path(__file__).resolve().parents[2] / "pipelines" / "demo.toml"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    d = sub.add_parser("demo", help="run the demo pipeline on the embedded sample WARC (generated if absent)")
    d.add_argument("--pipeline", default=str(DEFAULT_PIPELINE), help="pipeline file (default: pipelines/demo.toml)")
    d.add_argument("--executor", choices=["ray", "local"], help="override [pipeline].executor (default ray)")
    d.add_argument("--root", help="override [pipeline].root")
    d.add_argument("--num-cpus", type=int, help="CPUs for the embedded Ray (default: all)")
    d.add_argument("--fresh", action="store_true", help="start the run over instead of resuming")
    d.add_argument("--quiet", action="store_true", help="no progress bars")
    d.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from corpusforge import stats
    from corpusforge.demo.make_warc import DEMO_FILE, write_demo_warc
    from corpusforge.plan import PlanError, load
    from corpusforge.runtime import RunConflict, make_executor, run
    from corpusforge.runtime.progress import RichProgress

    sample = Path(INPUT_DIR) / DEMO_FILE  # pipelines/demo.toml reads runs/demo-input/*.warc.gz
    if not sample.exists():
        write_demo_warc(INPUT_DIR)
        print(f"generated the demo sample {sample}")
    try:
        plan = load(args.pipeline, overrides={"executor": args.executor, "root": args.root})
    except PlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if "://" not in plan.root:
        plan.root = os.path.abspath(plan.root)  # Ray workers may run in another working directory
    t0 = time.perf_counter()
    executor = make_executor(plan.executor, num_cpus=args.num_cpus)
    try:
        manifest = run(plan, executor, fresh=args.fresh, progress=None if args.quiet else RichProgress())
    except RunConflict as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        executor.close()
    print(stats.render(plan.root))
    outputs = [n["output"] for n in manifest["nodes"] if n["output"]]
    print(f"\ndemo finished in {time.perf_counter() - t0:.1f}s; Parquet shards under: {', '.join(outputs)}")
    print(f"rejected rows: {plan.root}/rejected/<node>/; run manifest: {plan.root}/manifest.json")
    return 0
