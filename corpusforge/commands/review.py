"""`corpusforge sample | review | review report`: the linguists' review loop (docs/review.md)."""

from __future__ import annotations

import argparse
import json
import socket
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
        description="`corpusforge review DIR [--port N] [--host ADDR]` serves the app (127.0.0.1 by default) "
        "at an address that carries a per-launch token; "
        "`corpusforge review report DIR` writes DIR/report.html, report.json and suggested/.",
    )
    r.add_argument("review_dir", metavar="REVIEW_DIR | report | assign | export",
                   help="a review folder, or one of the words report, assign, export")  # fmt: skip
    r.add_argument(
        "report_dir", nargs="?", metavar="REVIEW_DIR", help="(after report, assign or export) the review folder"
    )
    r.add_argument("--port", type=int, default=8765, help="app: port (default 8765; 0 picks one)")
    r.add_argument(
        "--host",
        default="127.0.0.1",
        help="app: address to listen on (default 127.0.0.1). 0.0.0.0 serves a team on the LAN: every "
        "request still needs the token in the printed address, and traffic is plain HTTP",
    )
    r.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="app: another Host name the app answers to, e.g. its LAN DNS name (repeatable)",
    )
    r.add_argument("--thresholds", help="report: the thresholds directory the patch applies to (default: the one "
                   "the run used, else the shipped files as `quality thresholds init` copies them)")  # fmt: skip
    r.add_argument("--min-labels", type=int, default=20, help="report: labelled documents a change must flip "
                   "before it is proposed (default 20)")  # fmt: skip
    r.add_argument("--max-drop", type=float, default=0.10, help="report: a change removing more than this share "
                   "of a language or variety is flagged and left out of the patch (default 0.10)")  # fmt: skip
    r.add_argument("--accept-large-drops", action="store_true", help="report: put flagged changes in the patch too")
    r.add_argument("--json", action="store_true", help="report: print the precision, agreement and suggestions as JSON")
    r.add_argument("--reviewers", nargs="+", metavar="NAME", help="assign: the team")
    r.add_argument("--per-doc", type=int, default=2, help="assign: reviewers per document (default 2)")
    r.add_argument("--out", help="export: folder for labels.jsonl and labels.parquet (default REVIEW_DIR/export)")
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
    actions = {"report": _report, "assign": _assign, "export": _export}
    if args.review_dir in actions and args.report_dir:
        return actions[args.review_dir](args)
    if args.report_dir:
        print(f"error: unexpected argument {args.report_dir!r} (did you mean `review report DIR`?)", file=sys.stderr)
        return 2
    return _serve(args)


def _serve(args: argparse.Namespace) -> int:
    from corpusforge.review.guard import WILDCARD_HOSTS
    from corpusforge.review.server import make_server

    try:
        server = make_server(args.review_dir, port=args.port, host=args.host, allow_hosts=tuple(args.allow_host))
    except (FileNotFoundError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"review app: {server.url}", flush=True)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        if args.host in WILDCARD_HOSTS:
            for name in sorted({socket.getfqdn(), *args.allow_host}):
                print(f"  on the network: http://{name}:{server.server_address[1]}/?token={server.token}", flush=True)
        print(
            "  warning: anyone who has this address can read the sample and label; it travels as plain HTTP",
            flush=True,
        )
    print(f"  labels -> {args.review_dir}/labels.jsonl; Ctrl+C to stop", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _report(args: argparse.Namespace) -> int:
    from corpusforge.review.report import build

    try:
        report = build(args.report_dir, thresholds_dir=args.thresholds, min_labels=args.min_labels,
                       max_drop=args.max_drop, accept_large_drops=args.accept_large_drops)  # fmt: skip
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(report, indent=1, ensure_ascii=False, default=str))
        return 0
    for row in report["precision"]:
        p = "-" if row["precision"] is None else f"{100 * row['precision']:.0f}%"
        ci = f"{100 * row['ci_low']:.0f}-{100 * row['ci_high']:.0f}%"
        print(f"{row['lang_tag']:<12} {row['rule']:<32} judged {row['judged']:>4}  precision {p:>4}  95% CI {ci}")
    for a in report["agreement"]:
        kappa = "-" if a["kappa"] is None else f"{a['kappa']:.2f}"
        print(f"agreement {' & '.join(a['reviewers'])}: {a['n']} shared, kappa {kappa}")
    for a in report["agreement_per_rule"]:
        kappa = "-" if a["kappa"] is None else f"{a['kappa']:.2f}"
        print(f"agreement on {a['rule']}: {a['n']} documents with 2+ labels, Fleiss kappa {kappa}")
    for s in report["suggestions"]:
        if s["candidate"] is None:
            continue
        print(f"threshold {s['lang_tag']} {s['rule']}: now {s['current']:g}, candidate {s['candidate']:g}: "
              f"{s['status']} ({s['message']})")  # fmt: skip
        if s["warning"]:
            print(f"WARNING: {s['lang_tag']} {s['rule']} -> {s['candidate']:g} {s['warning']}", file=sys.stderr)
    print(f"report: {args.report_dir}/report.html" + (f"; patch: {report['patch']}" if report["patch"] else ""))
    return 0


def _assign(args: argparse.Namespace) -> int:
    from corpusforge.review.team import write_assignments

    if not args.reviewers:
        print("error: review assign needs --reviewers NAME [NAME ...]", file=sys.stderr)
        return 2
    try:
        data = write_assignments(args.report_dir, args.reviewers, args.per_doc)
    except (FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    counts = {r: sum(r in names for names in data["docs"].values()) for r in data["reviewers"]}
    print(
        f"{len(data['docs'])} documents, {args.per_doc} reviewers each: "
        + ", ".join(f"{r} {n}" for r, n in counts.items())
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpusforge.review.labels import LABELS_FILE, read_labels
    from corpusforge.review.report import load_docs
    from corpusforge.review.team import export

    try:
        docs = load_docs(Path(args.report_dir), read_labels(Path(args.report_dir) / LABELS_FILE))
        jsonl, parquet = export(args.report_dir, docs, args.out)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"labels: {jsonl} and {parquet} (join to the run on doc_id = id)")
    return 0
