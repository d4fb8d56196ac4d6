"""`corpusforge card RUN`: write a Hugging Face dataset card (README.md) and charts for a finished run."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    c = sub.add_parser("card", help="write a Hugging Face dataset card (README.md + charts) for a finished run")
    c.add_argument("run_dir", help="the run's root (it holds manifest.json)")
    c.add_argument("--out", help="directory of README.md and _card/ (default: the run's root)")
    c.add_argument("--license", default="other", help="the card's licence field (default: other, per-document terms)")
    c.add_argument("--name", help="the dataset's name (default: the pipeline's name)")
    c.add_argument("--no-charts", action="store_true", help="do not draw the funnel and language charts")
    c.set_defaults(func=cmd_card)


def cmd_card(args: argparse.Namespace) -> int:
    from corpusforge import io
    from corpusforge.card import write_card
    from corpusforge.rundir import RunDir

    run = RunDir(args.run_dir)
    if not io.exists(run.manifest):
        print(f"error: {run.manifest} not found: is {args.run_dir} a finished run?", file=sys.stderr)
        return 2
    try:
        result = write_card(args.run_dir, out=args.out, license_id=args.license, name=args.name,
                            charts=not args.no_charts)  # fmt: skip
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {result.readme}")
    for image in result.images.values():
        print(f"wrote {image}")
    if result.note:
        print(result.note, file=sys.stderr)
    return 0
