"""The decontamination library: exact n-gram hits, no hits below the length, normalisation, accounting."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from decontam_fixtures import (
    EVAL_CA,
    EVAL_ES,
    EVAL_EU,
    EVAL_GL,
    FILLER,
    SHORT_EVAL,
    first_words,
    norm_words,
    write_eval_txt,
)

from corpusforge.decontam import DecontamSpec, EvalSet, read_matches, run_decontam


def _shard(tmp_path: Path, docs: list[tuple[str, str]], name: str = "part-00000.parquet") -> str:
    path = tmp_path / "in" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"id": [d for d, _ in docs], "text": [t for _, t in docs]}), path)
    return str(path)


def _run(tmp_path: Path, docs: list[tuple[str, str]], *, sets: dict[str, list[str]] | None = None, **spec_args):
    sets = sets or {"bench": [EVAL_ES, EVAL_CA, EVAL_EU, EVAL_GL, SHORT_EVAL]}
    evalsets = tuple(
        EvalSet(name=name, paths=(write_eval_txt(tmp_path / "eval" / f"{name}.txt", lines),))
        for name, lines in sets.items()
    )
    workdir = str(tmp_path / "work")
    summary = run_decontam(DecontamSpec(sets=evalsets, **spec_args), inputs=[_shard(tmp_path, docs)], workdir=workdir)
    flagged = {r["id"]: r for r in read_matches(workdir).to_pylist()}
    return summary, flagged


def test_a_shared_run_of_exactly_n_words_is_a_hit_and_one_word_less_is_not(tmp_path):
    filler = FILLER[0]  # neither filler continues the evaluation item
    docs = [
        ("thirteen", f"{filler} {first_words(EVAL_ES, 13)} {FILLER[3]}"),
        ("twelve", f"{filler} {first_words(EVAL_ES, 12)} {FILLER[3]}"),
        ("twelve-twice", f"{first_words(EVAL_GL, 12)} e {' '.join(EVAL_GL.split()[1:13])}"),
        ("clean", " ".join(FILLER)),
    ]
    summary, flagged = _run(tmp_path, docs)
    assert set(flagged) == {"thirteen"}
    assert flagged["thirteen"]["hits"] == 1 and flagged["thirteen"]["eval_text"] == EVAL_ES
    assert summary["sets"]["bench"]["documents_removed"] == 1


def test_matching_ignores_case_punctuation_spacing_and_apostrophe_forms(tmp_path):
    shouted = EVAL_CA.upper().replace("'", "’").replace(" ", "  \n ").replace(",", "")
    docs = [("shouted", f"Titular: {shouted}!!"), ("gl", f"«{EVAL_GL}»"), ("clean", FILLER[2])]
    _, flagged = _run(tmp_path, docs)
    assert set(flagged) == {"shouted", "gl"}
    assert flagged["shouted"]["eval_text"] == EVAL_CA


def test_ngrams_never_span_two_documents_or_two_evaluation_records(tmp_path):
    words = EVAL_EU.split()
    docs = [("end", f"{FILLER[3]} {' '.join(words[:7])}"), ("start", f"{' '.join(words[7:])} {FILLER[3]}")]
    _, flagged = _run(tmp_path, docs)
    assert flagged == {}
    # the tail of one evaluation record and the head of the next, as one text, are no match either
    joined = " ".join(EVAL_ES.split()[-7:] + EVAL_CA.split()[:7])
    _, flagged = _run(tmp_path / "b", [("joined", joined)])
    assert flagged == {}


def test_records_shorter_than_n_words_are_counted_and_never_match(tmp_path):
    summary, flagged = _run(tmp_path, [("short", f"{SHORT_EVAL} {SHORT_EVAL} {FILLER[4]}")])
    assert flagged == {}
    counts = summary["sets"]["bench"]
    assert (counts["records"], counts["indexed"], counts["too_short"]) == (5, 4, 1)
    assert counts["ngrams"] == sum(norm_words(t) - 12 for t in (EVAL_ES, EVAL_CA, EVAL_EU, EVAL_GL))


def test_accounting_per_set_documents_and_words(tmp_path):
    sets = {"news": [EVAL_ES, EVAL_GL], "culture": [EVAL_CA, EVAL_ES]}
    docs = [
        ("es", f"{EVAL_ES} {FILLER[1]}"),  # in both sets: news is listed first and ties
        ("ca", f"{FILLER[2]} {EVAL_CA}"),
        ("gl-twice", f"{EVAL_GL}\n{EVAL_GL}\n{first_words(EVAL_CA, 13)}"),  # news 2x the hits of culture
        ("clean", FILLER[0]),
    ]
    summary, flagged = _run(tmp_path, docs, sets=sets)
    assert {k: (v["set"], sorted(v["sets"])) for k, v in flagged.items()} == {
        "es": ("news", ["culture", "news"]),
        "ca": ("culture", ["culture"]),
        "gl-twice": ("news", ["culture", "news"]),
    }
    word_count = {d: norm_words(t) for d, t in docs}
    news, culture = summary["sets"]["news"], summary["sets"]["culture"]
    assert (news["documents_removed"], news["documents_matched"]) == (2, 2)
    assert (culture["documents_removed"], culture["documents_matched"]) == (1, 3)
    assert news["words_removed"] == word_count["es"] + word_count["gl-twice"]
    assert culture["words_removed"] == word_count["ca"]
    assert summary["documents"] == 4 and summary["words"] == sum(word_count.values())
    assert summary["words_removed"] == news["words_removed"] + culture["words_removed"]


def test_passage_mode_cuts_the_lines_that_hold_a_match(tmp_path):
    text = f"{FILLER[0]}\n{FILLER[1]} {EVAL_ES}\n{FILLER[2]}"
    summary, flagged = _run(tmp_path, [("doc", text), ("only", EVAL_GL)], mode="passage")
    doc = flagged["doc"]
    assert doc["action"] == "cut" and doc["aligned"]
    (cut,) = doc["cuts"]
    assert text[cut["start"] : cut["end"]] == f"{FILLER[1]} {EVAL_ES}\n"
    assert doc["removed_words"] == norm_words(FILLER[1]) + norm_words(EVAL_ES)
    assert flagged["only"]["action"] == "drop"  # nothing would be left
    assert summary["sets"]["bench"]["documents_cut"] == 1 and summary["sets"]["bench"]["documents_removed"] == 1


def test_fold_digits_matches_items_that_differ_only_in_numbers(tmp_path):
    item = "El partido se jugará el día 12 de marzo a las 18 horas en el estadio municipal de la ciudad."
    doc = item.replace("12", "21").replace("18", "20")
    _, plain = _run(tmp_path / "a", [("doc", doc)], sets={"s": [item]})
    _, folded = _run(tmp_path / "b", [("doc", doc)], sets={"s": [item]}, fold_digits=True)
    assert plain == {} and set(folded) == {"doc"}
