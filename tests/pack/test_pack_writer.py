"""Packing: format, counts, round trip through the stream, determinism, split, mixture, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pack_fixtures import SKEWED, documents, nfc, write_shards

from corpusforge.pack import megatron
from corpusforge.pack import tokenizer as tk
from corpusforge.pack.shard_tokens import SKIP_TOO_LONG, PackOptions
from corpusforge.pack.writer import PackError, dtype_for, pack


def _pack(corpus: list[str], tokenizer_dir: Path, out: Path, **opts: Any) -> dict[str, Any]:
    return pack(corpus, tokenizer_dir=tokenizer_dir, out=out, options=PackOptions(seq_len=64, **opts))


def _stream(out: Path, split: str, dtype: str) -> np.ndarray:
    return np.fromfile(out / f"{split}.bin", dtype=np.dtype(dtype).newbyteorder("<"))


def test_format_index_and_round_trip(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    m = _pack(corpus, tokenizer_dir, tmp_path, val_fraction=0.1)
    loaded = tk.load(tokenizer_dir)
    assert m["format"] == "corpusforge.tokens" and m["version"] == 1 and m["dtype"] == "uint16"
    assert (m["bos_id"], m["eos_id"], m["pad_id"], m["vocab_size"]) == (0, 1, 2, 600)
    assert m["tokenizer_sha256"] == loaded.sha256
    assert tk.load(tmp_path / "tokenizer").sha256 == loaded.sha256
    assert json.loads((tmp_path / "manifest.json").read_text()) == m
    texts = {doc_id: text for doc_id, _, text in documents(docs_per_lang=SKEWED)}
    seen: set[str] = set()
    for split in ("train", "val"):
        stream = _stream(tmp_path, split, m["dtype"])
        index = pq.read_table(tmp_path / f"{split}.idx.parquet")
        assert index.schema.field("offset").type == pa.int64() and index.schema.field("length").type == pa.int64()
        offsets, lengths = index.column("offset").to_numpy(), index.column("length").to_numpy()
        assert offsets[0] == 0 and np.array_equal(offsets[1:], np.cumsum(lengths)[:-1])
        assert lengths.sum() == len(stream) == m["splits"][split]["tokens"]
        assert index.num_rows == m["splits"][split]["documents"]
        assert sum(m["splits"][split]["tokens_by_lang"].values()) == len(stream)
        for off, n, doc_id, source in zip(
            offsets, lengths, index.column("doc_id").to_pylist(), index.column("source").to_pylist(), strict=True
        ):
            doc = stream[off : off + n]
            assert doc[0] == m["bos_id"] and doc[-1] == m["eos_id"]
            assert loaded.tokenizer.decode(doc[1:-1].tolist(), skip_special_tokens=False) == nfc(texts[doc_id])
            assert source in corpus
            seen.add(doc_id)
    assert seen == set(texts)  # every document packed once (mixture 1.0), none lost
    assert sum(m["tokens_by_source"].values()) == sum(m["splits"][s]["tokens"] for s in ("train", "val"))
    assert m["skipped"] == {} and m["empty_shards"] == 0


def test_split_is_by_document(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    m = _pack(corpus, tokenizer_dir, tmp_path, val_fraction=0.2)
    train = set(pq.read_table(tmp_path / "train.idx.parquet").column("doc_id").to_pylist())
    val = set(pq.read_table(tmp_path / "val.idx.parquet").column("doc_id").to_pylist())
    assert train and val and not (train & val)
    assert 0.1 < m["splits"]["val"]["documents"] / (len(train) + len(val)) < 0.3


def test_two_packs_are_byte_identical(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    a = _pack(corpus, tokenizer_dir, tmp_path / "a", seed=7)
    b = _pack(corpus, tokenizer_dir, tmp_path / "b", seed=7)
    assert a == b
    for name in ("train.bin", "val.bin", "train.idx.parquet", "val.idx.parquet"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    c = _pack(corpus, tokenizer_dir, tmp_path / "c", seed=8)
    assert (tmp_path / "c" / "train.bin").read_bytes() != (tmp_path / "a" / "train.bin").read_bytes()
    assert (
        c["splits"]["train"]["tokens"] + c["splits"]["val"]["tokens"]
        == a["splits"]["train"]["tokens"] + a["splits"]["val"]["tokens"]
    )


def test_mixture_weights_repeat_and_thin_languages(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    base = _pack(corpus, tokenizer_dir, tmp_path / "base")
    mixed = _pack(corpus, tokenizer_dir, tmp_path / "mixed", mixture={"eu": 2.0, "es": 0.5})
    before, after = base["splits"]["train"]["documents_by_lang"], mixed["splits"]["train"]["documents_by_lang"]
    assert after["eu"] == 2 * before["eu"]
    assert 0.35 * before["es"] < after["es"] < 0.65 * before["es"]
    assert after["gl"] == before["gl"]
    assert mixed["mixture"]["eu"] == 2.0 and mixed["mixture"]["gl"] == 1.0
    assert mixed["splits"]["val"] == base["splits"]["val"]  # validation keeps the natural distribution


def test_uint32_when_the_vocabulary_exceeds_16_bits(tmp_path: Path) -> None:
    from tokenizers import models

    tok = tk.new_tokenizer()
    alphabet = sorted(set("".join(tok.pre_tokenizer.pre_tokenize_str(chr(i))[0][0] for i in range(256))))
    filler = [f"<unused{i}>" for i in range(70_000 - len(alphabet))]
    vocab = {t: i for i, t in enumerate([*filler, *alphabet, *tk.SPECIAL_TOKENS])}  # specials above 65535
    tok.model = models.BPE(vocab=vocab, merges=[])
    tok.add_special_tokens(list(tk.SPECIAL_TOKENS))
    (tmp_path / "tok").mkdir()
    tok.save(str(tmp_path / "tok" / tk.TOKENIZER_FILE))
    corpus = write_shards(tmp_path / "in", docs_per_lang={"eu": 5, "gl": 5}, shards=1)
    m = pack(corpus, tokenizer_dir=tmp_path / "tok", out=tmp_path / "out", options=PackOptions(val_fraction=0.0))
    assert m["dtype"] == "uint32" and m["bos_id"] > 65535
    stream = _stream(tmp_path / "out", "train", "uint32")
    assert stream.max() > 65535 and stream[0] == m["bos_id"]
    assert dtype_for(65536) == "uint16" and dtype_for(65537) == "uint32"


def test_empty_shards_are_counted_and_all_empty_is_an_error(
    corpus: list[str], tokenizer_dir: Path, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.parquet"
    pq.write_table(pa.table({"text": pa.array([], pa.string()), "lang_tag": pa.array([], pa.string())}), empty)
    blank = tmp_path / "blank.parquet"
    pq.write_table(pa.table({"text": ["", None], "lang_tag": ["es", "eu"]}), blank)
    m = pack([*corpus, str(empty), str(blank)], tokenizer_dir=tokenizer_dir, out=tmp_path / "o", options=PackOptions())
    assert m["empty_shards"] == 2 and m["skipped"] == {"pack:empty": 2}
    with pytest.raises(PackError, match="no documents"):
        pack([str(empty), str(blank)], tokenizer_dir=tokenizer_dir, out=tmp_path / "none", options=PackOptions())


def test_a_document_over_a_million_tokens_is_skipped_and_counted(tokenizer_dir: Path, tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    # Random CJK characters: the tokenizer has no merges for them, so ~3 byte tokens each.
    huge = "".join(chr(c) for c in rng.integers(0x4E00, 0x9FFF, size=400_000))
    path = tmp_path / "huge.parquet"
    pq.write_table(pa.table({"text": [huge, "Kaixo mundua."], "lang_tag": ["und", "eu"]}), path)
    m = pack([str(path)], tokenizer_dir=tokenizer_dir, out=tmp_path / "o", options=PackOptions(val_fraction=0.0))
    assert m["skipped"] == {SKIP_TOO_LONG: 1}
    assert m["splits"]["train"]["documents"] == 1 and m["splits"]["train"]["tokens_by_lang"].keys() == {"eu"}


def test_resume_with_another_tokenizer_is_refused(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other-tok"
    tk.train(corpus, out=other, vocab_size=400, sample_chars=50_000)
    _pack(corpus, tokenizer_dir, tmp_path / "o")
    with pytest.raises(PackError, match="another tokenizer"):
        _pack(corpus, other, tmp_path / "o")
    with pytest.raises(PackError, match="other inputs or options"):
        _pack(corpus, tokenizer_dir, tmp_path / "o", seed=3)
    again = _pack(corpus, tokenizer_dir, tmp_path / "o")  # same pack: nothing to redo
    assert again["tokenizer_sha256"] == tk.load(tokenizer_dir).sha256
    fresh = pack(corpus, tokenizer_dir=other, out=tmp_path / "o", options=PackOptions(seq_len=64), fresh=True)
    assert fresh["vocab_size"] == 400


def test_interrupted_pack_resumes_to_the_same_output(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    calls: list[int] = []

    def dies_after_two(fn: Any, items: list[Any]) -> list[Any]:
        out = []
        for job in items:
            if len(calls) == 2:
                raise KeyboardInterrupt
            calls.append(job.index)
            out.append(fn(job))
        return out

    opts = PackOptions(seq_len=64, seed=1)
    with pytest.raises(KeyboardInterrupt):
        pack(corpus, tokenizer_dir=tokenizer_dir, out=tmp_path / "o", options=opts, map_fn=dies_after_two)
    assert len(list((tmp_path / "o" / "_work").glob("shard-*.json"))) == 2
    other = tmp_path / "other-tok"
    tk.train(corpus, out=other, vocab_size=400, sample_chars=50_000)
    with pytest.raises(PackError, match="partly packed with another tokenizer"):
        pack(corpus, tokenizer_dir=other, out=tmp_path / "o", options=opts)
    resumed = pack(corpus, tokenizer_dir=tokenizer_dir, out=tmp_path / "o", options=opts)
    whole = pack(corpus, tokenizer_dir=tokenizer_dir, out=tmp_path / "w", options=opts)
    assert resumed == whole and not (tmp_path / "o" / "_work").exists()
    assert (tmp_path / "o" / "train.bin").read_bytes() == (tmp_path / "w" / "train.bin").read_bytes()


def test_megatron_index_points_into_our_bin(corpus: list[str], tokenizer_dir: Path, tmp_path: Path) -> None:
    m = pack(corpus, tokenizer_dir=tokenizer_dir, out=tmp_path, options=PackOptions(), megatron=True)
    assert "train.idx" in m["splits"]["train"]["files"]
    code, lengths, pointers, doc_idx = megatron.read_index(tmp_path / "train.idx")
    index = pq.read_table(tmp_path / "train.idx.parquet")
    assert code == 8  # uint16
    assert lengths.tolist() == index.column("length").to_pylist()
    assert pointers.tolist() == [2 * o for o in index.column("offset").to_pylist()]
    assert doc_idx.tolist() == list(range(index.num_rows + 1))
    raw = (tmp_path / "train.bin").read_bytes()
    first = np.frombuffer(raw, dtype="<u2", count=int(lengths[1]), offset=int(pointers[1]))
    assert first[0] == m["bos_id"] and first[-1] == m["eos_id"]


@pytest.mark.ray
def test_ray_map_gives_the_same_pack(corpus: list[str], tokenizer_dir: Path, tmp_path: Path, ray_session) -> None:
    from corpusforge.runtime import make_executor

    executor = make_executor("ray")
    try:
        on_ray = pack(
            corpus,
            tokenizer_dir=tokenizer_dir,
            out=tmp_path / "ray",
            options=PackOptions(seed=5),
            map_fn=executor.map,
            num_workers=executor.num_workers,
        )
    finally:
        executor.close()
    local = pack(corpus, tokenizer_dir=tokenizer_dir, out=tmp_path / "local", options=PackOptions(seed=5))
    assert on_ray == local
    assert (tmp_path / "ray" / "train.bin").read_bytes() == (tmp_path / "local" / "train.bin").read_bytes()
