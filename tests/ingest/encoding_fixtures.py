"""Pages of the five languages in the encodings their web uses, declared in every way a server does.

The articles are the demo sample's (written for corpusforge). Each language adds two lines of
its own: one with the characters Latin-1 has (¿ ¡ º ª ñ ç l·l) and the euro sign, which
ISO-8859-15 puts at 0xA4 and cp1252 at 0x80, and one with the typographic quotes and dashes
that only cp1252 has (0x80-0x9F).
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from dataclasses import dataclass

from corpusforge.demo.make_warc import ARTICLES

LANGS = ("es", "ca", "ca-valencia", "eu", "gl")
ENCODINGS = ("utf-8", "cp1252", "iso-8859-1", "iso-8859-15")
DECLARED = ("header", "meta", "none")

EURO_LINE = {
    "es": "¿Cuánto cuesta el menú? ¡Sólo 12 €! La 3ª edición del 1º de mayo, año tras año en la Peña.",
    "ca": "Quant costa el menú? Només 12 €, i la col·lecció de l'any passat en valia 15 a la plaça.",
    "ca-valencia": "Quant costa el menú? Només 12 €, i la col·lecció d'enguany val 15 en la plaça del poble.",
    "eu": "Zenbat balio du menuak? 12 € baino ez, eta Iruñeko jaian 15 € ordaindu genituen iaz.",
    "gl": "Canto custa o menú? ¡Só 12 €! A 3ª edición da feira, ano tras ano na Coruña, con viño.",
}
QUOTE_LINE = {
    "es": "“Es lo mejor del año”, dijo la alcaldesa — y añadió: ‘volveremos’… con 2 €.",
    "ca": "“És el millor de l’any”, va dir l’alcaldessa — i va afegir: ‘tornarem’… per 2 €.",
    "ca-valencia": "“És el millor de l’any”, va dir l’alcaldessa — i va afegir: ‘tornarem’… per 2 €.",
    "eu": "“Urteko onena da”, esan zuen alkateak — eta gaineratu: ‘itzuliko gara’… 2 €-ren truke.",
    "gl": "“É o mellor do ano”, dixo a alcaldesa — e engadiu: ‘volveremos’… por 2 €.",
}


def _wire_label(encoding: str) -> str:
    """How servers spell the charset (cp1252 as windows-1252)."""
    return "windows-1252" if encoding == "cp1252" else encoding.upper()


def render(lang: str, title: str, paragraphs: list[str], *, meta: str | None = None, http_equiv: bool = False) -> str:
    """An HTML page; `meta` puts a <meta charset> (or http-equiv Content-Type) in its head."""
    if meta is None:
        head = ""
    elif http_equiv:
        head = f'<meta http-equiv="Content-Type" content="text/html; charset={meta}">'
    else:
        head = f'<meta charset="{meta}">'
    body = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head>{head}<title>{html.escape(title)}</title></head>'
        f"<body><nav><a href='/'>Inicio</a></nav><article><h1>{html.escape(title)}</h1>{body}</article>"
        "</body></html>"
    )


def paragraphs_for(lang: str, encoding: str, paragraphs: list[str]) -> list[str]:
    """The article's paragraphs plus the lines the encoding can hold."""
    extra = [EURO_LINE[lang]] if encoding != "iso-8859-1" else []
    if encoding in ("utf-8", "cp1252"):
        extra.append(QUOTE_LINE[lang])
    return [*paragraphs, *extra]


@dataclass(frozen=True)
class EncodedPage:
    lang: str
    encoding: str
    declared: str  # "header", "meta" or "none"
    slug: str
    text: str  # the page as it was written
    body: bytes  # the page on the wire
    content_type: str

    @property
    def url(self) -> str:
        return f"https://{self.lang}.example.org/{self.encoding}/{self.declared}/{self.slug}"


def encoded_page(lang: str, encoding: str, declared: str, article: tuple[str, str, list[str]]) -> EncodedPage:
    slug, title, paragraphs = article
    label = _wire_label(encoding)
    meta = label if declared == "meta" else None
    text = render(lang, title, paragraphs_for(lang, encoding, paragraphs), meta=meta, http_equiv=encoding == "cp1252")
    content_type = f"text/html; charset={label}" if declared == "header" else "text/html"
    return EncodedPage(lang, encoding, declared, slug, text, text.encode(encoding), content_type)


def encoded_pages(*, per_language: int | None = None) -> Iterator[EncodedPage]:
    """Every article of every language in every encoding, declared every way (480 pages)."""
    for lang in LANGS:
        for article in ARTICLES[lang][:per_language]:
            for encoding in ENCODINGS:
                for declared in DECLARED:
                    yield encoded_page(lang, encoding, declared, article)


def spanish_page(extra: str = "") -> str:
    """A short Spanish page with accents, ñ, ¿ and « », for the special cases."""
    return render(
        "es",
        "Kilómetros de costa",
        [
            "¿Sabía que la costa gallega tiene más de mil quinientos kilómetros? «Es una maravilla», dice el guía.",
            "La señora Núñez recorre cada año el camino de Fisterra a Muxía con sus nietos, sin prisa. " + extra,
        ],
    )
