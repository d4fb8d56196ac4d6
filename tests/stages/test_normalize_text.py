"""text.normalize.v1: control characters out, Unicode normalised, spaces and blank lines tidied."""

from __future__ import annotations

import random
import re
import unicodedata

import pyarrow as pa
import pytest

from corpusforge.stages.normalize import Normalize, normalize_text

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")


def _line_by_line(text: str, form: str = "NFC") -> str:
    """The definition: each line's runs of spaces to one and its ends stripped, 3+ newlines to two."""
    text = unicodedata.normalize(form, _CONTROL.sub("", text))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


# Spaces of every kind, controls, separators that are whitespace to Python but not lines to split()
_AWKWARD = list(" \t\n\r\x0b\x0c\x00\x1c\x85\x9f\u00a0\u1680\u2000\u2001\u2009\u200b\u202f\u205f\u3000\u2028\u2029")
_AWKWARD += ["ab", "Cafe\u0301", "l·l", "ﬁ", "\u212b", "\n\n\n", " \n ", "x"]


def test_spaces_lines_and_controls_are_tidied():
    text = "\u00a0 Títol\t\tde la  notícia \u2028\n\n\n\n  Primer\u200b paràgraf.\x00\r\n\u3000\n\nFi. \u2029"
    assert normalize_text(text) == "Títol de la notícia\n\nPrimer paràgraf.\n\nFi."
    assert normalize_text("Cafe\u0301", form="NFC") == "Café"
    assert normalize_text("ﬁ  \n\n\nx", form="NFKC", collapse_whitespace=False) == "fi  \n\n\nx"


@pytest.mark.parametrize("form", ["NFC", "NFKC"])
def test_normalize_text_agrees_with_the_line_by_line_definition(form):
    rng = random.Random(3)
    for _ in range(4000):
        text = "".join(rng.choices(_AWKWARD, k=rng.randint(0, 25)))
        assert normalize_text(text, form=form) == _line_by_line(text, form), repr(text)


def test_stage_rejects_documents_left_empty():
    stage = Normalize(Normalize.Config())
    out = stage.process_batch(pa.table({"text": [" Bon dia \n\n\n\nVeïns", "\u200b \n\t", None]}))
    assert out.column("text").to_pylist() == ["Bon dia\n\nVeïns", "", None]
    assert out.column("drop_reason").to_pylist() == [None, "normalize:empty", "normalize:empty"]
