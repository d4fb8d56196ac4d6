"""Mojibake: repaired by text.normalize.v1 where it can be, rejected by quality.filter.v1 where it cannot."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from quality_texts import CLEAN

from corpusforge.demo.make_warc import ARTICLES
from corpusforge.quality import mojibake, rules
from corpusforge.stages.normalize import Normalize, normalize_text
from corpusforge.stages.quality import QualityFilter, QualitySignals

LANGS = ("es", "ca", "ca-valencia", "gl", "eu")
QUOTES = {
    "es": "“Es el mejor año”, dijo — y añadió: ‘volveremos’… por 2 €.",
    "ca": "“És el millor de l’any”, va dir — i va afegir: ‘tornarem’… per 2 €.",
    "ca-valencia": "“És el millor de l’any”, va dir — i va afegir: ‘tornarem’… per 2 €.",
    "gl": "“É o mellor do ano”, dixo — e engadiu: ‘volveremos’… por 2 €.",
    "eu": "“Urteko onena da”, esan zuen — eta gaineratu: ‘itzuliko gara’… 2 €-ren truke.",
}


def documents(lang: str) -> list[str]:
    """The demo articles of `lang`, one document each, with a line of typographic punctuation."""
    return ["\n\n".join([*paragraphs, QUOTES[lang]]) for _, _, paragraphs in ARTICLES[lang]]


def read_as_latin1(text: str) -> str:
    return text.encode("utf-8").decode("latin-1")


def read_as_cp1252(text: str) -> str:
    """How a browser-like decoder reads UTF-8 as windows-1252 (undefined bytes as C1 controls)."""
    table = {b: chr(b) for b in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}
    return "".join(table.get(b) or bytes([b]).decode("cp1252") for b in text.encode("utf-8"))


MANGLERS = {
    "latin-1": read_as_latin1,
    "cp1252": read_as_cp1252,
    "twice": lambda t: read_as_cp1252(read_as_cp1252(t)),
}


def normalize(texts: list[str], **params) -> list[str | None]:
    table = pa.table({"id": [str(i) for i in range(len(texts))], "text": texts})
    return Normalize(Normalize.Config(**params)).process_batch(table).column("text").to_pylist()


def quality(texts: list[str], tags: list[str]) -> pa.Table:
    table = pa.table({"id": [str(i) for i in range(len(texts))], "text": texts, "lang_tag": tags})
    return QualityFilter().process_batch(QualitySignals().process_batch(table))


@pytest.mark.parametrize("how", MANGLERS)
@pytest.mark.parametrize("lang", LANGS)
def test_normalize_repairs_mojibake_in_every_language(lang: str, how: str) -> None:
    originals = documents(lang)
    mangled = [MANGLERS[how](d) for d in originals]
    assert all(re.search(mojibake.PATTERN, m) for m in mangled)
    assert normalize(mangled) == [normalize_text(d) for d in originals]


def test_repair_can_be_turned_off() -> None:
    mangled = read_as_cp1252(documents("es")[0])
    assert normalize([mangled], fix_mojibake=False) == [normalize_text(mangled)]


def test_clean_text_is_not_flagged_nor_touched() -> None:
    clean = [d for lang in LANGS for d in documents(lang)] + list(CLEAN.values())
    clean.append("SÃO PAULO, a cidade da garoa: a irmã e a maçã.")  # Portuguese capitals are not mojibake
    assert not any(mojibake.flagged(pa.array(clean)))
    assert normalize(clean) == [normalize_text(d) for d in clean]


def test_c1_controls_from_cp1252_read_as_latin1_become_the_punctuation_they_were() -> None:
    assert normalize(["Eto\x92o marcó el gol \x97 el único del partido."]) == [
        "Eto’o marcó el gol — el único del partido."
    ]


def test_signal_is_zero_on_clean_text_and_counts_what_is_broken() -> None:
    clean = [d for lang in LANGS for d in documents(lang)]
    out = quality(clean, [lang for lang in LANGS for _ in documents(lang)])
    assert set(out.column("q_mojibake_ratio").to_pylist()) == {0.0}
    assert out.column("drop_reason").to_pylist() == [None] * len(clean)
    broken = quality(["Un camiÃ³n y un caf\ufffd en la estaci\ufffdn."], ["es"])
    assert broken.column("q_mojibake_ratio").to_pylist() == [pytest.approx(3 / 9)]


@pytest.mark.parametrize("lang", LANGS)
def test_text_that_cannot_be_repaired_is_rejected_with_a_reason(lang: str) -> None:
    """Bytes lost on the way (U+FFFD for every accent) or mojibake nothing repaired: rejected, not kept."""
    originals = documents(lang)
    lost = [re.sub(r"[^\x00-\x7f]", "\ufffd", d) for d in originals if not d.isascii()]
    unrepaired = [read_as_cp1252(d) for d in originals]
    out = quality(lost + unrepaired, [lang] * (len(lost) + len(unrepaired)))
    assert out.column("drop_reason").to_pylist() == ["quality:max_mojibake_ratio"] * (len(lost) + len(unrepaired))


def test_every_threshold_file_has_a_mojibake_rule_right_after_the_word_counts() -> None:
    for tag, thresholds in rules.load_dir().items():
        names = [r.name for r in thresholds.rules]
        assert names.index("max_mojibake_ratio") == 2, tag
