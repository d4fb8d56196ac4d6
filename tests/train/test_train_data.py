"""The data path over a pack: per-rank micro-batches, validation windows per lang_tag, an empty val split."""

from __future__ import annotations

import pytest
import torch

from corpusforge.pack.dataset import read_index, token_stream
from corpusforge.pack.shard_tokens import PackOptions
from corpusforge.pack.writer import pack
from corpusforge.train.config import load_config
from corpusforge.train.data import rank_micro_batches, validation_sets
from corpusforge.train.loop import train
from corpusforge.train.metrics import read


def test_ranks_and_accumulation_deal_the_same_global_batch():
    batch = list(range(12))
    one = rank_micro_batches(batch, micro_batch_size=2, rank=0, world_size=1)
    three = [rank_micro_batches(batch, micro_batch_size=2, rank=r, world_size=3) for r in range(3)]
    assert sorted(i for mb in one for i in mb) == sorted(i for r in three for mb in r for i in mb) == batch
    assert all(len(r) == 2 for r in three)  # 6 micro-batches over 3 ranks: 2 accumulation steps each


def test_validation_windows_come_from_each_languages_own_documents(packed_corpus):
    sets = validation_sets(packed_corpus, seq_len=32, windows_per_lang=3)
    index = read_index(packed_corpus, "val").to_pydict()
    stream = token_stream(packed_corpus, "val")
    for tag, (x, y) in sets.items():
        assert x.shape == y.shape and x.shape[1] == 32 and 1 <= len(x) <= 3
        assert torch.equal(x[:, 1:], y[:, :-1])
        # The first window starts at the tag's first document (its BOS), wherever that lies in the stream.
        first = index["lang_tag"].index(tag)
        start = index["offset"][first]
        assert torch.equal(x[0], torch.from_numpy(stream[start : start + 32].astype("int64")))


def test_a_pack_without_validation_documents_trains_without_evaluations(packed_corpus, tmp_path):
    shards = sorted(str(p) for p in (packed_corpus.parent / "shards").glob("*.parquet"))
    noval = tmp_path / "noval"
    manifest = pack(
        shards,
        tokenizer_dir=packed_corpus.parent / "tokenizer",
        out=noval,
        options=PackOptions(seq_len=32, val_fraction=0.0),
    )
    assert manifest["splits"]["val"]["tokens"] == 0 and (noval / "val.bin").stat().st_size == 0
    assert len(token_stream(noval, "val")) == 0  # np.memmap refuses an empty file; the reader does not
    assert validation_sets(noval, seq_len=32, windows_per_lang=4) == {}
    config = load_config(
        "tiny",
        overrides=[f"data.path='{noval}'", f"run.out_dir='{tmp_path / 'run'}'", "run.steps=2", "data.seq_len=32",
                   "data.micro_batch_size=2", "run.threads=1", "run.log_every=1", "run.sample_tokens=0"],
    )  # fmt: skip
    summary = train(config)
    assert summary["eval"] is None and sorted(summary["losses"]) == [1, 2]
    assert {r["kind"] for r in read(tmp_path / "run")} == {"train"}


def test_bf16_autocast_path_runs_on_cpu(packed_corpus, tmp_path):
    """The precision GPUs use (bf16 autocast, fp32 master weights) also runs on CPU, close to fp32."""

    def losses(precision):
        overrides = [f"data.path='{packed_corpus}'", f"run.out_dir='{tmp_path / precision}'", "run.steps=3",
                     "data.seq_len=32", "data.micro_batch_size=4", "run.threads=1", "run.eval_every=0",
                     "run.sample_tokens=0", f"run.precision='{precision}'", "run.device='cpu'"]  # fmt: skip
        return train(load_config("tiny", overrides=overrides))["losses"]

    fp32, bf16 = losses("fp32"), losses("bf16")
    assert fp32 != bf16  # autocast really ran in bf16
    assert list(bf16.values()) == pytest.approx(list(fp32.values()), rel=0.02)
