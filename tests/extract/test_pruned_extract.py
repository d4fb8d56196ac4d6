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
        # the same label three times in a row (ad slots, loaders) goes, with the bare dashes between
        (["Primera frase.", "Publicidad", "-", "Publicidad", "Publicidad", "Última frase."], [0, 5]),
        (["Primera frase.", "Cargando...", "Cargando...", "Cargando..."], [0]),
        # a heading repeated before each section is not a placeholder
        (
            ["Crónica.", "Goles", "Gol de Ana al minuto 3.", "Goles", "Gol de Eva al 9.", "Goles", "Gol al 80."],
            [0, 1, 2, 3, 4, 5, 6],
        ),
        # three sentences cut with "..." are teasers, with the heading above them and a whole one between;
        (
            [
                "Una frase completa de la noticia.",
                "Deportes",
                *["Un resumen cortado de otra noticia que sigue en otra página de..."] * 2,
                "Teaser entero.",
                "Y otro resumen cortado de otra noticia que sigue en la web…",
            ],
            [0],
        ),
        # one or two lines trailing off (a quote, a cut paragraph) stay
        (["—Yo creía que la reunión acabaría tarde y que no llegaríamos a tiempo para...", "Frase final."], [0, 1]),
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


# A local news page whose article is followed by "more news" grids: per section, a heading and teasers
# whose summaries the site cut at a fixed length with "..." (one short enough to stay whole), and a
# comments block. resiliparse's main-content heuristics keep the summaries (their headlines are links).
CACERES = [
    "El pleno del Ayuntamiento de Cáceres aprobó este lunes, con los votos de todos los grupos, el plan para "
    "rehabilitar las murallas del casco antiguo antes de que termine el año que viene.",
    "Las obras costarán algo más de dos millones de euros y se pagarán a medias entre el Ayuntamiento y la "
    "Junta, que ya ha reservado su parte en los presupuestos.",
    "Los vecinos de la parte antigua llevaban años pidiendo la reforma, porque varios tramos del adarve "
    "están cerrados al paso desde que se desprendieron unas piedras en invierno.",
]
CACERES_SUBHEADING = "Un proyecto esperado"
TEASER_GRIDS = {
    "Portada": [
        "La Diputación abrirá en junio el plazo para pedir las ayudas al alquiler de los jóvenes que se "
        "instalen en los pueblos de menos de...",
        "El festival de teatro clásico de la ciudad presentó ayer su programación, que este verano llevará "
        "obras de Lope y Calderón a cinco plazas del...",
    ],
    "Deportes": [
        "El equipo de baloncesto de la ciudad cerró la temporada con una victoria ante el líder, que no "
        "había perdido ningún partido fuera de…",
        "La biblioteca municipal amplía su horario durante la época de exámenes.",  # whole: short enough
        "La carrera popular del domingo reunió a más de tres mil corredores en un recorrido que cruzaba el "
        "puente romano y terminaba junto al...",
    ],
}
COMMENTS_HEADING = "Tus comentarios"


def teaser_page() -> str:
    def cell(summary: str) -> str:
        return (
            f'<td><div class="views-field-foto"><img src="/foto.jpg"></div><div class="views-field-sumario">'
            f'<div>{summary}</div></div><div class="views-field-title"><a href="/n">Ver más</a></div></td>'
        )

    grids = "".join(
        f'<div class="view view-noticias"><div class="view-header">{section}</div><table><tr>'
        + "".join(map(cell, teasers))
        + "</tr></table></div>"
        for section, teasers in TEASER_GRIDS.items()
    )
    return (
        '<!DOCTYPE html><html lang="es"><head><meta charset="utf-8"><title>Murallas de Cáceres</title></head>'
        '<body><header><nav><a href="/">Inicio</a> <a href="/local">Local</a></nav></header><main>'
        f"<article><h1>Cáceres rehabilitará sus murallas</h1><p>{CACERES[0]}</p><h2>{CACERES_SUBHEADING}</h2>"
        f"<p>{CACERES[1]}</p><p>{CACERES[2]}</p>"
        f'<div id="comentarios"><div class="pane-title">{COMMENTS_HEADING}</div><div class="fb-box"></div></div>'
        f"</article>{grids}</main><footer><p>© 2024 Diario de Cáceres</p></footer></body></html>"
    )


def test_pruned_drops_a_list_of_cut_teasers_and_the_comments_block():
    text = pruned_extract(teaser_page())[0].text
    assert text == "\n".join([CACERES[0], CACERES_SUBHEADING, *CACERES[1:]])


def test_plain_resiliparse_keeps_the_teasers():
    """The fixture holds what resiliparse's main-content heuristics leave, or the test above proves nothing."""
    text = resiliparse_extract(teaser_page()).text
    assert COMMENTS_HEADING in text and "Deportes" in text
    assert all(teaser in text for teasers in TEASER_GRIDS.values() for teaser in teasers)


def test_pruned_drops_loading_placeholders():
    # Boxes a script fills in after loading ("Carregant..."): the text the crawler saw is the placeholder.
    loaders = '<div class="item"><div class="loader">Carregant...</div></div>' * 4
    html = page().replace("</article></main>", f"</article>{loaders}</main>")
    assert "Carregant..." in resiliparse_extract(html).text
    text = pruned_extract(html)[0].text
    assert ARTICLE[-1] in text and "Carregant" not in text


@pytest.mark.parametrize("post_class", ["hentry", "status-publish"])
def test_pruned_keeps_a_wordpress_post_whose_topics_name_boilerplate(post_class: str):
    # WordPress writes the post's categories and tags into its container's class: a post tagged
    # "xarxes socials" or filed under "comentaris" is still the article, not a share bar or comments.
    classes = f"post-812 post type-post {post_class} category-comentaris tag-xarxes-socials tag-subscripcions"
    html = page().replace("<article>", f'<article class="{classes}">')
    text = pruned_extract(html)[0].text
    assert all(paragraph in text for paragraph in ARTICLE)
