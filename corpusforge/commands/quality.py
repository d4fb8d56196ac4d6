"""`corpusforge quality calibrate | thresholds init`: per-language quality thresholds, shipped and a project's own."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    q = sub.add_parser("quality", help="quality thresholds: derive them from clean reference text")
    qsub = q.add_subparsers(dest="quality_command", metavar="ACTION")
    c = qsub.add_parser(
        "calibrate",
        help="write <lang_tag>.toml threshold files from percentiles of signals on clean text",
        description=(
            "DIR holds <lang_tag>.txt files (every --lines-per-doc consecutive non-empty lines make one "
            "document) and/or Parquet files with text and lang_tag columns. One TOML file is written per "
            "language, plus default.toml from all documents pooled; the table printed compares them with "
            "the thresholds shipped in the package ('*' marks a change of more than 5%)."
        ),
    )
    c.add_argument("--reference", required=True, metavar="DIR", help="clean reference text")
    c.add_argument("--out", required=True, metavar="DIR", help="where to write the .toml files")
    c.add_argument("--langs", nargs="*", help="only these lang_tags (default: every one in DIR)")
    c.add_argument("--lines-per-doc", type=int, default=10, help="lines per pseudo-document in .txt files")
    c.add_argument("--max-docs", type=int, default=5000, help="documents per language at most (the first ones)")
    c.add_argument("--percentile", type=float, default=0.5, help="pN for min_ rules, p(100-N) for max_ rules")
    c.add_argument("--margin", type=float, default=0.1, help="loosen each percentile by this fraction")
    c.add_argument("--no-default", action="store_true", help="do not write default.toml")
    c.add_argument(
        "--perplexity-models",
        metavar="DIR",
        help="perplexity models for max_perplexity (default: the shipped ones; derived on held-out lines)",
    )
    c.add_argument("--no-perplexity", action="store_true", help="do not derive max_perplexity")
    c.add_argument(
        "--perplexity-margin",
        type=float,
        help="loosen max_perplexity's held-out p(100-N) by this fraction (default 1.0: twice the value)",
    )
    c.set_defaults(func=cmd_calibrate)
    t = qsub.add_parser("thresholds", help="a project's own threshold files: `thresholds init DIR`")
    tsub = t.add_subparsers(dest="thresholds_command", metavar="ACTION")
    i = tsub.add_parser(
        "init",
        help="copy the shipped threshold files into DIR, to edit there and use as thresholds_dir",
        description=(
            "Copies the shipped <lang_tag>.toml files (all, or --langs) into DIR. Point the quality filter's "
            "thresholds_dir at DIR; a language or key DIR lacks falls back to the shipped value, so DIR may "
            "also hold only what a project changes. Never edit the installed package's files."
        ),
    )
    i.add_argument("dir", help="the project's thresholds directory (created)")
    i.add_argument(
        "--langs", nargs="*", help="only these lang_tags (default: every shipped file, default.toml included)"
    )
    i.set_defaults(func=cmd_thresholds_init)
    t.set_defaults(func=lambda args: _usage(t))
    q.set_defaults(func=lambda args: _usage(q))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def cmd_calibrate(args: argparse.Namespace) -> int:
    from pathlib import Path

    from corpusforge.quality import calibrate
    from corpusforge.quality.perplexity import PerplexityScorer
    from corpusforge.quality.rules import DEFAULT_TAG

    docs = calibrate.read_reference(args.reference, lines_per_doc=args.lines_per_doc)
    if not docs:
        print(f"error: no <lang_tag>.txt or .parquet reference files in {args.reference}", file=sys.stderr)
        return 2
    tags = args.langs or sorted(docs)
    missing = [t for t in tags if t not in docs]
    if missing:
        print(f"error: no reference text for {', '.join(missing)} in {args.reference}", file=sys.stderr)
        return 2
    chosen = {t: docs[t][: args.max_docs] for t in tags}
    if not args.no_default:
        pooled = [d for t in sorted(docs) for d in docs[t][: args.max_docs // max(len(docs), 1) or 1]]
        chosen[DEFAULT_TAG] = pooled
    scorer = None if args.no_perplexity else PerplexityScorer(args.perplexity_models)
    heldout = calibrate.read_heldout(args.reference, lines_per_doc=args.lines_per_doc) if scorer else {}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    shipped = calibrate.shipped_or_empty(None)
    source = Path(args.reference).name
    for tag, tag_docs in chosen.items():
        what = f"all of {source} pooled" if tag == DEFAULT_TAG else f"{source}/{tag}"
        rules = calibrate.calibrate_language(
            tag,
            tag_docs,
            percentile=args.percentile,
            margin=args.margin,
            source=what,
            heldout_docs=heldout.get(tag, [])[: args.max_docs],
            scorer=scorer,
            rule_margins={"max_perplexity": args.perplexity_margin} if args.perplexity_margin is not None else None,
        )
        header = (
            f"Quality thresholds for lang_tag {tag!r}, written by `corpusforge quality calibrate`.\n"
            f"min_<signal> rejects q_<signal> below the value, max_<signal> above; first failing rule wins.\n"
            f"Reference: {what}, {len(tag_docs)} documents of {args.lines_per_doc} lines; "
            f"percentile {args.percentile:g}, margin {args.margin:g}."
        )
        path = out / f"{tag}.toml"
        path.write_text(calibrate.render_toml(tag, rules, header=header), encoding="utf-8")
        print(f"{path}: {len(rules)} rules from {len(tag_docs)} documents (shipped -> derived)")
        for line in calibrate.compare(tag, rules, shipped):
            print(line)
    return 0


def cmd_thresholds_init(args: argparse.Namespace) -> int:
    import shutil
    from pathlib import Path

    from corpusforge.quality.rules import shipped_dir

    shipped = {p.stem: p for p in sorted(shipped_dir().glob("*.toml"))}
    tags = args.langs or list(shipped)
    unknown = [t for t in tags if t not in shipped]
    if unknown:
        print(f"error: no shipped thresholds for {', '.join(unknown)} (shipped: {', '.join(shipped)}); "
              "write <lang_tag>.toml yourself: keys it lacks come from default.toml", file=sys.stderr)  # fmt: skip
        return 2
    out = Path(args.dir)
    present = [t for t in tags if (out / f"{t}.toml").exists()]
    if present:
        print(f"error: {out} already has {', '.join(f'{t}.toml' for t in present)}; not overwritten", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)
    for tag in tags:
        shutil.copyfile(shipped[tag], out / f"{tag}.toml")
    print(f"copied {len(tags)} threshold file(s) to {out}; set thresholds_dir = {str(out)!r} on the quality filter")
    return 0
