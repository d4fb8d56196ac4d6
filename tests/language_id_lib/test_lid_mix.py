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
