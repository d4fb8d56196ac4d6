"""`corpusforge refilter RUN --thresholds DIR`: new quality thresholds on a finished run's stored signals."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    r = sub.add_parser(
        "refilter",
        help="apply new quality thresholds to a finished run's stored signals (no extraction, no LID)",
        description=(
            "Rebuilds what the run's quality filter saw from the run's final output and rejected rows, "
            "decides again with --thresholds, and writes a new run directory (--out): the new final output, "
            "the funnel, and _refilter/diff.parquet (what flipped). When nothing flips, the run's output is "
            "linked as it is; otherwise the quality filter and every node after it (dedup, sinks, packing) run "
            "again on the rebuilt rows. See docs/review.md."
        ),
    )
    r.add_argument("run_dir", help="a finished run (its root: manifest.json, rejected/, the final nodes)")
    r.add_argument("--thresholds", required=True, metavar="DIR", help="a thresholds directory (a project's own, "
                   "or the suggested/ folder of `corpusforge review report`); missing keys fall back to the shipped ones")  # fmt: skip
    r.add_argument("--out", help="the new run directory (default: RUN_DIR-refilter-<hash of the thresholds>)")
    r.add_argument("--node", help="the quality filter node, when the run has several")
    r.add_argument(
        "--executor", choices=["local", "ray"], default="local", help="for the nodes run again (default local)"
    )
    r.add_argument("--ray-address", help="join an existing Ray cluster (with --executor ray)")
    r.add_argument("--num-cpus", type=int, help="CPUs for an embedded Ray (default: all)")
    r.add_argument("--quiet", action="store_true", help="no progress bars")
    r.set_defaults(func=cmd_refilter)


def cmd_refilter(args: argparse.Namespace) -> int:
    import pyarrow.parquet as pq

    from corpusforge import io, stats
    from corpusforge.refilter import refilter
    from corpusforge.refilter.diff import DIFF, summary_lines
    from corpusforge.runtime.progress import make_progress

    if not io.exists(args.run_dir):
        print(f"error: {args.run_dir}: no such run directory", file=sys.stderr)
        return 2
    manifest = refilter(
        args.run_dir,
        args.thresholds,
        out=args.out,
        node=args.node,
        executor=args.executor,
        ray_address=args.ray_address,
        num_cpus=args.num_cpus,
        progress=make_progress(quiet=args.quiet, interval_s=10.0),  # bars on a terminal, else log lines
    )
    info = manifest["refilter"]
    root = info["out"]
    print(stats.render_rows(stats.from_manifest(manifest)))
    print()
    for line in summary_lines(pq.read_table(io.join(root, DIFF))):
        print(line)
    final = info["final"]
    if info["rerun_nodes"]:
        print(f"reran {', '.join(info['rerun_nodes'])} on the stored signals ({info['order']} order within shards)")
    else:
        print("nothing flipped: the run's output stands (linked), no dedup ran")
    print(f"final output: +{final['added']} -{final['removed']} documents; diff: {root}/{DIFF}")
    print(f"new run: {root} ({info['seconds']:.1f}s); thresholds {info['thresholds_hash']}")
    return 0
