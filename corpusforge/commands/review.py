"""`corpusforge sample | review | review report`: the linguists' review loop (docs/review.md)."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    s = sub.add_parser(
        "sample", help="draw a stratified, reproducible review sample from a run's kept and rejected shards"
    )
    s.add_argument("run_dir", help="the pipeline root (holds manifest.json and rejected/)")
    s.add_argument("--out", required=True, help="the review folder to create (sample.parquet, sample.json)")
    s.add_argument("--seed", type=int, default=0, help="same seed, same sample (default 0)")
    s.add_argument(
        "--bands", type=int, default=5, help="score quantile bands per lang_tag x node x decision (default 5)"
    )
    s.add_argument("--per-band", type=int, default=4, help="documents per stratum (default 4)")
    s.add_argument(
        "--size",
        action="append",
        default=[],
        metavar="DECISION=N",
        help="documents per stratum for one decision: kept=6, quality=2, lang:low_score=8 (repeatable)",
    )
    s.add_argument(
        "--kept-node",
        action="append",
        metavar="NODE",
        help="node whose output counts as kept (repeatable; default: the run's sink nodes)",
    )
    s.set_defaults(func=cmd_sample)

    r = sub.add_parser(
        "review",
        help="open the review app on a sample, or `review report DIR` for the report",
        description="`corpusforge review DIR [--port N]` serves the app on 127.0.0.1; "
        "`corpusforge review report DIR` writes DIR/report.html, report.json and suggested/.",
    )
    r.add_argument("review_dir", metavar="REVIEW_DIR | report", help="a review folder, or the word `report`")
    r.add_argument("report_dir", nargs="?", metavar="REVIEW_DIR", help="(after `report`) the review folder")
    r.add_argument("--port", type=int, default=8765, help="app: port on 127.0.0.1 (default 8765; 0 picks one)")
    r.add_argument("--thresholds", help="report: folder of <lang_tag>.toml threshold files (default: the shipped ones)")
    r.add_argument(
        "--min-per-class",
        type=int,
        default=5,
        help="report: labels needed on each side (keep/reject) before a threshold is suggested (default 5)",
    )
    r.set_defaults(func=cmd_review)


def _sizes(items: list[str]) -> dict[str, int]:
    out = {}
    for item in items:
        key, sep, value = item.rpartition("=")
        if not sep or not key or not value.isdigit():
            raise ValueError(f"--size {item!r}: expected DECISION=N, e.g. kept=6 or quality=2")
        out[key] = int(value)
    return out


def cmd_sample(args: argparse.Namespace) -> int:
    from corpusforge.review.sample import SampleConfig, draw

    try:
        config = SampleConfig(
            seed=args.seed,
            bands=args.bands,
            per_band=args.per_band,
            sizes=_sizes(args.size),
            kept_nodes=tuple(args.kept_node) if args.kept_node else None,
        )
        table = draw(args.run_dir, args.out, config)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    strata = len(set(table.column("review_stratum").to_pylist())) if table.num_rows else 0
    print(f"{table.num_rows} documents in {strata} strata -> {args.out}/sample.parquet")
    print(f"next: corpusforge review {args.out}")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    if args.review_dir == "report" and args.report_dir:
        return _report(args)
    if args.report_dir:
        print(f"error: unexpected argument {args.report_dir!r} (did you mean `review report DIR`?)", file=sys.stderr)
        return 2
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    from corpusforge.review.server import make_server

    try:
        server = make_server(args.review_dir, port=args.port)
    except (FileNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    port = server.server_address[1]
    print(
        f"review app: http://127.0.0.1:{port}/  (labels -> {args.review_dir}/labels.jsonl; Ctrl+C to stop)", flush=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _report(args: argparse.Namespace) -> int:
    from importlib import resources

    from corpusforge.review.report import build

    thresholds = args.thresholds or str(resources.files("corpusforge.quality").joinpath("thresholds"))
    try:
        report = build(args.report_dir, thresholds_dir=thresholds, min_per_class=args.min_per_class)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for row in report["precision"]:
        p = "-" if row["precision"] is None else f"{100 * row['precision']:.0f}%"
        ci = f"{100 * row['ci_low']:.0f}-{100 * row['ci_high']:.0f}%"
        print(f"{row['lang_tag']:<12} {row['rule']:<32} judged {row['judged']:>4}  precision {p:>4}  95% CI {ci}")
    for a in report["agreement"]:
        kappa = "-" if a["kappa"] is None else f"{a['kappa']:.2f}"
        print(f"agreement {' & '.join(a['reviewers'])}: {a['n']} shared, kappa {kappa}")
    for s in report["suggestions"]:
        state = f"suggest {s['suggested']:g}" if s["changes"] else "keep"
        print(f"threshold {s['lang_tag']} {s['rule']}: now {s['current']}, {state} (J {s['suggested_j']:.2f})")
    print(f"report: {args.report_dir}/report.html" + (f"; patch: {report['patch']}" if report["patch"] else ""))
    return 0
