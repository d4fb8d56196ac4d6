"""`corpusforge dedup plan`: the LSH bands and rows for a Jaccard threshold, and their S-curve."""

from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    d = sub.add_parser("dedup", help="near-duplicate tools: `dedup plan` shows LSH parameters")
    dsub = d.add_subparsers(dest="dedup_command", metavar="SUBCOMMAND")
    p = dsub.add_parser("plan", help="bands x rows for a threshold, with the false-positive/negative curve")
    # Defaults are those of dedup.minhash.v1's config, which takes them from the dedup library.
    from dedup import DedupSpec, MinhashParams

    spec, params = DedupSpec(), MinhashParams()
    p.add_argument(
        "--threshold", type=float, default=spec.threshold, help=f"Jaccard similarity of a duplicate ({spec.threshold})"
    )
    p.add_argument("--num-perm", type=int, default=params.num_perm, help=f"MinHash permutations ({params.num_perm})")
    p.add_argument("--no-verify", action="store_true", help="plan for runs without candidate verification")
    p.add_argument("--bands", type=int, help="force the number of bands (with --rows)")
    p.add_argument("--rows", type=int, help="force the rows per band (with --bands)")
    p.add_argument("--json", action="store_true", help="print bands, rows, error areas and the curve as JSON")
    p.set_defaults(func=cmd_plan)
    d.set_defaults(func=lambda args: d.print_help() or 2)


def cmd_plan(args: argparse.Namespace) -> int:
    from dedup.lsh import VERIFIED_FN_WEIGHT, choose_bands, curve, error_areas

    if not 0.0 < args.threshold < 1.0:
        print("error: --threshold must be between 0 and 1", file=sys.stderr)
        return 2
    if (args.bands is None) != (args.rows is None):
        print("error: give both --bands and --rows, or neither", file=sys.stderr)
        return 2
    if args.bands:
        bands, rows = args.bands, args.rows
        if bands * rows > args.num_perm:
            print(f"error: bands x rows = {bands * rows} exceeds --num-perm {args.num_perm}", file=sys.stderr)
            return 2
    else:
        weight = 0.5 if args.no_verify else VERIFIED_FN_WEIGHT
        bands, rows = choose_bands(args.threshold, args.num_perm, fn_weight=weight)
    fp, fn = error_areas(args.threshold, bands=bands, rows=rows)
    if args.json:
        points = [{"jaccard": s, "p_candidate": p} for s, p in curve(args.threshold, bands=bands, rows=rows)]
        print(json.dumps({"threshold": args.threshold, "num_perm": args.num_perm, "bands": bands, "rows": rows,
                          "verified": not args.no_verify, "fp_area": fp, "fn_area": fn, "curve": points}))  # fmt: skip
        return 0
    print(f"threshold {args.threshold}  num_perm {args.num_perm}  ->  bands {bands} x rows {rows} "
          f"(uses {bands * rows} values)")  # fmt: skip
    print("P(candidate | Jaccard s) = 1 - (1 - s^rows)^bands")
    print(f"false-positive area below threshold {fp:.4f}, false-negative area above {fn:.4f}")
    print(f"\n{'Jaccard':>8}  {'P(candidate)':>12}  {'error':>8}")
    for s, prob in curve(args.threshold, bands=bands, rows=rows):
        kind = "FP" if s < args.threshold else "FN"
        err = prob if s < args.threshold else 1.0 - prob
        print(f"{s:8.2f}  {prob:12.4f}  {kind} {err:.4f}")
    if args.no_verify:
        print("\nwithout verification every candidate is a duplicate: the FP column is the false-merge rate")
    else:
        std = (args.threshold * (1 - args.threshold) / args.num_perm) ** 0.5
        print(f"\ncandidates are verified on their estimated Jaccard (std {std:.3f} at the threshold), which "
              "removes most false positives; misses are final, so the curve favours recall")  # fmt: skip
    return 0
