import pyarrow as pa
import pytest

from corpusforge.pii import redact
from corpusforge.stages.pii import PII_COLUMNS, PiiRedact

# Running text in four languages with valid identifiers (to redact) and look-alikes with
# wrong check characters or formats (to keep).
TEXTS = {
    "es": (
        "Para cualquier duda escriba a atencion.cliente@ejemplo.es o llame al 612 34 56 78. "
        "El titular, con DNI 12345678-Z, pagó con la tarjeta 4111 1111 1111 1111 desde la IP 83.44.12.7. "
        "El pedido 12345678A y la tarjeta 4111 1111 1111 1112 no son datos personales."
    ),
    "ca": (
        "Per a qualsevol dubte escriviu a info@associacio.cat o truqueu al +34 972 12 34 56. "
        "L'empresa, amb NIF B12345674, té el compte ES91 2100 0418 4502 0005 1332. "
        "El codi B12345675 i el compte ES92 2100 0418 4502 0005 1332 no són vàlids."
    ),
    "gl": (
        "Para calquera dúbida escriba a contacto@concello.gal ou chame ao 981-123-456. "
        "A persoa solicitante, con NIE X1234567L, accedeu desde 2001:db8::1. "
        "O expediente X1234567A e o enderezo 999.12.1.1 non son datos persoais."
    ),
    "eu": (
        "Zalantzarik baduzu, idatzi helbide honetara: laguntza@udala.eus edo deitu 0034 688 123 456 zenbakira. "
        "Erakundearen IFZ Q1234567D da. "
        "Eskaera-zenbakia 512 345 678 da, eta ordua 12:30:45; ez dira datu pertsonalak."
    ),
}
EXPECTED = {
    "es": {"email": 1, "phone": 1, "dni": 1, "card": 1, "ip": 1},
    "ca": {"email": 1, "phone": 1, "cif": 1, "iban": 1},
    "gl": {"email": 1, "phone": 1, "nie": 1, "ip": 1},
    "eu": {"email": 1, "phone": 1, "cif": 1},
}
KEPT = {
    "es": ["12345678A", "4111 1111 1111 1112"],
    "ca": ["B12345675", "ES92 2100 0418 4502 0005 1332"],
    "gl": ["X1234567A", "999.12.1.1"],
    "eu": ["512 345 678", "12:30:45"],
}


@pytest.mark.parametrize("lang", list(TEXTS))
def test_valid_identifiers_are_redacted_and_invalid_ones_kept(lang):
    result = redact(TEXTS[lang])
    assert {k: n for k, n in result.counts.items() if n} == EXPECTED[lang]
    for look_alike in KEPT[lang]:
        assert look_alike in result.text
    for kind in EXPECTED[lang]:
        assert f"<{kind.upper()}>" in result.text


@pytest.mark.parametrize(
    "phone",
    ["612345678", "612 345 678", "612 34 56 78", "+34 612 345 678", "+34612345678", "0034 912 345 678",
     "(+34) 912 34 56 78", "91 123 45 67", "+34 612.345.678", "712-345-678"],
)  # fmt: skip
def test_phone_spacing_variants(phone):
    assert redact(f"Teléfono: {phone}, de lunes a viernes.").counts["phone"] == 1


@pytest.mark.parametrize(
    "text", ["Cuesta 900.000.000 euros.", "Son 612345678 €.", "Código 512345678.", "Ref 6123456789."]
)
def test_numbers_that_are_not_phones(text):
    assert redact(text).counts["phone"] == 0


def test_dni_formats():
    for dni in ("12345678Z", "12345678-Z", "12.345.678-Z", "12345678z", "12345678 Z"):
        assert redact(f"DNI {dni}.").counts["dni"] == 1, dni


def test_dry_run_counts_without_changing_text():
    result = redact(TEXTS["es"], dry_run=True)
    assert result.text == TEXTS["es"]
    assert result.counts["dni"] == 1


def test_stage_redacts_counts_and_supports_custom_tokens_and_dry_run():
    table = pa.table({"id": ["a", "b", "c"], "text": [TEXTS["es"], None, "sense dades"]})
    stage = PiiRedact(PiiRedact.Config(tokens={"dni": "[DNI]"}))
    out = stage.process_batch(table)
    assert "[DNI]" in out.column("text")[0].as_py() and "12345678-Z" not in out.column("text")[0].as_py()
    assert out.column("text")[1].as_py() is None
    assert set(PII_COLUMNS) <= set(out.column_names)
    assert out.column("pii_dni").to_pylist() == [1, 0, 0]
    assert "drop_reason" not in out.column_names  # PII never drops a document
    dry = PiiRedact(PiiRedact.Config(dry_run=True)).process_batch(table)
    assert dry.column("text").to_pylist() == table.column("text").to_pylist()
    assert dry.column("pii_email").to_pylist() == [1, 0, 0]


