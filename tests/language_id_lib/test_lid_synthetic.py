"""Rule-based rewrites that teach the language model dialect markers instead of topic words."""

from __future__ import annotations

from language_id.synthetic import (
    MIN_CHANGES,
    changed_words,
    synthetic_examples,
    to_aragonese,
    to_asturian,
    to_occitan,
)

NEWS_ES = "Después de la carrera, el piloto fue líder del campeonato con 2250 puntos."
NEWS_CA = "Aquesta teoria contradiu l'afirmació que la Lluna és completament desproveïda d'activitat geològica."


def test_asturian_rewrite_has_its_markers() -> None:
    out = to_asturian(NEWS_ES)
    assert out == "Dempués de la carrera, el pilotu foi líder del campeonatu con 2250 puntos."
    assert to_asturian("La apertura de las válvulas en el sistema") == "L'apertura de les válvules nel sistema"


def test_aragonese_rewrite_with_either_article_set() -> None:
    assert to_aragonese("En el partido de la liga, fue expulsado.") == "En o partiu d'a liga, estió expulsau."
    assert to_aragonese("En el partido de la liga.", lo_articles=True) == "En lo partiu de la liga."


def test_occitan_rewrite_has_its_markers() -> None:
    out = to_occitan(NEWS_CA)
    assert "afirmacion" in out and " es " in out and "Luna" in out
    assert to_occitan("Espanya té moltes ciutats") == "Espanha té fòrça ciutats"


def test_synthetic_examples_skip_unchanged_lines_and_are_reproducible() -> None:
    corpus = {
        "es": [NEWS_ES, "Berlín, Colonia, Hamburgo y Hanover.", "Es muy difícil para todos los equipos."],
        "ca": [NEWS_CA, "Barcelona, Girona i Tarragona."],
    }
    per_label = {"ast": 5, "an": 5, "oc": 5}
    first = synthetic_examples(corpus, per_label, seed=1)
    assert first == synthetic_examples(corpus, per_label, seed=1)
    labels = [label for label, _ in first]
    assert (labels.count("ast"), labels.count("an"), labels.count("oc")) == (
        2,
        2,
        1,
    )  # the lists of names change nothing
    for label, text in first:
        source = corpus["ca" if label == "oc" else "es"]
        assert max(changed_words(s, text) for s in source) >= MIN_CHANGES
    one = synthetic_examples(corpus, {"ast": 1}, seed=1)
    assert len(one) == 1 and one[0][0] == "ast"
