"""How every real page of ../shared/data/html decodes: charset, bad bytes, mojibake, a digest of the text.

A tab-separated line per page (the HTML files, read as fetched without an HTTP header, and
every HTML response of the WARC files, read by `ingest.warc.v1`), so that two versions of the
decoder can be compared page by page:

    python benchmarks/decode_pages.py > new.tsv
    PYTHONPATH=/path/to/older/checkout python benchmarks/decode_pages.py > old.tsv
    diff old.tsv new.tsv

Mojibake counts the UTF-8-read-as-cp1252 sequences of `corpusforge.quality.mojibake` (0 when
that module is absent, as in older checkouts). Exits 0 and says so when the data is absent.
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

# Running a file in benchmarks/ puts that folder first on sys.path, where benchmarks/dedup.py would
# shadow the `dedup` library that corpusforge's stages import.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "html"


def _mojibake_counter():
    try:
        from corpusforge.quality.mojibake import PATTERN
    except ImportError:
        return lambda text: 0
    compiled = re.compile(PATTERN)
    return lambda text: len(compiled.findall(text))


def main() -> int:
    if not DATA.is_dir():
        print(f"decode_pages: {DATA} is absent; nothing to compare")
        return 0
    from corpusforge.ingest.charset import decode_html
    from corpusforge.stages.ingest_warc import IngestWarc, WarcConfig

    count = _mojibake_counter()
    print("page\tcharset\tundecodable\tmojibake\tsha1")
    for path in sorted(DATA.rglob("*.html")):
        text, charset, bad = decode_html(path.read_bytes(), "")
        digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
        print(f"{path.relative_to(DATA)}\t{charset}\t{bad}\t{count(text)}\t{digest}")
    for path in sorted(DATA.rglob("*.warc.gz")):
        stage = IngestWarc(WarcConfig(paths=[str(path)]))
        for table in stage.read_shard(stage.list_shards()[0]):
            for row in table.to_pylist():
                if row["html"] is None:
                    continue
                digest = hashlib.sha1(row["html"].encode("utf-8", "surrogatepass")).hexdigest()[:12]
                name = f"{path.relative_to(DATA)}#{row['url']}"
                print(f"{name}\t{row['charset']}\t{row['undecodable_bytes']}\t{count(row['html'])}\t{digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
