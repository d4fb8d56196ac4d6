import random

import pyarrow as pa
import pytest

from corpusforge.pii import redact
from corpusforge.pii.table import CANDIDATE, DEFAULT_COLUMNS, PII_REDACTED, candidate_mask, redact_table, scan_table

RAW = ["12345678Z", "ES91 2100 0418 4502 0005 1332", "maria.garcia@exemple.cat", "612 34 56 78"]


def _table() -> pa.Table:
    return pa.table(
        {
            "id": ["a", "b", "c"],
            "url": [
                "https://exemple.cat/perfil/12345678Z?correu=maria.garcia%40exemple.cat",
                "https://exemple.cat/noticies/2024/pressupost",
                None,
            ],
            "domain": ["exemple.cat", "exemple.cat", None],
            "title": ["Truqueu al 612 34 56 78", "El pressupost municipal", None],
            "text": [
                "Dades: DNI 12345678Z, compte ES91 2100 0418 4502 0005 1332, maria.garcia@exemple.cat.",
                "L'ajuntament va aprovar ahir el pressupost per a l'any vinent.",
                None,
            ],
            "lang_score": [0.9, 0.8, None],
        }
    )


def test_every_default_column_is_redacted_and_counted():
    out = redact_table(_table())
    assert out.num_rows == 3
    flat = " ".join(str(v) for col in ("url", "title", "text") for v in out.column(col).to_pylist())
    for raw in RAW + ["maria.garcia%40exemple.cat"]:
        assert raw not in flat
    assert out.column(PII_REDACTED).to_pylist() == [6, 0, 0]  # url 2, title 1, text 3
    assert out.column("url")[0].as_py().startswith("https://exemple.cat/perfil/%3CDNI%3E?correu=")
    assert out.column("text")[1].as_py() == _table().column("text")[1].as_py()
    assert out.column("domain").to_pylist() == _table().column("domain").to_pylist()  # never rewritten
    assert out.column("lang_score").to_pylist() == _table().column("lang_score").to_pylist()


def test_a_second_pass_changes_and_counts_nothing():
    once = redact_table(_table())
    twice = redact_table(once)
    assert twice.equals(once)


def test_counts_add_to_an_earlier_pass_that_saw_fewer_columns():
    text_only = redact_table(_table(), columns=("text",))
    assert text_only.column(PII_REDACTED).to_pylist() == [3, 0, 0]
    assert "612 34 56 78" in text_only.column("title")[0].as_py()
    both = redact_table(text_only)
    assert both.column(PII_REDACTED).to_pylist() == [6, 0, 0]


def test_listed_columns_may_be_absent_or_not_text():
    table = pa.table({"text": ["Escriu a a@b.cat"], "author": ["jon@udala.eus"], "n": [612345678]})
    out = redact_table(table, columns=(*DEFAULT_COLUMNS, "author", "n"))
    assert out.column("author").to_pylist() == ["<EMAIL>"]
    assert out.column("n").to_pylist() == [612345678]
    assert out.column(PII_REDACTED).to_pylist() == [2]


def test_chunked_and_large_string_columns():
    chunked = pa.concat_tables([_table().slice(0, 1), _table().slice(1)])
    assert redact_table(chunked).column("text").to_pylist() == redact_table(_table()).column("text").to_pylist()
    large = _table().cast(_table().schema.set(4, pa.field("text", pa.large_string())))
    out = redact_table(large)
    assert out.schema.field("text").type == pa.large_string()
    assert "12345678Z" not in out.column("text")[0].as_py()


def test_empty_table():
    out = redact_table(_table().slice(0, 0))
    assert out.num_rows == 0 and PII_REDACTED in out.column_names


def test_scan_counts_per_kind_and_dry_run_changes_nothing():
    scan = scan_table(_table(), DEFAULT_COLUMNS, dry_run=True)
    assert scan.counts["dni"].tolist() == [2, 0, 0]  # text and url
    assert scan.counts["email"].tolist() == [2, 0, 0]
    assert scan.counts["phone"].tolist() == [1, 0, 0]
    for col in ("url", "title", "text"):
        assert scan.table.column(col).to_pylist() == _table().column(col).to_pylist()
    assert scan.table.column(PII_REDACTED).to_pylist() == [0, 0, 0]


