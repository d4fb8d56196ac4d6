import pyarrow as pa

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
