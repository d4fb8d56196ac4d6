"""Sample text from a trained model, so a trainer can read what it learnt.

    >>> model, info = load_checkpoint("runs/train/tiny")  # doctest: +SKIP
    >>> print(sample_text(model, tokenizer_path=info["tokenizer"], tokens=info["tokens"], prompt="La ciutat "))

The prompt is encoded without special tokens and preceded by the context in which the model saw
documents begin: in a pack every document is `BOS ... EOS`, so after fixed windows (which cross
documents) that is the previous document's EOS then BOS, and after BOS-aligned samples a BOS at
position 0. Sampling is temperature + top-k and stops at EOS, one full forward per token (no KV
cache: fine for the short samples this is for).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import torch

from corpusforge.train import checkpoint
from corpusforge.train.config import config_from_dict
from corpusforge.train.model import Transformer


def load_checkpoint(path: str | Path, *, device: str = "cpu") -> tuple[Transformer, dict[str, Any]]:
    """The model of a checkpoint (or of a run's latest one) in eval mode, and what sampling needs."""
    ckpt = checkpoint.resolve(path)
    raw = json.loads((ckpt / "config.json").read_text(encoding="utf-8"))
    tokens = raw.pop("tokens", {})
    config = config_from_dict(raw, origin=str(ckpt / "config.json"))
    model = Transformer(config.model)
    model.load_state_dict(checkpoint.load(ckpt, part="model"))
    model.to(device).eval()
    return model, {"checkpoint": ckpt, "tokenizer": ckpt / "tokenizer.json", "tokens": tokens, "config": config}


def document_start(tokens: dict[str, Any]) -> list[int]:
    """Token ids that precede a document's first token in training (see the module doc)."""
    bos, eos = tokens.get("bos_id"), tokens.get("eos_id")
    if bos is None or tokens.get("bos_per_document") is False:
        return [eos] if eos is not None else []
    if tokens.get("sampling") == "bos_aligned" or eos is None:
        return [bos]
    return [eos, bos]


def sample_text(
    model: Transformer,
    *,
    tokenizer_path: str | Path,
    tokens: dict[str, Any],
    prompt: str,
    max_new_tokens: int = 64,
    temperature: float = 0.8,
    top_k: int = 50,
    seed: int = 0,
) -> str:
    """Prompt + sampled continuation as text; stops early at EOS. Restores the model's train/eval mode."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(tokenizer_path))
    eos = tokens.get("eos_id")
    prefix = document_start(tokens)
    ids = prefix + tokenizer.encode(prompt, add_special_tokens=False).ids
    device = next(model.parameters()).device
    generator = torch.Generator(device=device).manual_seed(seed)
    was_training = model.training
    model.eval()
    try:
        out = model.generate(
            torch.tensor([ids], dtype=torch.long, device=device),
            max_new_tokens=max_new_tokens,
            temperature=temperature,
            top_k=top_k,
            stop_id=eos,
            generator=generator,
        )
    finally:
        model.train(was_training)
    return tokenizer.decode(out[0, len(prefix) :].tolist(), skip_special_tokens=True)
