"""extract.trafilatura.v1 / extract.resiliparse.v1 on in-memory tables."""

from __future__ import annotations

import pyarrow as pa
import pytest

from corpusforge.demo.make_warc import render_page
from corpusforge.extract.html import head_metadata, html_lang, resiliparse_extract, trafilatura_extract
from corpusforge.extract.timeout import DocumentTimeout, Limiter
from corpusforge.stages.extract import ExtractConfig, ResiliparseExtract, TrafilaturaConfig, TrafilaturaExtract

ARTICLE = [
    "Os percebeiros da Costa da Morte saen ao mar cando a marea baixa, e arriscan a vida entre as rochas "
    "para arrincar un dos mariscos máis valorados do mundo.",
    "A confraría limita cada día a cantidade que se pode apañar, e os controis de calidade garanten que "
    "só chega ao mercado o percebe de talla suficiente.",
    "Os veciños lembran que antes non había vixilancia e que a sobreexplotación puxo en perigo os bancos "
    "naturais durante moitos anos.",
]
PAGE = render_page("gl", "Os percebeiros da Costa da Morte", ARTICLE, date="2024-02-14")


def table(pages: list[str | None]) -> pa.Table:
    return pa.table(
        {
            "id": [str(i) for i in range(len(pages))],
            "url": [f"https://x.example.gal/{i}" for i in range(len(pages))],
            "html": pa.array(pages, pa.string()),
        }
    )


NAV_BANNER_FOOTER = ("cookies propias", "dereitos reservados", "Subscríbete")


@pytest.mark.parametrize(
    ("stage_cls", "boilerplate"),
    [
        (TrafilaturaExtract, (*NAV_BANNER_FOOTER, "Compartir en Facebook")),
        (ResiliparseExtract, NAV_BANNER_FOOTER),  # resiliparse keeps the share-button text: the price of speed
    ],
)
def test_main_text_kept_boilerplate_removed(stage_cls: type, boilerplate: tuple[str, ...]) -> None:
    out = stage_cls().process_batch(table([PAGE])).to_pylist()[0]
    assert out["drop_reason"] is None
    for paragraph in ARTICLE:
        assert paragraph in out["text"]
    for junk in boilerplate:
        assert junk not in out["text"]
    assert out["title"].startswith("Os percebeiros")
    assert out["date"] == "2024-02-14"
    assert out["html_lang"] == "gl"
    assert "html" not in out


def test_no_text_and_too_short_are_rejected() -> None:
    empty = "<html><body><script>var menu = 1;</script></body></html>"
    short = "<html><body><article><p>Bo día.</p></article></body></html>"
    out = TrafilaturaExtract().process_batch(table([empty, short, None, PAGE]))
    assert out.column("drop_reason").to_pylist() == ["extract:no_text", "extract:too_short", "extract:no_text", None]


def test_keep_html_keeps_the_column() -> None:
    out = ResiliparseExtract(ExtractConfig(keep_html=True)).process_batch(table([PAGE]))
    assert out.column("html").to_pylist() == [PAGE]


def test_timeout_is_counted_as_an_error_and_the_batch_goes_on() -> None:
    # A page big enough that trafilatura needs far more than a millisecond on it.
    huge = render_page("gl", "Longo", ARTICLE * 400, date="2024-02-14")
    stage = TrafilaturaExtract(TrafilaturaConfig(timeout_s=0.001))
    out = stage.process_batch(table([huge]))
    assert out.column("drop_reason").to_pylist() == ["error:timeout"]
    relaxed = TrafilaturaExtract(TrafilaturaConfig(timeout_s=30)).process_batch(table([PAGE]))
    assert relaxed.column("drop_reason").to_pylist() == [None]


def spin(seconds: float) -> str:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return "done"


def test_limiter_in_a_helper_thread() -> None:
    """Off the main thread (a threaded Ray actor) the limit comes from a helper thread."""
    import threading

    results: list[object] = []

    def worker() -> None:
        limiter = Limiter(0.05)
        try:
            limiter.call(lambda: spin(0.5))
        except DocumentTimeout:
            results.append("timeout")
        results.append(limiter.call(lambda: spin(0.0)))

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    assert results == ["timeout", "done"]


def test_head_metadata_and_lang() -> None:
    assert html_lang('<html lang="ca-ES-valencia"><body>') == "ca-es-valencia"
    assert html_lang("<html><body>") is None
    title, date = head_metadata(PAGE)
    assert title == "Os percebeiros da Costa da Morte | www.xornal-exemplo.gal" and date == "2024-02-14"


def test_head_metadata_reads_metas_in_any_order_and_time_elements() -> None:
    page = (
        "<html LANG='es_AR'><head><TITLE>T &amp; co</TITLE>"
        '<meta content="2023-05-06T10:00:00Z" property="article:published_time"></head><body></body></html>'
    )
    assert head_metadata(page) == ("T & co", "2023-05-06")
    assert head_metadata(page.encode()) == ("T & co", "2023-05-06")
    assert html_lang(page) == "es-ar"
    timed = '<html><head><title>x</title></head><body><time class="d" datetime="2022-01-31">ayer</time></body></html>'
    assert head_metadata(timed) == ("x", "2022-01-31")
    assert resiliparse_extract(timed).date == "2022-01-31"
    upper = timed.replace("datetime=", "DATETIME=")  # attribute names in any case
    assert head_metadata(upper) == ("x", "2022-01-31")


def test_resiliparse_reads_utf8_bytes_like_text() -> None:
    assert resiliparse_extract(PAGE.encode()) == resiliparse_extract(PAGE)


def test_resiliparse_ignores_a_byte_order_mark() -> None:
    # As text, a BOM would open the body before <head> and put the <title> into the main text.
    assert resiliparse_extract("\ufeff" + PAGE) == resiliparse_extract(PAGE)


def test_trafilatura_drops_follow_us_blocks() -> None:
    # Inside the article: trafilatura alone keeps this paragraph.
    follow = (
        '<div class="siguenos"><p>Síguenos en Telegram, Instagram e Twitter para recibir todas as novidades '
        "do xornal no teu móbil.</p></div>"
    )
    page = PAGE.replace(f"{ARTICLE[-1]}</p>", f"{ARTICLE[-1]}</p>{follow}")
    assert follow in page
    text = trafilatura_extract(page).text
    assert ARTICLE[-1] in text and "Telegram" not in text


def test_trafilatura_drops_runs_of_ad_slot_labels() -> None:
    # Empty ad slots that only say what they are for: trafilatura keeps their labels after the article.
    slot = '<div class="publi"><p>Espazo publicitario</p><script></script></div>'
    page = PAGE.replace(f"{ARTICLE[-1]}</p>", f"{ARTICLE[-1]}</p>{slot * 4}")
    lines = trafilatura_extract(page).text.split("\n")
    assert ARTICLE[-1] in lines and "Espazo publicitario" not in lines
