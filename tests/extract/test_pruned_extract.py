"""extract.resiliparse.v2: resiliparse without boilerplate blocks and lines, trafilatura where it misses."""

from __future__ import annotations

import pyarrow as pa
import pytest

from corpusforge.extract.boilerplate import clean_lines
from corpusforge.extract.html import pruned_extract, resiliparse_extract
from corpusforge.stages.extract import PrunedConfig, PrunedResiliparseExtract

ARTICLE = [
    "L'Ajuntament de Girona ha aprovat aquest dimarts el pla per renovar els horts urbans del barri de "
    "Santa Eugènia, que des de fa anys reclamaven les entitats veïnals.",
    "Les obres començaran a la tardor i preveuen una nova xarxa de reg, un magatzem per a les eines i "
    "quaranta parcel·les més per a les famílies que són a la llista d'espera.",
    "Segons la regidora de Medi Ambient, el projecte es finançarà amb fons europeus i estarà enllestit "
    "abans de l'estiu de l'any vinent.",
]
SUBHEADING = "Una llista d'espera de tres anys"
BOILERPLATE = {
    "share": "Comparteix a Facebook · Comparteix a X · Envia per WhatsApp",
    "follow": "Segueix-nos a Instagram i a Telegram per rebre les últimes notícies del barri",
    "caption": "Els horts del barri de Santa Eugènia, dimarts al matí (Foto: Arxiu municipal)",
    "related": "El preu dels pisos de lloguer torna a pujar a les comarques gironines",
    "newsletter": "Subscriu-te al nostre butlletí i rep cada matí les notícies de la teva ciutat",
    "read_also": "LLEGIU TAMBÉ: La Generalitat anuncia més ajuts per als horts escolars",
    "label": "NOTÍCIES RELACIONADES",
    "tags": "Girona · Horts urbans · Medi ambient",
}


def page() -> str:
    b = BOILERPLATE
    return (
        '<!DOCTYPE html><html lang="ca"><head><meta charset="utf-8"><title>Horts urbans a Girona</title></head>'
        '<body><header><nav><a href="/">Portada</a> <a href="/societat">Societat</a></nav></header>'
        "<main><article><h1>Girona renovarà els horts urbans de Santa Eugènia</h1>"
        f'<div class="share-tools">{b["share"]}</div>'
        f'<figure><img src="/horts.jpg" alt=""><figcaption>{b["caption"]}</figcaption></figure>'
        f"<p>{ARTICLE[0]}</p><p>{b['read_also']}</p><h2>{SUBHEADING}</h2><p>{ARTICLE[1]}</p><p>{ARTICLE[2]}</p>"
        f'<div class="segueix-nos"><p>{b["follow"]}</p></div>'
        f'<div class="article-tags">{b["tags"]}</div>'
        f'<section class="noticies-relacionades"><h3>{b["label"]}</h3><ul><li><a href="/1">{b["related"]}</a></li>'
        "</ul></section>"
        f'<div class="newsletter-box"><p>{b["newsletter"]}</p></div></article></main>'
        "<footer><p>© 2024 Diari de Girona. Tots els drets reservats.</p></footer></body></html>"
    )


def test_pruned_keeps_the_article_and_drops_its_boilerplate():
    result, used_fallback = pruned_extract(page())
    assert not used_fallback
    for paragraph in ARTICLE:
        assert paragraph in result.text
    assert SUBHEADING in result.text  # between two sentences: a subheading, kept
    for kind, junk in BOILERPLATE.items():
        assert junk not in result.text, kind
    assert result.title == "Horts urbans a Girona" and result.html_lang == "ca"


def test_plain_resiliparse_keeps_what_v2_prunes():
    """The fixture holds what resiliparse's main-content heuristics leave, or the test above proves nothing."""
    text = resiliparse_extract(page()).text
    left = [kind for kind, junk in BOILERPLATE.items() if junk in text]
    assert {"follow", "read_also", "label", "tags"} <= set(left)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # call-to-action labels in capitals, in es / ca / gl / eu
        (["Primera frase del texto, con punto.", "LEE TAMBIÉN: Otra noticia", "Segunda frase, también."], [0, 2]),
        (["Frase completa de la noticia.", "LLEGIU TAMBÉ: Una altra notícia", "Una altra frase."], [0, 2]),
        (["Unha frase enteira da nova.", "LEA TAMÉN: Outra nova do día", "Outra frase."], [0, 2]),
        (["Berriaren lehen esaldia da hau.", "IRAKURRI ERE: Beste albiste bat", "Beste esaldi bat."], [0, 2]),
        # a shouted label goes, a capitalised score stays (figures: content, not a label)
        (["Crónica del partido de ayer.", "NOTICIAS RELACIONADAS", "Fin."], [0, 2]),
        (["Crónica del partido de ayer.", "ALAJUELENSE 3-1 HEREDIANO", "Fin."], [0, 1, 2]),
        # unpunctuated short lines at the edges go (a headline, "Lo último"), not between sentences
        (["Titular de la noticia", "Primera frase.", "Un subtítulo", "Segunda frase.", "Lo último"], [1, 2, 3]),
        # a long line without final punctuation is text (a lead)
        (["Un párrafo de entrada largo que no termina con punto pero tiene muchas palabras seguidas"], [0]),
    ],
)
def test_clean_lines(lines, expected):
    assert clean_lines("\n\n".join(lines)) == "\n".join(lines[i] for i in expected)


MODAL_PAGE = (
    '<html lang="gl"><head><title>Percebeiros</title></head><body><div class="modal">'
    + "<p>Os percebeiros da Costa da Morte saen ao mar cando a marea baixa e arriscan a vida entre as rochas "
    "para arrincar un dos mariscos máis valorados do mundo, segundo contan na confraría.</p>"
    * 8
    + "</div></body></html>"
)


def test_trafilatura_takes_over_where_resiliparse_finds_no_article():
    # resiliparse drops an element classed "modal" as boilerplate: here it holds the whole article.
    assert resiliparse_extract(MODAL_PAGE).text == ""
    result, used_fallback = pruned_extract(MODAL_PAGE)
    assert used_fallback and "Os percebeiros da Costa da Morte" in result.text


def test_stage_rejects_like_the_others_and_fallback_can_be_turned_off():
    table = pa.table(
        {"id": ["a", "b", "c"], "url": ["https://x.cat/a", "https://x.gal/b", None], "html": [page(), MODAL_PAGE, None]}
    )
    out = PrunedResiliparseExtract().process_batch(table)
    assert out.column("drop_reason").to_pylist() == [None, None, "extract:no_text"]
    assert "html" not in out.column_names
    without = PrunedResiliparseExtract(PrunedConfig(fallback=False)).process_batch(table)
    assert without.column("drop_reason").to_pylist() == [None, "extract:no_text", "extract:no_text"]
