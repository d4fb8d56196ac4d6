"""Tokenizer training: temperature sampling, specials, NFC round trip, l·l, fertility report."""

from __future__ import annotations

from pathlib import Path

import pytest
from pack_fixtures import AWKWARD_DOCS, SKEWED, documents, nfc

from corpusforge.pack import fertility
from corpusforge.pack import tokenizer as tk
from corpusforge.pack.sources import count_by_lang


def test_temperature_weights_interpolate_between_proportional_and_uniform() -> None:
    chars = {"es": 8000, "ca": 1500, "eu": 500}
    as_found = tk.temperature_weights(chars, temperature=1.0)
    assert as_found == pytest.approx({"es": 0.8, "ca": 0.15, "eu": 0.05})
    flat = tk.temperature_weights(chars, temperature=1000.0)
    assert flat == pytest.approx({"es": 1 / 3, "ca": 1 / 3, "eu": 1 / 3}, abs=0.01)
    mid = tk.temperature_weights(chars, temperature=3.0)
    assert sum(mid.values()) == pytest.approx(1.0)
    assert as_found["eu"] < mid["eu"] < flat["eu"]
    with pytest.raises(ValueError):
        tk.temperature_weights(chars, temperature=0)


def test_sample_follows_temperature_shares(corpus: list[str]) -> None:
    chars = {k: c for k, (_, c) in count_by_lang(corpus).items()}
    plan = tk.plan_sample(chars, sample_chars=sum(chars.values()) // 2, temperature=2.0)
    sampled = sum(len(t) for t in tk.sample_texts(corpus, plan, seed=0, heldout_permille=0))
    assert sampled == sum(plan.sampled_chars.values())
    for tag, target in plan.weights.items():
        share = plan.sampled_chars[tag] / sampled
        assert share == pytest.approx(target, abs=0.06), (tag, share, target)
    # Spanish dominates the corpus but not the sample; Basque gains.
    corpus_share = {k: v / sum(chars.values()) for k, v in chars.items()}
    assert plan.sampled_chars["es"] / sampled < corpus_share["es"] - 0.1
    assert plan.sampled_chars["eu"] / sampled > corpus_share["eu"] + 0.03


def test_heldout_documents_never_reach_training(corpus: list[str]) -> None:
    chars = {k: c for k, (_, c) in count_by_lang(corpus).items()}
    plan = tk.plan_sample(chars, sample_chars=10**9, temperature=1.0)
    sampled = set(tk.sample_texts(corpus, plan, seed=0, heldout_permille=200))
    held = {t for docs in fertility.heldout_docs(corpus, heldout_permille=200).values() for t in docs}
    assert held and not (held & sampled)


def test_specials_and_vocabulary(tokenizer_dir: Path) -> None:
    loaded = tk.load(tokenizer_dir)
    assert loaded.vocab_size == 600
    assert (loaded.bos_id, loaded.eos_id, loaded.pad_id) == (0, 1, 2)
    assert len(loaded.sha256) == 64
    assert loaded.tokenizer.encode("Kaixo", add_special_tokens=False).ids[0] not in (0, 1, 2)


def test_round_trip_every_test_document(tokenizer_dir: Path) -> None:
    tok = tk.load(tokenizer_dir).tokenizer
    docs = [d[2] for d in documents(docs_per_lang=SKEWED)]
    encodings = tok.encode_batch_fast(docs, add_special_tokens=False)
    for text, enc in zip(docs, encodings, strict=True):
        assert tok.decode(enc.ids, skip_special_tokens=False) == nfc(text)


def test_nfc_makes_composed_and_decomposed_accents_one_sequence(tokenizer_dir: Path) -> None:
    tok = tk.load(tokenizer_dir).tokenizer
    decomposed, composed = "cafe\u0301 pin\u0303a", "café piña"
    assert decomposed != composed
    assert tok.encode(decomposed).ids == tok.encode(composed).ids


def test_pretokenizer_keeps_catalan_geminate_l_and_elision_in_one_word() -> None:
    tok = tk.new_tokenizer()
    pieces = [p for p, _ in tok.pre_tokenizer.pre_tokenize_str("la col·lecció d'intel·ligència")]
    assert len(pieces) == 3  # "la", " col·lecció", " d'intel·ligència" (byte-level symbols)
    assert tok.decoder.decode(pieces) == "la col·lecció d'intel·ligència"


def test_too_small_vocabulary_is_refused(corpus: list[str], tmp_path: Path) -> None:
    with pytest.raises(tk.TokenizerError, match="256 byte symbols"):
        tk.train(corpus, out=tmp_path, vocab_size=100)


def test_missing_tokenizer_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(tk.TokenizerError, match="no tokenizer"):
        tk.load(tmp_path)


def test_fertility_report_balanced_beats_spanish_only_on_basque(corpus: list[str], tokenizer_dir: Path) -> None:
    result = fertility.report(corpus, tokenizer_dir=tokenizer_dir)
    rows = {r["lang_tag"]: r for r in result["rows"]}
    assert set(rows) >= {"es", "eu", "gl"}
    assert rows["eu"]["ratio"] < 1.0  # fewer tokens per Basque word than a Spanish-only tokenizer
    assert rows["es"]["fertility_es_only"] <= rows["es"]["fertility"]  # what balance costs Spanish
    assert "lang_tag" in fertility.render(result)


def test_awkward_documents_are_in_the_corpus() -> None:
    docs = {d[2] for d in documents(docs_per_lang={})}
    assert {t for _, t in AWKWARD_DOCS} == docs
