import re
from pathlib import Path

import pytest
from quality_texts import CLEAN

from corpusforge import cli
from corpusforge.quality import rules


def test_calibrate_writes_loadable_files_and_compares(tmp_path, capsys):
    ref, out = tmp_path / "ref", tmp_path / "out"
    ref.mkdir()
    for tag in ("gl", "eu"):
        sentences = [s.strip() + "." for s in re.split(r"\.\s*", CLEAN[tag]) if s.strip()]
        (ref / f"{tag}.txt").write_text("\n".join(sentences * 3), encoding="utf-8")
    code = cli.main(["quality", "calibrate", "--reference", str(ref), "--out", str(out), "--lines-per-doc", "3"])
    assert code == 0
    sets = rules.read_dir(out)  # the files calibrate wrote (load_dir would add the shipped languages)
    assert set(sets) == {"gl", "eu", "default"}
    assert rules.load_dir(out)["gl"].rules == sets["gl"].rules  # a full file overrides every shipped key
    gl = {r.name: r.value for r in sets["gl"].rules}
    eu = {r.name: r.value for r in sets["eu"].rules}
    assert gl["min_stopword_ratio"] > eu["min_stopword_ratio"]  # Galician prose has more function words
    assert eu["min_mean_word_length"] > gl["min_mean_word_length"]  # Basque words are longer
    text = (out / "gl.toml").read_text(encoding="utf-8")
    assert "p0.5" in text and "ref/gl" in text
    # Printed per language: "rule  shipped -> derived", the derived value the one written to its file.
    shipped = rules.load_dir(None)
    printed: dict[str, dict[str, tuple[str, str]]] = {}
    for line in capsys.readouterr().out.splitlines():
        if line.endswith("(shipped -> derived)"):
            tag = Path(line.split(":")[0]).stem
            printed[tag] = {}
        elif " -> " in line:
            name, old, _, new = line.split()[:4]
            printed[tag][name] = (old, new)
    assert set(printed) == {"gl", "eu", "default"}
    for tag, derived in (("gl", gl), ("eu", eu)):
        assert {name: float(new) for name, (_, new) in printed[tag].items()} == pytest.approx(derived, rel=1e-3)
        ours = {r.name: r.value for r in shipped[tag].rules}
        old = printed[tag]["min_stopword_ratio"][0]
        assert float(old) == pytest.approx(ours["min_stopword_ratio"], rel=1e-3)


def test_calibrate_without_reference_files_fails(tmp_path, capsys):
    assert cli.main(["quality", "calibrate", "--reference", str(tmp_path), "--out", str(tmp_path / "o")]) == 2
    assert "no <lang_tag>.txt" in capsys.readouterr().err
