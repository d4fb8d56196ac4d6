"""Batches from a pack: dataset (`PackedTokens`) -> order (`ResumableSampler`) -> this rank's micro-batches.

The pack (written by `corpusforge pack`, format in docs/token-format.md) is read only through
`corpusforge.pack.dataset`; this module adds what training needs on top of it:

- `take`: the next `count` sample indices of the endless, seeded order, across epoch boundaries.
  The sampler's position is two integers (epoch, cursor), saved in every checkpoint, so a run
  resumes mid-epoch on exactly the samples it would have seen.
- `rank_micro_batches`: how one optimizer step's samples are dealt to processes and micro-batches,
  so that K processes and one process with K times the accumulation see the same global batch.
- `validation_sets`: per `lang_tag`, a fixed set of windows from the validation split, evaluated
  in full each time (no sampling noise between evaluations).

Samples are `data.sampling = "fixed"` windows (every token a target once per epoch; most samples
start mid-document) or `"bos_aligned"` (samples start at a document's BOS; costs the dataset's
`overhead` in repeated tokens, about mean document length / (2 * seq_len)).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import torch

from corpusforge.pack.dataset import (
    PackedDataError,
    PackedTokens,
    ResumableSampler,
    read_index,
    read_manifest,
    token_stream,
)

__all__ = [
    "PackedDataError",
    "PackedTokens",
    "ResumableSampler",
    "batch",
    "rank_micro_batches",
    "read_manifest",
    "take",
    "validation_sets",
]


def take(sampler: ResumableSampler, count: int) -> list[int]:
    """The next `count` indices of the sampler's endless order (one seeded permutation per epoch).

    >>> s = ResumableSampler(5, seed=0)
    >>> first = take(s, 3); state = s.state_dict(); rest = take(s, 4)
    >>> s.load_state_dict(state); take(s, 4) == rest
    True
    """
    out: list[int] = []
    while len(out) < count:
        # A fresh iter() continues the current epoch from the cursor, or starts the next one when
        # the cursor is at the end; islice stops without drawing past what it needs.
        out.extend(itertools.islice(iter(sampler), count - len(out)))
    return out


def batch(dataset: PackedTokens, indices: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Stack the samples `indices` into (x, y), each LongTensor[len(indices), seq_len]."""
    xs, ys = zip(*(dataset[i] for i in indices), strict=True)
    return torch.stack(xs), torch.stack(ys)


def rank_micro_batches(
    global_indices: list[int], *, micro_batch_size: int, rank: int, world_size: int
) -> list[list[int]]:
    """Split one optimizer step's samples into this rank's micro-batches.

    Micro-step m of rank r gets the chunk at position m * world_size + r, so one process with
    world_size times the accumulation steps sees exactly the same global batch.

    >>> rank_micro_batches(list(range(8)), micro_batch_size=2, rank=1, world_size=2)
    [[2, 3], [6, 7]]
    """
    chunks = [global_indices[i : i + micro_batch_size] for i in range(0, len(global_indices), micro_batch_size)]
    return chunks[rank::world_size]


def validation_sets(
    path: str | Path, *, seq_len: int, windows_per_lang: int
) -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    """Per lang_tag: (x, y) of shape (n_windows, T) from that tag's validation documents.

    Each tag's documents, in stream order, are concatenated (BOS ... EOS each) and cut into at most
    `windows_per_lang` windows of seq_len + 1 tokens. A tag with fewer tokens than one window is
    evaluated on the one shorter window it has. An empty validation split gives `{}`.
    """
    manifest = read_manifest(path)
    if int(manifest["splits"].get("val", {}).get("tokens", 0)) == 0:
        return {}
    tokens = token_stream(path, "val", manifest=manifest)
    index = read_index(path, "val").select(["offset", "length", "lang_tag"]).to_pydict()
    by_tag: dict[str, list[tuple[int, int]]] = {}
    for off, length, tag in zip(index["offset"], index["length"], index["lang_tag"], strict=True):
        by_tag.setdefault(tag or "und", []).append((off, length))
    budget = windows_per_lang * seq_len + 1
    sets = {}
    for tag, docs in sorted(by_tag.items()):
        pieces, have = [], 0
        for off, length in docs:
            pieces.append(np.asarray(tokens[off : off + min(length, budget - have)], dtype=np.int64))
            have += len(pieces[-1])
            if have >= budget:
                break
        stream = torch.from_numpy(np.concatenate(pieces))
        n = (len(stream) - 1) // seq_len
        if n == 0:
            if len(stream) >= 2:
                sets[tag] = (stream[None, :-1], stream[None, 1:])
            continue
        w = stream[: n * seq_len + 1]
        sets[tag] = (w[:-1].view(n, seq_len), w[1:].view(n, seq_len))
    return sets