def test_kinds_subset_and_unknown_kind_rejected():
    out = PiiRedact(PiiRedact.Config(kinds=["email"])).process_batch(pa.table({"text": [TEXTS["es"]]}))
    assert "<EMAIL>" in out.column("text")[0].as_py() and "12345678-Z" in out.column("text")[0].as_py()
    with pytest.raises(ValueError):
        PiiRedact.Config(kinds=["passport"])


def test_section_and_version_numbers_are_not_ips():
    result = redact("Segons l'apartat 3.2.1.2 i la versió 1.2.3.4, el servidor 10.1.2.3 respon.")
    assert result.counts["ip"] == 1 and "3.2.1.2" in result.text and "1.2.3.4" in result.text


# A nine-digit number starting 6-9 after a verb of counting or before a counting noun is a
# quantity, not a phone (issue #14: "registró 600 123 456 visitas" became <PHONE>).
COUNTS = [
    "La web registró 600 123 456 visitas el año pasado.",
    "El presupuesto asciende a 600 123 456 euros.",
    "La plataforma alcanzó 700 000 000 de usuarios en todo el mundo.",
    "El censo contabilizó más de 812 345 678 habitantes.",
    "Se vendieron 900 123 456 unidades del modelo.",
    "El portal va rebre 612 345 678 visites durant l'any.",
    "La xarxa va registrar 700 000 000 de visites.",
    "El país té 612 345 678 habitants.",
    "A web rexistrou 600 123 456 visitas o ano pasado.",
    "A rede acadou 700 000 000 de usuarios.",
    "Webguneak 600 123 456 bisita jaso zituen iaz.",
    "Proiektuak 712 345 678 euro kostatu zituen.",
    "Sareak 700 000 000 erabiltzaile ditu.",
]
# Real phones in sentences with the same words around them.
PHONES_NEAR_COUNTS = [
    "Para reservar visitas llame al 600 123 456 de lunes a viernes.",
    "La oficina registró 1.200 visitas; para citas llame al 612 345 678.",
    "Teléfono de atención: 612 345 678, visitas de 9 a 14 h.",
    "Per reservar visites truqueu al 612 345 678.",
    "Para concertar visitas chame ao 981 123 456.",
    "Bisitak erreserbatzeko deitu 612 345 678 zenbakira.",
    "Visitas guiadas: +34 600 123 456 visitas",
]


@pytest.mark.parametrize("text", COUNTS)
def test_counted_quantities_are_not_phones(text):
    result = redact(text)
    assert result.counts["phone"] == 0, result.text
    assert result.text == text


@pytest.mark.parametrize("text", PHONES_NEAR_COUNTS)
def test_phones_near_counting_words_are_still_phones(text):
    result = redact(text)
    assert result.counts["phone"] == 1, result.text


def test_stage_redacts_title_and_url_by_default_and_counts_what_it_replaced():
    table = pa.table(
        {
            "id": ["a", "b"],
            "url": ["https://x.es/alta?email=maria@example.es", "https://x.es/"],
            "domain": ["x.es", "x.es"],
            "title": ["Llame al 612 345 678", "Portada"],
            "text": ["DNI 12345678Z", "Nada que ocultar."],
        }
    )
    out = PiiRedact().process_batch(table)
    assert out.column("url").to_pylist() == ["https://x.es/alta?email=%3CEMAIL%3E", "https://x.es/"]
    assert out.column("title").to_pylist() == ["Llame al <PHONE>", "Portada"]
    assert out.column("domain").to_pylist() == ["x.es", "x.es"]
    assert [out.column(f"pii_{k}")[0].as_py() for k in ("email", "phone", "dni")] == [1, 1, 1]
    assert out.column("pii_redacted").to_pylist() == [3, 0]
    dry = PiiRedact(PiiRedact.Config(dry_run=True)).process_batch(table)
    assert dry.column("title").to_pylist() == table.column("title").to_pylist()
    assert dry.column("pii_redacted").to_pylist() == [0, 0] and dry.column("pii_phone").to_pylist() == [1, 0]
    only_text = PiiRedact(PiiRedact.Config(columns=["text"])).process_batch(table)
    assert only_text.column("title").to_pylist() == table.column("title").to_pylist()
    assert only_text.column("pii_redacted").to_pylist() == [1, 0]


@pytest.mark.parametrize("text", ["Compte: Es91 2100 0418 4502 0005 1332", "IBAN eS91-2100-0418-4502-0005-1332."])
def test_iban_in_mixed_case_is_found_in_a_text_without_es(text):
    """The IBAN pattern ignores case; the pass used to be skipped when neither "ES" nor "es" was in the text."""
    result = redact(text)
    assert result.counts["iban"] == 1 and "<IBAN>" in result.text
