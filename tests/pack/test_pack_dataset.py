"""The PyTorch dataset over packed streams and the resumable sampler."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from corpusforge.pack.dataset import (
    PackedDataError,
    PackedTokens,
    ResumableSampler,
    bos_aligned_starts,
    read_index,
)
from corpusforge.pack.shard_tokens import PackOptions
from corpusforge.pack.writer import pack


@pytest.fixture(scope="module")
def packed(corpus: list[str], tokenizer_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("packed")
    pack(corpus, tokenizer_dir=tokenizer_dir, out=out, options=PackOptions(seq_len=32, val_fraction=0.1))
    return out


def test_fixed_windows_tile_the_stream(packed: Path) -> None:
    ds = PackedTokens(packed, "train", seq_len=32)
    stream = np.fromfile(packed / "train.bin", dtype="<u2")
    assert len(ds) == (len(stream) - 1) // 32 and ds.overhead == 0.0
    xs, ys = zip(*(ds[i] for i in range(len(ds))), strict=True)
    x, y = torch.cat(xs), torch.cat(ys)
    assert x.dtype == torch.long and xs[0].shape == (32,)
    assert torch.equal(x, torch.from_numpy(stream[: len(x)].astype(np.int64)))
    assert torch.equal(y, torch.from_numpy(stream[1 : len(x) + 1].astype(np.int64)))
    with pytest.raises(IndexError):
        ds[len(ds)]


def test_bos_aligned_samples_start_at_documents(packed: Path) -> None:
    ds = PackedTokens(packed, "train", seq_len=256, mode="bos_aligned")
    index = read_index(packed, "train")
    offsets = index.column("offset").to_numpy()
    lengths = index.column("length").to_numpy()
    starts = bos_aligned_starts(offsets, lengths, seq_len=256)
    doc_starts = set(offsets.tolist())
    long_doc_interiors = 0
    for i, s in enumerate(starts):
        x, y = ds[i]
        assert torch.equal(x[1:], y[:-1])
        if s in doc_starts:
            assert x[0].item() == ds.bos_id
        else:  # only continuations of a document longer than one sample start inside it
            j = int(np.searchsorted(offsets, s, side="right")) - 1
            assert lengths[j] > 256
            long_doc_interiors += 1
    assert long_doc_interiors < len(starts) // 4
    # Every token but the BOS that opens a sample is a target; the overhead counts repeated ones.
    covered = np.zeros(int(lengths.sum()), dtype=bool)
    for s in starts:
        covered[s + 1 : s + 257] = True
    covered[starts] |= np.isin(starts, offsets)
    assert covered[: starts[-1] + 257].all()
    assert ds.overhead > 0


def test_bos_aligned_starts_by_hand() -> None:
    # documents of 10, 3, 40 and 5 tokens, samples of 8 (each reads 9 tokens)
    offsets, lengths = np.array([0, 10, 13, 53]), np.array([10, 3, 40, 5])
    starts = bos_aligned_starts(offsets, lengths, seq_len=8)
    # 0: doc 0 is longer -> continue at 8; 8..16 cuts doc 2 (starts 13) -> restart at 13;
    # 13 + 8 = 21 inside doc 2 (a long one) -> 21, 29, 37, 45; 45..53 ends with doc 2 -> 54 > 58 - 9 stops.
    assert starts.tolist() == [0, 8, 13, 21, 29, 37, 45]


def test_dataset_errors_and_pickling(packed: Path, tmp_path: Path) -> None:
    with pytest.raises(PackedDataError, match="manifest"):
        PackedTokens(tmp_path, seq_len=8)
    with pytest.raises(PackedDataError, match="fewer than one sample"):
        PackedTokens(packed, "val", seq_len=10**7)
    with pytest.raises(ValueError, match="mode"):
        PackedTokens(packed, seq_len=8, mode="sliding")
    ds = PackedTokens(packed, seq_len=16)
    x0, _ = ds[0]
    clone = pickle.loads(pickle.dumps(ds))
    assert torch.equal(clone[0][0], x0)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, sampler=ResumableSampler(len(ds), seed=0))
    xb, yb = next(iter(loader))
    assert xb.shape == (4, 16) and torch.equal(xb[:, 1:], yb[:, :-1])


def test_sampler_resumes_mid_epoch_exactly() -> None:
    s = ResumableSampler(10, seed=3)
    it = iter(s)
    head = [next(it) for _ in range(6)]
    state = s.state_dict()
    rest = list(it) + list(s)  # end of epoch 0, then all of epoch 1
    t = ResumableSampler(10, seed=3)
    t.load_state_dict(state)
    assert list(t) + list(t) == rest
    assert sorted(head + rest[:4]) == list(range(10))  # an epoch is a permutation
    assert sorted(rest[4:]) == list(range(10))


def test_sampler_epochs_differ_and_state_must_match() -> None:
    s = ResumableSampler(50, seed=0)
    assert list(s) != list(s)
    assert list(ResumableSampler(5, seed=0, shuffle=False)) == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="sampler state"):
        ResumableSampler(51, seed=0).load_state_dict(s.state_dict())
