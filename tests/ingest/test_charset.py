"""decode_html: the five languages in every encoding and declaration, and the web's usual lies."""

from __future__ import annotations

import pytest
from encoding_fixtures import DECLARED, ENCODINGS, LANGS, encoded_pages, render, spanish_page

from corpusforge.ingest.charset import decode_html, utf8_candidate

PAGES = list(encoded_pages())


@pytest.mark.parametrize("declared", DECLARED)
@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_language_encoding_and_declaration_decodes_to_the_original(
    lang: str, encoding: str, declared: str
) -> None:
    pages = [p for p in PAGES if (p.lang, p.encoding, p.declared) == (lang, encoding, declared)]
    assert len(pages) == 8
    for page in pages:
        text, charset, bad = decode_html(page.body, page.content_type)
        assert text == page.text, (page.slug, charset)
        assert bad == 0


def test_undeclared_western_pages_name_a_western_charset() -> None:
    """Spanish in Latin-1 used to come out as cp1250 (ñ -> ń, ¿ -> ż, à -> ŕ) with 0 bad bytes."""
    for page in PAGES:
        if page.declared == "none" and page.encoding != "utf-8" and not page.body.isascii():
            _, charset, _ = decode_html(page.body, page.content_type)
            assert charset in ("cp1252", "iso8859-15"), (page.url, charset)


def test_euro_at_0xa4_reads_as_iso_8859_15_and_at_0x80_as_cp1252() -> None:
    line = "El billete cuesta 2 € y el abono 40 €."
    assert decode_html(line.encode("iso-8859-15"))[:2] == (line, "iso8859-15")
    assert decode_html(line.encode("cp1252"))[:2] == (line, "cp1252")


@pytest.mark.parametrize("label", ["ISO-8859-15", "windows-1252", "iso-8859-1"])
@pytest.mark.parametrize("where", ["header", "meta"])
def test_utf8_page_that_declares_a_western_charset_is_read_as_utf8(label: str, where: str) -> None:
    """A web classic: the template says Latin-9, the bytes are UTF-8 ("kilÃ³metros" before)."""
    page = spanish_page()
    if where == "meta":
        page = page.replace("<head>", f'<head><meta charset="{label}">')
    body = page.encode("utf-8")
    text, charset, bad = decode_html(body, f"text/html; charset={label}" if where == "header" else "text/html")
    assert (text, charset, bad) == (page, "utf-8", 0)
    assert "kilómetros" in text and "Ã" not in text


def test_declared_latin1_is_read_as_windows_1252_like_browsers() -> None:
    """Pages labelled ISO-8859-1 with typographic quotes in 0x80-0x9F (the WHATWG rule)."""
    page = render("es", "Citas", ["“Hola”, dijo — y se fue…"], meta="iso-8859-1")
    text, charset, bad = decode_html(page.encode("cp1252"), "text/html")
    assert (text, charset, bad) == (page, "cp1252", 0)


def test_ascii_page_keeps_its_declared_charset() -> None:
    page = render("eu", "Kaixo", ["Gaur eguraldi ona dago mendian."], meta="iso-8859-1")
    assert decode_html(page.encode("ascii"), "text/html") == (page, "cp1252", 0)


@pytest.mark.parametrize(
    ("codec", "content_type"),
    [
        ("utf-16-le", "text/html"),
        ("utf-16-be", "text/html"),
        ("utf-16-le", "text/html; charset=utf-16"),
        ("utf-16-be", "text/html; charset=UTF-16"),
        ("utf-32-le", "text/html"),
        ("utf-32-be", "text/html"),
    ],
)
def test_wide_unicode_without_bom_is_decoded(codec: str, content_type: str) -> None:
    page = spanish_page()
    text, charset, bad = decode_html(page.encode(codec), content_type)
    assert (text, charset, bad) == (page, codec, 0)


@pytest.mark.parametrize("bom_codec", ["utf-16", "utf-32"])
def test_wide_unicode_with_bom_is_decoded(bom_codec: str) -> None:
    page = spanish_page()
    text, _, bad = decode_html(page.encode(bom_codec))
    assert (text, bad) == (page, 0)


@pytest.mark.parametrize("content_type", ["text/html; charset=utf-8", "text/html"])
def test_latin1_paragraph_in_a_utf8_page_is_read_as_latin1(content_type: str) -> None:
    """A UTF-8 template around text pasted from a Latin-1 database: ñ stays ñ (no U+FFFD)."""
    page = spanish_page(extra="XX")
    pasted = "El año pasado, la señora Muñoz ganó el campeonato de cálculo."
    body = page.replace("XX", "").encode("utf-8").replace(b"</article>", pasted.encode("latin-1") + b"</article>")
    text, charset, bad = decode_html(body, content_type)
    assert text == page.replace("XX", "").replace("</article>", pasted + "</article>")
    assert charset == "utf-8"
    assert bad == len([c for c in pasted if ord(c) > 127])  # still counted: the page broke its charset


def test_broken_bytes_in_a_declared_multibyte_page_are_replaced_and_counted() -> None:
    body = "<p>東京の天気</p>".encode("shift_jis") + b"\x82"  # a lead byte without its trail byte
    text, charset, bad = decode_html(body, "text/html; charset=Shift_JIS")
    assert charset == "cp932" and bad == 1 and text == "<p>東京の天気</p>\ufffd"


def test_bytes_cp1252_leaves_undefined_are_read_as_browsers_do() -> None:
    text, charset, bad = decode_html(b"<p>caf\xe9 \x81</p>", "text/html; charset=windows-1252")
    assert (text, charset, bad) == ("<p>café \x81</p>", "cp1252", 0)  # WHATWG: 0x81 -> U+0081


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Москва — столица России. В городе живут и работают миллионы людей, и у каждого своя история.", "cp1251"),
        ("東京は日本の首都であり、世界最大級の都市圏を形成している。人口は約千四百万人である。", "shift_jis"),
        ("北京是中华人民共和国的首都，也是全国的政治、文化和国际交往中心。北京有三千多年的历史。", "gbk"),
        ("Η Αθήνα είναι η πρωτεύουσα της Ελλάδας και μία από τις αρχαιότερες πόλεις του κόσμου.", "cp1253"),
    ],
    ids=["ru-cp1251", "ja-shift_jis", "zh-gbk", "el-cp1253"],
)
def test_undeclared_non_western_pages_are_still_guessed(text: str, codec: str) -> None:
    page = f"<html><head><title>x</title></head><body><p>{text}</p></body></html>"
    decoded, charset, bad = decode_html(page.encode(codec))
    assert decoded == page and bad == 0, charset


def test_utf8_candidate_leaves_wide_text_and_declared_legacy_pages_to_decode_html() -> None:
    page = spanish_page()
    assert utf8_candidate(page.encode()) == page.encode()
    assert utf8_candidate(page.encode(), "text/html; charset=UTF-8") == page.encode()
    assert utf8_candidate(page.encode("utf-16-le")) is None
    assert utf8_candidate(page.encode("latin-1"), "text/html; charset=iso-8859-1") is None
