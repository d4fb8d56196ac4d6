"""Self-written Spanish, Catalan, Valencian, Basque and Galician documents for dedup tests."""

from __future__ import annotations

import itertools
import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

PARAGRAPHS = [
    "El Ayuntamiento de Valladolid aprobó ayer el presupuesto municipal para el próximo año con los votos "
    "favorables del equipo de gobierno. La partida más importante se destinará al transporte público, que "
    "recibirá una inversión de doce millones de euros para renovar la flota de autobuses urbanos.",
    "La Generalitat ha obert el termini per sol·licitar les beques de menjador escolar. Les famílies poden "
    "presentar la documentació a la secretaria del centre fins al quinze de setembre, i la resolució es "
    "publicarà abans que comenci el curs.",
    "Hui els xiquets del col·legi han eixit d'excursió a l'Albufera. La mestra els ha explicat com es cultiva "
    "l'arròs i per què l'aigua del llac és tan important per a les aus que passen l'hivern a la marjal.",
    "Udalak atzo onartu zuen datorren urterako aurrekontua. Diru gehiena garraio publikora bideratuko da, eta "
    "hiriko autobus zaharrak berriekin ordezkatuko dituzte hurrengo bi urteetan zehar.",
    "O concello de Lugo aprobou onte o orzamento para o vindeiro ano. A maior parte dos cartos irá destinada "
    "a mellorar as rúas do centro histórico e a ampliar o horario da biblioteca municipal.",
    "Los investigadores del hospital han descubierto que caminar media hora al día reduce el riesgo de sufrir "
    "enfermedades del corazón. El estudio siguió durante diez años a más de cuatro mil personas de la región.",
    "El Museu d'Art de Girona inaugura dijous una exposició dedicada als pintors paisatgistes de la costa. "
    "La mostra reuneix més de cent obres cedides per col·leccionistes privats i es podrà visitar fins al març.",
    "Bilboko itsasadarrean egingo den arraun estropadak milaka ikusle erakarriko ditu igandean. Antolatzaileek "
    "gomendatu dute garraio publikoa erabiltzea, errepide asko itxita egongo baitira goizetik.",
    "A Xunta convocou as axudas para a rehabilitación de vivendas no rural. As persoas interesadas poderán "
    "presentar a solicitude ata o final de mes a través da sede electrónica.",
    "La cooperativa de Sueca ha començat la collita de la taronja amb previsions optimistes. Els llauradors "
    "esperen que el preu es mantinga estable durant tota la campanya, malgrat la pujada dels costos.",
]


def edit_words(text: str, *, changes: int, seed: int) -> str:
    """Replace `changes` words by a fixed foreign word at reproducible positions."""
    rng = random.Random(seed)
    words = text.split(" ")
    for i in rng.sample(range(len(words)), changes):
        words[i] = "zzzz"
    return " ".join(words)


_TRIPLES = list(itertools.combinations(range(len(PARAGRAPHS)), 3))


def long_doc(i: int) -> str:
    """Document i < 120: its own set of three paragraphs (two documents share at most two: Jaccard ~0.5)."""
    return " ".join(PARAGRAPHS[k] for k in _TRIPLES[i])


def write_parquet(directory: Path, shards: list[list[str]], *, prefix: str = "d") -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for s, texts in enumerate(shards):
        path = directory / f"part-{s:05d}.parquet"
        pq.write_table(pa.table({"id": [f"{prefix}{s}-{i}" for i in range(len(texts))], "text": texts}), path)
        paths.append(str(path))
    return paths


def write_jsonl(directory: Path, shards: list[list[str]]) -> str:
    directory.mkdir(parents=True, exist_ok=True)
    for s, texts in enumerate(shards):
        with (directory / f"docs-{s:03d}.jsonl").open("w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(json.dumps({"id": f"j{s}-{i}", "text": t}, ensure_ascii=False) + "\n")
    return str(directory / "*.jsonl")
