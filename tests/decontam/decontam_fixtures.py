"""Self-written evaluation items and web documents in Spanish, Catalan, Valencian, Basque and Galician."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

# Evaluation items (all longer than 13 words), as a benchmark would hold them.
EVAL_ES = "El consejo municipal decidió ampliar el horario de la biblioteca pública durante los meses de verano."
EVAL_CA = "La comissió de cultura ha proposat obrir el museu d'història els diumenges a la tarda durant tot l'any."
EVAL_EU = "Herriko jaietan dantzari taldeak plazan emanaldi luze bat eskaini zuen arratsaldean ikusle askoren aurrean eta txaloka amaitu zen."
EVAL_GL = "A asociación veciñal organizou unha xornada de limpeza na praia con máis de cen voluntarios e voluntarias da comarca."
SHORT_EVAL = "Bon dia a tothom."  # four words: can never be matched with 13-grams

FILLER = [
    "Aquest matí ha plogut a la ciutat i el trànsit ha estat més lent del que és habitual.",
    "Los vecinos del barrio se reunieron en la plaza para celebrar la llegada de la primavera.",
    "Hui la fira del poble ha reunit artesans vinguts de totes les comarques valencianes.",
    "Goizean euria egin du eta errepideetan trafiko handia egon da ordu askoan.",
    "Onte pola tarde houbo un concerto de música tradicional no auditorio municipal.",
]


def write_eval_txt(path: Path, lines: list[str]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def write_eval_jsonl(path: Path, items: list[dict]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), encoding="utf-8")
    return str(path)


def write_eval_parquet(path: Path, columns: dict[str, list]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns), path)
    return str(path)


def write_docs(directory: Path, shards: list[list[tuple[str, str]]]) -> str:
    """JSONL shards of (id, text); returns a glob over them."""
    directory.mkdir(parents=True, exist_ok=True)
    for s, docs in enumerate(shards):
        with (directory / f"docs-{s:02d}.jsonl").open("w", encoding="utf-8") as fh:
            for doc_id, text in docs:
                fh.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    return str(directory / "docs-*.jsonl")


def first_words(text: str, k: int) -> str:
    """The first k words (use items without apostrophes: "d'història" is two normalised words)."""
    return " ".join(text.split()[:k])


def norm_words(text: str) -> int:
    """Words as normalisation counts them: runs of letters and digits ("d'història" is two)."""
    return len(re.findall(r"[^\W_]+", text))
