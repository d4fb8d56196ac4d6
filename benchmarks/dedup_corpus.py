"""Generated corpora for benchmarks/dedup_bench.py, built from real sentences of ../shared/data/lid-train.

Families: an original document (paragraphs of real sentences, each sentence used once) and a few
copies, each with 1-20% of its words replaced, its paragraphs possibly reordered, and a line of
site boilerplate possibly added. Which pairs are duplicates is decided afterwards by exact
Jaccard on the shingle sets, never by how a copy was made.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

LANGS = ("es", "ca", "ca-valencia", "eu", "gl")
BOILERPLATE = (
    "Avís legal · Política de galetes · Contacte",
    "Aviso legal | Política de privacidad | Mapa del sitio",
    "Lege oharra · Pribatutasun politika · Harremanetarako",
    "Aviso legal · Política de privacidade · Contacto",
)


def load_sentences(data: Path, *, min_words: int = 8) -> list[str]:
    seen: dict[str, None] = {}
    for lang in LANGS:
        for line in (data / "lid-train" / f"{lang}.txt").read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if len(line.split()) >= min_words:
                seen.setdefault(line, None)
    return list(seen)


def _original(rng: random.Random, pool: list[str]) -> list[list[str]]:
    return [[pool.pop() for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(3, 5))]


def _copy(rng: random.Random, paragraphs: list[list[str]], vocab: list[str]) -> str:
    paras = [" ".join(p) for p in paragraphs]
    if rng.random() < 0.4:
        rng.shuffle(paras)
    text = "\n\n".join(paras)
    words = text.split(" ")
    rate = rng.uniform(0.01, 0.20)
    for i in rng.sample(range(len(words)), max(1, int(rate * len(words)))):
        words[i] = rng.choice(vocab)
    text = " ".join(words)
    if rng.random() < 0.4:
        text = f"{text}\n\n{rng.choice(BOILERPLATE)}"
    return text


def families(sentences: list[str], *, originals: int, seed: int = 0) -> tuple[list[str], list[int]]:
    """(texts, family of each text); each original has 0-4 copies."""
    rng = random.Random(seed)
    pool = sentences.copy()
    rng.shuffle(pool)
    vocab = [w for s in pool[:2000] for w in s.split()]
    texts: list[str] = []
    family: list[int] = []
    for f in range(originals):
        paragraphs = _original(rng, pool)
        texts.append("\n\n".join(" ".join(p) for p in paragraphs))
        family.append(f)
        for _ in range(rng.choice((0, 0, 1, 2, 3, 4))):
            texts.append(_copy(rng, paragraphs, vocab))
            family.append(f)
    order = list(range(len(texts)))
    rng.shuffle(order)
    return [texts[i] for i in order], [family[i] for i in order]


def scale_docs(sentences: list[str], *, n: int, seed: int) -> list[str]:
    """n documents of 4-8 random sentences; ~10% are copies of an earlier one with a few words changed."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n):
        if out and rng.random() < 0.1:
            words = rng.choice(out[-1000:]).split(" ")
            words[rng.randrange(len(words))] = rng.choice(sentences).split(" ")[0]
            out.append(" ".join(words))
        else:
            out.append(" ".join(rng.choices(sentences, k=rng.randint(4, 8))))
    return out


def write_shards(texts: list[str], directory: Path, *, shards: int, prefix: str = "d") -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for s in range(shards):
        idx = list(range(s, len(texts), shards))
        table = pa.table({"id": [f"{prefix}{i}" for i in idx], "text": [texts[i] for i in idx]})
        path = directory / f"part-{s:05d}.parquet"
        pq.write_table(table, path)
        paths.append(str(path))
    return paths


def xxh64_str(text: str) -> int:
    """datatrove's xxhash64 passes str, which xxhash >= 3.5 refuses; this encodes first, as older xxhash did."""
    import xxhash

    return xxhash.xxh64_intdigest(text.encode("utf-8"))
