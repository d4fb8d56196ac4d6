"""Build the demo WARC.gz from the shipped articles, byte for byte the same on every run.

The sample holds: news pages in es, ca, ca-valencia, eu and gl with menus, cookie banners,
share buttons and footers, and a closing line repeated in every article of a site; two
exact-duplicate pairs after extraction (one article at a second URL, other footer) and two
near-duplicate pairs (one word edited); a gambling URL; a page with phone numbers, a DNI and an e-mail; a keyword-spam page and a
lorem-ipsum page; pages in fr, en, pt and it; a Latin-1 page and a Shift-JIS page; a PNG,
a PDF, a 404, a 301, binary bytes labelled text/html, request and metadata records, and a
corrupt gzip member in the middle. Determinism: fixed dates, record ids derived from the
URL (uuid5), and gzip members with a zero mtime.
"""

from __future__ import annotations

import html
import uuid
import zlib
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusforge import io
from corpusforge.demo import articles_ca, articles_es, articles_eu, articles_gl, articles_val
from corpusforge.demo.extras import FOREIGN, LOREM_PAGE, PII_PAGE, SITES, SPAM_PAGE

ARTICLES = {
    "es": articles_es.ARTICLES,
    "ca": articles_ca.ARTICLES,
    "ca-valencia": articles_val.ARTICLES,
    "eu": articles_eu.ARTICLES,
    "gl": articles_gl.ARTICLES,
}
TAGLINES = {
    "es": "Sigue toda la actualidad de tu barrio en nuestra edición digital, cada mañana.",
    "ca": "Segueix tota l'actualitat del teu barri a la nostra edició digital, cada matí.",
    "ca-valencia": "Seguix tota l'actualitat del teu poble en la nostra edició digital, cada matí.",
    "eu": "Jarraitu zure auzoko albiste guztiak gure edizio digitalean, goizero.",
    "gl": "Segue toda a actualidade do teu barrio na nosa edición dixital, cada mañá.",
}
DEMO_FILE = "demo-sample.warc.gz"
_NS = uuid.UUID("6f1c3c52-1b7e-4c55-9d59-0c0ffee0demo".replace("demo", "0000"))


def render_page(lang: str, title: str, paragraphs: list[str], *, date: str, footer_note: str = "") -> str:
    """A news page of `lang`'s demo site: the article inside realistic boilerplate."""
    host, html_lang, nav, cookies, share, footer = SITES[lang]
    menu = "".join(f'<li><a href="/{html.escape(item.lower())}/">{html.escape(item)}</a></li>' for item in nav)
    # The site's closing line inside every article: extraction keeps it, dedup.lines.v1 cuts it.
    tagline = TAGLINES.get(lang)
    body = "".join(f"<p>{html.escape(p)}</p>" for p in [*paragraphs, *([tagline] if tagline else [])])
    related = "".join(f'<li><a href="/{i}">{html.escape(item)} {i}</a></li>' for i, item in enumerate(nav[:4]))
    return (
        f'<!DOCTYPE html><html lang="{html_lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} | {host}</title>"
        f'<meta property="article:published_time" content="{date}T08:00:00+01:00"></head><body>'
        f'<div id="cookie-banner" class="cookie-consent"><p>{html.escape(cookies)}</p></div>'
        f'<header><a class="logo" href="/">{host}</a><nav><ul class="menu">{menu}</ul></nav></header>'
        f'<main><article><h1>{html.escape(title)}</h1><time datetime="{date}">{date}</time>{body}</article>'
        f'<div class="share-buttons">{html.escape(share)}</div>'
        f'<aside class="related"><ul>{related}</ul></aside></main>'
        f"<footer><p>{html.escape(footer)}</p><p>{html.escape(footer_note)}</p></footer></body></html>"
    )


