"""A PyTorch `Dataset` over packed token streams, and a sampler whose position can be saved.

Two ways to cut the stream (`{split}.bin`: documents back to back, each `BOS ... EOS`) into
training samples of `seq_len` inputs and `seq_len` targets (y = x shifted by one):

- `mode="fixed"`: non-overlapping windows at multiples of `seq_len`, crossing document boundaries.
  Every token is a target once per epoch (bar the last partial window, < seq_len tokens), so it is
  the cheapest; but most samples start mid-document, with context the model cannot use.
- `mode="bos_aligned"`: every sample starts at a document's BOS, except continuations of a document
  longer than a sample. A window still runs on into the next documents (no padding, no masking);
  the next window starts again at the start of the document the previous one cut, so that
  document's head is trained on twice, and the BOS opening a sample is never a target. `overhead`
  measures the cost: extra target tokens per epoch over the stream size, about
  mean document length / (2 * seq_len) (~20% for 50-token documents at seq_len 128).

Random access goes through a read-only `np.memmap`: opening is O(1), a sample reads 2 * (seq_len + 1)
bytes (uint16) or 4 * (seq_len + 1) (uint32) from the page cache. Workers of a DataLoader each
open their own map lazily, so the dataset pickles cheaply.

>>> ds = PackedTokens("runs/demo/tokens", split="train", seq_len=256)  # doctest: +SKIP
>>> sampler = ResumableSampler(len(ds), seed=0)  # doctest: +SKIP
>>> loader = torch.utils.data.DataLoader(ds, batch_size=8, sampler=sampler)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import torch
from torch.utils.data import Dataset, Sampler

FORMAT = "corpusforge.tokens"
MODES = ("fixed", "bos_aligned")


class PackedDataError(ValueError):
    """A directory that is not a corpusforge.tokens pack, or a split too small for one sample."""


def read_manifest(path: str | Path) -> dict[str, Any]:
    file = Path(path) / "manifest.json"
    if not file.exists():
        raise PackedDataError(f"{path}: no manifest.json (pack a corpus with `corpusforge pack`)")
    manifest = json.loads(file.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise PackedDataError(f"{file}: format {manifest.get('format')!r}, expected {FORMAT!r}")
    if manifest.get("empty"):
        raise PackedDataError(f"{path} is an empty pack ({manifest.get('reason')}): there are no tokens to read")
    return manifest


def read_index(path: str | Path, split: str = "train") -> pa.Table:
    """The split's document index: offset, length (tokens, specials included), lang_tag, source, doc_id."""
    file = Path(path) / f"{split}.idx.parquet"
    if not file.exists():
        raise PackedDataError(f"{file} is missing")
    return pq.read_table(file)


def token_stream(path: str | Path, split: str = "train", *, manifest: dict[str, Any] | None = None) -> np.ndarray:
    """The split's whole stream as a read-only memmap; an empty array for an empty split.

    np.memmap refuses an empty file, and a small pack can have an empty `val.bin` (no document
    drew the validation side), so that case returns `np.zeros(0)` instead of raising.
    """
    manifest = manifest if manifest is not None else read_manifest(path)
    dtype = np.dtype(manifest["dtype"]).newbyteorder("<")
    file = Path(path) / f"{split}.bin"
    if not file.exists():
        raise PackedDataError(f"{file} is missing")
    expected = int(manifest["splits"][split]["tokens"])
    tokens = np.memmap(file, dtype=dtype, mode="r") if file.stat().st_size else np.zeros(0, dtype=dtype)
    if len(tokens) != expected:
        raise PackedDataError(f"{file}: {len(tokens)} tokens, the manifest says {expected}")
    return tokens


def bos_aligned_starts(offsets: np.ndarray, lengths: np.ndarray, *, seq_len: int) -> np.ndarray:
    """Start positions of BOS-aligned samples (see the module doc); each reads seq_len + 1 tokens."""
    total = int(offsets[-1] + lengths[-1]) if len(offsets) else 0
    starts = []
    s = 0
    while s + seq_len + 1 <= total:
        starts.append(s)
        last = s + seq_len  # the last target token of this sample
        j = int(np.searchsorted(offsets, last, side="right")) - 1
        doc_end = int(offsets[j] + lengths[j])
        if doc_end == last + 1:  # the window ends with a whole document
            s = doc_end
        elif offsets[j] <= s:  # a document longer than one window: continue it
            s = last
        else:  # restart at the document the window cut, so it is seen from its BOS
            s = int(offsets[j])
    return np.asarray(starts, dtype=np.int64)


