"""`corpusforge demo`: generate the embedded sample WARC if absent, run the demo pipeline, print the funnel.

The pipeline file ships inside the package (`corpusforge/demo/pipeline.toml`; `pipelines/demo.toml`
in a checkout is a link to it), so the demo works after a plain `pip install`, from any directory.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from corpusforge import logs

INPUT_DIR = "runs/demo-input"
DEFAULT_PIPELINE = Path(__file__).resolve().parents[1] / "demo" / "pipeline.toml"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    d = sub.add_parser("demo", help="run the demo pipeline on the embedded sample WARC (generated if absent)")
    d.add_argument(
        "--pipeline",
        default=str(DEFAULT_PIPELINE),
        help="pipeline file (default: the shipped demo pipeline, pipelines/demo.toml)",
    )
    d.add_argument(
        "--executor", choices=["auto", "ray", "local", "pool"], help="override [pipeline].executor (default auto)"
    )
    d.add_argument("--root", help="override [pipeline].root")
    d.add_argument("--num-cpus", type=int, help="CPUs for the workers (pool, embedded Ray; default: all)")
    d.add_argument("--fresh", action="store_true", help="start the run over instead of resuming")
    d.add_argument("--quiet", action="store_true", help="no progress bars or progress lines")
    logs.add_arguments(d)
    d.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from corpusforge.commands.pipeline import execute, load_plan
    from corpusforge.demo.make_warc import DEMO_FILE, write_demo_warc

    logs.configure(args.log_level, args.log_file)
    sample = Path(INPUT_DIR) / DEMO_FILE  # pipelines/demo.toml reads runs/demo-input/*.warc.gz
    if not sample.exists():
        write_demo_warc(INPUT_DIR)
        print(f"generated the demo sample {sample}")
    plan = load_plan(args.pipeline, executor=args.executor, root=args.root)
    if plan is None:
        return 2
    return execute(
        plan,
        ray_address=None,
        num_cpus=args.num_cpus,
        fresh=args.fresh,
        quiet=args.quiet,
        label="demo ",
        progress_interval=args.progress_interval,
    )
