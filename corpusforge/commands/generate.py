"""`corpusforge generate --checkpoint DIR --prompt TEXT`: sample text from a trained model."""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("generate", help="sample text from a training checkpoint (or a run's latest one)")
    p.add_argument("--checkpoint", required=True, help="checkpoint directory, or a run directory (latest checkpoint)")
    p.add_argument("--prompt", default="", help="text to continue")
    p.add_argument("--max-new-tokens", type=int, default=64, help="tokens to generate per sample")
    p.add_argument("--temperature", type=float, default=0.8, help="0 = greedy")
    p.add_argument("--top-k", type=int, default=50, help="sample among the k most likely tokens (0: all)")
    p.add_argument("--num-samples", type=int, default=1, help="continuations to print")
    p.add_argument("--seed", type=int, default=0, help="random seed (the same seed gives the same samples)")
    p.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1 ...")
    p.set_defaults(func=cmd_generate)


def cmd_generate(args: argparse.Namespace) -> int:
    try:
        import torch  # noqa: F401
    except ImportError:
        print("error: generation needs PyTorch: pip install 'corpusforge[train]'", file=sys.stderr)
        return 2
    from corpusforge.train.checkpoint import CheckpointError
    from corpusforge.train.generate import load_checkpoint, sample_text

    try:
        model, info = load_checkpoint(args.checkpoint, device=args.device)
    except (FileNotFoundError, CheckpointError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"checkpoint: {info['checkpoint']}", file=sys.stderr)
    for i in range(args.num_samples):
        text = sample_text(
            model,
            tokenizer_path=info["tokenizer"],
            tokens=info["tokens"],
            prompt=args.prompt,
            max_new_tokens=args.max_new_tokens,
            temperature=args.temperature,
            top_k=args.top_k,
            seed=args.seed + i,
        )
        print(text if args.num_samples == 1 else f"--- sample {i + 1}\n{text}")
    return 0
