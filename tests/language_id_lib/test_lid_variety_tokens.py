"""`varietytokens.tokenize` gives exactly the marker and gazette tokens `findall` gives, and the
batched variety model answers as it does one text at a time."""

from __future__ import annotations

import math
import random
import re

import pytest

from language_id import codepoints, markers, variety, varietytokens
from language_id.identifier import Identifier
from language_id.normalize import LOWER_EXPANDS

# Letters, the joiners in every arrangement, and what `[^\W\d_]` leaves out (digits, `_`,
# combining marks, symbols).
_PIECES = [*"abcçñàéíòóúüÀÉÍÒÓÚÇÑ", "·", "'", "’", "-", "‐", "_", "0", "٣", " ", "\n", ".", ",", "\x00"]
_PIECES += ["İ", "ẞ", "Σ", "д", "中", "𝒜", "😀", "\u0301", "ǅ", "ﬃ", "\ud800", "l’home", "dóna-li", "col·lecció"]
_PIECES += ["a·b·c", "·", "··", "'-", "servix", "serveix", "que", "perquè", "quan", "ho", "prepare", "Hui"]
_PIECES += ["decret", "DECRET", "Article", "sol", "SOL", "licitud", "licituds", "Licituds", "òrgan", "Ò", "RÈGIM"]
_PIECES += ["sol·licitud", "bases", "annex", "İarticle", "ordre", "orde", "K", "_", "5"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 40)))


@pytest.mark.parametrize("seed", range(3))
def test_tokens_are_findall(seed: int) -> None:
    rng = random.Random(seed)
    texts = [_text(rng) for _ in range(1000)]
    tokens = varietytokens.tokenize(texts)
    for i, text in enumerate(texts):
        assert tokens.markers.of(i) == markers.TOKEN_RE.findall(text), repr(text)
        assert tokens.gazette.of(i) == variety._GAZETTE_TOKEN.findall(text), repr(text)
        assert tokens.register_hits[i] == markers.register_hits(text), repr(text)
    assert len(set(tokens.markers.distinct)) == len(tokens.markers.distinct)


def test_lower_casing_keeps_one_code_point_of_the_same_word_class() -> None:
    """Register words are counted among runs of the text, not of its lower case, and
    `normalize_batch` lower-cases a whole batch in one call: both right only because of this, for
    every code point but `LOWER_EXPANDS`, whose texts go apart in both."""
    word = re.compile(r"\w")
    for c in codepoints.every_code_point():
        lowered = c.lower()
        if c == LOWER_EXPANDS:
            assert len(lowered) == 2
            continue
        assert len(lowered) == 1, hex(ord(c))
        assert bool(word.match(c)) == bool(word.match(lowered)), hex(ord(c))
        if not re.match(r"[^\W\d_]", c):  # digits and `_` are their own lower case
            assert lowered == c or not word.match(c), hex(ord(c))


def test_chains_of_middle_dots_pair_from_the_left() -> None:
    tokens = varietytokens.tokenize(["a·b·c·d e·f·g", "", "l'home dóna-li"])
    marker_tokens, gazette_tokens = tokens.markers, tokens.gazette
    assert marker_tokens.of(0) == ["a·b", "c·d", "e·f", "g"]
    assert gazette_tokens.of(0) == ["a·b·c·d", "e·f·g"]
    assert marker_tokens.of(1) == [] and gazette_tokens.of(1) == []
    assert marker_tokens.of(2) == ["l", "home", "dóna", "li"] and gazette_tokens.of(2) == ["l'home", "dóna-li"]


def test_empty_batch() -> None:
    tokens = varietytokens.tokenize([])
    assert markers.count_features_batch(tokens.markers) == [] and tokens.register_hits == []
    assert markers.count_features_batch(varietytokens.tokenize(["", "1 2"]).markers) == [{}, {}]
    assert tokens.markers.distinct == [] and tokens.markers.offsets.tolist() == [0]
    assert tokens.gazette.offsets.tolist() == [0]


def _gazette_logit(gazette: variety.GazetteModel | None, text: str) -> float:
    """What the gazette model adds for one text, as it read texts before `varietytokens`."""
    if gazette is None or markers.register_hits(text) < gazette.min_register_words:
        return 0.0
    words = variety.gazette_words(text)
    if not words:
        return 0.0
    if gazette.scorer is not None:
        p = gazette.scorer.probabilities([words])[0, gazette.scorer.labels.index(variety._VALENCIAN_LABEL)]
    else:
        p = gazette._fasttext_probability(" ".join(words))
    p = min(max(float(p), 1e-3), 1.0 - 1e-3)
    return gazette.alpha * math.log(p / (1.0 - p))


_CATALAN = [
    "La meua casa és esta. Hui servix el dinar perquè ho prepare.",
    "La meva casa és aquesta. Avui serveix el dinar perquè ho prepari.",
    "Que no supere el termini. Resolució de la convocatòria de subvencions, segons el decret i l'article 5.",
    "Quan ho incremente, que li ho done. Disposició addicional del reglament i de l'expedient.",
    "El mateix peix neix al riu.",
    "Segons la resolució, el termini acaba demà.",  # exactly two register words
    "",
]


@pytest.mark.parametrize("seed", range(2))
def test_batched_features_and_logits_are_one_text_at_a_time(seed: int) -> None:
    rng = random.Random(seed)
    sentences = [s for s in _CATALAN if s]
    texts = _CATALAN + [" ".join(rng.choice(sentences + [_text(rng)]) for _ in range(6)) for _ in range(300)]
    tokens = varietytokens.tokenize(texts)
    for i, counts in enumerate(markers.count_features_batch(tokens.markers)):
        assert list(counts.items()) == list(markers.count_features(texts[i]).items()), repr(texts[i])
    model = Identifier().variety
    if model is None:
        pytest.skip("no variety model shipped")
    # The reference: the marker features, register words and gazette words of each text through
    # the regexes, and the gazette model asked about that one text.
    want = [model._marker_logit(markers.count_features(t)) + _gazette_logit(model.gazette, t) for t in texts]
    assert model.logits(texts) == want
    forms = variety._GazetteForms(tokens.gazette)
    for i, text in enumerate(texts):
        assert forms.words(i) == variety.gazette_words(text)
