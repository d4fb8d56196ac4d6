"""ingest.warc.v1 on bad input: every fault counted under a named reason, nothing else lost."""

from __future__ import annotations

import gzip
from collections import Counter
from pathlib import Path

import pytest
from ingest_fixtures import PAGE, corrupt, page, response_bytes, warc_of

from corpusforge.ingest.warc import warc_rows
from corpusforge.stages.ingest_warc import IngestWarc, WarcConfig


def reasons(path: Path, **kw: int) -> Counter[str | None]:
    return Counter(r["drop_reason"] for r in warc_rows(str(path), **kw))


def test_good_file_reads_every_response(tmp_path: Path) -> None:
    f = tmp_path / "good.warc.gz"
    f.write_bytes(warc_of(5))
    rows = list(warc_rows(str(f)))
    assert [r["url"] for r in rows] == [f"https://praias.example.gal/{i}" for i in range(5)]
    assert all(r["drop_reason"] is None and r["domain"] == "praias.example.gal" for r in rows)
    assert "augas frías" in rows[0]["html"]
    assert rows[0]["source"] == f"{f}@0"
    assert len({r["id"] for r in rows}) == 5


def test_corrupt_record_in_the_middle_keeps_the_records_after_it(tmp_path: Path) -> None:
    f = tmp_path / "corrupt.warc.gz"
    f.write_bytes(page(0) + page(1) + corrupt(page(2)) + page(3) + page(4))
    rows = list(warc_rows(str(f)))
    assert Counter(r["drop_reason"] for r in rows) == {None: 4, "error:corrupt_record": 1}
    assert [r["url"] for r in rows if r["drop_reason"] is None][-2:] == [
        "https://praias.example.gal/3",
        "https://praias.example.gal/4",
    ]


def test_corrupt_header_in_plain_warc_resyncs(tmp_path: Path) -> None:
    f = tmp_path / "corrupt.warc"
    bad = page(2, gzip=False).replace(b"WARC/1.", b"WXRC/1.", 1)
    f.write_bytes(page(0, gzip=False) + page(1, gzip=False) + bad + page(3, gzip=False))
    rows = list(warc_rows(str(f)))
    assert Counter(r["drop_reason"] for r in rows) == {None: 3, "error:corrupt_record": 1}
    assert rows[-1]["url"] == "https://praias.example.gal/3"


def test_truncated_gzip_keeps_everything_before(tmp_path: Path) -> None:
    data = warc_of(4)
    f = tmp_path / "truncated.warc.gz"
    f.write_bytes(data[: len(data) - 40])
    assert reasons(f) == {None: 3, "error:truncated_gzip": 1}


def test_zero_byte_file_is_counted(tmp_path: Path) -> None:
    f = tmp_path / "empty.warc.gz"
    f.write_bytes(b"")
    assert reasons(f) == {"error:empty_file": 1}


