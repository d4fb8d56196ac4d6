"""Generated web pages in WARC files, for benchmarks that need many (scale, datatrove adapter).

Each page is a news article inside the demo's site boilerplate (`corpusforge.demo.make_warc.render_page`:
menus, cookie banner, share buttons, footer, a tagline repeated on every page of a site), with text in
es, ca, ca-valencia, eu or gl (90%) or fr, en, pt, it (10%, rejected by language). Sentences come from
`../shared/data/lid-train` when it is there (real text, varied vocabulary); otherwise from the demo's
own articles, which repeat far more (say so in results). Of the pages, 4% are exact copies of an
earlier page at another URL, 4% near copies (one sentence replaced), 2% keyword spam. Deterministic
for a given seed; one gzip member per record, as Common Crawl writes them.

    python benchmarks/web_pages.py --pages 1000 --files 4 --out /tmp/pages
"""

from __future__ import annotations

import argparse
import random
import re
import uuid
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from corpusforge.demo.make_warc import ARTICLES, render_page

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lid-train"
OURS = {"es": 0.55, "ca": 0.14, "ca-valencia": 0.07, "eu": 0.07, "gl": 0.07}
OTHERS = {"fr": 0.03, "en": 0.03, "pt": 0.02, "it": 0.02}
_NS = uuid.UUID("0b5c2a9e-51f3-4c1d-9a57-3d4f0c9e7a11")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def sentence_pools(*, min_words: int = 6) -> tuple[dict[str, list[str]], str]:
    """Sentences per language, and where they came from."""
    pools: dict[str, list[str]] = {}
    if DATA.exists():
        for lang in [*OURS, *OTHERS]:
            path = DATA / f"{lang}.txt"
            if path.exists():
                lines = path.read_text(encoding="utf-8").splitlines()
                pools[lang] = [s for s in lines if len(s.split()) >= min_words]
        return pools, f"sentences of {DATA}"
    for lang, articles in ARTICLES.items():
        pools[lang] = [s for _, _, paragraphs in articles for p in paragraphs for s in _SENTENCE.split(p)]
    return pools, "the demo's articles (../shared/data absent: small vocabulary, many repeats)"


def _paragraphs(rng: random.Random, pool: list[str]) -> list[str]:
    return [" ".join(rng.choice(pool) for _ in range(rng.randint(2, 5))) for _ in range(rng.randint(3, 9))]


def pages(n: int, pools: dict[str, list[str]], *, seed: int = 0) -> Iterator[tuple[str, str]]:
    """`n` (url, html) pairs, generated one at a time."""
    rng = random.Random(seed)
    langs = [lang for lang in [*OURS, *OTHERS] if lang in pools]
    weights = [{**OURS, **OTHERS}[lang] for lang in langs]
    hosts = {lang: [f"www.{lang}-news-{i:03d}.example" for i in range(150)] for lang in langs}
    made: list[tuple[str, str, list[str], str]] = []  # (lang, title, paragraphs, host) of originals
    for i in range(n):
        roll = rng.random()
        if made and roll < 0.04:  # an exact copy at another URL (syndication, AMP)
            lang, title, paragraphs, host = rng.choice(made)
        elif made and roll < 0.08:  # a near copy: one sentence replaced
            lang, title, paragraphs, host = rng.choice(made)
            paragraphs = list(paragraphs)
            paragraphs[0] = rng.choice(pools[lang]) + " " + paragraphs[0].split(" ", 1)[-1]
        else:
            lang = rng.choices(langs, weights)[0]
            paragraphs = _paragraphs(rng, pools[lang])
            if roll < 0.10:  # keyword spam
                paragraphs = [" ".join(["oferta comprar barato precio"] * 30)]
            title = " ".join(rng.choice(pools[lang]).split()[:8])
            host = rng.choice(hosts[lang])
            made.append((lang, title, paragraphs, host))
        site = lang if lang in ("es", "ca", "ca-valencia", "eu", "gl", "fr", "en", "pt", "it") else "es"
        html = render_page(site, title, paragraphs, date=f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}")
        yield f"https://{host}/{i:07d}", html


def write_warcs(directory: Path, n: int, files: int, *, seed: int = 0) -> tuple[list[Path], str]:
    """Write `n` pages into `files` WARC files (round robin); returns the paths and the text source."""
    directory.mkdir(parents=True, exist_ok=True)
    pools, origin = sentence_pools()
    paths = [directory / f"pages-{k:03d}.warc.gz" for k in range(files)]
    handles = [p.open("wb") for p in paths]
    try:
        writers = [WARCWriter(h, gzip=True) for h in handles]
        for i, (url, html) in enumerate(pages(n, pools, seed=seed)):
            body = html.encode("utf-8")
            headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))]
            writer = writers[i % files]
            record = writer.create_warc_record(
                url,
                "response",
                payload=BytesIO(body),
                http_headers=StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1"),
                warc_headers_dict={
                    "WARC-Date": "2024-06-01T00:00:00Z",
                    "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NS, url)}>",
                },
            )
            writer.write_record(record)
    finally:
        for h in handles:
            h.close()
    return paths, origin


def mean_html_kb(paths: list[Path], *, sample: int = 500) -> float:
    """Mean HTML payload of the first `sample` records of the first file, in KB."""
    from warcio.archiveiterator import ArchiveIterator

    sizes = []
    with paths[0].open("rb") as fh:
        for record in ArchiveIterator(fh):
            if record.rec_type == "response":
                sizes.append(len(record.content_stream().read()))
                if len(sizes) >= sample:
                    break
    return sum(sizes) / max(1, len(sizes)) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--files", type=int, default=4)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    paths, origin = write_warcs(args.out, args.pages, args.files, seed=args.seed)
    print(f"{args.pages} pages in {len(paths)} files under {args.out} (text: {origin})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
