"""A small release run from WARC to final shards: pages in five languages with robots and licence
signals, one that repeats an evaluation item, written by the project (no shared data)."""

from __future__ import annotations

import html
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

EVAL_ITEM = (
    "El consejo municipal decidió ampliar el horario de la biblioteca pública durante los meses de verano "
    "para que los estudiantes puedan preparar sus exámenes."
)

ARTICLES = {
    "es": (
        "La ciudad estrena un nuevo carril bici",
        [
            "El ayuntamiento ha inaugurado esta semana un carril bici que une el centro histórico con el campus "
            "universitario. Según los técnicos municipales, el trazado tiene casi cuatro kilómetros y evita las "
            "calles con más tráfico.",
            "Los vecinos del barrio han recibido la obra con satisfacción, aunque algunos comerciantes temen perder "
            "plazas de aparcamiento delante de sus tiendas durante las próximas semanas.",
        ],
    ),
    "ca": (
        "El mercat municipal allarga l'horari",
        [
            "El mercat municipal obrirà els dissabtes a la tarda a partir del mes que ve. La regidoria de comerç "
            "explica que la mesura respon a la demanda de moltes famílies que treballen durant la setmana.",
            "Els paradistes s'han organitzat per torns perquè cap parada no hagi de tancar, i l'ajuntament "
            "reforçarà la neteja dels passadissos al final de cada jornada.",
        ],
    ),
    "ca-valencia": (
        "La falla del barri guanya el primer premi",
        [
            "Hui la comissió fallera del barri ha celebrat el primer premi de la secció especial. Els xiquets "
            "i les xiquetes han eixit al carrer amb tambors i tabals per a festejar-ho amb tot el veïnat.",
            "El president de la falla ha agraït la faena dels artistes, que han treballat durant mesos en un "
            "monument dedicat a l'horta valenciana i als llauradors que la cuiden.",
        ],
    ),
    "eu": (
        "Herriko liburutegiak ordutegia luzatu du",
        [
            "Herriko liburutegiak ordutegia luzatuko du azterketa garaian, ikasleek leku lasaia izan dezaten. "
            "Udalak jakinarazi duenez, larunbatetan ere zabalik egongo da goizetik arratsaldera arte.",
            "Langileek esan dutenez, azken urteetan gero eta gazte gehiagok erabiltzen dituzte ikasgelak, eta "
            "horregatik erabaki dute aldaketa hau egitea udako hilabeteetan.",
        ],
    ),
    "gl": (
        "A vila recupera o seu antigo muíño",
        [
            "A veciñanza da vila celebrou onte a reapertura do antigo muíño de auga, restaurado grazas a unha "
            "campaña popular. Os visitantes poderán ver como se moía o millo hai cen anos.",
            "A asociación cultural organizará visitas guiadas todos os domingos, e as escolas da comarca xa "
            "reservaron varias datas para que o alumnado coñeza o oficio dos muiñeiros.",
        ],
    ),
}
HTML_LANG = {"es": "es", "ca": "ca", "ca-valencia": "ca-ES-valencia", "eu": "eu", "gl": "gl"}
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def page(lang: str, *, head: str = "", footer: str = "", extra: str = "") -> bytes:
    title, paragraphs = ARTICLES[lang]
    body = "".join(f"<p>{html.escape(p)}</p>" for p in [*paragraphs, *([extra] if extra else [])])
    return (
        f'<!DOCTYPE html><html lang="{HTML_LANG[lang]}"><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title>{head}</head><body><article><h1>{html.escape(title)}</h1>{body}</article>"
        f"<footer>{footer}</footer></body></html>"
    ).encode()


# (url, body, extra HTTP headers): what each page tells about reuse
PAGES = [
    ("https://diario.example.es/carril-bici", page("es"), ()),
    ("https://diari.example.cat/mercat", page("ca", head='<meta name="robots" content="noindex, nofollow">'), ()),
    ("https://poble.example.cat/falla", page("ca-valencia"), ()),
    ("https://herria.example.eus/liburutegia", page("eu"), ()),
    ("https://vila.example.gal/muino",
     page("gl", footer=f'<a rel="license" href="{CC_BY_SA}">CC BY-SA 4.0</a>'), ()),
    ("https://diario.example.es/biblioteca", page("es", extra=EVAL_ITEM), ()),
    # the same articles again, at other addresses, from publishers who opted out of AI training
    ("https://poble.example.cat/falla-ai", page("ca-valencia"), (("X-Robots-Tag", "noai, noimageai"),)),
    ("https://herria.example.eus/tdm", page("eu", head='<meta name="tdm-reservation" content="1">'), ()),
    ("https://herria.example.eus/gptbot",
     page("eu", head='<meta name="GPTBot" content="noai"><meta name="googlebot" content="noindex">'), ()),
]  # fmt: skip
OPTED_OUT = {"https://poble.example.cat/falla-ai": "noai,noimageai", "https://herria.example.eus/tdm": "tdm-reservation",
             "https://herria.example.eus/gptbot": "noai"}  # fmt: skip


def write_warc(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i, (url, body, headers) in enumerate(PAGES):
        http = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), *headers, ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http,
                                           warc_headers_dict={"WARC-Date": f"2025-02-{i + 1:02d}T09:00:00Z"})  # fmt: skip
        writer.write_record(record)
    path.write_bytes(buf.getvalue())
    return path


def pipeline(tmp_path: Path, *, respect_ai_optout: bool = True, pack: bool = False) -> dict:
    warc = write_warc(tmp_path / "in" / "release.warc.gz")
    evalset = tmp_path / "eval" / "bench.txt"
    evalset.parent.mkdir(parents=True, exist_ok=True)
    evalset.write_text(f"{EVAL_ITEM}\nBon dia.\n", encoding="utf-8")
    nodes = [
        {"id": "ingest", "stage": "ingest.warc.v1", "params": {"paths": [str(warc)]}},
        {"id": "extract", "stage": "extract.resiliparse.v1", "inputs": ["ingest"]},
        {"id": "urls", "stage": "url.filter.v1", "inputs": ["extract"],
         "params": {"use_datatrove_lists": False, "respect_ai_optout": respect_ai_optout}},
        {"id": "langid", "stage": "langid.iberian.v1", "inputs": ["urls"]},
        {"id": "langfilter", "stage": "langid.filter.v1", "inputs": ["langid"]},
        {"id": "pii", "stage": "pii.redact.v1", "inputs": ["langfilter"]},
        {"id": "decontam", "stage": "decontam.ngram.v1", "inputs": ["pii"],
         "params": {"sets": [{"name": "bench", "paths": [str(evalset)]}]}},
        {"id": "write", "stage": "write.parquet.v1", "inputs": ["decontam"], "params": {"partition_by": "lang_tag"}},
    ]  # fmt: skip
    if pack:
        nodes.append({"id": "tokens", "stage": "pack.tokens.v1", "inputs": ["decontam"],
                      "params": {"vocab_size": 300, "seq_len": 64, "val_fraction": 0.0}})  # fmt: skip
    return {"pipeline": {"name": "release-test", "root": str(tmp_path / "run"), "executor": "local"}, "node": nodes}


def run_release(tmp_path: Path, **kwargs) -> Path:
    from corpusforge import plan as plan_mod
    from corpusforge.runtime import run
    from corpusforge.runtime.local import LocalExecutor

    run(plan_mod.from_dict(pipeline(tmp_path, **kwargs)), LocalExecutor())
    return tmp_path / "run"
