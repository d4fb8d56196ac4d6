"""`corpusforge tokenizer train | report`: a language-balanced byte-level BPE and its fertility."""

from __future__ import annotations

import argparse
import json
import sys

from corpusforge.commands._args import add_input


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("tokenizer", help="train a language-balanced BPE tokenizer; report its fertility")
    tsub = p.add_subparsers(dest="tokenizer_command", metavar="ACTION", required=True)

    t = tsub.add_parser("train", help="train tokenizer.json on a temperature-balanced sample of a run's documents")
    add_input(t, "run dir, directory or glob of Parquet shards (text, lang_tag)")
    t.add_argument("--vocab-size", type=int, required=True, help="entries including 3 specials and 256 bytes")
    t.add_argument("--out", required=True, help="directory for tokenizer.json and tokenizer_meta.json")
    t.add_argument("--temperature", type=float, default=3.0, help="language balance: 1 = as found, large = uniform")
    t.add_argument("--sample-chars", type=int, default=50_000_000, help="characters in the training sample")
    t.add_argument("--seed", type=int, default=0, help="random seed of the sample")
    t.add_argument("--heldout-permille", type=int, default=20, help="documents kept out of training, for `report`")
    t.add_argument("--langs", help="comma-separated lang_tags to train on (default: all)")
    t.set_defaults(func=cmd_train)

    r = tsub.add_parser("report", help="fertility per language on held-out text, versus a Spanish-only tokenizer")
    add_input(r, "the input the tokenizer was trained on")
    r.add_argument("--tokenizer", required=True, help="directory with tokenizer.json")
    r.add_argument("--baseline", help="tokenizer to compare with (default: train a --baseline-lang one now)")
    r.add_argument("--baseline-lang", default="es", help="lang_tag the baseline tokenizer is trained on")
    r.add_argument("--max-docs", type=int, default=2000, help="held-out documents per language")
    r.add_argument("--json", action="store_true", help="print the report as JSON")
    r.set_defaults(func=cmd_report)


def cmd_train(args: argparse.Namespace) -> int:
    from corpusforge.pack import tokenizer as tk
    from corpusforge.pack.sources import SourceError, find_shards

    try:
        meta = tk.train(
            find_shards(args.input),
            out=args.out,
            vocab_size=args.vocab_size,
            temperature=args.temperature,
            sample_chars=args.sample_chars,
            seed=args.seed,
            heldout_permille=args.heldout_permille,
            langs=args.langs.split(",") if args.langs else None,
        )
    except (SourceError, tk.TokenizerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(meta["sampled_chars"].values()) or 1
    print(f"wrote {args.out}/{tk.TOKENIZER_FILE} (vocab {meta['vocab_size']}); sample by language:")
    for lang, chars in meta["sampled_chars"].items():
        print(f"  {lang:<14}{chars:>14,} chars  {chars / total:6.1%}  (corpus {meta['corpus_chars'][lang]:,})")
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from corpusforge.pack import fertility
    from corpusforge.pack.sources import SourceError, find_shards
    from corpusforge.pack.tokenizer import TokenizerError

    try:
        result = fertility.report(
            find_shards(args.input),
            tokenizer_dir=args.tokenizer,
            baseline_dir=args.baseline,
            baseline_lang=args.baseline_lang,
            max_docs_per_lang=args.max_docs,
        )
    except (SourceError, TokenizerError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(result, indent=1, ensure_ascii=False) if args.json else fertility.render(result))
    return 0
