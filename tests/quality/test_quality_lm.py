"""The n-gram language model behind q_perplexity: estimation, scoring, file, determinism, work bound."""

from __future__ import annotations

import random
import re
import unicodedata

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from quality_texts import CLEAN

from corpusforge.quality.lm import kneser_ney
from corpusforge.quality.lm.model import NgramModel
from corpusforge.quality.lm.text import FOLD, line_token_pattern, normalise, reads_as_normalised, token_pattern
from corpusforge.quality.lm.train import ModelSpec, build_symbols, train
from corpusforge.quality.tokenise import BatchTokens, word_pattern

SPEC = ModelSpec(kind="word", order=3, min_counts=(1, 1, 2), min_symbol_count=1, min_symbol_share=0.0)


def sentences(tag: str) -> list[str]:
    return [s.strip() + "." for s in re.split(r"\.\s*", CLEAN[tag]) if s.strip()]


def exact_model(lines: list[str], tag: str, spec: ModelSpec = SPEC) -> tuple[NgramModel, list]:
    """A model whose 'codes' index the exact values (no quantisation), and its tables."""
    docs = normalise(lines)
    symbols = build_symbols(spec, docs, tag)
    ids, doc = symbols.streams(docs, tag)
    bits = int(np.ceil(np.log2(symbols.vocab_size)))
    tables = kneser_ney.estimate(
        ids, doc, order=spec.order, bits=bits, vocab_size=symbols.vocab_size, min_counts=spec.min_counts
    )
    index = [np.arange(len(t.keys)) for t in tables]
    model = NgramModel(
        symbols, spec.order, bits, [t.keys for t in tables], index, [t.logp for t in tables], index,
        [t.bow for t in tables],
    )  # fmt: skip
    return model, tables


def reference_logprob(tables, bits: int, history: tuple[int, ...], word: int) -> float:
    """ARPA back-off by recursion over dicts: the textbook definition the vectorised scorer must match."""
    order = len(tables)
    entries = [dict(zip(t.keys.tolist(), zip(t.logp.tolist(), t.bow.tolist(), strict=True))) for t in tables]

    def key(symbols: tuple[int, ...]) -> int:
        k = 0
        for s in symbols:
            k = (k << bits) | s
        return k

    def rec(h: tuple[int, ...]) -> float:
        gram = (*h, word)
        hit = entries[len(gram) - 1].get(key(gram))
        if hit is not None:
            return hit[0]
        ctx = entries[len(h) - 1].get(key(h)) if h else None
        return (ctx[1] if ctx else 0.0) + rec(h[1:])

    return rec(history[-(order - 1) :] if order > 1 else ())


def test_probabilities_sum_to_one_over_the_vocabulary():
    lines = sentences("es") + sentences("gl")
    model, _ = exact_model(lines, "es")
    vocab = model.symbols.vocab_size
    for context in ([1], [1, 5], [7, 3]):  # sentence start, seen and unseen histories
        ids = np.array([c for w in range(vocab) for c in (*context, w)], dtype=np.uint32)
        doc = np.repeat(np.arange(vocab), len(context) + 1)
        last = model.symbol_logprobs(ids, doc).reshape(vocab, len(context) + 1)[:, -1]
        assert np.isclose(np.sum(10.0**last), 1.0, atol=1e-9), context


def test_vectorised_scoring_matches_the_back_off_definition():
    model, tables = exact_model(sentences("ca") + sentences("es"), "ca")
    docs = normalise([CLEAN["ca"], "La ciutat de nord amb tren.\nEl pla nou.", CLEAN["ca-valencia"]])
    ids, doc = model.symbols.streams(docs, "ca")
    got = model.symbol_logprobs(ids, doc)
    checked = 0
    for i in range(len(ids)):
        if i == 0 or doc[i] != doc[i - 1]:
            assert np.isnan(got[i])  # a document's leading boundary is context, never predicted
            continue
        start = int(np.flatnonzero(doc == doc[i])[0])
        history = tuple(int(x) for x in ids[max(start, i - 2) : i])
        assert got[i] == pytest.approx(reference_logprob(tables, model.bits, history, int(ids[i])), abs=1e-9)
        checked += 1
    assert checked > 250


def test_a_document_scores_the_same_alone_or_in_any_batch():
    model = train(SPEC, sentences("gl") + sentences("es"), "gl")
    docs = normalise([CLEAN["gl"], CLEAN["es"], "", "Olá", CLEAN["gl"][:200]])
    together = model.perplexity(docs, "gl")
    alone = np.array([model.perplexity([d], "gl")[0] for d in docs])
    reversed_batch = model.perplexity(docs[::-1], "gl")[::-1]
    np.testing.assert_array_equal(together, alone)
    np.testing.assert_array_equal(together, reversed_batch)


def test_training_is_byte_for_byte_reproducible_and_loading_keeps_scores(tmp_path):
    lines = sentences("eu") * 2 + sentences("es")
    a, b = train(SPEC, lines, "eu"), train(SPEC, lines, "eu")
    size = a.save(tmp_path / "a.bin")
    b.save(tmp_path / "b.bin")
    assert (tmp_path / "a.bin").read_bytes() == (tmp_path / "b.bin").read_bytes()
    assert size == (tmp_path / "a.bin").stat().st_size
    loaded = NgramModel.load(tmp_path / "a.bin")
    docs = normalise([CLEAN["eu"], CLEAN["gl"]])
    np.testing.assert_array_equal(loaded.perplexity(docs, "eu"), a.perplexity(docs, "eu"))
    assert loaded.meta["lang_tag"] == "eu" and loaded.meta["order"] == 3


