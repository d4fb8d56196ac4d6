"""ingest.ccindex.v1 on a fake Common Crawl: a columnar index plus WARC files served with range requests."""

from __future__ import annotations

import gzip
import io
import json
import threading
import tomllib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from crawl_site import CA, ES, EU, GL
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusforge import cli, stats
from corpusforge import plan as plan_mod
from corpusforge.crawl.ccindex import IndexFilter, select
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

# (url, content_languages, tld, status, text)
CAPTURES = [
    ("https://www.elperiodico.es/noticia", "spa", "es", 200, ES),
    ("https://www.vilaweb.cat/article", "cat,spa", "cat", 200, CA),
    ("https://www.berria.eus/albistea", "eus", "eus", 200, EU),
    ("https://www.nosdiario.gal/novas", "glg,por", "gal", 200, GL),
    ("https://www.example.com/english", "eng", "com", 200, "The quick brown fox jumps over the lazy dog."),
    ("https://www.lemonde.fr/es", "fra,spa", "fr", 200, "Le monde en espagnol: " + ES),
    ("https://www.elperiodico.es/gone", "spa", "es", 404, "No existe."),
]


def _write_warcs(directory: Path) -> list[dict[str, object]]:
    """Two WARC files; returns one index row per capture with its real offset and length."""
    rows = []
    for n, chunk in enumerate((CAPTURES[:4], CAPTURES[4:])):
        name = f"crawl-data/CC-TEST/segments/1/warc/part-{n}.warc.gz"
        path = directory / name
        path.parent.mkdir(parents=True, exist_ok=True)
        buf = io.BytesIO()
        writer = WARCWriter(buf, gzip=True)
        for url, _langs, _tld, status, text in chunk:
            body = f"<html><head><title>t</title></head><body><p>{text}</p></body></html>".encode()
            headers = StatusAndHeaders(
                f"{status} X", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers)
            )
        path.write_bytes(buf.getvalue())
        with open(path, "rb") as fh:
            it = ArchiveIterator(fh)
            for (url, langs, tld, status, _), record in zip(chunk, it):
                record.content_stream().read()
                rows.append(
                    {
                        "url": url,
                        "url_host_tld": tld,
                        "content_languages": langs,
                        "fetch_status": status,
                        "content_mime_detected": "text/html",
                        "warc_filename": name,
                        "warc_record_offset": it.get_record_offset(),
                        "warc_record_length": it.get_record_length(),
                    }
                )
    return rows


CRAWL = "CC-MAIN-2024-33"  # the crawl pipelines/cc-ingest.toml names
TABLE = f"cc-index/table/cc-main/warc/crawl={CRAWL}/subset={{subset}}/part-{{n:05d}}-c000.gz.parquet"


def _write_cc_layout(root: Path, index: Path) -> None:
    """The index as Common Crawl lays it out, with its listing `cc-index-table.paths.gz`: the captures
    split over two `subset=warc` files, and a `subset=crawldiagnostics` file that must not be read."""
    table = pq.read_table(index)
    half = table.num_rows // 2
    for n, part in enumerate((table.slice(0, half), table.slice(half))):
        path = root / TABLE.format(subset="warc", n=n)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(part, path)
    names = [
        TABLE.format(subset="warc", n=0),
        TABLE.format(subset="crawldiagnostics", n=0),
        TABLE.format(subset="warc", n=1),
    ]
    listing = root / "crawl-data" / CRAWL / "cc-index-table.paths.gz"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_bytes(gzip.compress(("\n".join(names) + "\n").encode(), mtime=0))


