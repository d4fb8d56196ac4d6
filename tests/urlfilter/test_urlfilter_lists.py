"""The URL filter's blocklists are declared, versioned inputs: the UT1 lists are always there (or the
plan fails), a configured list file that is missing fails at plan time, and the plan hash and the run
manifest change when a list's content does."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import random
import re
import sys
from pathlib import Path

import pytest

from corpusforge import plan as plan_mod
from corpusforge.plan import PlanError
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor
from corpusforge.stages.urlfilter import UrlFilterStage
from corpusforge.urlfilter import UrlFilter, sources
from corpusforge.urlfilter.matcher import substring_pattern

UT1_ARCHIVE = "datatrove/assets/url_filterblacklistsv0_3_0.tar.gz"


def _pipeline(tmp_path: Path, params: str = "") -> Path:
    corpus = tmp_path / "docs.jsonl"
    rows = [
        {"id": "es", "text": "El concello aprobó el presupuesto.", "url": "https://www.gva.es/va/inici"},
        {"id": "ut1", "text": "Texto de una página para adultos.", "url": "https://www.0-1avsex.com/x"},
        {"id": "own", "text": "Ofertas de la semana en la tienda.", "url": "https://tienda.spam-local.example/of"},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    path = tmp_path / "urls.toml"
    path.write_text(
        f"""
[pipeline]
name = "urls"
root = "{tmp_path / "run"}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{corpus}"], columns = ["url"] }}

[[node]]
id = "urls"
stage = "url.filter.v1"
inputs = ["ingest"]
params = {{ {params} }}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def without_datatrove(monkeypatch):
    """A plain install where datatrove is absent: `None` in sys.modules makes it unimportable."""
    monkeypatch.setitem(sys.modules, "datatrove", None)
    sources.clear_caches()
    yield
    sources.clear_caches()


def test_ut1_lists_are_part_of_the_plan_hash_and_manifest(tmp_path: Path) -> None:
    path = _pipeline(tmp_path)
    plan = plan_mod.load(path)
    versions = UrlFilterStage.data_versions(plan.nodes["urls"].config)
    archive = sources.ut1_assets() / "url_filterblacklistsv0_3_0.tar.gz"
    assert versions[UT1_ARCHIVE] == "sha256:" + hashlib.sha256(archive.read_bytes()).hexdigest()
    assert versions["datatrove"] == importlib.metadata.version("datatrove")
    manifest = run(plan, LocalExecutor())
    node = next(n for n in manifest["nodes"] if n["id"] == "urls")
    assert node["data"] == versions
    assert node["rejected"] == {"url:blocked_domain": 1}  # the UT1 domain, on every install


def test_a_missing_list_file_fails_at_plan_naming_node_and_field(tmp_path: Path) -> None:
    missing = tmp_path / "lists" / "blocked.txt"
    path = _pipeline(tmp_path, f'domain_files = ["{missing}"]')
    with pytest.raises(PlanError) as info:
        plan_mod.load(path)
    message = str(info.value)
    assert str(path) in message and "'urls'" in message and "params.domain_files" in message
    assert str(missing) in message


def test_the_plan_hash_follows_a_list_files_content(tmp_path: Path) -> None:
    lists = tmp_path / "blocked.txt"
    lists.write_text("# shop spam\nspam-local.example\n", encoding="utf-8")
    path = _pipeline(tmp_path, f'domain_files = ["{lists}"]')
    first = plan_mod.load(path)
    first_hash = first.hash
    manifest = run(first, LocalExecutor())
    node = next(n for n in manifest["nodes"] if n["id"] == "urls")
    assert node["rejected"] == {"url:blocked_domain": 2}
    assert node["data"][f"file:{lists}"] == "sha256:" + hashlib.sha256(lists.read_bytes()).hexdigest()
    lists.write_text("# shop spam\nspam-local.example\notra-tienda.example\n", encoding="utf-8")
    assert plan_mod.load(path).hash != first_hash  # same params, other list: another plan


def test_without_datatrove_the_plan_fails_instead_of_shrinking_the_list(tmp_path: Path, without_datatrove) -> None:
    path = _pipeline(tmp_path)
    with pytest.raises(PlanError) as info:
        plan_mod.load(path)
    message = str(info.value)
    assert "'urls'" in message and "params.ut1_lists" in message and "datatrove" in message
    with pytest.raises(sources.ListMissing):
        UrlFilter.load(ut1=True)
    # Opting out is explicit, and the plan says so (no UT1 entry in its data versions).
    plain = plan_mod.load(_pipeline(tmp_path, "ut1_lists = false"))
    assert not any(k.startswith("datatrove") for k in UrlFilterStage.data_versions(plain.nodes["urls"].config))


def test_batch_decisions_equal_one_by_one_decisions() -> None:
    f = UrlFilter.load(ut1=True, extra_domains=["spam.example.com"], allow_domains=["ok.0-1avsex.com"])
    urls = [
        "https://www.gva.es/va/inici",
        "https://0-1avsex.com/",
        "https://a.b.0-1avsex.com/x",
        "https://ok.0-1avsex.com/x",  # allowed although its parent is listed
        "http://botiga.exemple.cat/porno-gratis",
        "https://spam.example.com/ofertas",
        None,
        "",
        "not a url at all",
        "http://[::1",
        "https://xunta.gal/portada?id=3",
    ]
    one_by_one = [f.check(u) for u in urls]
    assert f.check_many(urls) == one_by_one
    assert one_by_one[:6] == [None, "blocked_domain", "blocked_domain", None, "blocked_word", "blocked_domain"]


def test_the_substring_pattern_finds_what_a_plain_search_finds() -> None:
    words = ["porn", "porno", "pornhub", "xxx", "sex", "sexcam", "cam", "a", "ab", "abc"]
    pattern = substring_pattern(words)
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice("abcmnoprsxhu") for _ in range(rng.randint(0, 12)))
        assert bool(pattern.search(text)) == any(w in text for w in words), text
    assert substring_pattern(["a.b", "c+"]).search("xa.b") and not substring_pattern(["a.b"]).search("axb")
    assert re.compile(substring_pattern([]).pattern).search("anything") is None


def test_the_old_parameter_name_still_plans(tmp_path: Path) -> None:
    """Pipelines written before the rename (`use_datatrove_lists`) keep planning, with the new meaning."""
    plan = plan_mod.load(_pipeline(tmp_path, "use_datatrove_lists = false"))
    assert plan.nodes["urls"].config.ut1_lists is False
    assert plan.nodes["urls"].config.model_dump()["ut1_lists"] is False
