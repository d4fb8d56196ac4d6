"""Personal data never reaches a Parquet file of a run or a review sample, kept or rejected.

A real pipeline (local executor): ingest -> language id -> language filter -> PII. One Spanish
document is kept; one French document is rejected by the language filter, upstream of the PII
node. Both carry a DNI, an IBAN, an e-mail and a phone in `text`, `title` and `url`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from corpusforge import plan as plan_mod
from corpusforge.review.sample import SampleConfig, draw
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

DNI, IBAN, IBAN_COMPACT = "12345678Z", "ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"
ES_MAIL, FR_MAIL, PHONE = "maria.garcia@exemple.es", "jean.dupont@exemple.fr", "612 34 56 78"
# Any of these in any string of any Parquet file is a leak (the URL forms included).
RAW = [DNI, IBAN, IBAN_COMPACT, "2100 0418", ES_MAIL, FR_MAIL, "maria.garcia%40", "jean.dupont%40", PHONE,
       "612345678"]  # fmt: skip

SPANISH = (
    "El Ayuntamiento ha abierto el plazo para solicitar las ayudas al alquiler de este año. "
    "Las personas interesadas deben presentar la solicitud con su documento de identidad, "
    f"por ejemplo el DNI {DNI}, y el número de cuenta donde recibirán el pago, como {IBAN}. "
    f"Para cualquier duda pueden escribir a {ES_MAIL} o llamar al teléfono {PHONE} por la mañana. "
    "La oficina municipal atiende de lunes a viernes y el plazo termina a finales del mes que viene."
)
FRENCH = (
    "La mairie a ouvert la période de demande des aides au logement pour cette année. "
    "Les personnes intéressées doivent présenter leur demande avec une pièce d'identité, "
    f"par exemple le DNI {DNI}, et le numéro de compte où elles recevront le paiement, comme {IBAN}. "
    f"Pour toute question, écrivez à {FR_MAIL} ou appelez le {PHONE} le matin. "
    "Le bureau municipal est ouvert du lundi au vendredi et la période se termine à la fin du mois prochain."
)
DOCS = [
    {
        "id": "kept-es",
        "url": f"https://exemple.es/ayudas/{DNI}?correo=maria.garcia%40exemple.es&tel=612345678&iban={IBAN_COMPACT}",
        "domain": "exemple.es",
        "title": f"Ayudas: {ES_MAIL}, {PHONE}",
        "text": SPANISH,
    },
    {
        "id": "rejected-fr",
        "url": f"https://exemple.fr/aides/{DNI}?mail=jean.dupont%40exemple.fr&tel=612345678&iban={IBAN_COMPACT}",
        "domain": "exemple.fr",
        "title": f"Aides : {FR_MAIL}, {PHONE}, {IBAN}",
        "text": FRENCH,
    },
]
PIPELINE = """
[pipeline]
name = "pii-everywhere"
root = "{root}"
executor = "local"
{setting}

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{inp}"] }}

[[node]]
id = "langid"
stage = "langid.iberian.v1"
inputs = ["ingest"]

[[node]]
id = "langfilter"
stage = "langid.filter.v1"
inputs = ["langid"]

[[node]]
id = "pii"
stage = "pii.redact.v1"
inputs = ["langfilter"]
"""


def _run(tmp_path: Path, setting: str = "") -> tuple[Path, dict]:
    inp = tmp_path / "docs.jsonl"
    inp.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS), encoding="utf-8")
    toml = tmp_path / "p.toml"
    toml.write_text(PIPELINE.format(root=tmp_path / "run", inp=inp, setting=setting))
    manifest = run(plan_mod.load(toml), LocalExecutor())
    return tmp_path / "run", manifest


def _strings(path: Path) -> list[str]:
    table = pq.read_table(path)
    out = []
    for name in table.column_names:
        if pa.types.is_string(table.schema.field(name).type):
            out += [v for v in table.column(name).to_pylist() if v]
    return out


def _leaks(path: Path) -> list[tuple[str, str]]:
    return [(raw, s[:80]) for s in _strings(path) for raw in RAW if raw in s]


def test_no_personal_data_in_any_parquet_file_nor_in_the_sample(tmp_path):
    root, manifest = _run(tmp_path)
    assert manifest["redact_rejected"] is True
    files = sorted(root.rglob("*.parquet"))
    kept = pq.read_table(root / "pii" / "part-00000.parquet")
    rejected = pq.read_table(root / "rejected" / "langfilter" / "part-00000.parquet")
    assert kept.column("id").to_pylist() == ["kept-es"]
    assert rejected.column("id").to_pylist() == ["rejected-fr"]
    assert rejected.column("drop_reason").to_pylist() == ["lang:fr"]
    for path in files:
        assert _leaks(path) == [], path
    # Structure kept: the host of each URL, and domain, are what they were.
    assert kept.column("url")[0].as_py().startswith("https://exemple.es/ayudas/%3CDNI%3E?correo=%3CEMAIL%3E&tel=")
    assert rejected.column("domain").to_pylist() == ["exemple.fr"]
    # Each replaced span counted once: 4 in text, 2 (es) or 3 (fr) in title, 4 in url.
    assert kept.column("pii_redacted").to_pylist() == [10]
    assert rejected.column("pii_redacted").to_pylist() == [11]
    draw(str(root), tmp_path / "review", SampleConfig(per_band=5))
    sample = tmp_path / "review" / "sample.parquet"
    assert sorted(pq.read_table(sample).column("id").to_pylist()) == ["kept-es", "rejected-fr"]
    assert _leaks(sample) == []


def test_turning_it_off_is_recorded_and_the_sample_still_redacts(tmp_path):
    root, manifest = _run(tmp_path, "redact_rejected = false")
    assert manifest["redact_rejected"] is False
    assert json.loads((root / "manifest.json").read_text())["redact_rejected"] is False
    rejected = root / "rejected" / "langfilter" / "part-00000.parquet"
    assert _leaks(rejected)  # raw, as asked (and as every run written before this setting existed)
    assert _leaks(root / "pii" / "part-00000.parquet") == []
    draw(str(root), tmp_path / "review", SampleConfig(per_band=5))
    assert _leaks(tmp_path / "review" / "sample.parquet") == []


def test_a_non_boolean_setting_fails_at_plan_time(tmp_path):
    toml = tmp_path / "p.toml"
    toml.write_text(PIPELINE.format(root=tmp_path / "run", inp=tmp_path / "x.jsonl", setting='redact_rejected = "no"'))
    with pytest.raises(plan_mod.PlanError) as info:
        plan_mod.load(toml)
    assert info.value.field == "pipeline.redact_rejected" and str(toml) in str(info.value)


@pytest.mark.parametrize("name", ["demo", "iberian-web", "cc-ingest"])
def test_shipped_pipelines_write_nothing_to_disk_before_the_pii_node(name):
    """A node upstream of pii.redact.v1 whose output is materialised would leave raw PII in {root}/{node}/."""
    plan = plan_mod.load(Path(__file__).resolve().parents[2] / "pipelines" / f"{name}.toml", check_inputs=False)
    (pii,) = [n for n in plan.nodes.values() if n.stage_name == "pii.redact.v1"]
    upstream, todo = set(), list(pii.inputs)
    while todo:
        node = plan.nodes[todo.pop()]
        upstream.add(node.id)
        todo += node.inputs
    assert [n for n in sorted(upstream) if plan.nodes[n].materialized] == []
