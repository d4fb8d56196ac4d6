"""WARC record framing: a Content-Length that lies, and gzip streams that hold many records.

A record's block must end where the next record (or the file) begins. When it does not, the
record is `error:corrupt_record`, with how far the reader skipped, and reading resumes at the
next `WARC/1.` header, so the records after it are all read.
"""

from __future__ import annotations

import gzip
import re
from collections import Counter
from pathlib import Path

import pytest
from ingest_fixtures import page, response_bytes

from corpusforge.ingest.warc import warc_rows
from corpusforge.stages.ingest_warc import IngestWarc, WarcConfig

URLS = [f"https://praias.example.gal/{i}" for i in range(10)]


def with_length(record: bytes, length: int) -> bytes:
    return re.sub(rb"Content-Length: \d+", b"Content-Length: %d" % length, record, count=1)


def block_length(record: bytes) -> int:
    match = re.search(rb"Content-Length: (\d+)", record)
    assert match
    return int(match.group(1))


LIES = {
    "huge": lambda n: 99_999_999,
    "past the next record": lambda n: n + 1500,
    "short": lambda n: n // 2,
}


@pytest.mark.parametrize("lie", LIES)
@pytest.mark.parametrize("layout", ["plain", "one gzip stream"])
def test_a_lying_content_length_loses_only_its_record(tmp_path: Path, lie: str, layout: str) -> None:
    records = [page(i, gzip=False) for i in range(10)]
    records[3] = with_length(records[3], LIES[lie](block_length(records[3])))
    data = b"".join(records)
    f = tmp_path / ("bad.warc" if layout == "plain" else "bad.warc.gz")
    f.write_bytes(data if layout == "plain" else gzip.compress(data))
    rows = list(warc_rows(str(f)))
    assert [r["url"] for r in rows if r["drop_reason"] is None] == URLS[:3] + URLS[4:]
    (err,) = [r for r in rows if r["drop_reason"] is not None]
    assert err["drop_reason"] == "error:corrupt_record" and err["url"] == URLS[3]
    skipped = len(records[3])
    assert f"skipped {skipped} bytes" in err["error_detail"]


def test_lying_record_in_a_gzip_member_of_its_own(tmp_path: Path) -> None:
    members = [page(i) for i in range(10)]
    members[3] = gzip.compress(with_length(page(3, gzip=False), 99_999_999))
    f = tmp_path / "bad.warc.gz"
    f.write_bytes(b"".join(members))
    rows = list(warc_rows(str(f)))
    assert [r["url"] for r in rows if r["drop_reason"] is None] == URLS[:3] + URLS[4:]
    assert Counter(r["drop_reason"] for r in rows) == {None: 9, "error:corrupt_record": 1}


@pytest.mark.parametrize("gz", [False, True])
def test_byte_ranges_still_tile_the_file_around_a_lying_record(tmp_path: Path, gz: bool) -> None:
    records = [page(i, gzip=False) for i in range(10)]
    records[3] = with_length(records[3], 99_999_999)
    f = tmp_path / ("bad.warc.gz" if gz else "bad.warc")
    f.write_bytes(b"".join(gzip.compress(r) for r in records) if gz else b"".join(records))
    stage = IngestWarc(WarcConfig(paths=[str(f)], split_bytes=700))
    shards = stage.list_shards()
    assert len(shards) > 5
    got = [r for s in shards for t in stage.read_shard(s) for r in t.to_pylist()]
    assert sorted(r["url"] for r in got if r["drop_reason"] is None) == sorted(URLS[:3] + URLS[4:])
    assert Counter(r["drop_reason"] for r in got) == {None: 9, "error:corrupt_record": 1}


def test_plain_warc_cut_inside_the_last_block_is_truncated(tmp_path: Path) -> None:
    data = b"".join(page(i, gzip=False) for i in range(4))
    f = tmp_path / "cut.warc"
    f.write_bytes(data[:-100])
    assert Counter(r["drop_reason"] for r in warc_rows(str(f))) == {None: 3, "error:truncated_record": 1}


def test_gzip_stream_larger_than_the_page_cap_reads_every_record(tmp_path: Path) -> None:
    """One gzip stream for the whole file (no member per record), far larger than max_html_bytes."""
    data = b"".join(page(i, gzip=False) for i in range(300))
    f = tmp_path / "single.warc.gz"
    f.write_bytes(gzip.compress(data))
    rows = list(warc_rows(str(f), max_html_bytes=4000))
    assert len(data) > 4000 + 128 * 1024  # the bytes of one member kept in memory
    assert [r["url"] for r in rows] == [f"https://praias.example.gal/{i}" for i in range(300)]
    assert all(r["drop_reason"] is None for r in rows)
    assert len({r["source"] for r in rows}) == 300


def test_gzip_stream_with_a_page_over_the_cap_and_pages_after_it(tmp_path: Path) -> None:
    big = b"<html><body><p>" + b"molt de text " * 20_000 + b"</p></body></html>"
    data = page(0, gzip=False) + response_bytes("https://grande.example.es/", big, gzip=False) + page(1, gzip=False)
    f = tmp_path / "big.warc.gz"
    f.write_bytes(gzip.compress(data))
    rows = list(warc_rows(str(f), max_html_bytes=50_000))
    assert [r["drop_reason"] for r in rows] == [None, "ingest:too_large", None]
    assert rows[2]["url"] == "https://praias.example.gal/1"


def test_truncated_gzip_stream_keeps_the_records_before_the_cut(tmp_path: Path) -> None:
    data = gzip.compress(b"".join(page(i, gzip=False) for i in range(50)))
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(data[: len(data) * 3 // 4])
    rows = list(warc_rows(str(f)))
    kept = [r["url"] for r in rows if r["drop_reason"] is None]
    assert len(kept) > 20 and kept == [f"https://praias.example.gal/{i}" for i in range(len(kept))]
    assert [r["drop_reason"] for r in rows if r["drop_reason"]] == ["error:truncated_gzip"]