@pytest.fixture
def fake_cc(tmp_path: Path) -> Iterator[tuple[Path, str, list[str]]]:
    """(index file, base URL of a range-serving server, request log). Each file answers 503 once."""
    rows = _write_warcs(tmp_path)
    broken = dict(rows[0], url="https://www.elperiodico.es/missing-file", warc_filename="crawl-data/nope.warc.gz")
    corrupt = dict(rows[1], url="https://www.vilaweb.cat/corrupt", warc_record_offset=rows[1]["warc_record_offset"] + 7)
    index = tmp_path / "index" / "part-00000.parquet"
    index.parent.mkdir()
    pq.write_table(pa.Table.from_pylist([*rows, broken, corrupt]), index)
    _write_cc_layout(tmp_path, index)
    log: list[str] = []
    throttled: set[str] = set()

    class Ranges(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:  # noqa: N802 - fsspec asks the size of the index file
            path = tmp_path / self.path.lstrip("/")
            self.send_response(200 if path.is_file() else 404)
            self.send_header("Content-Length", str(path.stat().st_size if path.is_file() else 0))
            self.end_headers()

        def do_GET(self) -> None:  # noqa: N802
            path = tmp_path / self.path.lstrip("/")
            if self.path.startswith(("/index/", "/cc-index/", f"/crawl-data/{CRAWL}/cc-index")):
                return self._index(path)
            log.append(f"{self.path} {self.headers.get('Range')}")
            if self.path not in throttled:
                throttled.add(self.path)
                self.send_response(503)
                self.send_header("Retry-After", "0")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if not path.exists():
                self.send_error(404)
                return
            start, end = (int(x) for x in self.headers["Range"].removeprefix("bytes=").split("-"))
            data = path.read_bytes()[start : end + 1]
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{end}/{path.stat().st_size}")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _index(self, path: Path) -> None:
            data = path.read_bytes()
            start, end = 0, len(data) - 1
            if self.headers.get("Range"):
                first, last = self.headers["Range"].removeprefix("bytes=").split("-")
                start, end = int(first), min(int(last or end), end)
            self.send_response(206 if self.headers.get("Range") else 200)
            self.send_header("Content-Length", str(end - start + 1))
            self.end_headers()
            self.wfile.write(data[start : end + 1])

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ranges)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    yield index, f"http://127.0.0.1:{server.server_address[1]}/", log
    server.shutdown()
    server.server_close()


def test_index_filter_by_language_tld_and_pattern(fake_cc) -> None:
    index, _, _ = fake_cc

    def urls(**kw: object) -> list[str]:
        return [u for t in select(str(index), IndexFilter(**kw)) for u in t.column("url").to_pylist()]

    primary = urls()
    assert "https://www.example.com/english" not in primary and "https://www.lemonde.fr/es" not in primary
    assert "https://www.elperiodico.es/gone" not in primary  # fetch_status 404
    assert {"https://www.berria.eus/albistea", "https://www.nosdiario.gal/novas"} <= set(primary)
    assert "https://www.lemonde.fr/es" in urls(primary_language_only=False)
    assert urls(tlds=("eus", ".gal")) == ["https://www.berria.eus/albistea", "https://www.nosdiario.gal/novas"]
    assert urls(url_patterns=(r"vilaweb\.cat/",)) == [
        "https://www.vilaweb.cat/article",
        "https://www.vilaweb.cat/corrupt",
    ]
    assert urls(languages=("eus",)) == ["https://www.berria.eus/albistea"]


def _pipeline(tmp_path: Path, index: Path | str, base: str) -> Path:
    p = tmp_path / "cc.toml"
    p.write_text(
        f'[pipeline]\nname = "cc"\nroot = "{tmp_path / "run"}"\nexecutor = "local"\n'
        f'[[node]]\nid = "cc"\nstage = "ingest.ccindex.v1"\n'
        f'params = {{ index_paths = ["{index}"], warc_base = "{base}", backoff_base_s = 0.01, max_retries = 2 }}\n',
        encoding="utf-8",
    )
    return p


def test_stage_fetches_only_chosen_records_with_ranges_and_retries(fake_cc, tmp_path: Path) -> None:
    index, base, log = fake_cc
    run(plan_mod.load(_pipeline(tmp_path, index, base)), LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["cc"])
    assert node.balanced and node.docs_in == 6  # 4 good + missing file + corrupt range
    assert node.kept == 4
    assert node.errors == {"error:cc_missing_file": 1, "error:corrupt_record": 1}
    table = pq.read_table(tmp_path / "run" / "cc" / "part-00000.parquet")
    by_url = dict(zip(table.column("url").to_pylist(), table.column("html").to_pylist()))
    assert EU in by_url["https://www.berria.eus/albistea"] and GL in by_url["https://www.nosdiario.gal/novas"]
    assert set(table.column("domain").to_pylist()) >= {"www.berria.eus", "www.vilaweb.cat"}
    assert all(line.split(" ", 1)[1].startswith("bytes=") for line in log)  # never a whole file
    assert sum("part-0.warc.gz" in line for line in log) == 1 + 5  # one 503, then 5 records of part-0


def test_stage_reads_local_warc_files_too(fake_cc, tmp_path: Path) -> None:
    index, _, _ = fake_cc
    run(plan_mod.load(_pipeline(tmp_path, index, str(tmp_path))), LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["cc"])
    assert node.kept == 4 and node.errors == {"error:cc_missing_file": 1, "error:corrupt_record": 1}


