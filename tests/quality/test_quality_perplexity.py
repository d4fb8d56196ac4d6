"""q_perplexity: the shipped models, the signal in quality.signals.v1, the max_perplexity rule, calibration."""

from __future__ import annotations

import random
import re

import numpy as np
import pyarrow as pa
import pytest
from pydantic import ValidationError
from quality_texts import CLEAN

from corpusforge.quality import calibrate, perplexity, rules
from corpusforge.quality.lm.train import is_heldout
from corpusforge.stages.quality import QualityFilter, QualitySignals

TAGS = ("es", "ca", "ca-valencia", "eu", "gl")


def scrambled(text: str, seed: int = 0) -> str:
    """Each sentence's words in random order, its full stop kept: every heuristic still passes."""
    rng = random.Random(seed)
    paragraphs = []
    for para in text.split("\n\n"):
        out = []
        for sentence in re.split(r"(?<=\.) ", para):
            words = sentence.rstrip(".").split()
            rng.shuffle(words)
            out.append(" ".join(words) + ".")
        paragraphs.append(" ".join(out))
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def scorer() -> perplexity.PerplexityScorer:
    return perplexity.PerplexityScorer()


def threshold(tag: str) -> float:
    return next(r.value for r in rules.load_dir()[tag].rules if r.name == "max_perplexity")


def test_every_target_language_ships_a_small_model():
    paths = perplexity.model_paths()
    assert set(TAGS) <= set(paths)
    for path in paths.values():
        assert path.stat().st_size < 4_000_000  # "a few MB", like the LID model


@pytest.mark.parametrize("tag", TAGS)
def test_fluent_prose_is_under_its_threshold_and_scrambled_prose_far_above(scorer, tag):
    fluent, shuffled = scorer.compute([CLEAN[tag], scrambled(CLEAN[tag])], [tag, tag])
    assert fluent < threshold(tag)
    assert shuffled > 2 * fluent


def test_scrambled_text_passes_the_heuristics_and_fails_only_perplexity():
    texts = [scrambled(CLEAN[tag]) for tag in ("es", "ca", "ca-valencia")] + [CLEAN["es"], CLEAN["ca-valencia"]]
    tags = ["es", "ca", "ca-valencia", "es", "ca-valencia"]
    scored = QualitySignals().process_batch(pa.table({"text": texts, "lang_tag": tags}))
    reasons = QualityFilter().process_batch(scored).column("drop_reason").to_pylist()
    assert reasons == ["quality:max_perplexity"] * 3 + [None, None]
    heuristics_only = QualityFilter(QualityFilter.Config(skip_rules=["max_perplexity"]))
    assert heuristics_only.process_batch(scored).column("drop_reason").to_pylist() == [None] * 5


def test_a_row_without_a_model_gets_null_not_a_rejection():
    texts = [scrambled(CLEAN["es"])] * 3
    table = QualitySignals().process_batch(pa.table({"text": texts, "lang_tag": ["fr", None, "es"]}))
    values = table.column("q_perplexity").to_pylist()
    assert values[0] is None and values[1] is None and values[2] > 0
    reasons = QualityFilter().process_batch(table).column("drop_reason").to_pylist()
    assert reasons[2] == "quality:max_perplexity"
    assert reasons[0] != "quality:max_perplexity" and reasons[1] != "quality:max_perplexity"


def test_perplexity_can_be_switched_off_and_a_wrong_model_dir_fails_at_plan_time(tmp_path):
    off = QualitySignals(QualitySignals.Config(perplexity=False))
    table = off.process_batch(pa.table({"text": [CLEAN["es"]], "lang_tag": ["es"]}))
    assert table.column("q_perplexity").null_count == 1
    with pytest.raises(ValidationError, match="no such directory"):
        QualitySignals.Config(perplexity_models=str(tmp_path / "missing"))
    (tmp_path / "es.bin").write_bytes(b"not a model")
    with pytest.raises(ValidationError, match="not a corpusforge n-gram model"):
        QualitySignals.Config(perplexity_models=str(tmp_path))


