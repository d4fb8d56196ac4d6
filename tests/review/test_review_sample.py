"""`corpusforge sample`: stratified by lang_tag x node x decision x score band, reproducible, sized per stratum."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from review_fixtures import (
    DUP_ROWS,
    ERROR_ROWS,
    FRENCH_ROWS,
    KEPT_PER_LANG,
    LANGS,
    LOW_SCORE_PER_LANG,
    STOPWORD_PER_LANG,
    total_rows,
)

from corpusforge.cli import main
from corpusforge.review.sample import SampleConfig, assign_bands, draw


def _groups(table) -> Counter:
    rows = table.select(["lang_tag", "review_node", "review_decision", "drop_reason"]).to_pylist()
    return Counter((r["lang_tag"], r["review_node"], r["drop_reason"] or "kept") for r in rows)


def test_every_group_is_sampled_per_band(run_dir: Path, tmp_path: Path) -> None:
    sample = draw(str(run_dir), tmp_path / "r", SampleConfig(seed=0, bands=3, per_band=2))
    groups = _groups(sample)
    for lang in LANGS:
        assert groups[(lang, "write", "kept")] == 3 * 2  # 12 kept -> 3 bands of 4, 2 drawn from each
        assert groups[(lang, "langid", "lang:low_score")] == 3 * 2  # 6 -> 3 bands of 2, both drawn
        assert groups[(lang, "quality", "quality:min_stopword_ratio")] == 3 * 2
    # The French pages are one text five times: each band shows it once, with how many it stands for.
    french = [r for r in sample.to_pylist() if r["drop_reason"] == "lang:fr"]
    assert groups[("fr", "langid", "lang:fr")] == 3 and sum(r["review_copies"] for r in french) == FRENCH_ROWS
    assert groups[("gl", "dedup", "dup:near")] == min(DUP_ROWS, 3 * 2)
    # Errors have no text to judge: not drawn by default; dedup's checkpoint is not a sink.
    assert not any(node == "extract" for _, node, _ in groups)
    assert not any(node == "dedup" and reason == "kept" for _, node, reason in groups)
    # The hive folder lang_tag=xx gives kept rows their tag although the files do not hold it.
    assert sample.column("lang_tag").null_count == 0


def test_bands_split_a_group_by_score_into_equal_counts(run_dir: Path, tmp_path: Path) -> None:
    draw(str(run_dir), tmp_path / "r", SampleConfig(bands=4, per_band=1))
    meta = json.loads((tmp_path / "r" / "sample.json").read_text())
    assert meta["rows_seen"] == total_rows()
    assert sum(s["population"] for s in meta["strata"].values()) == total_rows()
    kept_gl = [s["population"] for k, s in meta["strata"].items() if k.startswith("gl | write | kept")]
    assert kept_gl == [KEPT_PER_LANG // 4] * 4
    stop_eu = [s["population"] for k, s in meta["strata"].items() if k.startswith("eu | quality |")]
    assert sorted(stop_eu) == [2, 2, 2, 2] and sum(stop_eu) == STOPWORD_PER_LANG
    assert sum(s["sampled"] for k, s in meta["strata"].items() if "error:" in k) == 0
    # Pages without text (here: time-outs) are a stratum of their own, counted and never drawn.
    assert meta["strata"]["- | extract | error:timeout (no text) | no score"]["population"] == ERROR_ROWS


def test_band_of_a_document_follows_its_decision_signal(run_dir: Path, tmp_path: Path) -> None:
    sample = draw(str(run_dir), tmp_path / "r", SampleConfig(bands=2, per_band=5)).to_pylist()
    for row in sample:
        expected = "q_stopword_ratio" if row["drop_reason"] == "quality:min_stopword_ratio" else "lang_score"
        assert row["review_score_column"] == expected
        assert row["review_score"] == pytest.approx(row[expected])
    low = sorted(
        (r["review_score"], r["review_band"])
        for r in sample
        if r["drop_reason"] == "lang:low_score" and r["lang_tag"] == "es"
    )
    assert [b for _, b in low] == [0, 0, 0, 1, 1, 1]  # the three lowest scores form band 0


def test_assign_bands_ranks_ties_by_hash_and_leaves_missing_scores_out() -> None:
    import numpy as np

    bands = assign_bands(np.array([0.5, np.nan, 0.5, 0.1]), np.array([3, 1, 2, 9], dtype=np.uint64), 3)
    assert bands.tolist() == [2, -1, 1, 0]


def test_same_seed_same_sample_other_seed_other_sample(run_dir: Path, tmp_path: Path) -> None:
    config = SampleConfig(seed=11, bands=2, per_band=2)
    a = draw(str(run_dir), tmp_path / "a", config)
    b = draw(str(run_dir), tmp_path / "b", config)
    c = draw(str(run_dir), tmp_path / "c", SampleConfig(seed=12, bands=2, per_band=2))
    assert a.equals(b)
    assert a.column("id").to_pylist() != c.column("id").to_pylist()
    assert _groups(a) == _groups(c)  # another seed draws other documents, not other proportions


def test_sizes_per_decision_override_the_default(run_dir: Path, tmp_path: Path) -> None:
    config = SampleConfig(bands=2, per_band=1, sizes={"kept": 3, "quality": 0, "lang:low_score": 2, "error": 1})
    groups = _groups(draw(str(run_dir), tmp_path / "r", config))
    assert groups[("ca", "write", "kept")] == 6
    assert not any(reason.startswith("quality:") for _, _, reason in groups)
    assert groups[("eu", "langid", "lang:low_score")] == 2 * 2
    assert groups[("fr", "langid", "lang:fr")] == 2  # the default of 1 per band
    assert groups[(None, "extract", "error:timeout")] == 0  # asked for, but a page without text cannot be judged


def test_cli_sample_writes_parquet(run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    rc = main(
        [
            "sample",
            str(run_dir),
            "--out",
            str(out),
            "--seed",
            "5",
            "--bands",
            "2",
            "--per-band",
            "1",
            "--size",
            "kept=2",
        ]
    )
    assert rc == 0
    table = pq.read_table(out / "sample.parquet")
    expected = len(LANGS) * (2 * 2 + 2 + 2) + 2 + 2  # kept, low_score, stopword per lang; fr; dup
    assert table.num_rows == expected
    assert f"{expected} documents" in capsys.readouterr().out
    assert main(["sample", str(run_dir), "--out", str(out), "--size", "kept"]) == 2
    assert LOW_SCORE_PER_LANG == 6  # the expectation above assumes 6 low-score rows -> 2 bands of 3


def test_a_duplicate_comes_with_the_page_it_duplicates(run_dir: Path, tmp_path: Path) -> None:
    sample = draw(str(run_dir), tmp_path / "r", SampleConfig(bands=1, per_band=10)).to_pylist()
    twin = next(r for r in sample if r["id"] == "gl-000") if any(r["id"] == "gl-000" for r in sample) else None
    dups = [r for r in sample if r["drop_reason"] == "dup:near"]
    assert len(dups) == DUP_ROWS
    for r in dups:
        assert r["review_dup_of"] == "gl-000" and r["review_dup_of_url"].endswith("/gl/pagina/0")
        assert r["text"].startswith(r["review_dup_of_text"])  # the twin's text, redacted like the rest
        assert twin is None or twin["text"] == r["review_dup_of_text"]
    assert all(r["review_dup_of"] is None for r in sample if r["drop_reason"] != "dup:near")


def test_the_sample_records_the_thresholds_the_run_used(run_dir: Path, tmp_path: Path) -> None:
    from corpusforge.quality import rules

    draw(str(run_dir), tmp_path / "r", SampleConfig(bands=1, per_band=1))
    meta = json.loads((tmp_path / "r" / "sample.json").read_text())
    assert meta["thresholds"]["quality"] == rules.as_dict(rules.load_dir())  # no quality.filter.v1 node: shipped
    assert meta["thresholds"]["lang_min_score"] == {"*": 0.5}  # the fixture's language filter min_score


def test_kept_documents_come_only_from_nodes_that_hold_documents(
    run_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sample", str(run_dir), "--out", str(tmp_path / "x"), "--kept-node", "nope"]) == 2
    assert "not a node of the run" in capsys.readouterr().err


def test_a_sinks_portable_maps_and_rejected_maps_make_one_sample(run_dir: Path, tmp_path: Path) -> None:
    # The Parquet sink writes lang_mix as a list of key/value structs, rejected rows keep the map:
    # drawing both used to fail with "Unable to merge: Field lang_mix has incompatible types".
    import pyarrow as pa

    sample = draw(str(run_dir), tmp_path / "r", SampleConfig(bands=1, per_band=1))
    assert pa.types.is_map(sample.schema.field("lang_mix").type)
    kept = next(r for r in sample.to_pylist() if r["review_decision"] == "kept")
    assert dict(kept["lang_mix"])[kept["lang_tag"]] == pytest.approx(0.9)
