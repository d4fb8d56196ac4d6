"""Generated web pages in WARC files for whole-pipeline benchmarks, from real sentences of ../shared/data.

    generate_warcs(6_000, 4, Path("in"))      # 6,000 pages in 4 WARC.gz files; returns their paths
    mean_html_kb(paths)                       # mean HTML size of a sample of them (for projections)

Each page is a news article of real lid-train sentences (es, ca, ca-valencia, eu, gl, and ~10% in
pt, fr, it, en, oc, ast) inside its site's boilerplate: a cookie banner, a menu, share buttons, a
"related" list of headlines, a footer, inline scripts, and a closing line repeated in every article
of the site (what dedup.lines cuts). Pages weigh 6-40 kB of HTML (median ~16 kB), smaller than the
real pages of ../shared/data/html (~100 kB), so per-page costs count for more than per-byte ones.

Also, as on the web: ~6% exact copies of an article at a second URL of its site, ~4% near copies
(one sentence replaced), ~4% junk (keyword spam, link lists, one-line pages). Deterministic for a
seed: fixed dates, record ids from the URL, gzip members written by warcio.
"""

from __future__ import annotations

import contextlib
import html
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
OURS = ("es", "ca", "ca-valencia", "eu", "gl")
FOREIGN = ("pt", "fr", "it", "en", "oc", "ast")
LANG_WEIGHTS = {"es": 40, "ca": 20, "ca-valencia": 8, "eu": 10, "gl": 12} | {f: 10 / len(FOREIGN) for f in FOREIGN}
TLD = {"es": "es", "ca": "cat", "ca-valencia": "val", "eu": "eus", "gl": "gal"}
_RECENT = 5000  # articles a copy may be made of
_NS = uuid.UUID("0b6f0c1e-3d2a-4c1b-9f7e-5a4d3c2b1a00")


@dataclass(frozen=True)
class Site:
    host: str
    lang: str
    html_lang: str
    nav: list[str]
    cookies: str
    share: str
    footer: str
    tagline: str
    script_kb: int
    related: int


def load_sentences(data: Path = DATA, *, min_words: int = 6) -> dict[str, list[str]]:
    """lid-train lines per language (at least `min_words` words), in file order."""
    out = {}
    for lang in (*OURS, *FOREIGN):
        lines = (data / "lid-train" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()
        out[lang] = [s.strip() for s in lines if len(s.split()) >= min_words]
    return out


def _site(rng: random.Random, i: int, lang: str, sentences: list[str]) -> Site:
    from corpusforge.demo.extras import SITES

    host, html_lang, nav, cookies, share, footer = SITES.get(lang, SITES["es"])
    name = host.split(".")[1]
    words = [w.strip(".,;:«»\"'()") for s in rng.sample(sentences, 6) for w in s.split()[:3]]
    menu = [*nav, *(w.capitalize() for w in words if len(w) > 3)][: rng.randint(8, 24)]
    return Site(
        host=f"www.{name}-{i}.{TLD.get(lang, 'com')}",
        lang=lang,
        html_lang=html_lang if lang in OURS else lang,
        nav=menu,
        cookies=cookies,
        share=share,
        footer=footer.replace("2024", str(2015 + i % 10)),
        tagline=rng.choice(sentences),
        script_kb=rng.choice((1, 4, 8, 16, 32, 48)),
        related=rng.randint(2, 24),
    )


def _headline(sentence: str, n: int = 9) -> str:
    return " ".join(sentence.split()[:n]).rstrip(".,;:")


def render(site: Site, title: str, paragraphs: list[str], related: list[str], *, date: str, note: str = "") -> str:
    """An article page of `site`: the paragraphs inside the site's boilerplate."""
    esc = html.escape
    menu = "".join(f'<li class="menu-item"><a href="/{esc(m.lower())}/">{esc(m)}</a></li>' for m in site.nav)
    body = "".join(f"<p>{esc(p)}</p>" for p in [*paragraphs, site.tagline])
    rel = "".join(
        f'<li class="teaser"><a href="/n/{k}"><img src="/i/{k}.jpg" alt=""><span>{esc(h)}</span></a></li>'
        for k, h in enumerate(related)
    )
    script = (
        f"<script>var cfg = {{{','.join(f'k{k}: {k * 7919 % 1000}' for k in range(site.script_kb * 60))}}};</script>"
    )
    return (
        f'<!DOCTYPE html><html lang="{site.html_lang}"><head><meta charset="utf-8">'
        f"<title>{esc(title)} | {site.host}</title>"
        f'<meta property="og:title" content="{esc(title)}">'
        f'<meta property="article:published_time" content="{date}T08:00:00+01:00">{script}</head><body>'
        f'<div id="cookie-banner" class="cookie-consent"><p>{esc(site.cookies)}</p></div>'
        f'<header><a class="logo" href="/">{site.host}</a><nav><ul class="menu">{menu}</ul></nav></header>'
        f'<main><article><h1>{esc(title)}</h1><time datetime="{date}">{date}</time>{body}</article>'
        f'<div class="share-buttons">{esc(site.share)}</div>'
        f'<aside class="related"><h3>+</h3><ul>{rel}</ul></aside></main>'
        f"<footer><p>{esc(site.footer)}</p><p>{esc(note)}</p></footer></body></html>"
    )


def _article(rng: random.Random, pool: list[str]) -> tuple[str, list[str]]:
    sentences = [rng.choice(pool) for _ in range(rng.randint(6, 28))]
    paragraphs, k = [], 0
    while k < len(sentences):
        n = rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[k : k + n]))
        k += n
    return _headline(rng.choice(pool)), paragraphs


