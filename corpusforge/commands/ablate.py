"""`corpusforge ablate CONFIG`: train the same small model on corpus variants; report held-out bits per byte."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    a = sub.add_parser(
        "ablate",
        help="train one model preset on corpus variants (final, before a node, random, ...) and compare "
        "held-out bits per byte per language (docs/ablate.md)",
    )
    a.add_argument("config", help="an ablation file (TOML): [ablation] settings and [[variant]] corpora")
    a.add_argument("--fresh", action="store_true", help="start over instead of reusing finished steps")
    a.set_defaults(func=cmd_ablate)


def cmd_ablate(args: argparse.Namespace) -> int:
    from corpusforge.ablate import config, report, runner

    spec = config.load(args.config)  # AblationError is a UserError: the CLI prints it, exit 2
    results = runner.run(spec, fresh=args.fresh, log=lambda msg: print(f"== {msg}", file=sys.stderr, flush=True))
    files = report.write(results, spec.ablation.out)
    summary = report.summarize(results)
    langs = sorted(results["reference"])
    print(f"{'variant':<20}" + "".join(f"{lang + ' bpb':>18}" for lang in langs))
    for name, per_lang in summary["bpb"].items():
        cells = []
        for lang in langs:
            row = per_lang.get(lang)
            if row is None:
                cells.append(f"{'-':>18}")
            elif name == summary["baseline"]:
                cells.append(f"{row['mean']:>18.4f}")
            else:
                mark = "*" if row["clear"] else " "
                cells.append(f"{row['mean']:>9.4f} {row['delta']:+.4f}{mark}")
        print(f"{name:<20}" + "".join(cells))
    print(f"\n* a difference to {summary['baseline']} larger than the spread over seeds")
    print(f"report: {files['html']}; everything: {files['json']}")
    return 0
