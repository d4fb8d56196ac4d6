"""A small packed corpus, made the way a trainer makes one: Parquet shards -> tokenizer -> `pack`.

Documents are 3-7 sentences drawn (seeded) from a pool per language that we wrote for these tests,
one Parquet shard per `lang_tag` (as `write.parquet.v1` partitions them). The project's own
tokenizer trainer (a 512-entry byte-level BPE) and packer (`corpusforge.pack.writer.pack`) turn
them into the corpusforge.tokens format (docs/token-format.md): every document `BOS ... EOS`.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

SENTENCES: dict[str, list[str]] = {
    "es": [
        "La ciudad amaneció cubierta de niebla y los autobuses llegaron tarde a todas las paradas.",
        "El ayuntamiento aprobó ayer el presupuesto para reformar la biblioteca municipal.",
        "Mi abuela guarda las recetas de la familia en un cuaderno de tapas azules.",
        "Los agricultores esperan que llueva antes de que termine el mes de abril.",
        "En verano la playa se llena de turistas que buscan sol y tranquilidad.",
        "El tren de alta velocidad une las dos capitales en menos de tres horas.",
        "Los alumnos presentaron un proyecto sobre la energía solar en el instituto.",
        "La exposición reúne pinturas de artistas jóvenes de toda la comunidad.",
        "Cada domingo por la mañana abren el mercado de frutas y verduras en la plaza.",
        "El museo amplía su horario durante las fiestas de la ciudad.",
    ],
    "ca": [
        "La ciutat es va despertar coberta de boira i els autobusos van arribar tard.",
        "L'ajuntament va aprovar ahir el pressupost per reformar la biblioteca municipal.",
        "La meva àvia guarda les receptes de la família en una llibreta de tapes blaves.",
        "Els pagesos esperen que plogui abans que s'acabi el mes d'abril.",
        "A l'estiu la platja s'omple de turistes que busquen sol i tranquil·litat.",
        "El tren d'alta velocitat uneix les dues capitals en menys de tres hores.",
        "Els alumnes van presentar un projecte sobre l'energia solar a l'institut.",
        "L'exposició reuneix pintures d'artistes joves de tot el país.",
        "Cada diumenge al matí obren el mercat de fruita i verdura a la plaça.",
        "El museu amplia l'horari durant la festa major de la ciutat.",
    ],
    "ca-valencia": [
        "La ciutat es despertà coberta de boira i els autobusos arribaren tard.",
        "L'ajuntament aprovà ahir el pressupost per a reformar la biblioteca municipal.",
        "La meua àvia guarda les receptes de la família en un quadern de tapes blaves.",
        "Els llauradors esperen que plga abans que acabe el mes d'abril.",
        "En estiu la platja s'ompli de turistes que busquen sol i tranquil·litat.",
        "Este tren d'alta velocitat unix les dos capitals en menys de tres hores.",
        "Els alumnes presentaren un projecte sobre l'energia solar en l'institut.",
        "L'exposició reunix pintures d'artistes jóvens de tota la comunitat.",
        "Cada diumenge de matí obrin el mercat de fruita i verdura en la plaça.",
        "El museu amplia l'horari durant les falles de la ciutat.",
    ],
    "eu": [
        "Hiria lainoz estalita esnatu zen eta autobusak berandu iritsi ziren geltoki guztietara.",
        "Udalak atzo onartu zuen udal liburutegia berritzeko aurrekontua.",
        "Amonak familiaren errezetak azal urdineko koaderno batean gordetzen ditu.",
        "Nekazariek apirila amaitu aurretik euria egitea espero dute.",
        "Udan hondartza eguzkia eta lasaitasuna bilatzen duten turistez betetzen da.",
        "Abiadura handiko trenak bi hiriburuak hiru ordu baino gutxiagoan lotzen ditu.",
        "Ikasleek eguzki energiari buruzko proiektu bat aurkeztu zuten institutuan.",
        "Erakusketak erkidego osoko artista gazteen margolanak biltzen ditu.",
        "Igandero goizean fruta eta barazki azoka irekitzen dute plazan.",
        "Museoak ordutegia luzatzen du hiriko jaietan.",
    ],
    "gl": [
        "A cidade amenceu cuberta de néboa e os autobuses chegaron tarde a todas as paradas.",
        "O concello aprobou onte o orzamento para reformar a biblioteca municipal.",
        "A miña avoa garda as receitas da familia nun caderno de tapas azuis.",
        "Os labregos agardan que chova antes de que remate o mes de abril.",
        "No verán a praia énchese de turistas que buscan sol e tranquilidade.",
        "O tren de alta velocidade une as dúas capitais en menos de tres horas.",
        "Os alumnos presentaron un proxecto sobre a enerxía solar no instituto.",
        "A exposición reúne pinturas de artistas novos de toda a comunidade.",
        "Cada domingo pola mañá abren o mercado de froitas e verduras na praza.",
        "O museo amplía o seu horario durante as festas da cidade.",
    ],
}


def documents(*, per_lang: int, seed: int) -> dict[str, list[str]]:
    """Per lang_tag, `per_lang` texts of 3-7 pool sentences each in a seeded random order."""
    rng = random.Random(seed)
    return {
        tag: [" ".join(rng.sample(pool, rng.randint(3, 7))) for _ in range(per_lang)] for tag, pool in SENTENCES.items()
    }


def write_shards(directory: Path, *, per_lang: int, seed: int) -> list[str]:
    """One Parquet shard (id, text, lang_tag) per language; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for tag, texts in documents(per_lang=per_lang, seed=seed).items():
        path = directory / f"lang_tag={tag}.parquet"
        ids = [f"{tag}-{i:04d}" for i in range(len(texts))]
        pq.write_table(pa.table({"id": ids, "text": texts, "lang_tag": [tag] * len(texts)}), path)
        paths.append(str(path))
    return paths


def make_packed_dir(out: Path, *, per_lang: int = 130, val_fraction: float = 0.08, seed: int = 7) -> Path:
    """Shards, a tokenizer and a pack under `out`; returns the pack directory (`out/packed`)."""
    from corpusforge.pack import tokenizer as tk
    from corpusforge.pack.dataset import read_manifest
    from corpusforge.pack.shard_tokens import PackOptions
    from corpusforge.pack.writer import pack

    shards = write_shards(out / "shards", per_lang=per_lang, seed=seed)
    tk.train(shards, out=out / "tokenizer", vocab_size=512, sample_chars=1_000_000, heldout_permille=0, seed=seed)
    packed = out / "packed"
    pack(
        shards,
        tokenizer_dir=out / "tokenizer",
        out=packed,
        options=PackOptions(seq_len=64, seed=seed, val_fraction=val_fraction),
    )
    val_langs = read_manifest(packed)["splits"]["val"]["documents_by_lang"]
    assert set(val_langs) == set(SENTENCES), f"every language needs validation documents: {val_langs}"
    return packed


def unigram_entropy(path: Path, split: str = "train") -> float:
    """Entropy in nats of the split's token frequencies: the loss of the best context-free model."""
    tokens = np.fromfile(path / f"{split}.bin", dtype="<u2")
    p = np.bincount(tokens) / len(tokens)
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())
