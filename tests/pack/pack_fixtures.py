"""A small multilingual corpus written by the project: Spanish, Catalan, Valencian, Basque, Galician.

Documents are 2-5 sentences drawn (seeded) from each language's sentences below, plus a handful
of awkward documents (emoji, CJK, combining accents, Catalan l·l, control characters) that every
round-trip test must survive.
"""

from __future__ import annotations

import random
import unicodedata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SENTENCES: dict[str, list[str]] = {
    "es": [
        "El Ayuntamiento aprobó ayer el presupuesto para el próximo año.",
        "La biblioteca municipal abrirá sus puertas también los domingos por la tarde.",
        "Los vecinos del barrio reclaman más zonas verdes y menos tráfico.",
        "El tren de cercanías llegó con veinte minutos de retraso por una avería.",
        "La cosecha de aceituna de este año ha sido mejor de lo esperado.",
        "Miles de personas se manifestaron en el centro de la ciudad el sábado.",
        "El museo inaugura una exposición dedicada a la pintura del siglo diecinueve.",
        "Según el informe, el paro juvenil bajó dos puntos en el último trimestre.",
        "Mañana lloverá en el norte y hará sol en el resto de la península.",
        "El equipo local ganó el partido gracias a un gol en el último minuto.",
        "Las obras de la nueva estación terminarán antes del verano.",
        "La universidad ofrece cursos gratuitos de español para personas refugiadas.",
    ],
    "ca": [
        "L'Ajuntament va aprovar ahir el pressupost per a l'any vinent.",
        "La col·lecció del museu inclou obres d'artistes catalans del segle vint.",
        "Els veïns del barri demanen més espais verds i menys cotxes.",
        "El tren de rodalies va arribar amb vint minuts de retard per una avaria.",
        "La biblioteca obrirà també els diumenges a la tarda a partir del mes que ve.",
        "Milers de persones es van manifestar dissabte al centre de la ciutat.",
        "Segons l'informe, l'atur juvenil va baixar dos punts l'últim trimestre.",
        "Demà plourà al nord i farà sol a la resta del país.",
        "L'equip local va guanyar el partit gràcies a un gol a l'últim minut.",
        "Les obres de la nova estació s'acabaran abans de l'estiu.",
        "La intel·ligència artificial ja forma part de la vida quotidiana.",
        "El paral·lelisme entre les dues novel·les és evident.",
    ],
    "ca-valencia": [
        "Hui els xiquets ixen de l'escola a les cinc de la vesprada.",
        "L'Ajuntament de València ha aprovat el pressupost per a l'any que ve.",
        "La collita de taronges d'enguany ha sigut millor del que s'esperava.",
        "Els veïns de l'Horta demanen més autobusos i menys contaminació.",
        "Esta setmana la Generalitat presentarà el nou pla de mobilitat.",
        "La festa major del poble començarà el primer dissabte d'agost.",
        "Les falles d'enguany tindran un pressupost més xicotet que l'any passat.",
        "El metro de València va tancar l'any amb un rècord de viatgers.",
        "Els llauradors reclamen preus justos per a l'arròs i la taronja.",
        "Demà farà calor a la costa i vent de ponent a l'interior.",
        "La Universitat de València celebra enguany el seu aniversari.",
        "Açò no és el que volíem, però és el que tenim, va dir l'alcaldessa.",
    ],
    "eu": [
        "Udalak atzo onartu zuen datorren urterako aurrekontua.",
        "Liburutegia igandeetan ere irekita egongo da arratsaldez.",
        "Auzokideek berdegune gehiago eta trafiko gutxiago eskatzen dute.",
        "Trena hogei minutuko atzerapenarekin iritsi zen matxura baten ondorioz.",
        "Milaka lagunek hiriaren erdigunean egin zuten manifestazioa larunbatean.",
        "Txostenaren arabera, gazteen langabezia bi puntu jaitsi da azken hiruhilekoan.",
        "Bihar euria egingo du iparraldean eta eguzkia gainerako lurraldean.",
        "Etxeko taldeak partida irabazi zuen azken minutuko gol bati esker.",
        "Geltoki berriko lanak uda baino lehen amaituko dira.",
        "Unibertsitateak doako euskara ikastaroak eskaintzen ditu helduentzat.",
        "Donostiako zinemaldian hainbat film labur aurkeztuko dituzte aurten.",
        "Gure herriko jaiak abuztuaren lehen larunbatean hasiko dira.",
    ],
    "gl": [
        "O concello aprobou onte o orzamento para o vindeiro ano.",
        "A biblioteca municipal abrirá tamén os domingos pola tarde.",
        "Os veciños do barrio reclaman máis zonas verdes e menos tráfico.",
        "O tren chegou con vinte minutos de atraso por mor dunha avaría.",
        "Milleiros de persoas manifestáronse no centro da cidade o sábado.",
        "Segundo o informe, o paro xuvenil baixou dous puntos no último trimestre.",
        "Mañá choverá no norte e fará sol no resto do país.",
        "O equipo local gañou o partido grazas a un gol no último minuto.",
        "As obras da nova estación rematarán antes do verán.",
        "A universidade ofrece cursos de galego de balde para persoas adultas.",
        "A vendima deste ano foi mellor do que se agardaba nas Rías Baixas.",
        "Na aldea aínda se fala da festa do ano pasado.",
    ],
}

