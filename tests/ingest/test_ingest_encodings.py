"""ingest.warc.v1 on a WARC of pages in every encoding, declaration and content encoding.

The stage validates UTF-8 pages in bulk in Arrow and decodes the others one by one, so each
case is read in batches of one page and in one batch holding them all.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import brotli
import pytest
import zstandard
from encoding_fixtures import encoded_pages, spanish_page
from ingest_fixtures import response_bytes

from corpusforge.demo.make_warc import ARTICLES
from corpusforge.extract.html import resiliparse_extract
from corpusforge.stages.ingest_warc import IngestWarc, WarcConfig

SPECIAL = spanish_page()


def _special_cases() -> list[tuple[str, bytes, str, tuple[tuple[str, str], ...], str]]:
    """(url, body, content type, extra headers, expected html)."""
    utf8 = SPECIAL.encode()
    latin9_meta = SPECIAL.replace("<head>", '<head><meta charset="ISO-8859-15">')
    return [
        ("https://s.example.es/utf8-says-latin9", latin9_meta.encode(), "text/html", (), latin9_meta),
        ("https://s.example.es/utf8-says-1252", utf8, "text/html; charset=windows-1252", (), SPECIAL),
        ("https://s.example.es/utf16le", SPECIAL.encode("utf-16-le"), "text/html", (), SPECIAL),
        ("https://s.example.es/utf16be", SPECIAL.encode("utf-16-be"), "text/html; charset=utf-16", (), SPECIAL),
        ("https://s.example.es/gzip-unlabelled", gzip.compress(utf8, mtime=0), "text/html", (), SPECIAL),
        ("https://s.example.es/br", brotli.compress(utf8), "text/html", (("Content-Encoding", "br"),), SPECIAL),
        (
            "https://s.example.es/zstd",
            zstandard.ZstdCompressor().compress(utf8),
            "text/html; charset=utf-8",
            (("Content-Encoding", "zstd"),),
            SPECIAL,
        ),
    ]


@pytest.fixture(scope="module")
def encodings_warc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """A WARC.gz of 2 articles per language x 4 encodings x 3 declarations, plus the special cases."""
    expected: dict[str, str] = {}
    records = []
    for page in encoded_pages(per_language=2):
        records.append(response_bytes(page.url, page.body, content_type=page.content_type))
        expected[page.url] = page.text
    for url, body, content_type, headers, html in _special_cases():
        records.append(response_bytes(url, body, content_type=content_type, extra_headers=headers))
        expected[url] = html
    path = tmp_path_factory.mktemp("encodings") / "encodings.warc.gz"
    path.write_bytes(b"".join(records))
    return path, expected


def _read(path: Path, batch_size: int) -> dict[str, dict[str, Any]]:
    stage = IngestWarc(WarcConfig(paths=[str(path)], batch_size=batch_size))
    return {r["url"]: r for t in stage.read_shard(stage.list_shards()[0]) for r in t.to_pylist()}


@pytest.mark.parametrize("batch_size", [1, 1000])
def test_every_page_comes_out_as_written(encodings_warc: tuple[Path, dict[str, str]], batch_size: int) -> None:
    path, expected = encodings_warc
    rows = _read(path, batch_size)
    assert set(rows) == set(expected)
    wrong = {url: (r["charset"], r["drop_reason"]) for url, r in rows.items() if r["html"] != expected[url]}
    assert not wrong, wrong
    assert all(r["drop_reason"] is None and r["undecodable_bytes"] == 0 for r in rows.values())


def test_extracted_text_keeps_every_accent(encodings_warc: tuple[Path, dict[str, str]]) -> None:
    path, _ = encodings_warc
    rows = _read(path, 1000)
    latin1_es = rows["https://es.example.org/iso-8859-1/none/noticias/huerta-urbana-vallecas"]
    text = resiliparse_extract(latin1_es["html"]).text
    assert "asociación de vecinos" in text and "ń" not in text
    galician = rows["https://gl.example.org/iso-8859-15/none/" + latin1_slug(rows, "gl")]
    assert "Coruña" in resiliparse_extract(galician["html"]).text
    said_latin9 = resiliparse_extract(rows["https://s.example.es/utf8-says-latin9"]["html"]).text
    assert "kilómetros" in said_latin9 and "Ã" not in said_latin9


def latin1_slug(rows: dict[str, dict[str, Any]], lang: str) -> str:
    prefix = f"https://{lang}.example.org/iso-8859-15/none/"
    return next(url[len(prefix) :] for url in rows if url.startswith(prefix))


@pytest.mark.parametrize("coding", ["br", "zstd", "gzip-unlabelled"])
def test_compressed_bomb_is_rejected_as_too_large_and_the_next_page_survives(tmp_path: Path, coding: str) -> None:
    payload = b"<html><body><p>" + b"hola " * (12 << 20)  # 60 MiB that packs into a few kB
    packed = {
        "br": lambda: brotli.compress(payload, quality=1),
        "zstd": lambda: zstandard.ZstdCompressor(level=1).compress(payload),
        "gzip-unlabelled": lambda: gzip.compress(payload, compresslevel=1, mtime=0),
    }[coding]()
    headers = () if coding == "gzip-unlabelled" else (("Content-Encoding", coding),)
    f = tmp_path / "bomb.warc.gz"
    f.write_bytes(
        response_bytes("https://s.example.es/bomb", packed, extra_headers=headers)
        + response_bytes("https://s.example.es/after", SPECIAL.encode())
    )
    rows = _read(f, 1000)
    assert rows["https://s.example.es/bomb"]["drop_reason"] == "ingest:too_large"
    assert rows["https://s.example.es/after"]["html"] == SPECIAL


def test_from_warc_to_quality_decision_mojibake_is_repaired_or_rejected(tmp_path: Path) -> None:
    """The issue's case end to end: ingest -> extract -> normalize -> quality signals -> filter."""
    from corpusforge.demo.make_warc import render_page
    from corpusforge.stages.extract import ResiliparseExtract
    from corpusforge.stages.normalize import Normalize
    from corpusforge.stages.quality import QualityFilter, QualitySignals

    slug, title, paragraphs = ARTICLES["es"][3]
    page = render_page("es", title, paragraphs, date="2024-03-01")
    latin9 = page.replace('charset="utf-8"', 'charset="ISO-8859-15"')
    double = "".join(bytes([b]).decode("latin-1") for b in page.encode())  # a CMS read its UTF-8 as Latin-1
    lost = "".join("\ufffd" if ord(c) > 127 else c for c in page)  # accents lost before the page was served
    cases = {
        "https://s.example.es/latin9-label": latin9.encode(),
        "https://s.example.es/double": double.encode(),
        "https://s.example.es/lost": lost.encode(),
        "https://s.example.es/latin1-undeclared": page.replace('<meta charset="utf-8">', "").encode("latin-1"),
    }
    f = tmp_path / "mojibake.warc.gz"
    f.write_bytes(b"".join(response_bytes(url, body, content_type="text/html") for url, body in cases.items()))
    (table,) = list(IngestWarc(WarcConfig(paths=[str(f)])).read_shard({"path": str(f)}))
    for stage in (ResiliparseExtract(), Normalize(), QualitySignals(QualitySignals.Config(lang="es"))):
        table = stage.process_batch(table)
    table = QualityFilter(QualityFilter.Config(lang="es")).process_batch(table)
    rows = {r["url"]: r for r in table.to_pylist()}
    first = paragraphs[0].split(".")[0]
    for url in ("latin9-label", "double", "latin1-undeclared"):
        row = rows[f"https://s.example.es/{url}"]
        assert row["drop_reason"] is None and first in row["text"] and row["q_mojibake_ratio"] == 0, url
    lost_row = rows["https://s.example.es/lost"]
    assert lost_row["drop_reason"] == "quality:max_mojibake_ratio" and lost_row["q_mojibake_ratio"] > 0.03
