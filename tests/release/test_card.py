"""`corpusforge card RUN`: a Hugging Face dataset card that parses, whose configs `datasets` opens offline."""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from release_fixtures import run_release

from corpusforge.cli import main
from corpusforge.rundir import RunDir

LANGS = {"es", "ca", "ca-valencia", "eu", "gl"}


@pytest.fixture(scope="module")
def carded_run(tmp_path_factory) -> Path:
    root = run_release(tmp_path_factory.mktemp("card"), pack=True)
    # a file that is not data beside the shards: the configs must not pick it up
    (root / "write" / "es" / "NOTES.txt").write_text("revisado\n", encoding="utf-8")
    assert main(["card", str(root)]) == 0
    return root


def _ids_by_lang(root: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in (root / "write").glob("*/*.parquet"):
        for row in pq.read_table(f, columns=["id", "lang_tag"]).to_pylist():
            out.setdefault(row["lang_tag"], set()).add(row["id"])
    return out


def test_the_card_parses_as_a_dataset_card(carded_run):
    hub = pytest.importorskip("huggingface_hub")
    card = hub.DatasetCard.load(carded_run / "README.md")
    data = card.data.to_dict()
    assert data["language"] == ["ca", "es", "eu", "gl"]
    assert data["license"] == "other" and data["size_categories"] == ["n<1K"]
    configs = {c["config_name"]: c for c in data["configs"]}
    assert set(configs) == LANGS | {"all"} and configs["all"]["default"] is True
    assert configs["ca-valencia"]["data_files"] == [{"split": "train", "path": ["write/ca-valencia/*.parquet"]}]
    assert "columns" not in configs["es"]  # every column is readable: datasets infers the features
    assert "# release-test" in card.text


def test_load_dataset_opens_every_declared_config_offline(carded_run, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))
    datasets = pytest.importorskip("datasets")
    expected = _ids_by_lang(carded_run)
    assert set(expected) == LANGS
    for lang in LANGS:
        ds = datasets.load_dataset(str(carded_run), lang, split="train", cache_dir=str(tmp_path / "cache"))
        assert set(ds["id"]) == expected[lang] and set(ds["lang_tag"]) == {lang}
        assert {"source", "fetch_time", "robots", "license_url", "lang_mix"} <= set(ds.column_names)
    everything = datasets.load_dataset(str(carded_run), split="train", cache_dir=str(tmp_path / "cache"))
    assert set(everything["id"]) == set().union(*expected.values())


def test_the_body_reports_stages_funnel_tokens_pii_decontamination_and_policy(carded_run):
    text = (carded_run / "README.md").read_text(encoding="utf-8")
    manifest = RunDir(str(carded_run)).read_manifest()
    assert manifest is not None
    for node in manifest["nodes"]:
        assert f"| `{node['id']}` | `{node['stage']}` | v1 |" in text
    assert "**Thresholds hash** `" in text and "2025-02-01T09:00:00Z" in text
    assert "| `bench` | 2 | 1 | 1 | 1 | 1 | 0 |" in text  # records, indexed, too short, matched, removed, cut
    assert "decontam: decontam:bench (1)" in text  # main rejection reason of Spanish
    assert "urls: url:ai_optout" in text and "were **dropped**" in text
    assert "`cc-by-sa-4.0` 1" in text and "`nofollow` 1, `noindex` 1" in text
    assert "## Tokens" in text and "Not packed" not in text
    assert "Node `pii` (`pii.redact.v1`)" in text
    assert "Left out of the configs" not in text


def test_charts_are_written_beside_the_card_or_skipped_with_a_reason(carded_run, tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    for name in ("funnel.png", "languages.png"):
        image = carded_run / "_card" / name
        assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"(_card/{name})" in (carded_run / "README.md").read_text(encoding="utf-8")
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    assert main(["card", str(carded_run), "--out", str(tmp_path / "card")]) == 0
    assert "matplotlib is not installed" in capsys.readouterr().err
    assert not (tmp_path / "card" / "_card").exists()
    elsewhere = (tmp_path / "card" / "README.md").read_text(encoding="utf-8")
    assert f'"{carded_run}/write/es/*.parquet"' in elsewhere  # shards not under the card: absolute


def test_card_of_a_directory_that_is_no_run_exits_2(tmp_path, capsys):
    assert main(["card", str(tmp_path)]) == 2
    assert "manifest.json not found" in capsys.readouterr().err


def test_a_map_column_is_left_out_of_the_configs_so_datasets_can_open_them(tmp_path, monkeypatch):
    """A final node that is not a sink keeps Arrow maps, which datasets cannot read at all."""
    import json

    import pyarrow as pa

    for lang, ids in (("eu", ["a", "b"]), ("gl", ["c"])):
        part = tmp_path / "near" / f"lang_tag={lang}" / "part-00000.parquet"
        part.parent.mkdir(parents=True)
        mix = pa.array([[(lang, 1.0)]] * len(ids), pa.map_(pa.string(), pa.float32()))
        pq.write_table(pa.table({"id": ids, "text": ["Kaixo, zer moduz?"] * len(ids), "lang_tag": [lang] * len(ids),
                                 "lang_mix": mix}), part)  # fmt: skip
    node = {"id": "near", "stage": "dedup.minhash.v1", "kind": "global", "inputs": [], "params": {}, "in": 3,
            "kept": 3, "rejected": {}, "errors": {}, "kept_by_lang": {"eu": 2, "gl": 1}}  # fmt: skip
    (tmp_path / "manifest.json").write_text(json.dumps({"pipeline": "maps", "nodes": [node], "final_nodes": ["near"]}))
    assert main(["card", str(tmp_path), "--no-charts"]) == 0
    assert "Left out of the configs: `lang_mix`" in (tmp_path / "README.md").read_text(encoding="utf-8")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    ds = datasets.load_dataset(str(tmp_path), "eu", split="train", cache_dir=str(tmp_path / "cache"))
    assert ds.column_names == ["id", "text", "lang_tag"] and sorted(ds["id"]) == ["a", "b"]