def _pages() -> list[tuple[str, str, bytes]]:
    """(url, content type, body) of every HTML page, in a fixed order."""
    pages: list[tuple[str, str, bytes]] = []
    day = 1
    for lang, articles in ARTICLES.items():
        host = SITES[lang][0]
        for slug, title, paragraphs in articles:
            page = render_page(lang, title, paragraphs, date=f"2024-03-{day:02d}")
            pages.append((f"https://{host}/{slug}", "text/html; charset=utf-8", page.encode()))
            day = day % 28 + 1
    # Exact duplicates after extraction: the same article at a second URL (AMP copy) with another footer.
    for lang in ("es", "ca"):
        slug, title, paragraphs = ARTICLES[lang][0]
        page = render_page(lang, title, paragraphs, date="2024-03-02", footer_note="Versió AMP / versión AMP")
        pages.append((f"https://{SITES[lang][0]}/amp/{slug}", "text/html; charset=utf-8", page.encode()))
    # Near duplicates after extraction: a copy with one word changed (5-gram Jaccard ~0.86).
    for lang, old_word, new_word in (("eu", "soberakina", "gehiena"), ("gl", "Teis", "Bouzas")):
        slug, title, paragraphs = ARTICLES[lang][0]
        edited = [p.replace(old_word, new_word) for p in paragraphs]
        page = render_page(lang, title, edited, date="2024-03-05")
        pages.append((f"https://{SITES[lang][0]}/{slug}-actualitzacio", "text/html; charset=utf-8", page.encode()))
    # A gambling site: url.filter.v1 rejects it by the words in its URL, whatever its text.
    slug, title, paragraphs = ARTICLES["es"][1]
    page = render_page("es", title, paragraphs, date="2024-04-04")
    pages.append((f"https://www.casino-apuestas-online.es/{slug}", "text/html; charset=utf-8", page.encode()))
    for lang, slug, title, paragraphs in [PII_PAGE, SPAM_PAGE, LOREM_PAGE]:
        page = render_page(lang, title, paragraphs, date="2024-04-01")
        pages.append((f"https://{SITES[lang][0]}/{slug}", "text/html; charset=utf-8", page.encode()))
    for lang, slug, title, paragraphs in FOREIGN:
        page = render_page(lang, title, paragraphs, date="2024-04-02")
        pages.append((f"https://{SITES[lang][0]}/{slug}", "text/html; charset=utf-8", page.encode()))
    # Old encodings: charset declared only in <meta> (Latin-1) or only in the HTTP header (Shift-JIS).
    slug, title, paragraphs = ARTICLES["es"][2]
    latin = render_page("es", title, paragraphs, date="2024-04-03").replace('charset="utf-8"', 'charset="iso-8859-1"')
    pages.append((f"https://{SITES['es'][0]}/archivo/{slug}", "text/html", latin.encode("latin-1")))
    japanese = "<html><head><title>地域の菜園</title></head><body><p>" + "地域の菜園で近所の人たちが集まります。" * 8
    pages.append(
        ("https://www.example.jp/news/garden", "text/html; charset=Shift_JIS", (japanese + "</p>").encode("shift_jis"))
    )
    return pages


def _response(
    writer: WARCWriter, url: str, status: str, headers: list[tuple[str, str]], body: bytes, date: str
) -> None:
    http = StatusAndHeaders(status, headers + [("Content-Length", str(len(body)))], protocol="HTTP/1.1")
    record = writer.create_warc_record(
        url,
        "response",
        payload=BytesIO(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NS, url)}>"},
    )
    writer.write_record(record)


def _member(fn: Callable[[WARCWriter], None]) -> bytes:
    """The bytes one writer call produces (each record is its own gzip member)."""
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=True)
    fn(writer)
    return buf.getvalue()


def _warcinfo(writer: WARCWriter) -> None:
    record = writer.create_warcinfo_record(DEMO_FILE, {"software": "corpusforge demo generator"})
    record.rec_headers.replace_header("WARC-Date", "2024-05-01T10:00:00Z")
    record.rec_headers.replace_header("WARC-Record-ID", f"<urn:uuid:{uuid.uuid5(_NS, 'info')}>")
    writer.write_record(record)


