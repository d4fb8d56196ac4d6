"""`corpusforge ablate`: a polluted corpus must come out worse than the clean one, in every language."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusforge.ablate import config
from corpusforge.cli import main
from corpusforge.demo import articles_ca, articles_es, articles_eu, articles_gl, articles_val

pytest.importorskip("torch")

LANGS = {"es": articles_es, "ca": articles_ca, "ca-valencia": articles_val, "eu": articles_eu, "gl": articles_gl}
BOILERPLATE = [
    "Inicio | Noticias | Contacto | Aviso legal | Política de cookies | Mapa del sitio © 2024 Todos los derechos",
    "Aceptar cookies Configurar Rechazar Esta web utiliza cookies propias y de terceros para mejorar",
    "Inici | Notícies | Contacte | Avís legal | Galetes | Mapa web © 2024 Tots els drets reservats",
]


def _spam(rng: random.Random) -> str:
    """Keyword stuffing and character noise, the junk a quality filter is there to remove."""
    words = ["casino", "GRATIS", "bonus", "click", "viagra", "oferta", "$$$", "xxx", "win", "bet", "http://x.y/z"]
    junk = " ".join(rng.choice(words) for _ in range(60))
    noise = "".join(rng.choice("qwxzkjv0123456789#@") for _ in range(200))
    return f"{junk} {noise} {rng.choice(BOILERPLATE)}"


def _write(path: Path, rows: list[tuple[str, str]]) -> None:
    ids = [f"d{i}" for i in range(len(rows))]
    pq.write_table(pa.table({"id": ids, "text": [t for t, _ in rows], "lang_tag": [g for _, g in rows]}), path)


@pytest.fixture
def corpora(tmp_path: Path) -> Path:
    clean, reference = [], []
    for tag, module in LANGS.items():
        for i, (_slug, title, paragraphs) in enumerate(module.ARTICLES):
            text = title + "\n\n" + "\n\n".join(paragraphs)
            (reference if i >= 6 else clean).append((text, tag))  # two articles per language never trained on
    rng = random.Random(7)
    junk = [(_spam(rng), rng.choice(list(LANGS))) for _ in range(4 * len(clean))]
    _write(tmp_path / "clean.parquet", clean)
    _write(tmp_path / "polluted.parquet", clean + junk)
    _write(tmp_path / "reference.parquet", reference)
    return tmp_path


@pytest.mark.slow
def test_the_clean_variant_has_lower_held_out_loss_in_every_language(corpora: Path, capsys) -> None:
    (corpora / "ablate.toml").write_text(
        f"""
[ablation]
out = "{corpora / "out"}"
reference = ["{corpora / "reference.parquet"}"]
preset = "tiny"
steps = 80
seeds = [1, 2]
tokens = 6000
seq_len = 64
vocab_size = 400
device = "cpu"
set = ["run.threads=2", "data.micro_batch_size=8"]

[[variant]]
name = "clean"
paths = ["{corpora / "clean.parquet"}"]

[[variant]]
name = "polluted"
paths = ["{corpora / "polluted.parquet"}"]
"""
    )
    assert main(["ablate", str(corpora / "ablate.toml")]) == 0
    printed = capsys.readouterr().out
    results = json.loads((corpora / "out" / "results.json").read_text())
    bpb = results["summary"]["bpb"]
    assert set(bpb["clean"]) == set(LANGS)
    for tag in LANGS:
        clean, polluted = bpb["clean"][tag], bpb["polluted"][tag]
        assert polluted["delta"] > max(clean["spread"], polluted["spread"]) > 0, (tag, clean, polluted)
        assert polluted["clear"]
    budgets = {name: v["budget"] for name, v in results["variants"].items()}
    assert abs(budgets["clean"]["tokens"] - budgets["polluted"]["tokens"]) < 400, "the same token budget"
    assert "polluted" in printed and "*" in printed
    assert (corpora / "out" / "report.html").read_text().count("<tr>") == 3


def test_ablation_files_are_checked_with_the_field_named(tmp_path: Path) -> None:
    bad = {"ablation": {"out": "x", "reference": ["r"]}, "variant": [{"name": "a", "paths": ["p"]}, {"name": "b"}]}
    with pytest.raises(config.AblationError, match="variant 'b'.*either `run` or `paths`"):
        config.from_dict(bad, file="a.toml")
    bad["variant"][1] = {"name": "b", "paths": ["q"], "sample_like": "zz"}
    with pytest.raises(config.AblationError, match="sample_like 'zz' is not a variant"):
        config.from_dict(bad, file="a.toml")
    bad["variant"][1] = {"name": "b", "paths": ["q"], "stepz": 3}
    with pytest.raises(config.AblationError, match="variant 'b', field 'stepz'"):
        config.from_dict(bad, file="a.toml")