def test_quantised_model_stays_close_to_the_exact_one():
    lines = sentences("es") + sentences("ca")
    exact, _ = exact_model(lines, "es")
    quantised = train(SPEC, lines, "es")
    docs = normalise([CLEAN["es"], CLEAN["ca"], CLEAN["gl"]])
    ratio = quantised.perplexity(docs, "es") / exact.perplexity(docs, "es")
    assert np.all(np.abs(ratio - 1.0) < 0.05)


def test_character_model_scores_with_the_same_machinery():
    spec = ModelSpec(
        kind="char", order=4, min_counts=(1, 1, 1, 1), min_symbol_count=1, min_symbol_share=0.0, max_vocab=250
    )
    model = train(spec, sentences("es") * 3, "es")
    fluent, foreign = model.perplexity(normalise([CLEAN["es"], CLEAN["eu"]]), "es")
    assert fluent < foreign  # Spanish spelling is what it learnt


def test_work_per_symbol_is_bounded():
    """At most one binary search per position and order above 1; each search is log2(table) deep."""
    model = train(SPEC, sentences("es") + sentences("ca"), "es")
    work: dict[str, int] = {}
    ids, doc = model.symbols.streams(normalise([CLEAN["es"]] * 20), "es")
    model.symbol_logprobs(ids, doc, work=work)
    assert work["positions"] == len(ids)
    assert work["searches"] <= (model.order - 1) * work["positions"]
    assert model.work_per_symbol() <= sum(int(np.ceil(np.log2(len(k) + 1))) for k in model.keys[1:])


def test_max_symbols_bounds_a_huge_document():
    model = train(SPEC, sentences("es"), "es")
    huge = normalise([" ".join([CLEAN["es"]] * 50)])
    ids, _ = model.symbols.streams(huge, "es", max_symbols=1000)
    assert len(ids) == 1002  # the first 1,000 words and the two boundaries


def test_a_file_that_is_not_a_model_is_refused(tmp_path):
    bad = tmp_path / "es.bin"
    bad.write_bytes(b"PK\x03\x04 not a model")
    with pytest.raises(ValueError, match="bad magic"):
        NgramModel.load(bad)


def test_normalisation_folds_case_digits_apostrophes_and_blank_lines():
    assert normalise(["L’Hospital  obrí el 2024\n\n\n  Segona línia "]) == ["l'hospital obrí el 0000\nsegona línia"]
    assert normalise([None]) == [""]


def test_normalisation_collapses_every_run_of_spaces_and_tabs_but_no_other_space():
    texts = ["a \t b", "a  b", "a b", "x\u00a0 \t y", "l1 \t \n\t \n  l2", "fin\v\f\r", " ¿ \r\n qué?", "O´Donnell e`d"]
    expected = ["a b", "a b", "a b", "x\u00a0 y", "l0\nl0", "fin", "¿\nqué?", "o'donnell e'd"]
    assert normalise(texts) == expected


# Characters where normalise() and a split of the lower-cased text could part ways.
_TRICKY = "aeiouslnt" * 3 + "ÁÉçñ·İΣσ\u0301’'´`-01279  \t\r\v\f\n\n\u00a0\u2028.,"


@pytest.mark.parametrize("tag", ["es", "ca", "gl", "eu"])
def test_line_tokens_are_the_normalised_symbols_when_reads_as_normalised_says_so(tag):
    """The quality signals' split of the lower-cased text gives the perplexity model its symbols
    (no normalise(), no second split) only where that is exactly what normalise() would give."""
    rng = random.Random(tag)
    texts = ["".join(rng.choice(_TRICKY) for _ in range(rng.randint(0, 60))) for _ in range(3000)]
    texts += [CLEAN[tag], f"\n{CLEAN[tag]}", f"{CLEAN[tag]} \n", "Ὀδυσσεύς ΟΔΥΣΣΕΥΣ", "e\u0301 2024’s"]
    arrow_lowered = pc.utf8_lower(pa.array(texts)).to_pylist()
    taken = 0
    for text, arrow in zip(texts, arrow_lowered, strict=True):
        lowered = text.lower()
        tokens = line_token_pattern(tag).findall(lowered)
        assert [t for t in tokens if t != "\n"] == word_pattern(tag).findall(lowered)  # the signals' words
        edge = bool(tokens) and (tokens[0] == "\n" or tokens[-1] == "\n")
        if reads_as_normalised(lowered, arrow, edge):
            taken += 1
            assert unicodedata.is_normalized("NFC", lowered)
            expected = token_pattern(tag).findall(normalise([text])[0])
            assert [t.translate(FOLD) for t in tokens] == expected, repr(text)
    assert 0.1 * len(texts) < taken < len(texts)  # both ways are exercised


def test_batch_streams_fold_what_normalise_would_have_changed():
    model, _ = exact_model(sentences("es") + ["En 2023 la ciudad de O'Donnell gastó 45 millones."], "es")
    texts = ["El 2024 la ciudad de O’Donnell aprobó el plan 12 de 3 años.", CLEAN["es"], "", "Dos\nlíneas."]
    tokens = BatchTokens.of(line_token_pattern("es").findall(t.lower()) for t in texts)
    direct = model.symbols.streams(normalise(texts), "es", max_symbols=30)
    split = model.symbols.batch_streams(tokens, [0, 1, 2, 3], max_symbols=30)
    assert all(np.array_equal(a, b) for a, b in zip(direct, split, strict=True))
    unfolded = model.symbols.streams([texts[0].lower()], "es")[0]
    assert not np.array_equal(direct[0][: len(unfolded)], unfolded)  # "0000" and "o'donnell" are in the vocabulary
    alone = model.symbols.batch_streams(tokens, [3])
    assert np.array_equal(alone[0], model.symbols.streams(normalise(texts[3:]), "es")[0])