def _junk(rng: random.Random, pool: list[str], kind: int) -> tuple[str, list[str]]:
    if kind == 0:  # keyword spam
        words = rng.sample(pool, 3)
        keys = [w for s in words for w in s.split()[:2]]
        return " ".join(keys), [" ".join(rng.choice(keys) for _ in range(60)) for _ in range(4)]
    if kind == 1:  # a list of links' text
        return _headline(rng.choice(pool)), [_headline(rng.choice(pool), 5) for _ in range(30)]
    return _headline(rng.choice(pool)), [_headline(rng.choice(pool), 6)]  # next to nothing


def pages(n_pages: int, sentences: dict[str, list[str]], *, seed: int = 0) -> Iterator[tuple[str, bytes]]:
    """(url, HTML body) of `n_pages` pages, in a fixed order for a seed."""
    rng = random.Random(seed)
    langs = list(LANG_WEIGHTS)
    n_sites = max(10, n_pages // 40)
    sites = [
        _site(rng, i, lang, sentences[lang])
        for i, lang in enumerate(rng.choices(langs, weights=list(LANG_WEIGHTS.values()), k=n_sites))
    ]
    made: list[tuple[Site, str, list[str]]] = []
    for k in range(n_pages):
        roll = rng.random()
        if made and roll < 0.06:  # the same article at a second URL, with another footer note
            site, title, paras = rng.choice(made)
            note = "AMP"
        elif made and roll < 0.10:  # a near copy: one sentence replaced
            site, title, paras = rng.choice(made)
            paras = list(paras)
            paras[rng.randrange(len(paras))] = rng.choice(sentences[site.lang])
            note = "update"
        else:
            site = rng.choice(sites)
            pool = sentences[site.lang]
            title, paras = _junk(rng, pool, rng.randrange(3)) if roll < 0.14 else _article(rng, pool)
            if len(made) < _RECENT:
                made.append((site, title, paras))
            else:  # copies are of recent articles; memory stays bounded at any size
                made[k % _RECENT] = (site, title, paras)
            note = ""
        related = [_headline(rng.choice(sentences[site.lang])) for _ in range(site.related)]
        date = f"2024-{1 + k % 12:02d}-{1 + k % 28:02d}"
        page = render(site, title, paras, related, date=date, note=note)
        yield f"https://{site.host}/{date}/{k}", page.encode()


def _response(url: str, body: bytes) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = BytesIO()
    writer = WARCWriter(buf, gzip=True)
    http = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))], "HTTP/1.1"
    )
    headers = {
        "WARC-Date": "2024-05-01T10:00:00Z",
        "WARC-Record-ID": f"<urn:uuid:{uuid.uuid5(_NS, url)}>",
        # As Common Crawl labels payloads: without it datatrove's reader sniffs each payload with libmagic.
        "WARC-Identified-Payload-Type": "text/html",
    }
    record = writer.create_warc_record(
        url, "response", payload=BytesIO(body), http_headers=http, warc_headers_dict=headers
    )
    writer.write_record(record)
    return buf.getvalue()


def generate_warcs(n_pages: int, n_files: int, out_dir: Path, *, seed: int = 0, data: Path = DATA) -> list[Path]:
    """Write `n_pages` generated pages into `n_files` WARC.gz files under `out_dir`; their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = [out_dir / f"pages-{f:03d}.warc.gz" for f in range(n_files)]
    with contextlib.ExitStack() as stack:
        files = [stack.enter_context(open(p, "wb")) for p in paths]
        for k, (url, body) in enumerate(pages(n_pages, load_sentences(data), seed=seed)):
            files[k % n_files].write(_response(url, body))  # page k goes to file k mod n_files
    return paths


def mean_html_kb(paths: list[Path], *, sample: int = 1000) -> float:
    """Mean HTML payload in KB of about `sample` response records, taken from the start of every file
    (page k is in file k mod n: the first records of each are an even spread of the pages)."""
    from warcio.archiveiterator import ArchiveIterator

    sizes: list[int] = []
    per_file = max(1, sample // max(1, len(paths)))
    for path in paths:
        with open(path, "rb") as fh:
            responses = (r for r in ArchiveIterator(fh) if r.rec_type == "response")
            sizes += [len(r.content_stream().read()) for _, r in zip(range(per_file), responses, strict=False)]
    return sum(sizes) / max(1, len(sizes)) / 1024