def test_fifty_megabyte_page_is_rejected_and_the_next_page_survives(tmp_path: Path) -> None:
    big = b"<html><body>" + b"<p>" + b"molt de text " * (50 * 1024 * 1024 // 13) + b"</p></body></html>"
    f = tmp_path / "big.warc.gz"
    f.write_bytes(page(0) + response_bytes("https://grande.example.es/", big) + page(1))
    rows = list(warc_rows(str(f), max_html_bytes=10 << 20))
    assert [r["drop_reason"] for r in rows] == [None, "ingest:too_large", None]
    assert rows[1]["html"] is None


def test_binary_bytes_labelled_html_are_rejected(tmp_path: Path) -> None:
    binary = bytes((i * 37 + 11) % 256 for i in range(5000))
    f = tmp_path / "binary.warc.gz"
    f.write_bytes(response_bytes("https://x.example.es/file", binary) + page(0))
    assert [r["drop_reason"] for r in warc_rows(str(f))] == ["ingest:binary", None]


def test_shift_jis_page_is_decoded(tmp_path: Path) -> None:
    text = "<html><body><p>東京の天気は晴れです。</p></body></html>"
    f = tmp_path / "sjis.warc.gz"
    f.write_bytes(response_bytes("https://example.jp/", text.encode("shift_jis"), content_type="text/html"))
    (row,) = list(warc_rows(str(f)))
    assert row["html"] == text
    assert row["charset"] in ("shift_jis", "cp932")  # cp932 is Microsoft's superset of Shift-JIS
    assert row["undecodable_bytes"] == 0


def test_utf16_page_is_text_not_binary(tmp_path: Path) -> None:
    text = "<html><body><p>Ací i allà, la xiqueta eixia hui.</p></body></html>"
    f = tmp_path / "utf16.warc.gz"
    f.write_bytes(
        response_bytes("https://x.example.cat/", text.encode("utf-16"), content_type="text/html; charset=UTF-16")
    )
    (row,) = list(warc_rows(str(f)))
    assert row["drop_reason"] is None and row["html"] == text


def test_undecodable_bytes_are_counted_not_fatal(tmp_path: Path) -> None:
    body = "<html><body><p>Camión</p></body></html>".encode() + b"\xff\xfe broken"
    f = tmp_path / "bad-utf8.warc.gz"
    f.write_bytes(response_bytes("https://x.example.es/", body, content_type="text/html; charset=utf-8"))
    (row,) = list(warc_rows(str(f)))
    assert row["drop_reason"] is None and row["undecodable_bytes"] == 2 and "Camión" in row["html"]


def test_non_html_and_non_200_are_counted(tmp_path: Path) -> None:
    f = tmp_path / "mixed.warc.gz"
    f.write_bytes(
        response_bytes("https://x.example.es/a.png", b"\x89PNG\r\n\x1a\n", content_type="image/png")
        + response_bytes("https://x.example.es/gone", b"<h1>404</h1>", status="404 Not Found")
        + page(0)
    )
    assert reasons(f) == {"ingest:not_html": 1, "ingest:http_404": 1, None: 1}


def test_gzip_content_encoding_is_undone(tmp_path: Path) -> None:
    body = gzip.compress(PAGE.format(i=7).encode(), mtime=0)
    f = tmp_path / "encoded.warc.gz"
    f.write_bytes(response_bytes("https://x.example.gal/", body, extra_headers=(("Content-Encoding", "gzip"),)))
    (row,) = list(warc_rows(str(f)))
    assert row["drop_reason"] is None and "A praia número 7" in row["html"]


@pytest.mark.parametrize("compressed", [True, False])
def test_byte_range_shards_partition_the_file(tmp_path: Path, compressed: bool) -> None:
    f = tmp_path / ("many.warc.gz" if compressed else "many.warc")
    f.write_bytes(warc_of(40, gzip=compressed))
    stage = IngestWarc(WarcConfig(paths=[str(f)], split_bytes=997))
    shards = stage.list_shards()
    assert len(shards) > 5
    urls = [u for s in shards for t in stage.read_shard(s) for u in t.column("url").to_pylist()]
    assert sorted(urls) == sorted(f"https://praias.example.gal/{i}" for i in range(40))
    assert len(urls) == 40


def test_stage_validates_utf8_in_bulk_and_falls_back_per_page(tmp_path: Path) -> None:
    """The stage hands UTF-8 pages to Arrow as bytes; a batch with a bad page still decodes every page right."""
    sjis = "<html><body><p>東京の天気は晴れです。</p></body></html>"
    latin1 = "<html><body><p>Camión de la ciudad, acción y corazón.</p></body></html>"
    broken = "<html><body><p>Camión</p></body></html>".encode() + b"\xff\xfe broken"
    f = tmp_path / "mixed-charsets.warc.gz"
    f.write_bytes(
        page(0)
        + response_bytes("https://x.example.jp/", sjis.encode("shift_jis"), content_type="text/html")
        + response_bytes("https://x.example.es/l1", latin1.encode("latin-1"), content_type="text/html")
        + response_bytes("https://x.example.es/bad", broken, content_type="text/html; charset=utf-8")
        + response_bytes("https://x.example.es/bom", b"\xef\xbb\xbf" + latin1.encode(), content_type="text/html")
    )
    for batch_size in (1, 500):  # one bad page per batch, and one batch holding all
        stage = IngestWarc(WarcConfig(paths=[str(f)], batch_size=batch_size))
        rows = [r for t in stage.read_shard(stage.list_shards()[0]) for r in t.to_pylist()]
        by_url = {r["url"]: r for r in rows}
        assert "augas frías" in by_url["https://praias.example.gal/0"]["html"]
        assert by_url["https://praias.example.gal/0"]["charset"] == "utf-8"
        assert by_url["https://x.example.jp/"]["html"] == sjis
        assert by_url["https://x.example.jp/"]["charset"] in ("shift_jis", "cp932")
        assert "acción y corazón" in by_url["https://x.example.es/l1"]["html"]
        assert by_url["https://x.example.es/l1"]["charset"] != "utf-8"
        bad = by_url["https://x.example.es/bad"]
        assert bad["charset"] == "utf-8" and bad["undecodable_bytes"] == 2 and "Camión" in bad["html"]
        assert by_url["https://x.example.es/bom"]["html"] == latin1
        assert all(r["drop_reason"] is None for r in rows)