def test_index_over_http(fake_cc, tmp_path: Path) -> None:
    _, base, _ = fake_cc
    run(plan_mod.load(_pipeline(tmp_path, f"{base}index/part-00000.parquet", base)), LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["cc"])
    assert node.kept == 4 and node.errors == {"error:cc_missing_file": 1, "error:corrupt_record": 1}


def _index_counts(root: Path) -> dict[str, int]:
    return dict(stats.total(stats.load_run(str(root))["cc"]).counters)


def test_stage_reads_the_index_listing_over_http(fake_cc, tmp_path: Path) -> None:
    """`cc-index-table.paths.gz` by URL: its `subset=warc` files, relative to the listing's host."""
    _, base, _ = fake_cc
    run(plan_mod.load(_pipeline(tmp_path, f"{base}crawl-data/{CRAWL}/cc-index-table.paths.gz", base)), LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["cc"])
    assert node.kept == 4 and node.errors == {"error:cc_missing_file": 1, "error:corrupt_record": 1}
    # 9 index rows in all; the English, French and 404 captures are skipped; 6 records are fetched.
    assert _index_counts(tmp_path / "run") == {
        "index_rows_scanned": 9,
        "index_rows_selected": 6,
        "index_rows_skipped": 3,
    }
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["nodes"][0]["counters"]["index_rows_scanned"] == 9
    assert [s["index"].rsplit("/", 2)[-2] for s in manifest["inputs"]["cc"]] == ["subset=warc", "subset=warc"]
    shown = stats.render_rows(stats.from_manifest(manifest))
    assert "index_rows_scanned 9" in shown and "index_rows_skipped 3" in shown


def test_stage_reads_a_local_listing_with_an_index_base(fake_cc, tmp_path: Path) -> None:
    index, base, _ = fake_cc
    listing = index.parent.parent / "crawl-data" / CRAWL / "cc-index-table.paths.gz"
    toml = _pipeline(tmp_path, listing, base)
    toml.write_text(
        toml.read_text().replace("index_paths =", f'index_base = "{base}", max_index_files = 1, index_paths =')
    )
    run(plan_mod.load(toml), LocalExecutor())
    assert _index_counts(tmp_path / "run")["index_rows_scanned"] == 4  # the first subset=warc file only


def test_cc_paths_command_builds_the_list_a_pipeline_reads(fake_cc, tmp_path: Path, capsys) -> None:
    _, base, _ = fake_cc
    out = tmp_path / "cc.paths"
    assert cli.main(["cc", "paths", "--crawl", CRAWL, "--base", base, "--out", str(out)]) == 0
    lines = out.read_text(encoding="utf-8").split()
    assert lines == [base + TABLE.format(subset="warc", n=n) for n in (0, 1)]
    assert "2 index files" in capsys.readouterr().err
    run(plan_mod.load(_pipeline(tmp_path, out, base)), LocalExecutor())
    assert _index_counts(tmp_path / "run")["index_rows_selected"] == 6
    assert cli.main(["cc", "paths", "--crawl", "2024-33", "--base", base]) == 2
    assert "CC-MAIN-" in capsys.readouterr().err
    assert cli.main(["cc", "paths", "--crawl", "CC-MAIN-1999-01", "--base", base]) == 2
    assert "CC-MAIN-1999-01" in capsys.readouterr().err


def test_the_shipped_cc_pipeline_runs_against_a_copy_of_common_crawl(fake_cc, tmp_path: Path) -> None:
    """pipelines/cc-ingest.toml as shipped, with Common Crawl's host replaced by the fake's."""
    _, base, _ = fake_cc
    shipped = (Path(__file__).resolve().parents[2] / "pipelines" / "cc-ingest.toml").read_text(encoding="utf-8")
    assert "https://data.commoncrawl.org/" in shipped
    text = shipped.replace("https://data.commoncrawl.org/", base).replace(
        'root = "runs/cc-ingest"', f'root = "{tmp_path / "run"}"'
    )
    raw = tomllib.loads(text)
    raw["node"] = raw["node"][:1]  # the source is what reads Common Crawl; the rest is iberian-web's
    raw["node"][0]["params"] |= {"warc_base": base, "backoff_base_s": 0.01, "max_retries": 2}
    run(plan_mod.from_dict(raw, file="cc-ingest.toml", check_inputs=True), LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["ingest"])
    # max_index_files = 1: the first subset=warc file of the list, whose 4 captures are all chosen.
    assert node.kept == 4 and dict(node.counters) == {
        "index_rows_scanned": 4,
        "index_rows_selected": 4,
        "index_rows_skipped": 0,
    }