def test_signal_is_deterministic_across_batches_and_stage_instances():
    texts = [CLEAN[t] for t in TAGS] + [scrambled(CLEAN[t], seed=3) for t in TAGS]
    tags = list(TAGS) * 2
    whole = QualitySignals().process_batch(pa.table({"text": texts, "lang_tag": tags})).column("q_perplexity")
    stage = QualitySignals()
    parts = [
        stage.process_batch(pa.table({"text": texts[i : i + 3], "lang_tag": tags[i : i + 3]})).column("q_perplexity")
        for i in range(0, len(texts), 3)
    ]
    assert whole.to_pylist() == [v for p in parts for v in p.to_pylist()]


def test_the_stage_scores_as_the_scorer_alone_whichever_way_it_reads_the_symbols(scorer):
    """The stage hands the scorer the words the signals split where that equals normalising the
    text (most pages); the rest are normalised. Both ways give the scorer's own value, exactly."""
    es, ca = CLEAN["es"], CLEAN["ca"]
    texts = [
        es,  # read off the split
        "İSTANBUL y Σ: " + es,  # Python and Arrow lower-case these differently
        es.replace("ayer", "ayer´s"),  # ´ becomes an apostrophe, which joins words
        "\n\n" + es + "\n \n",  # normalise() trims the line breaks at the ends
        es.replace("también", "tambie\u0301n"),  # not NFC: normalise() composes the é
        es.replace("septiembre", "septiembre de 2025 (O’Donnell)\t \n\u00a0\n  "),  # folded digits, ’
        ca,
        "",
    ]
    tags = ["es"] * 6 + ["ca", "es"]
    segments = [None] * 7 + [None]
    mixed = [{"start": 0, "end": 40, "lang": "eu", "tag": "eu", "score": 0.9}]
    texts.append(es), tags.append("es"), segments.append(mixed)  # each paragraph in its language
    table = pa.table({"text": texts, "lang_tag": tags, "lang_segments": segments})
    got = QualitySignals().process_batch(table).column("q_perplexity").to_pylist()
    expected = scorer.column(pa.array(texts), tags).to_pylist()
    assert got == expected


def test_filter_accepts_signal_tables_without_the_perplexity_column():
    table = QualitySignals().process_batch(pa.table({"text": [CLEAN["es"]], "lang_tag": ["es"]}))
    assert QualityFilter().process_batch(table.drop_columns(["q_perplexity"])).column("drop_reason")[0].as_py() is None


def test_calibration_derives_max_perplexity_on_held_out_lines_only(tmp_path, scorer):
    sentences = [s.strip() + "." for tag in TAGS for s in re.split(r"\.\s*", CLEAN[tag]) if s.strip()]
    lines = [f"{s} ({i})" for i in range(12) for s in sentences]  # numbered, so the hash varies
    (tmp_path / "es.txt").write_text("\n".join(lines), encoding="utf-8")
    held = calibrate.read_heldout(tmp_path, lines_per_doc=2)["es"]
    assert held and all(is_heldout(line) for doc in held for line in doc.split("\n"))
    docs = calibrate.read_reference(tmp_path, lines_per_doc=2)["es"]
    derived = calibrate.calibrate_language(
        "es", docs, percentile=0.5, margin=0.1, source="ref/es", heldout_docs=held, scorer=scorer
    )
    name, value, note = derived[-1]
    margin = next(spec.margin for spec in calibrate.SPECS if spec.name == "max_perplexity")
    expected = np.percentile(scorer.compute(held, ["es"] * len(held)), 99.5) * (1 + margin)
    assert name == "max_perplexity" and value == pytest.approx(expected, rel=1e-3)
    assert f"on {len(held)} held-out docs" in note
    without = calibrate.calibrate_language("es", docs, percentile=0.5, margin=0.1, source="ref/es")
    assert "max_perplexity" not in [r for r, _, _ in without]
    default = calibrate.calibrate_language("default", docs, percentile=0.5, margin=0.1, source="x", scorer=scorer)
    assert "max_perplexity" not in [r for r, _, _ in default]  # no model for rows without a language
