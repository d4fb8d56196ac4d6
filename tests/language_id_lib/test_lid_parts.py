"""Markers, calibration, normalisation and scoring on small exact cases."""

from __future__ import annotations

import pytest

from language_id.calibration import fit_isotonic
from language_id.data import balanced_examples, fragment, load_folder, split_heldout
from language_id.evaluate import reliability, score
from language_id.markers import count_features
from language_id.normalize import normalize
from language_id.variety import fit


def test_markers_count_valencian_and_central_forms() -> None:
    val = count_features("La meua casa és esta. Hui servix el dinar perquè ho prepare.")
    assert val["val:possessive"] == 1
    assert val["val:demonstrative"] == 1
    assert val["val:lexicon"] == 1
    assert val["val:inchoative_ix"] == 1
    assert val["val:subjunctive_e"] == 1
    cen = count_features("La meva casa és aquesta. Avui serveix el dinar perquè ho prepari.")
    assert cen["cen:possessive"] == 1 and cen["cen:demonstrative"] == 1
    assert cen["cen:inchoative_eix"] == 1 and cen["cen:subjunctive_i"] == 1
    assert count_features("El mateix peix neix al riu.") == {}


def test_variety_fit_learns_the_direction_of_markers() -> None:
    valencian = ["la meua casa", "esta porta", "hui plou", "que siga així"] * 20
    central = ["la meva casa", "aquesta porta", "avui plou", "que sigui així"] * 20
    model = fit(valencian, central, no_evidence_probability=0.2)
    assert model.weights["val:possessive"] > 0 > model.weights["cen:possessive"]
    assert model.tag("la teua germana")[0] == "ca-valencia"
    assert model.tag("la teva germana")[0] == "ca"
    assert model.tag("la casa gran")[0] == "ca"  # no marker: central by default
    assert model.probability("la casa gran") == pytest.approx(0.2, abs=1e-3)


def test_isotonic_calibration_is_monotone_and_matches_accuracy() -> None:
    scores = [i / 1000 for i in range(1000)]
    correct = [i % 10 < round(s * 10) for i, s in enumerate(scores)]  # accuracy ~ score
    cal = fit_isotonic(scores, correct, min_block=50)
    values = [cal(s) for s in scores]
    assert all(a <= b for a, b in zip(values, values[1:], strict=False))
    assert cal(0.9) == pytest.approx(0.9, abs=0.1)
    assert cal(0.1) == pytest.approx(0.1, abs=0.1)


def test_normalize() -> None:
    assert normalize("L’home, 25 anys: «col·lecció»!") == "l'home anys col·lecció"
    assert normalize("x" * 10_000, max_chars=10) == "x" * 10


def test_score_and_confusion() -> None:
    report = score(["es", "es", "ca-valencia", "gl"], ["es", "gl", "ca", "gl"])
    assert report.per_label["ca"].f1 == 1.0  # variety folded into the language
    assert report.per_label["es"].recall == 0.5
    assert report.per_label["gl"].precision == 0.5
    assert report.confusion[("es", "gl")] == 1
    assert "confusion" in report.render()
    with pytest.raises(ValueError):
        score(["es"], [])


def test_reliability_measures_the_gap() -> None:
    ece, table = reliability([1.0, 1.0, 0.05], [True, True, False])
    assert ece == pytest.approx(0.05 / 3)
    assert sum(n for _, _, n in table) == 3
    overconfident, _ = reliability([0.95] * 4, [True, False, True, False])
    assert overconfident == pytest.approx(0.45)


def test_data_helpers(tmp_path) -> None:
    (tmp_path / "es.txt").write_text("uno dos tres\n\ncuatro cinco seis\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "same.txt").write_text("bon dia\n", encoding="utf-8")
    corpus = load_folder(tmp_path)
    assert corpus == {"es": ["uno dos tres", "cuatro cinco seis"], "ca": ["bon dia"]}
    train, held = split_heldout(corpus, share=0.5)
    assert sorted(train["es"] + held["es"]) == sorted(corpus["es"])
    examples = balanced_examples(corpus, max_per_label=10, min_per_label=4, fragment_rate=0.0, seed=1)
    assert sum(1 for label, _ in examples if label == "ca") == 4
    import random

    frag = fragment(" ".join(str(i) for i in range(30)), random.Random(0))
    assert frag is not None and 2 <= len(frag.split()) <= 8
