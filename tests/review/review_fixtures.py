"""A small pipeline run on disk, the shape `corpusforge run` leaves: manifest, kept and rejected shards.

Nodes: extract -> langid -> quality -> dedup -> write (hive-partitioned by lang_tag, the sink).
Every number below is deterministic so tests can count strata by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

SENTENCES = {
    "es": [
        "El ayuntamiento aprobó ayer el presupuesto para reformar la biblioteca municipal del barrio.",
        "Los vecinos podrán consultar los planos en la web y presentar alegaciones durante un mes.",
        "Para más información escriba a <EMAIL> o llame al <PHONE> de lunes a viernes.",
    ],
    "ca": [
        "L'ajuntament va aprovar ahir el pressupost per reformar la biblioteca del barri.",
        "Els veïns podran consultar els plànols al web i presentar al·legacions durant un mes.",
        "Per a més informació, escriviu a <EMAIL> o truqueu al <PHONE> de dilluns a divendres.",
    ],
    "ca-valencia": [
        "L'ajuntament aprovà ahir el pressupost per a reformar la biblioteca del barri.",
        "Els veïns podran consultar els plànols en la web i presentar al·legacions durant un mes.",
        "Per a més informació, escriviu a <EMAIL> o telefoneu al <PHONE> de dilluns a divendres.",
    ],
    "eu": [
        "Udalak atzo onartu zuen auzoko liburutegia berritzeko aurrekontua.",
        "Auzokideek planoak webgunean kontsultatu eta alegazioak aurkeztu ahal izango dituzte hilabetez.",
        "Informazio gehiagorako idatzi <EMAIL> helbidera edo deitu <PHONE> zenbakira.",
    ],
    "gl": [
        "O concello aprobou onte o orzamento para reformar a biblioteca municipal do barrio.",
        "A veciñanza poderá consultar os planos na web e presentar alegacións durante un mes.",
        "Para máis información escriba a <EMAIL> ou chame ao <PHONE> de luns a venres.",
    ],
}
LANGS = tuple(SENTENCES)
FRENCH = "La mairie a approuvé hier le budget pour rénover la bibliothèque du quartier."

# Rows per language in each place of the run.
KEPT_PER_LANG = 12
LOW_SCORE_PER_LANG = 6
STOPWORD_PER_LANG = 8
FRENCH_ROWS = 5
DUP_ROWS = 4
ERROR_ROWS = 3


def _doc(lang: str, i: int, *, text: str | None = None) -> dict:
    sents = SENTENCES[lang]
    # Each page ends with its own reference, so no two texts are identical (the sampler collapses those).
    body = text or " ".join(sents[(i + k) % len(sents)] for k in range(2 + i % 3)) + f" Ref. {lang}/{i}."
    return {
        "id": f"{lang}-{i:03d}",
        "url": f"https://exemple.{lang.split('-')[0]}/{lang}/pagina/{i}",
        "domain": f"exemple.{lang.split('-')[0]}",
        "source": f"crawl.warc.gz:{i * 1000}",
        "text": body,
        "title": f"Pàgina {i}",
        "lang": lang.split("-")[0],
        "lang_tag": lang,
        "lang_score": round(0.55 + 0.4 * ((i * 37) % 100) / 100, 4),
        "q_stopword_ratio": round(0.2 + 0.25 * ((i * 53) % 100) / 100, 4),
        "q_words": 20 + (i * 7) % 60,
        # As the Parquet sink writes a map (list of key/value structs); rejected rows keep the map type.
        "lang_mix": [{"key": lang, "value": 0.9}, {"key": "es", "value": 0.1}],
        "pii_email": body.count("<EMAIL>"),
        "pii_phone": body.count("<PHONE>"),
    }


def _write(path: Path, rows: list[dict], **extra: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pylist([{**r, **extra} for r in rows])
    if "rejected" in path.parts and "lang_mix" in table.column_names:  # rows that never met the sink
        mix = table.column("lang_mix").combine_chunks()
        as_map = pa.MapArray.from_arrays(
            mix.offsets, mix.values.field("key"), mix.values.field("value").cast(pa.float32())
        )
        table = table.set_column(table.column_names.index("lang_mix"), "lang_mix", as_map)
    pq.write_table(table, path)


def make_run(root: Path) -> Path:
    """Write the run under `root` and return it."""
    nodes = [
        {"id": "extract", "stage": "extract.trafilatura.v1", "inputs": [], "output": None, "params": {}},
        {
            "id": "langid",
            "stage": "langid.fasttext.v1",
            "inputs": ["extract"],
            "output": None,
            "params": {"min_score": 0.5},
        },
        {"id": "quality", "stage": "quality.rules.v1", "inputs": ["langid"], "output": None, "params": {}},
        {
            "id": "dedup",
            "stage": "dedup.minhash.v1",
            "inputs": ["quality"],
            "output": str(root / "dedup"),
            "params": {},
        },
        {
            "id": "write",
            "stage": "write.parquet.v1",
            "inputs": ["dedup"],
            "output": str(root / "write"),
            "params": {"partition_by": "lang_tag"},
        },
    ]
    root.mkdir(parents=True, exist_ok=True)
    (root / "manifest.json").write_text(json.dumps({"pipeline": "fixture", "nodes": nodes}), encoding="utf-8")
    for lang in LANGS:
        kept = [_doc(lang, i) for i in range(KEPT_PER_LANG)]
        # The hive writer leaves lang_tag out of the file: it is in the folder name.
        _write(
            root / "write" / f"lang_tag={lang}" / "part-00000.parquet",
            [{k: v for k, v in r.items() if k != "lang_tag"} for r in kept],
        )
    # dedup's own output is an intermediate checkpoint, not a sink: it must not be sampled as kept.
    _write(root / "dedup" / "part-00000.parquet", [_doc("es", 900)])
    low = [
        {**_doc(lang, 100 + i), "lang_score": round(0.2 + 0.05 * i, 3)}
        for lang in LANGS
        for i in range(LOW_SCORE_PER_LANG)
    ]
    french = [
        {
            **_doc("es", 200 + i, text=FRENCH),
            "id": f"fr-{i}",
            "lang": "fr",
            "lang_tag": "fr",
            "lang_score": 0.9 + i / 100,
        }
        for i in range(FRENCH_ROWS)
    ]
    _write(
        root / "rejected" / "langid" / "part-00000.parquet",
        [{**r, "drop_reason": "lang:low_score"} for r in low] + [{**r, "drop_reason": "lang:fr"} for r in french],
        drop_node="langid",
    )
    stop = [
        {**_doc(lang, 300 + i), "q_stopword_ratio": round(0.05 + 0.015 * i, 4)}
        for lang in LANGS
        for i in range(STOPWORD_PER_LANG)
    ]
    _write(
        root / "rejected" / "quality" / "part-00000.parquet",
        stop,
        drop_reason="quality:min_stopword_ratio",
        drop_node="quality",
    )
    # Near-duplicates of the kept page gl-000: its text with a line of their own; dup_cluster names it.
    twin = _doc("gl", 0)["text"]
    dups = [{**_doc("gl", 400 + i, text=f"{twin} Actualizado {i}."), "dup_cluster": "gl-000"} for i in range(DUP_ROWS)]
    _write(root / "rejected" / "dedup" / "part-00000.parquet", dups, drop_reason="dup:near", drop_node="dedup")
    errors = [
        {
            "id": f"err-{i}",
            "url": f"https://trencat.cat/{i}",
            "text": None,
            "drop_reason": "error:timeout",
            "drop_node": "extract",
        }
        for i in range(ERROR_ROWS)
    ]
    _write(root / "rejected" / "extract" / "part-00000.parquet", errors)
    return root


def total_rows() -> int:
    n_lang = len(LANGS)
    return (n_lang * (KEPT_PER_LANG + LOW_SCORE_PER_LANG + STOPWORD_PER_LANG)) + FRENCH_ROWS + DUP_ROWS + ERROR_ROWS
