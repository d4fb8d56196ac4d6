"""Paragraph-level shares (`lang_mix`) and code-switch flags."""

from __future__ import annotations

import pytest
from lid_texts import BASQUE_SPANISH_PAGE, SENTENCES, VALENCIAN_DOC

from language_id import Identifier


@pytest.fixture(scope="module")
def ident() -> Identifier:
    return Identifier()


def test_bilingual_page_is_codeswitched(ident: Identifier) -> None:
    mix = ident.mix([BASQUE_SPANISH_PAGE])[0]
    assert set(mix.shares) == {"eu", "es"}
    assert abs(sum(mix.shares.values()) - 1.0) < 1e-3
    assert mix.codeswitch


def test_monolingual_page_is_not(ident: Identifier) -> None:
    page = "\n".join(SENTENCES["gl"])
    mix = ident.mix([page])[0]
    assert mix.shares == {"gl": 1.0}
    assert not mix.codeswitch


def test_variety_does_not_count_as_a_switch(ident: Identifier) -> None:
    page = VALENCIAN_DOC + "\n" + "\n".join(SENTENCES["ca"])
    mix = ident.mix([page])[0]
    assert set(mix.shares) <= {"ca", "ca-valencia"}
    assert not mix.codeswitch


def test_small_minority_is_not_a_switch(ident: Identifier) -> None:
    page = "\n".join(SENTENCES["es"] * 4 + ["Eskerrik asko zure laguntzagatik, bihar arte."])
    mix = ident.mix([page])[0]
    assert mix.shares["es"] > 0.8
    assert not mix.codeswitch


def test_empty_and_none(ident: Identifier) -> None:
    mixes = ident.mix(["", None, "\n\n"])  # type: ignore[list-item]
    assert [m.shares for m in mixes] == [{}, {}, {}]


def test_identify_gives_what_predict_and_mix_give(ident: Identifier) -> None:
    """`identify` rebuilds each document's words from its paragraphs; the document-level answer
    must be the one `predict` gives from the whole text, also where URLs are blanked before the
    4,000-character cut and where the cut falls inside a paragraph."""
    catalan = "\n\n".join(SENTENCES["ca"])
    basque = "\n".join(SENTENCES["eu"])
    url_heavy = "\n".join(f"Mira https://exemple.cat/{'x' * 300}/{i} i escriu a nom{i}@exemple.cat" for i in range(30))
    texts = [
        catalan,
        BASQUE_SPANISH_PAGE,
        url_heavy + "\n" + basque * 3,  # the URLs shorten the text: the cut moves into the Basque part
        "\n".join(SENTENCES["gl"]) * 20,  # the cut falls inside a paragraph
        basque + "\n" + "Здравствуйте, как у вас дела сегодня? " * 20,
        "",
        None,
        "  \n \n",
    ]
    identified = ident.identify(texts)
    # A document's word sums are its paragraphs' sums added up: the same to float rounding.
    for (got, _), want in zip(identified, ident.predict(texts), strict=True):
        assert (got.lang, got.tag) == (want.lang, want.tag)
        assert got.score == pytest.approx(want.score, abs=1e-6)
        assert got.other == pytest.approx(want.other, abs=1e-6)
    assert [mix for _, mix in identified] == ident.mix(texts)
