import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusforge import plan as plan_mod
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor
from corpusforge.stages.urlfilter import UrlFilterStage
from corpusforge.urlfilter import UrlFilter, host_of, tld_hint

URLS = [
    "https://www.gva.es/va/inici",
    "https://videos.pornhub.com/view",
    "http://botiga.exemple.cat/porno-gratis",
    "https://www.euskadi.eus/hasiera/",
    "https://xunta.gal/portada",
    None,
    "not a url at all",
    "https://spam.example.com/ofertas",
]


def _stage(**params):
    stage = UrlFilterStage(UrlFilterStage.Config(ut1_lists=False, **params))
    stage.setup()
    return stage


def test_reasons_and_tld_hints():
    out = _stage(block_domains=["example.com"]).process_batch(pa.table({"url": URLS}))
    assert out.column("drop_reason").to_pylist() == [
        None,
        "url:blocked_domain",
        "url:blocked_word",
        None,
        None,
        None,
        None,
        "url:blocked_domain",
    ]
    assert out.column("url_tld_hint").to_pylist() == ["es", None, "cat", "eus", "gal", None, None, None]


def test_allow_list_overrides_every_list():
    stage = _stage(block_domains=["example.com"], allow_domains=["spam.example.com", "exemple.cat"])
    out = stage.process_batch(pa.table({"url": URLS}))
    reasons = out.column("drop_reason").to_pylist()
    assert reasons[2] is None and reasons[7] is None and reasons[1] == "url:blocked_domain"


def test_extra_words_and_soft_words():
    f = UrlFilter.load(ut1=False, extra_words=["apuestas-deportivas", "tragaperras"])
    assert f.check("https://a.es/juegos/tragaperras-online") == "blocked_word"
    assert f.check("https://a.es/noticias/deportes") is None


def test_host_parsing_is_robust():
    assert host_of("HTTPS://Sub.Example.ES:8080/x") == "sub.example.es"
    assert host_of("example.cat/path") == "example.cat"
    assert host_of("http://[::1") == ""
    assert tld_hint("web.udala.eus") == "eus" and tld_hint("") is None


def test_ut1_lists_on_every_install():
    f = UrlFilter.load()
    assert len(f.origins) == 2 and "UT1" in f.origins[1]
    assert f.check("https://0-1avsex.com/") == "blocked_domain"  # from the UT1 adult list
    assert f.check("https://www.elpais.com/espana/") is None


def test_batch_without_url_column_keeps_every_row():
    out = _stage().process_batch(pa.table({"text": ["a", "b"]}))
    assert out.column("drop_reason").to_pylist() == [None, None]
    assert out.column("url_tld_hint").to_pylist() == [None, None]


def _docs_pipeline(tmp_path, docs_params: str, url_params: str = "ut1_lists = false"):
    path = tmp_path / "p.toml"
    path.write_text(
        f"""
[pipeline]
name = "urls"
root = "{tmp_path / "run"}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{tmp_path / "docs.jsonl"}"], {docs_params} }}

[[node]]
id = "urls"
stage = "url.filter.v1"
inputs = ["ingest"]
params = {{ {url_params} }}
""",
        encoding="utf-8",
    )
    return path


def test_the_url_column_is_declared_by_the_source_or_the_plan_fails(tmp_path):
    (tmp_path / "docs.jsonl").write_text('{"id": "a", "text": "Bon dia.", "url": "https://a.cat/"}\n', "utf-8")
    with pytest.raises(plan_mod.PlanError) as err:
        plan_mod.load(_docs_pipeline(tmp_path, "batch_size = 10"))
    assert (err.value.node, err.value.field) == ("urls", "stage")
    assert "url" in str(err.value) and "columns" in str(err.value)
    plan = plan_mod.load(_docs_pipeline(tmp_path, 'columns = ["url"]'))
    assert "url" in plan.nodes["ingest"].columns_out
    # The robots column is read only to honour AI opt-outs, and must then be declared too.
    with pytest.raises(plan_mod.PlanError, match="robots"):
        plan_mod.load(_docs_pipeline(tmp_path, 'columns = ["url"]', "ut1_lists = false, respect_ai_optout = true"))
    plan_mod.load(
        _docs_pipeline(tmp_path, 'columns = ["url", "robots"]', "ut1_lists = false, respect_ai_optout = true")
    )


def test_a_declared_column_a_file_lacks_is_null(tmp_path):
    (tmp_path / "docs.jsonl").write_text('{"id": "a", "text": "Bon dia a tothom."}\n', "utf-8")
    manifest = run(plan_mod.load(_docs_pipeline(tmp_path, 'columns = ["url"]')), LocalExecutor())
    node = next(n for n in manifest["nodes"] if n["id"] == "urls")
    assert (node["in"], node["kept"], node["rejected"]) == (1, 1, {})
    out = pq.read_table(sorted((tmp_path / "run" / "urls").glob("part-*.parquet")))
    assert out.column("url").to_pylist() == [None] and out.column("url_tld_hint").to_pylist() == [None]
