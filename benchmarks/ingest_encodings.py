"""Ingest + extract throughput and correctness, this checkout against an older revision, on generated WARCs.

    python benchmarks/ingest_encodings.py [--pages 4000] [--runs 3] [--baseline-rev da20f1d]

Two WARC.gz files of --pages pages each are generated from the demo articles (all five
languages, fixed seed): "utf-8" holds only UTF-8 pages that say so in the HTTP header (the
common case, which must not get slower); "mixed" holds the encodings the Iberian web serves:
UTF-8 declared or not, cp1252 / Latin-1 / ISO-8859-15 declared in the header, in <meta> or
not at all, UTF-8 that declares ISO-8859-15, UTF-16 without BOM, and gzip (unlabelled), br
and zstd bodies. Each revision runs `ingest.warc.v1` (batches of 500) and
`extract.resiliparse.v1` in a fresh process per run, revisions interleaved, and the fastest
run counts. Times are CPU seconds of the worker process (the machine is shared, and CPU time
is what other load disturbs least; both stages are single-threaded). Correct: share of pages whose decoded HTML is exactly
the page as written. The baseline revision is exported with `git archive` (read-only) to a
temporary directory and put first on PYTHONPATH. Needs no ../shared/data. Writes
benchmarks/results/ingest_encodings.md.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

# Running a file in benchmarks/ puts that folder first on sys.path, where benchmarks/dedup.py would
# shadow the `dedup` library that corpusforge's stages import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "ingest_encodings.md"

# (share of pages, encoding of the bytes, where the charset is declared, what it declares, content coding)
MIX = (
    (0.35, "utf-8", "header", "utf-8", None),
    (0.30, "utf-8", "none", None, None),
    (0.08, "cp1252", "none", None, None),
    (0.05, "latin-1", "meta", "iso-8859-1", None),
    (0.05, "iso-8859-15", "header", "ISO-8859-15", None),
    (0.05, "utf-8", "meta", "ISO-8859-15", None),
    (0.03, "utf-16-le", "none", None, None),
    (0.03, "utf-8", "header", "utf-8", "gzip-unlabelled"),
    (0.03, "utf-8", "header", "utf-8", "br"),
    (0.03, "utf-8", "header", "utf-8", "zstd"),
)


def _page(rng: random.Random, i: int, kind: tuple) -> tuple[str, str, bytes, list[tuple[str, str]]]:
    """(url, expected html, body, http headers) of page i."""
    import html as html_lib

    from corpusforge.demo.make_warc import ARTICLES

    _, encoding, where, label, coding = kind
    lang = rng.choice(sorted(ARTICLES))
    slug, title, paragraphs = rng.choice(ARTICLES[lang])
    meta = f'<meta charset="{label}">' if where == "meta" else ""
    body_html = "".join(f"<p>{html_lib.escape(p)}</p>" for p in paragraphs)
    text = (
        f'<!DOCTYPE html><html lang="{lang}"><head>{meta}<title>{html_lib.escape(title)}</title></head>'
        f"<body><nav><a href='/'>Inici</a></nav><article><h1>{html_lib.escape(title)}</h1>{body_html}</article>"
        f"<footer>Página {i}</footer></body></html>"
    )
    body = text.encode(encoding)
    headers = [("Content-Type", f"text/html; charset={label}" if where == "header" else "text/html")]
    if coding == "gzip-unlabelled":
        body = gzip.compress(body, mtime=0)
    elif coding == "br":
        import brotli

        body, headers = brotli.compress(body), [*headers, ("Content-Encoding", "br")]
    elif coding == "zstd":
        import zstandard

        body, headers = zstandard.ZstdCompressor().compress(body), [*headers, ("Content-Encoding", "zstd")]
    return f"https://{lang}.example.org/{i}/{slug}", text, body, headers


def build_warc(path: Path, n_pages: int, *, mixed: bool) -> dict[str, str]:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    rng = random.Random(13)
    kinds = [k for k in MIX for _ in range(round(k[0] * 100))] if mixed else [MIX[0]]
    expected = {}
    buf = BytesIO()
    writer = WARCWriter(buf, gzip=True)
    for i in range(n_pages):
        url, text, body, headers = _page(rng, i, rng.choice(kinds))
        http = StatusAndHeaders("200 OK", [*headers, ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body), http_headers=http))
        expected[url] = text
    path.write_bytes(buf.getvalue())
    return expected


def worker(warc: str, expected_path: str) -> None:
    """One timed run in this process: ingest alone, then ingest + extract; prints JSON."""
    from corpusforge.stages.extract import ResiliparseExtract
    from corpusforge.stages.ingest_warc import IngestWarc, WarcConfig

    expected = json.loads(Path(expected_path).read_text(encoding="utf-8"))
    stage = IngestWarc(WarcConfig(paths=[warc]))
    shard = stage.list_shards()[0]
    t0 = time.process_time()
    tables = list(stage.read_shard(shard))
    t_ingest = time.process_time() - t0
    extract = ResiliparseExtract()
    t1 = time.process_time()
    texts = sum(extract.process_batch(t).column("text").null_count for t in tables)
    t_extract = time.process_time() - t1
    rows = [r for t in tables for r in t.select(["url", "html"]).to_pylist()]
    correct = sum(r["html"] == expected[r["url"]] for r in rows)
    print(
        json.dumps(
            {
                "ingest_s": t_ingest,
                "total_s": t_ingest + t_extract,
                "pages": len(rows),
                "correct": correct,
                "null": texts,
            }
        )
    )


def export_revision(rev: str, into: Path) -> Path:
    """The packages of `rev` as files under `into` (git archive: nothing in the repository changes)."""
    data = subprocess.run(
        ["git", "archive", rev, "corpusforge", "language_id", "dedup"], cwd=REPO, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(into, filter="data")
    return into


def run_once(code: Path, warc: Path, expected: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(code), "RAY_AUTH_MODE": "disabled"}
    out = subprocess.run(
        [sys.executable, __file__, "--worker", str(warc), str(expected)],
        env=env,
        cwd=code,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline-rev", default="da20f1d", help="revision to compare with (before issue #13)")
    parser.add_argument("--worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            baseline = export_revision(args.baseline_rev, work / "baseline")
        except subprocess.CalledProcessError as exc:
            print(f"ingest_encodings: cannot export --baseline-rev {args.baseline_rev}: {exc.stderr.decode().strip()}")
            return 2
        versions = {f"baseline {args.baseline_rev}": baseline, "this": REPO}
        lines = []
        for name, mixed in (("utf-8", False), ("mixed", True)):
            warc, exp = work / f"{name}.warc.gz", work / f"{name}.json"
            exp.write_text(json.dumps(build_warc(warc, args.pages, mixed=mixed)), encoding="utf-8")
            best: dict[str, dict] = {}
            for _ in range(args.runs):
                for version, code in versions.items():
                    got = run_once(code, warc, exp)
                    old = best.get(version)
                    best[version] = (
                        got
                        if old is None
                        else {
                            **got,
                            "ingest_s": min(old["ingest_s"], got["ingest_s"]),
                            "total_s": min(old["total_s"], got["total_s"]),
                        }
                    )
            base = best[f"baseline {args.baseline_rev}"]
            for version, r in best.items():
                lines.append(
                    f"| {name} | {version} | {r['pages']} | {r['pages'] / r['ingest_s']:.0f} "
                    f"| {r['pages'] / r['total_s']:.0f} | {base['ingest_s'] / r['ingest_s']:.2f}x "
                    f"| {base['total_s'] / r['total_s']:.2f}x | {r['correct'] / r['pages']:.1%} |"
                )
    report = "\n".join(
        [
            "## Ingest + extract across encodings: before and after issue #13",
            "",
            f"`python benchmarks/ingest_encodings.py --pages {args.pages} --runs {args.runs} "
            f"--baseline-rev {args.baseline_rev}` — one process per run, fastest of {args.runs}; pages per CPU-second of "
            "`ingest.warc.v1` alone and of ingest + `extract.resiliparse.v1`; speed relative to the baseline; "
            "correct = share of pages whose decoded HTML is exactly the page as written.",
            "",
            "| WARC | code | pages | ingest pages/CPU-s | ingest+extract pages/CPU-s | ingest speed | ingest+extract speed "
            "| correct |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
            *lines,
            "",
        ]
    )
    RESULTS.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