AWKWARD_DOCS: list[tuple[str, str]] = [
    ("ca", "La col·lecció d'intel·ligència: l·l, L·L i l.l no són el mateix. 🙂"),
    ("es", "Cafe\u0301 con leche y pin\u0303a colada: acentos combinados que NFC compone."),
    ("gl", "Emojis 🇪🇸🇵🇹 e 👩‍👩‍👧 con ZWJ, máis kanji 東京 e 中文字符 no medio."),
    ("eu", "Zenbakiak: 1.234.567,89 €, 12:30, 2024-05-01 eta %15.\n\n\tTabulazioa eta lerro jauziak."),
    ("ca-valencia", "Cometes «així» i “així”, guions — i punts suspensius… i l’apòstrof tipogràfic."),
    ("es", "Espacios   múltiples,\r\nretornos de carro y un carácter de control \x07 al final."),
]


def documents(*, docs_per_lang: dict[str, int], seed: int = 0) -> list[tuple[str, str, str]]:
    """(id, lang_tag, text) documents, deterministic for a seed; awkward ones first."""
    rng = random.Random(seed)
    out = [(f"awk-{i}", tag, text) for i, (tag, text) in enumerate(AWKWARD_DOCS)]
    for tag, n in docs_per_lang.items():
        for i in range(n):
            k = rng.randint(2, 5)
            out.append((f"{tag}-{i}", tag, " ".join(rng.choice(SENTENCES[tag]) for _ in range(k))))
    return out


def write_shards(
    directory: Path, *, docs_per_lang: dict[str, int], shards: int = 3, seed: int = 0, with_ids: bool = True
) -> list[str]:
    """Parquet shards (id, text, lang_tag) with documents dealt round-robin; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    docs = documents(docs_per_lang=docs_per_lang, seed=seed)
    paths = []
    for s in range(shards):
        part = docs[s::shards]
        columns = {"text": [d[2] for d in part], "lang_tag": [d[1] for d in part]}
        if with_ids:
            columns = {"id": [d[0] for d in part], **columns}
        path = directory / f"part-{s:05d}.parquet"
        pq.write_table(pa.table(columns), path)
        paths.append(str(path))
    return paths


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


BALANCED = {"es": 60, "ca": 60, "ca-valencia": 60, "eu": 60, "gl": 60}
SKEWED = {"es": 400, "ca": 60, "ca-valencia": 40, "eu": 25, "gl": 25}