def _corrupt(member: bytes) -> bytes:
    """Damage the deflate stream in the middle so the member no longer inflates."""
    mid = len(member) // 2
    return member[:mid] + b"\xff" * 24 + member[mid + 24 :]


def build_warc() -> bytes:
    """The whole demo WARC.gz as bytes."""
    pages = _pages()
    parts: list[bytes] = []
    stamp = iter(f"2024-05-01T10:{m:02d}:{s:02d}Z" for m in range(60) for s in range(0, 60, 7))

    def add_response(url: str, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        date = next(stamp)
        parts.append(_member(lambda w: _response(w, url, status, headers, body, date)))

    parts.append(_member(_warcinfo))
    half = len(pages) // 2
    for i, (url, ctype, body) in enumerate(pages):
        if i == half:
            _add_odd_records(parts, add_response)
        add_response(url, "200 OK", [("Content-Type", ctype)], body)
    return b"".join(parts)


def _add_odd_records(parts: list[bytes], add: Callable[[str, str, list[tuple[str, str]], bytes], None]) -> None:
    """Records that are not good pages: non-HTML, redirects, errors, binary, corruption."""
    png = b"\x89PNG\r\n\x1a\n" + zlib.compress(b"\x00" * 64)
    add("https://www.diario-ejemplo.es/img/logo.png", "200 OK", [("Content-Type", "image/png")], png)
    pdf = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    add("https://www.diari-exemple.cat/docs/memoria.pdf", "200 OK", [("Content-Type", "application/pdf")], pdf)
    add("https://www.xornal-exemplo.gal/non-existe", "404 Not Found", [("Content-Type", "text/html")], b"<h1>404</h1>")
    add(
        "http://www.egunkaria-adibidea.eus/",
        "301 Moved Permanently",
        [("Content-Type", "text/html"), ("Location", "https://www.egunkaria-adibidea.eus/")],
        b"<a href='https://www.egunkaria-adibidea.eus/'>moved</a>",
    )
    binary = bytes((i * 37 + 11) % 256 for i in range(4096))
    add("https://www.periodic-exemple.val/descarrega", "200 OK", [("Content-Type", "text/html")], binary)
    parts.append(
        _corrupt(
            _member(
                lambda w: _response(
                    w,
                    "https://www.diario-ejemplo.es/roto",
                    "200 OK",
                    [("Content-Type", "text/html")],
                    render_page("es", "Roto", ["Este registro está dañado."] * 20, date="2024-01-01").encode(),
                    "2024-05-01T09:00:00Z",
                )
            )
        )
    )

    def request_and_metadata(w: WARCWriter) -> None:
        req = StatusAndHeaders("GET / HTTP/1.1", [("Host", "www.diario-ejemplo.es")], is_http_request=True)
        ids = {"WARC-Date": "2024-05-01T09:30:00Z", "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NS, 'req')}>"}
        w.write_record(
            w.create_warc_record("https://www.diario-ejemplo.es/", "request", http_headers=req, warc_headers_dict=ids)
        )
        meta = {"WARC-Date": "2024-05-01T09:30:01Z", "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NS, 'meta')}>"}
        w.write_record(
            w.create_warc_record(
                "https://www.diario-ejemplo.es/",
                "metadata",
                payload=BytesIO(b"fetchTimeMs: 120\n"),
                warc_headers_dict=meta,
                warc_content_type="application/warc-fields",
            )
        )

    parts.append(_member(request_and_metadata))


def write_demo_warc(directory: str | Path) -> Path:
    """Write the sample to `directory/demo-sample.warc.gz` (atomically) and return its path."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    target = out / DEMO_FILE
    with io.atomic_path(target) as tmp:
        Path(tmp).write_bytes(build_warc())
    return target


if __name__ == "__main__":
    print(write_demo_warc("runs/demo-input"))
