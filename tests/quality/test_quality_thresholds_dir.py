"""Project-local thresholds: a directory that overrides some languages or keys, the rest shipped.

The reported bug: pointing `thresholds_dir` at the files `corpusforge review report` wrote failed
with "no default.toml", and the docs told users to edit the installed package instead.
"""

from __future__ import annotations

import pyarrow as pa
import pytest
from quality_texts import CLEAN

from corpusforge import cli
from corpusforge import plan as plan_mod
from corpusforge.quality import rules
from corpusforge.stages.quality import QualityFilter, QualitySignals


def _values(sets: dict[str, rules.Thresholds], tag: str) -> dict[str, float]:
    return {r.name: r.value for r in sets[tag].rules}


def test_a_directory_with_one_language_and_one_key_falls_back_to_the_shipped_files(tmp_path):
    (tmp_path / "ca.toml").write_text('lang_tag = "ca"\n\n[thresholds]\nmin_words = 30  # project\n')
    shipped = rules.load_dir()
    sets = rules.load_dir(tmp_path)  # no default.toml: used to fail
    assert set(sets) == set(shipped)
    assert _values(sets, "ca") == {**_values(shipped, "ca"), "min_words": 30.0}
    assert [r.name for r in sets["ca"].rules] == [r.name for r in shipped["ca"].rules]  # decision order kept
    for tag in ("es", "gl", "eu", "ca-valencia", "default"):
        assert sets[tag].rules == shipped[tag].rules


def test_a_new_language_starts_from_the_effective_default_and_new_keys_come_last(tmp_path):
    (tmp_path / "default.toml").write_text('lang_tag = "default"\n[thresholds]\nmax_words = 5000\n')
    (tmp_path / "pt.toml").write_text('lang_tag = "pt"\n[thresholds]\nmin_words = 80\nmin_stopword_ratio = 0.2\n')
    sets = rules.load_dir(tmp_path)
    default = _values(rules.load_dir(), "default")
    assert _values(sets, "default") == {**default, "max_words": 5000.0}
    assert _values(sets, "pt") == {**default, "max_words": 5000.0, "min_words": 80.0, "min_stopword_ratio": 0.2}
    assert sets["pt"].rules[-1].name == "min_stopword_ratio"  # not in default.toml: appended
    assert _values(sets, "es")["max_words"] == 100000  # a shipped language keeps its own file


def test_the_filter_uses_a_partial_directory(tmp_path):
    (tmp_path / "es.toml").write_text('lang_tag = "es"\n[thresholds]\nmin_words = 1000\n')
    table = QualitySignals().process_batch(
        pa.table({"id": ["a", "b"], "text": [CLEAN["es"]] * 2, "lang_tag": ["es", "gl"]})
    )
    out = QualityFilter(QualityFilter.Config(thresholds_dir=str(tmp_path))).process_batch(table)
    assert out.column("drop_reason").to_pylist() == ["quality:min_words", None]


def test_errors_name_the_file(tmp_path):
    (tmp_path / "gl.toml").write_text('lang_tag = "es"\n[thresholds]\nmin_words = 3\n')
    with pytest.raises(ValueError, match="gl.toml"):
        rules.load_dir(tmp_path)
    with pytest.raises(ValueError, match="no such directory"):
        rules.load_dir(tmp_path / "missing")


def test_the_thresholds_hash_is_in_the_plan_and_follows_the_values(tmp_path):
    base = rules.thresholds_hash(rules.load_dir())
    (tmp_path / "ca.toml").write_text('lang_tag = "ca"\n[thresholds]\nmin_words = 30\n')
    changed = rules.thresholds_hash(rules.load_dir(tmp_path))
    assert changed != base and len(changed) == 16
    assert QualityFilter.data_versions(QualityFilter.Config()) == {"thresholds": base}
    assert QualityFilter.data_versions(QualityFilter.Config(thresholds_dir=str(tmp_path))) == {"thresholds": changed}
    pipeline = {
        "pipeline": {"name": "t", "root": str(tmp_path / "run")},
        "node": [
            {"id": "in", "stage": "ingest.jsonl.v1", "params": {"paths": ["x.jsonl"]}},
            {"id": "signals", "stage": "quality.signals.v1", "inputs": ["in"]},
            {"id": "quality", "stage": "quality.filter.v1", "inputs": ["signals"]},
        ],
    }
    before = plan_mod.from_dict(pipeline).hash
    pipeline["node"][2]["params"] = {"thresholds_dir": str(tmp_path)}
    assert plan_mod.from_dict(pipeline).hash != before


def test_thresholds_init_copies_the_shipped_files(tmp_path, capsys):
    out = tmp_path / "thresholds"
    assert cli.main(["quality", "thresholds", "init", str(out), "--langs", "ca", "gl"]) == 0
    assert sorted(p.name for p in out.glob("*.toml")) == ["ca.toml", "gl.toml"]
    assert (out / "ca.toml").read_text() == (rules.shipped_dir() / "ca.toml").read_text()
    assert rules.thresholds_hash(rules.load_dir(out)) == rules.thresholds_hash(rules.load_dir())
    assert cli.main(["quality", "thresholds", "init", str(out)]) == 2  # never overwrites a project's files
    assert "already" in capsys.readouterr().err
    assert cli.main(["quality", "thresholds", "init", str(out), "--langs", "pt"]) == 2
