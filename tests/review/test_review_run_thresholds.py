"""The thresholds a run decided with, read from its manifest."""

from __future__ import annotations

import json
from pathlib import Path

from corpusforge.quality import rules
from corpusforge.review.run_thresholds import RunThresholds, from_run


def _run(tmp_path: Path, nodes: list[dict]) -> str:
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes, "final_nodes": []}), encoding="utf-8")
    return str(tmp_path)


def test_the_language_filters_default_and_per_tag_minimum(tmp_path: Path) -> None:
    # langid.filter.v1 records min_score = {} and default_min_score: the default used to be missed.
    nodes = [
        {
            "id": "langfilter",
            "stage": "langid.filter.v1",
            "params": {"min_score": {"gl": 0.7}, "default_min_score": 0.6},
        }
    ]
    t = from_run(_run(tmp_path, nodes))
    assert t.value("gl", "min_lang_score") == 0.7 and t.value("eu", "min_lang_score") == 0.6


def test_a_project_directory_and_skipped_rules_and_the_recorded_hash(tmp_path: Path) -> None:
    project = tmp_path / "thresholds"
    project.mkdir()
    (project / "ca.toml").write_text('lang_tag = "ca"\n[thresholds]\nmin_words = 30\n', encoding="utf-8")
    params = {"thresholds_dir": str(project), "skip_rules": ["max_digit_ratio"]}
    nodes = [{"id": "quality", "stage": "quality.filter.v1", "params": params, "data": {"thresholds": "0" * 16}}]
    t = from_run(_run(tmp_path, nodes))
    assert t.value("ca", "min_words") == 30 and t.value("ca", "max_digit_ratio") is None
    assert t.value("es", "min_words") == 50 and t.quality_node == "quality"
    assert t.changed_since_run  # the recorded hash is not what the files give today
    again = RunThresholds.from_json(json.loads(json.dumps(t.to_json(), sort_keys=True)))
    assert again.hash == t.hash and [r.name for r in again.sets["ca"].rules] == [r.name for r in t.sets["ca"].rules]
    assert rules.thresholds_hash(again.sets) == t.hash
