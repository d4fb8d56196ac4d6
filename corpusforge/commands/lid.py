"""`corpusforge lid predict | train | eval`: the Iberian language identifier from the shell."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    lid = sub.add_parser("lid", help="language and variety identification (es, ca, ca-valencia, eu, gl, ...)")
    cmds = lid.add_subparsers(dest="lid_command", required=True)

    p = cmds.add_parser("predict", help="one text per line on stdin -> one JSON object per line on stdout")
    p.add_argument("--model", type=Path, help="a .ftz model (default: the one shipped in language_id)")
    p.add_argument("--mix", action="store_true", help="also report per-paragraph shares (lang_mix)")
    p.add_argument("--batch-size", type=int, default=4096, help="lines identified per model call")
    p.set_defaults(func=cmd_predict)

    t = cmds.add_parser("train", help="train a model from a folder of <label>.txt files")
    t.add_argument("--data", type=Path, required=True, help="folder of <label>.txt files (one text a line)")
    t.add_argument("--extra", type=Path, action="append", default=[], help="more training folders")
    t.add_argument("--out", type=Path, required=True, help="model file to write (.ftz)")
    t.add_argument("--seed", type=int, default=13, help="random seed (the same data and seed give the same model)")
    t.set_defaults(func=cmd_train)

    e = cmds.add_parser("eval", help="per-label precision, recall, F1 and confusion on a folder of <label>.txt")
    e.add_argument("--data", type=Path, required=True, help="folder of <label>.txt files (one text a line)")
    e.add_argument("--model", type=Path, help="a .ftz model (default: the one shipped in language_id)")
    e.add_argument("--tags", action="store_true", help="score tags (ca-valencia apart) instead of languages")
    e.add_argument("--json", action="store_true", help="print the scores and the confusion as JSON")
    e.set_defaults(func=cmd_eval)


def cmd_predict(args: argparse.Namespace) -> int:
    from language_id import Identifier

    ident = Identifier(args.model)
    out = sys.stdout
    batch: list[str] = []

    def flush() -> None:
        preds = ident.predict(batch)
        mixes = ident.mix(batch) if args.mix else None
        for i, pred in enumerate(preds):
            row = pred.to_json()
            if mixes is not None:
                row["lang_mix"] = mixes[i].shares
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        batch.clear()

    # Read bytes as UTF-8 with replacement: one undecodable line must not stop the stream.
    with open(sys.stdin.fileno(), encoding="utf-8", errors="replace", newline="\n", closefd=False) as stdin:
        for line in stdin:
            batch.append(line.rstrip("\r\n"))
            if len(batch) >= args.batch_size:
                flush()
    flush()
    return 0


def cmd_train(args: argparse.Namespace) -> int:
    from language_id.train import TrainConfig, train

    if not args.data.is_dir():
        print(f"error: --data {args.data} is not a folder", file=sys.stderr)
        return 2
    meta = train([args.data, *args.extra], args.out, TrainConfig(seed=args.seed))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.1f} MB); labels: {', '.join(meta['lines'])}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from language_id import Identifier
    from language_id.evaluate import load_labelled, score

    try:
        gold, texts = load_labelled(args.data)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    preds = Identifier(args.model).predict(texts)
    report = score(gold, [p.tag for p in preds], fold_variety=not args.tags)
    print(json.dumps(report.to_json(), indent=1) if args.json else report.render())
    return 0