class PackedTokens(Dataset):
    """Samples of `seq_len` tokens from one split of a pack: `ds[i] -> (x, y)`, LongTensors."""

    def __init__(self, path: str | Path, split: str = "train", *, seq_len: int, mode: str = "fixed") -> None:
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.path, self.split, self.seq_len, self.mode = Path(path), split, seq_len, mode
        manifest = read_manifest(path)
        self.dtype = np.dtype(manifest["dtype"]).newbyteorder("<")
        self.bos_id, self.eos_id = int(manifest["bos_id"]), int(manifest["eos_id"])
        self.total_tokens = int(manifest["splits"][split]["tokens"])
        self._tokens: np.ndarray | None = None
        if mode == "fixed":
            self._starts = None
            self._n = max(0, (self.total_tokens - 1) // seq_len)
        else:
            index = read_index(path, split)
            offsets = index.column("offset").to_numpy()
            self._starts = bos_aligned_starts(offsets, index.column("length").to_numpy(), seq_len=seq_len)
            self._n = len(self._starts)
        if self._n == 0:
            raise PackedDataError(f"{path}/{split}.bin has {self.total_tokens} tokens, fewer than one sample")

    @property
    def overhead(self) -> float:
        """Extra target tokens per epoch over the stream's size (0 for fixed windows, >= 0 aligned)."""
        return self._n * self.seq_len / max(1, self.total_tokens - 1) - 1.0 if self.mode == "bos_aligned" else 0.0

    def tokens(self) -> np.ndarray:
        """The split's whole stream as a read-only memmap (opened on first use in each process)."""
        if self._tokens is None:
            self._tokens = token_stream(self.path, self.split)
        return self._tokens

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i: int) -> tuple[torch.Tensor, torch.Tensor]:
        if not 0 <= i < self._n:
            raise IndexError(f"sample {i} out of range ({self._n})")
        start = i * self.seq_len if self._starts is None else int(self._starts[i])
        window = torch.from_numpy(self.tokens()[start : start + self.seq_len + 1].astype(np.int64))
        return window[:-1], window[1:]

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["_tokens"] = None  # each DataLoader worker maps the file itself
        return state


class ResumableSampler(Sampler[int]):
    """Indices 0..n-1 in a seeded permutation per epoch; the position is (epoch, cursor).

    Each `iter()` yields the rest of the current epoch, then moves to the next epoch. After
    `state_dict()`, a fresh sampler given `load_state_dict()` yields exactly what this one would
    have yielded next, mid-epoch included. The cursor counts indices handed out: a DataLoader with
    workers draws a few batches ahead, so save the state when your loop has consumed them (or use
    the sampler directly to build batches).

    >>> s = ResumableSampler(6, seed=1); it = iter(s); _ = [next(it) for _ in range(4)]
    >>> t = ResumableSampler(6, seed=1); t.load_state_dict(s.state_dict())
    >>> list(t) == list(it)
    True
    """

    def __init__(self, n: int, *, seed: int, shuffle: bool = True) -> None:
        if n <= 0:
            raise ValueError("a sampler needs n > 0")
        self.n, self.seed, self.shuffle = n, seed, shuffle
        self.epoch, self.cursor = 0, 0

    def _order(self) -> np.ndarray:
        if not self.shuffle:
            return np.arange(self.n)
        return np.random.default_rng([self.seed, self.epoch]).permutation(self.n)

    def __iter__(self) -> Iterator[int]:
        order = self._order()
        while self.cursor < self.n:
            i = int(order[self.cursor])
            self.cursor += 1
            yield i
        self.epoch, self.cursor = self.epoch + 1, 0

    def __len__(self) -> int:
        return self.n - self.cursor  # what is left of the current epoch

    def state_dict(self) -> dict[str, int]:
        return {
            "epoch": self.epoch,
            "cursor": self.cursor,
            "n": self.n,
            "seed": self.seed,
            "shuffle": int(self.shuffle),
        }

    def load_state_dict(self, state: dict[str, int]) -> None:
        if int(state["n"]) != self.n or int(state["seed"]) != self.seed or bool(state["shuffle"]) != self.shuffle:
            raise ValueError(
                f"sampler state is for n={state['n']}, seed={state['seed']}, shuffle={bool(state['shuffle'])}; "
                f"this sampler has {self.n}, {self.seed}, {self.shuffle}"
            )
        self.epoch, self.cursor = int(state["epoch"]), int(state["cursor"])
