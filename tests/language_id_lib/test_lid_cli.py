"""`corpusforge lid train | predict | eval` end to end on a tiny generated folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from lid_texts import SENTENCES

from corpusforge.cli import main

# Tiny training folder: three languages, words recombined so there are enough distinct lines.
_WORDS = {
    "es": [
        "el",
        "la",
        "los",
        "que",
        "para",
        "con",
        "una",
        "por",
        "como",
        "pero",
        "más",
        "este",
        "todo",
        "ciudad",
        "gobierno",
        "año",
        "mañana",
        "nuevo",
    ],
    "eu": [
        "eta",
        "da",
        "ez",
        "bat",
        "ere",
        "du",
        "dira",
        "hau",
        "gaur",
        "bihar",
        "udal",
        "etxe",
        "urte",
        "berri",
        "herri",
        "lan",
        "egin",
        "izan",
    ],
    "en": [
        "the",
        "and",
        "that",
        "with",
        "for",
        "this",
        "from",
        "have",
        "will",
        "would",
        "city",
        "council",
        "year",
        "new",
        "people",
        "work",
    ],
}


def _write_training_folder(folder: Path) -> None:
    folder.mkdir()
    for lang, words in _WORDS.items():
        lines = [" ".join(words[(i * k) % len(words)] for k in range(1, 9)) for i in range(1, 400)]
        (folder / f"{lang}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cli(args: list[str], stdin: str) -> list[str]:
    proc = subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return proc.stdout.splitlines()


@pytest.mark.slow
def test_train_then_predict_with_the_new_model(tmp_path: Path) -> None:
    data = tmp_path / "train"
    _write_training_folder(data)
    model = tmp_path / "tiny.ftz"
    assert main(["lid", "train", "--data", str(data), "--out", str(model)]) == 0
    assert model.exists() and model.with_suffix(".json").exists()
    lines = ["el gobierno de la ciudad para este año", "gaur udal etxe berri bat egin da", "the city council will work"]
    out = [json.loads(x) for x in _cli(["lid", "predict", "--model", str(model)], "\n".join(lines) + "\n")]
    assert [o["lang"] for o in out] == ["es", "eu", "en"]


def test_predict_shipped_model_keeps_rows_in_order() -> None:
    lines = [SENTENCES["gl"][0], "", "😀", SENTENCES["eu"][1], "1234", SENTENCES["ca"][0]]
    out = [json.loads(x) for x in _cli(["lid", "predict"], "\n".join(lines) + "\n")]
    assert len(out) == len(lines)
    assert [o["lang"] for o in out] == ["gl", "und", "und", "eu", "und", "ca"]
    assert all({"lang", "tag", "score"} <= set(o) for o in out)


def test_predict_with_mix() -> None:
    out = _cli(["lid", "predict", "--mix"], SENTENCES["es"][0] + "\n")
    assert json.loads(out[0])["lang_mix"] == {"es": 1.0}


def test_eval_prints_scores_and_confusion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for lang in ("es", "ca", "gl"):
        (tmp_path / f"{lang}.txt").write_text("\n".join(SENTENCES[lang]) + "\n", encoding="utf-8")
    assert main(["lid", "eval", "--data", str(tmp_path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    support = {lang: len(SENTENCES[lang]) for lang in ("es", "ca", "gl")}
    assert {label: s["support"] for label, s in report["per_label"].items()} == support
    assert {gold: sum(row.values()) for gold, row in report["confusion"].items()} == support
    right = sum(report["confusion"][lang].get(lang, 0) for lang in support)
    assert report["accuracy"] == pytest.approx(right / sum(support.values()))
    assert report["accuracy"] >= 0.9  # the shipped model on clean sentences of its own languages
    for label, s in report["per_label"].items():
        assert s["recall"] == pytest.approx(report["confusion"][label].get(label, 0) / support[label])
    f1s = [s["f1"] for s in report["per_label"].values()]
    assert report["macro_f1"] == pytest.approx(sum(f1s) / 3)
    # The table prints the same numbers.
    assert main(["lid", "eval", "--data", str(tmp_path)]) == 0
    macro = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("macro"))
    assert float(macro.split()[1]) == pytest.approx(report["macro_f1"], abs=5e-4)
    assert float(macro.split()[3]) == pytest.approx(report["accuracy"], abs=5e-4)
    assert main(["lid", "eval", "--data", str(tmp_path / "missing")]) == 2
