"""A real run of ~2,000 kept Catalan pages (plus rejections) for the threshold-evidence tests.

The pipeline is `ingest.jsonl -> quality.signals -> quality.filter -> write`, run by
the local executor, so the run directory is exactly what `corpusforge run` leaves (manifest, done
markers, final shards, rejected rows). Documents are built from the demo's Catalan sentences, 2 to
14 per page (the shortest fall under `min_words = 50`; pages of up to 4 sentences open with a header
in capitals, as news flashes do, so they also stand out on other signals), plus keyword lists (`min_stopword_ratio`)
and pages in capitals (`max_upper_ratio`). Language scores come with the documents.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from corpusforge import plan as plan_mod
from corpusforge.demo import articles_ca
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

PAGES = 2300
FLASHES = ("ÚLTIMA HORA · GIRONA", "DARRERA HORA: TRÀNSIT", "AVÍS IMPORTANT DE L'AJUNTAMENT", "BREUS DEL DIA")
KEYWORDS = ("oferta", "barat", "descompte", "comprar", "ara", "gratis", "enviament", "rebaixes", "preu", "millor")
PIPELINE = """
[pipeline]
name = "catalan"
root = "{root}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{docs}"] }}

[[node]]
id = "signals"
stage = "quality.signals.v1"
inputs = ["ingest"]

[[node]]
id = "quality"
stage = "quality.filter.v1"
inputs = ["signals"]

[[node]]
id = "write"
stage = "write.parquet.v1"
inputs = ["quality"]
params = {{ partition_by = "lang_tag" }}
"""


def _sentences() -> list[str]:
    return [s for _, _, ps in articles_ca.ARTICLES for p in ps for s in re.split(r"(?<=[.!?])\s+", p) if s]


def _pages(rng: random.Random) -> list[dict]:
    sentences = _sentences()
    rows = []
    for _ in range(PAGES):
        picked = rng.sample(sentences, rng.randint(2, 14))
        paragraphs = [" ".join(picked[k : k + 3]) for k in range(0, len(picked), 3)]
        if len(picked) <= 4:  # short pages are news flashes: a header in capitals, then a few lines
            paragraphs.insert(0, rng.choice(FLASHES))
        rows.append({"text": "\n\n".join(paragraphs), "lang_score": round(rng.uniform(0.55, 1.0), 4)})
    for _ in range(60):
        rows.append({"text": " ".join(rng.choices(KEYWORDS, k=80)), "lang_score": 0.8})
    for _ in range(60):
        rows.append({"text": " ".join(rng.sample(sentences, 5)).upper(), "lang_score": 0.9})
    for i, row in enumerate(rows):
        row |= {"id": f"ca-{i:05d}", "url": f"https://diari.example.cat/noticia/{i}", "title": f"Notícia {i}",
                "lang": "ca", "lang_tag": "ca"}  # fmt: skip
    return rows


def build(base: Path) -> Path:
    """Write the documents and run the pipeline under `base`; returns the run's root."""
    base.mkdir(parents=True, exist_ok=True)
    docs = base / "docs.jsonl"
    docs.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in _pages(random.Random(7))), encoding="utf-8")
    root = base / "run"
    file = base / "catalan.toml"
    file.write_text(PIPELINE.format(root=root, docs=docs), encoding="utf-8")
    run(plan_mod.load(file), LocalExecutor())
    return root