# The Arrow pre-filter skips rows in C++; a row it skips is never looked at again, so it must
# match every string in which a detector finds something. Identifiers of every kind, mangled at
# random (separators, Unicode digits, cuts), probe the edges of both.
_IDENTIFIERS = [
    "12345678Z", "12.345.678-Z", "X1234567L", "B12345674", "Q1234567D", "ES91 2100 0418 4502 0005 1332",
    "4111 1111 1111 1111", "378282246310005", "612 34 56 78", "+34 912 345 678", "(+34) 612.345.678",
    "0034 688 123 456", "a.b@c.es", "83.44.12.7", "2001:db8::1", "fe80::1:2", "10.0.0.1",
]  # fmt: skip
_NOISE = [" ", ".", "-", "  ", "/", "+", ":", "٦", "１", "7", "a", "@", "(", ""]


def _mangle(rng: random.Random, ident: str) -> str:
    chars = list(ident)
    for _ in range(rng.randint(0, 3)):
        pos = rng.randrange(len(chars) + 1)
        if rng.random() < 0.5 and pos < len(chars):
            chars[pos] = rng.choice(_NOISE)
        else:
            chars.insert(pos, rng.choice(_NOISE))
    return rng.choice(["", "Tel. ", "DNI ", "x"]) + "".join(chars) + rng.choice(["", ".", " euros", "Z"])


@pytest.mark.parametrize("seed", range(3))
def test_prefilter_never_skips_what_a_detector_finds(seed):
    import re

    rng = random.Random(seed)
    candidate = re.compile(CANDIDATE)
    texts = [_mangle(rng, rng.choice(_IDENTIFIERS)) for _ in range(5000)]
    found = 0
    for text in texts:
        if sum(redact(text).counts.values()):
            found += 1
            assert candidate.search(text), text
    assert found > 500  # the mangled identifiers do still hold many identifiers
    flagged = candidate_mask(pa.array(texts), url=False).to_pylist()
    assert flagged == [candidate.search(t) is not None for t in texts]  # RE2 (Arrow) and Python agree


def _every_detector(text: str) -> tuple[str, dict[str, int]]:
    """The reference: every detector's pattern over the text, nothing skipped by a pre-check."""
    from corpusforge.pii.detectors import DETECTORS
    from corpusforge.pii.redact import DEFAULT_TOKENS, _apply

    counts = {}
    for detector in DETECTORS:
        text, counts[detector.kind] = _apply(detector, text, DEFAULT_TOKENS[detector.kind])
    return text, counts


_AROUND = [
    "La reunió és el 2024-05-01 a les 12:30:45 a la sala 3.2.1.",
    "Tel. 968 000 000 o el 2001:db8::1; versió 10.0.0.1 del programa.",
    "Escriu-nos: info@ajuntament.cat. Pressupost de 1.234.567 euros, expedient 2024/000123.",
    "Eskaera-zenbakia 512 345 678 da; IBAN es91 2100 0418 4502 0005 1332.",
]


@pytest.mark.parametrize("seed", range(2))
def test_what_the_pre_checks_skip_no_detector_finds(seed):
    """The table pre-filter and each detector's trigger only skip passes that would find nothing."""
    rng = random.Random(seed)
    texts = [_mangle(rng, rng.choice(_IDENTIFIERS)) for _ in range(1500)]
    texts += [" ".join([rng.choice(_AROUND), *rng.sample(texts, 2), rng.choice(_AROUND)]) for _ in range(500)]
    scan = scan_table(pa.table({"text": texts}), ["text"])
    expected = [_every_detector(text) for text in texts]
    assert scan.table.column("text").to_pylist() == [text for text, _ in expected]
    for kind, counts in scan.counts.items():
        assert counts.tolist() == [found[kind] for _, found in expected], kind
    assert all(sum(counts) > 20 for counts in scan.counts.values())  # every kind is found, many times
