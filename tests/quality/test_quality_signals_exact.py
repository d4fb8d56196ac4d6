"""The q_* signals, exactly: checked-in values for reference texts, the Gopher n-gram definitions
written out in plain Python, and independence from how documents are batched.

Thresholds are calibrated on these numbers, so a faster implementation must give the same bits.
A change to a signal that is meant: regenerate the values and review the diff,
    UPDATE_SIGNALS_GOLDEN=1 .venv/bin/python -m pytest -q tests/quality/test_quality_signals_exact.py
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from quality_texts import CLEAN, JUNK

from corpusforge.quality import signals
from corpusforge.quality.tokenise import split_words
from corpusforge.stages.quality import QualitySignals

GOLDEN = Path(__file__).with_name("signals_golden.json")

# Texts that reach the corners: overlapping and tied repeats, digits, elisions, odd whitespace, symbols.
EXTRA: dict[str, tuple[str, str | None]] = {
    "overlapping_repeats": ("la la la la la la la la la la la la la la la la", "es"),
    "tied_bigrams": ("gato negro casa grande gato negro casa grande perro blanco árbol alto", "es"),
    "catalan_elisions": (
        "L'home d'aigua va donar-li-ho a l'àvia. L'home d'aigua va donar-li-ho a l'àvia, i després se'n va anar.",
        "ca",
    ),
    "numbers_and_symbols": (
        "Oferta 2024: 3 x 2 en {todo} #rebajas ... ¡Compra ya! …\n  precio   19,99 €\t\t(IVA incl.)\n\n\n"
        "Oferta 2024: 3 x 2 en {todo} #rebajas",
        "es",
    ),
    "basque_suffixes": ("EHU-ko ikasleak 2015-eko ikasturtean hasi ziren. EHU-ko ikasleak pozik daude.", "eu"),
    "galician_lines": ("Ler máis\nCompartir\nO concello aprobou o plan.\nO concello aprobou o plan.", "gl"),
    "uppercase_shouting": ("ÚLTIMAS UNIDADES!!! COMPRA YA\nÚLTIMAS UNIDADES!!! COMPRA YA", "es"),
    "no_tag": ("Texto sin etiqueta de idioma, con palabras repetidas: texto sin etiqueta.", None),
    "foreign_tag": ("Le conseil municipal a approuvé le plan. Le conseil municipal a approuvé le plan.", "fr"),
    "empty": ("", "es"),
    "blank": ("  \n\t\n ", "ca"),
}


def reference_rows() -> tuple[list[str], list[str], list[str | None]]:
    names, texts, tags = [], [], []
    for tag, text in CLEAN.items():
        names.append(f"clean_{tag}"), texts.append(text), tags.append(tag)
    for name, text in JUNK.items():
        names.append(f"junk_{name}"), texts.append(text), tags.append("es")
    for name, (text, tag) in EXTRA.items():
        names.append(name), texts.append(text), tags.append(tag)
    return names, texts, tags


def signal_rows(texts: list[str], tags: list[str | None], **params) -> list[dict[str, float | None]]:
    table = pa.table({"text": pa.array(texts, pa.string()), "lang_tag": pa.array(tags, pa.string())})
    out = QualitySignals(QualitySignals.Config(**params)).process_batch(table)
    return out.select(list(signals.RULE_SIGNAL_NAMES)).to_pylist()


def test_reference_texts_keep_their_exact_signals() -> None:
    names, texts, tags = reference_rows()
    got = dict(zip(names, signal_rows(texts, tags), strict=True))
    if os.environ.get("UPDATE_SIGNALS_GOLDEN"):
        GOLDEN.write_text(json.dumps(got, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert set(got) == set(expected)
    for name in names:  # JSON keeps a float32's value exactly (shortest repr of the float64 it widens to)
        assert got[name] == expected[name], name


def gopher_ngrams(words: list[str]) -> dict[str, float]:
    """The n-gram signals by their definition, over tuples of words (no hashing, no numpy)."""
    total = sum(map(len, words))
    out = {}
    for n in signals.TOP_NGRAMS:
        counts = Counter(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        top = max(counts.values(), default=0)
        ratio = 0.0
        if top >= 2:
            longest = max(sum(map(len, gram)) for gram, c in counts.items() if c == top)
            ratio = min(1.0, top * longest / total)
        out[f"q_top_{n}gram_ratio"] = ratio
    for n in signals.DUP_NGRAMS:
        seen: set[tuple[str, ...]] = set()
        covered = [False] * len(words)
        for i in range(len(words) - n + 1):
            gram = tuple(words[i : i + n])
            if gram in seen:  # a repeat of an earlier n-gram: its words count, the first occurrence's don't
                covered[i : i + n] = [True] * n
            seen.add(gram)
        chars = sum(len(w) for w, c in zip(words, covered, strict=True) if c)
        out[f"q_dup_{n}gram_ratio"] = chars / total if total else 0.0
    return out


def random_texts(count: int, seed: int) -> list[str]:
    """Texts drawn from a tiny vocabulary, so n-grams repeat, overlap and tie in every way."""
    rng = random.Random(seed)
    vocab = ["de", "la", "casa", "el", "río", "verde", "ayer", "mar", "123", "sol"]
    texts = []
    for _ in range(count):
        size = rng.choice([0, 1, 2, 3, 5, 9, 10, 11, 20, 60, 200])
        k = rng.choice([2, 3, 5, 10])  # fewer distinct words: more repeats
        texts.append(" ".join(rng.choice(vocab[:k]) for _ in range(size)))
    return texts


@pytest.mark.parametrize("max_ngram_words", [100_000, 7])
def test_ngram_signals_follow_the_gopher_definition(max_ngram_words: int) -> None:
    texts = random_texts(150, seed=1) + list(CLEAN.values()) + list(JUNK.values())
    got = signals.compute(pa.array(texts), ["es"] * len(texts), max_ngram_words=max_ngram_words)
    for i, text in enumerate(texts):
        expected = gopher_ngrams(split_words(text.lower(), "es")[:max_ngram_words])
        for name, value in expected.items():
            assert got[name][i].as_py() == float(np.float32(value)), (i, name, text[:80])


def test_signals_of_a_document_do_not_depend_on_its_batch() -> None:
    """Documents side by side share no n-gram: the same words ending one and starting the next are
    no repeat, and a document's signals are those it has alone."""
    texts = random_texts(40, seed=2) + [
        "uno dos tres cuatro cinco seis siete ocho nueve diez",
        "uno dos tres cuatro cinco seis siete ocho nueve diez",
        "once doce trece uno dos tres cuatro cinco seis siete ocho nueve diez",
    ]
    tags: list[str | None] = ["es", "ca", "gl", "eu", None] * (len(texts) // 5) + ["es"] * (len(texts) % 5)
    together = signal_rows(texts, tags)
    alone = [signal_rows([t], [g])[0] for t, g in zip(texts, tags, strict=True)]
    reversed_rows = signal_rows(texts[::-1], tags[::-1])[::-1]
    assert together == alone == reversed_rows
    assert together[-2]["q_dup_5gram_ratio"] == 0.0 and together[-1]["q_top_2gram_ratio"] == 0.0
