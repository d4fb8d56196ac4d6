"""`corpusforge pack`: tokenise a run's documents into train/val token streams (docs/token-format.md)."""

from __future__ import annotations

import argparse
import json
import sys

from corpusforge.commands._args import add_input


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    # Options that are pack.tokens.v1's parameters default to None here: the stage's config fills them.
    p = sub.add_parser("pack", help="tokenise documents into flat token streams with an index and a manifest")
    add_input(p, "run dir, directory or glob of Parquet shards (text, lang_tag)")
    p.add_argument("--tokenizer", required=True, help="directory with tokenizer.json")
    p.add_argument("--out", required=True, help="output directory (local)")
    p.add_argument("--seq-len", type=int, required=True, help="training sample length, recorded in the manifest")
    p.add_argument("--seed", type=int, help="seed of the split, the mixture draws and the shuffle (0)")
    p.add_argument("--val-fraction", type=float, help="share of documents in the validation split (0.01)")
    p.add_argument("--mixture", default="", help="train weights per lang_tag, e.g. es=0.5,eu=2 (default 1 each)")
    p.add_argument("--max-doc-tokens", type=int, help="longer documents are skipped, counted (1000000)")
    p.add_argument("--executor", choices=["ray", "local"], default="ray", help="parallel tokenisation (default ray)")
    p.add_argument("--num-cpus", type=int, help="CPUs for the embedded Ray (default: all)")
    p.add_argument("--ray-address", help="join an existing Ray cluster")
    p.add_argument("--fresh", action="store_true", help="remove a previous pack in --out first")
    p.add_argument("--megatron", action="store_true", help="also write Megatron-LM {split}.idx files")
    p.set_defaults(func=cmd_pack)


def parse_mixture(text: str) -> dict[str, float]:
    """ "es=0.5,eu=2" -> {"es": 0.5, "eu": 2.0}; ValueError on a malformed entry."""
    out = {}
    for item in filter(None, (s.strip() for s in text.split(","))):
        tag, sep, weight = item.partition("=")
        if not sep or not tag or float(weight) < 0:
            raise ValueError(f"bad mixture entry {item!r}: expected lang_tag=weight with weight >= 0")
        out[tag.strip()] = float(weight)
    return out


def cmd_pack(args: argparse.Namespace) -> int:
    from pydantic import ValidationError

    from corpusforge.pack.sources import SourceError, find_shards
    from corpusforge.pack.tokenizer import TokenizerError
    from corpusforge.pack.writer import PackError, pack
    from corpusforge.runtime import make_executor
    from corpusforge.stages.pack import PackTokensConfig

    given = {
        "seq_len": args.seq_len,
        "seed": args.seed,
        "val_fraction": args.val_fraction,
        "max_doc_tokens": args.max_doc_tokens,
        "megatron": args.megatron,
    }
    try:
        shards = find_shards(args.input)
        config = PackTokensConfig(
            tokenizer=args.tokenizer,
            mixture=parse_mixture(args.mixture),
            **{k: v for k, v in given.items() if v is not None},
        )
    except ValidationError as exc:
        err = exc.errors()[0]
        print(f"error: --{str(err['loc'][0]).replace('_', '-')}: {err['msg']}", file=sys.stderr)
        return 2
    except (SourceError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    executor = make_executor(args.executor, ray_address=args.ray_address, num_cpus=args.num_cpus)
    try:
        manifest = pack(
            shards,
            tokenizer_dir=args.tokenizer,
            out=args.out,
            options=config.to_options(),
            map_fn=executor.map,
            num_workers=executor.num_workers,
            fresh=args.fresh,
            megatron=config.megatron,
        )
    except (PackError, TokenizerError, SourceError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        executor.close()
    summary = {s: {k: v for k, v in info.items() if k != "files"} for s, info in manifest["splits"].items()}
    print(
        json.dumps(
            {"out": args.out, "dtype": manifest["dtype"], "splits": summary, "skipped": manifest["skipped"]},
            indent=1,
            ensure_ascii=False,
        )
    )
    return 0
