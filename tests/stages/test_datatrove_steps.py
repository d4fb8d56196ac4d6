"""datatrove.filter.v1 / datatrove.extract.v1: datatrove's steps inside a pipeline, verdicts and
reasons as datatrove gives them, configuration errors at plan time."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

pytest.importorskip("datatrove")

# Written for these tests: one news paragraph per language, long enough for Gopher's defaults.
PROSE = {
    "es": "La biblioteca municipal abrirá sus puertas también los domingos a partir del mes que viene, según "
    "anunció ayer el ayuntamiento. La medida responde a la petición de los estudiantes, que durante la época de "
    "exámenes no encuentran sitio para estudiar en casa. El horario será de diez de la mañana a ocho de la tarde "
    "y habrá más personal en la sala de lectura. Los vecinos del barrio han recibido la noticia con alegría y "
    "esperan que el servicio se mantenga durante todo el año, no solo en los meses de invierno.",
    "ca": "La biblioteca municipal obrirà les portes també els diumenges a partir del mes que ve, segons va "
    "anunciar ahir l'ajuntament. La mesura respon a la petició dels estudiants, que durant l'època d'exàmens no "
    "troben lloc per estudiar a casa. L'horari serà de deu del matí a vuit del vespre i hi haurà més personal a "
    "la sala de lectura. Els veïns del barri han rebut la notícia amb alegria i esperen que el servei es mantingui "
    "durant tot l'any, no només als mesos d'hivern.",
    "eu": "Udal liburutegiak igandeetan ere irekiko ditu ateak datorren hilabetetik aurrera, udalak atzo iragarri "
    "zuenez. Neurria ikasleen eskaerari erantzuteko hartu da, azterketa garaian ez baitute etxean ikasteko lekurik "
    "aurkitzen. Ordutegia goizeko hamarretatik arratsaldeko zortzietara izango da, eta langile gehiago egongo dira "
    "irakurketa gelan. Auzoko bizilagunek poz handiz hartu dute berria, eta espero dute zerbitzua urte osoan "
    "mantentzea, ez bakarrik neguko hilabeteetan, baizik eta udan ere bai, ikasle askok eskatu duten bezala.",
    "gl": "A biblioteca municipal abrirá as súas portas tamén os domingos a partir do mes que vén, segundo "
    "anunciou onte o concello. A medida responde á petición dos estudantes, que durante a época de exames non "
    "atopan sitio para estudar na casa. O horario será das dez da mañá ás oito da tarde e haberá máis persoal na "
    "sala de lectura. Os veciños do barrio recibiron a noticia con alegría e agardan que o servizo se manteña "
    "durante todo o ano, non só nos meses de inverno.",
}
SHORT = "Oferta: compra ya."


def _table() -> pa.Table:
    rows = [{"id": f"{lang}-1", "text": text, "lang_tag": lang} for lang, text in PROSE.items()]
    rows.append(
        {"id": "ca-valencia-1", "text": PROSE["ca"].replace("mantingui", "mantinga"), "lang_tag": "ca-valencia"}
    )
    rows.append({"id": "es-short", "text": SHORT, "lang_tag": "es"})
    rows.append({"id": "es-repeated", "text": " ".join(["compra ahora el mejor precio"] * 40), "lang_tag": "es"})
    return pa.Table.from_pylist(rows)


def _pipeline(tmp_path: Path, params: str, *, stage: str = "datatrove.filter.v1") -> Path:
    pq.write_table(_table(), tmp_path / "docs.parquet")
    toml = tmp_path / "p.toml"
    toml.write_text(
        f'[pipeline]\nname = "dt"\nroot = "{tmp_path / "run"}"\nexecutor = "local"\n\n'
        f'[[node]]\nid = "docs"\nstage = "ingest.parquet.v1"\nparams = {{ paths = ["{tmp_path / "docs.parquet"}"] }}\n\n'
        f'[[node]]\nid = "gopher"\nstage = "{stage}"\ninputs = ["docs"]\nparams = {params}\n',
        encoding="utf-8",
    )
    return toml


def test_a_datatrove_filter_runs_in_a_pipeline_with_its_own_reasons(tmp_path: Path) -> None:
    toml = _pipeline(tmp_path, '{ filter = "gopher_quality", args = { min_doc_words = 50 } }')
    run(plan_mod.load(toml), LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["gopher"])
    assert node.balanced
    kept = pq.read_table(tmp_path / "run" / "gopher" / "part-00000.parquet").column("id").to_pylist()
    assert sorted(kept) == sorted(["es-1", "ca-1", "eu-1", "gl-1", "ca-valencia-1"])
    rejected = pq.read_table(tmp_path / "run" / "rejected" / "gopher" / "part-00000.parquet")
    reasons = dict(zip(rejected.column("id").to_pylist(), rejected.column("drop_reason").to_pylist()))
    assert reasons["es-short"] == "datatrove:gopher_short_doc"
    assert reasons["es-repeated"].startswith("datatrove:gopher_")


def test_verdicts_are_datatrove_s_own_on_the_same_documents() -> None:
    """The adapter changes nothing datatrove decides: same filter, same words, same verdicts."""
    from datatrove.pipeline.filters import GopherRepetitionFilter

    from corpusforge.stages.datatrove_steps import DatatroveFilter, to_documents, word_tokenizer

    table = _table()
    stage = DatatroveFilter(DatatroveFilter.Config(filter="gopher_repetition", args={"dup_line_frac": 0.2}))
    ours = stage.decide(table)
    theirs = []
    for doc, tag in zip(to_documents(table), table.column("lang_tag").to_pylist(), strict=True):
        step = GopherRepetitionFilter(dup_line_frac=0.2, language=word_tokenizer(tag.split("-")[0]))
        result = step.filter(doc)
        keep, reason = result if isinstance(result, tuple) else (result, None)
        theirs.append(None if keep else (reason or "gopher_repetition"))
    assert list(ours) == theirs
    assert ours[-1] is not None and all(r is None for r in ours[:5])


def test_catalan_words_keep_the_catalan_rules() -> None:
    from corpusforge.stages.datatrove_steps import word_tokenizer

    assert word_tokenizer("ca").word_tokenize("L'home va donar-li la col·lecció.") == [
        "L",
        "home",
        "va",
        "donar",
        "li",
        "la",
        "col·lecció",
    ]


def test_datatrove_extractor_gives_datatrove_s_text(tmp_path: Path) -> None:
    from datatrove.pipeline.extractors import Trafilatura

    from corpusforge.demo.make_warc import render_page
    from corpusforge.stages.datatrove_steps import DatatroveExtract

    page = render_page("gl", "A biblioteca abre os domingos", [PROSE["gl"]], date="2024-05-02")
    table = pa.table({"id": ["p"], "url": ["https://example.gal/a"], "html": [page]})
    out = DatatroveExtract(DatatroveExtract.Config(args={"favour_precision": True})).process_batch(table)
    assert out.column("text").to_pylist() == [Trafilatura(favour_precision=True).extract(page)]
    assert "domingos" in out.column("text")[0].as_py() and "html" not in out.column_names


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ('{ filter = "gopher" }', "params.filter", ["gopher_quality", "fineweb_quality"]),
        ('{ filter = "language" }', "params.filter", ["gopher_quality"]),  # downloads a model: not offered
        ('{ filter = "gopher_quality", args = { min_words = 5 } }', "params", ["min_words", "min_doc_words"]),
        ('{ filter = "regex", args = { exclusion_writer = "x" } }', "params", ["exclusion_writer", "rejected/"]),
    ],
)
def test_bad_configuration_fails_at_plan_naming_node_and_field(tmp_path: Path, params, field, words) -> None:
    with pytest.raises(plan_mod.PlanError) as err:
        plan_mod.load(_pipeline(tmp_path, params))
    message = str(err.value)
    assert f"node 'gopher', field '{field}" in message
    for word in words:
        assert word in message


def test_without_datatrove_plan_says_how_to_install_it(tmp_path: Path) -> None:
    toml = _pipeline(tmp_path, '{ filter = "gopher_quality" }')
    # `None` in sys.modules makes `import datatrove` fail as it does where it is not installed.
    script = (
        "import sys; sys.modules['datatrove'] = None; from corpusforge.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, "plan", str(toml)],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert out.returncode == 2
    assert "node 'gopher', field 'params.filter'" in out.stderr
    assert "pip install 'corpusforge[datatrove]'" in out.stderr
    assert "Traceback" not in out.stderr
