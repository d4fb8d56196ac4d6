"""Languages outside the model's set and other scripts are `und` with a high out-of-set score."""

from __future__ import annotations

import pytest
from lid_texts import CHINESE_COPYRIGHT_LINE, OTHER_LANGUAGES, OTHER_SCRIPTS, SENTENCES

from language_id import Identifier
from language_id.outofset import non_latin_share


@pytest.fixture(scope="module")
def ident() -> Identifier:
    return Identifier()


@pytest.mark.parametrize("lang", sorted(OTHER_LANGUAGES))
def test_two_sentence_documents_of_other_languages_are_und(ident: Identifier, lang: str) -> None:
    pred = ident.predict([" ".join(OTHER_LANGUAGES[lang])])[0]
    assert (pred.lang, pred.tag) == ("und", "und"), pred
    assert pred.other >= ident.other_above


def test_single_sentences_of_other_languages_are_mostly_und(ident: Identifier) -> None:
    """One sentence is little evidence (a German one with `die`, `hat`, `den` looks half known);
    the model card gives the measured rate on held-out languages (~0.9 for sentences)."""
    sentences = [t for texts in OTHER_LANGUAGES.values() for t in texts]
    preds = ident.predict(sentences)
    assert sum(p.lang == "und" for p in preds) >= 0.9 * len(sentences)
    assert all(p.lang == "und" or p.score < 0.9 for p in preds)


@pytest.mark.parametrize("lang", sorted(OTHER_SCRIPTS))
def test_other_scripts_are_und_and_certain(ident: Identifier, lang: str) -> None:
    pred = ident.predict([OTHER_SCRIPTS[lang]])[0]
    assert pred.lang == "und"
    assert pred.other == 1.0


def test_copyright_line_of_a_chinese_page_is_not_catalan(ident: Identifier) -> None:
    pred = ident.predict([CHINESE_COPYRIGHT_LINE])[0]
    assert pred.lang == "und"
    assert pred.other == 1.0
    assert non_latin_share(CHINESE_COPYRIGHT_LINE) >= 0.25


def test_own_languages_are_not_other(ident: Identifier) -> None:
    for lang, texts in SENTENCES.items():
        for pred in ident.predict(texts):
            assert pred.lang == lang
            assert pred.other < 0.5


def test_empty_text_is_und_but_not_other(ident: Identifier) -> None:
    for pred in ident.predict(["", "12345 678", "😀😂"]):
        assert pred.lang == "und"
        assert pred.other == 0.0


def test_non_latin_share_counts_letters_only() -> None:
    assert non_latin_share("Hola, ¿qué tal? 123") == 0.0
    assert non_latin_share("Привет") == 1.0
    assert non_latin_share("El Кремль") == pytest.approx(6 / 8)
