"""URL filter throughput: our `url.filter.v1` vs datatrove's `URLFilter`, both with the UT1 lists.

The input is generated (no ../shared/data needed): URLs of made-up Iberian sites (.es, .cat, .eus,
.gal, .com, .org; subdomains, paths of Spanish, Catalan, Basque and Galician words, some queries),
with a share on domains drawn from the UT1 adult list itself (as subdomains too) and a share whose
path holds a banned word, so every rule is exercised. Both filters see the same URLs in the same
process. We report set-up seconds (loading the lists), URLs/s over the whole list by wall clock
and per CPU-second (best of `--runs`; the CPU figure holds up better on a shared machine), the
ratios, and how often the two decisions agree.

    .venv/bin/python benchmarks/urlfilter.py [--urls 200000] [--runs 3]

datatrove's filter needs `tldextract` and `pyahocorasick` (bench extra); its `TLDExtract` uses the
public-suffix snapshot it ships when the network is unreachable.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tarfile
import time
from pathlib import Path

import pyarrow as pa

RESULTS = Path(__file__).resolve().parent / "results" / "urlfilter.md"
# Path and host words in the four languages (es, ca, eu, gl).
WORDS = (
    *("noticias", "ayuntamiento", "presupuesto", "biblioteca", "cultura", "deportes", "fiestas", "mercado"),
    *("noticies", "ajuntament", "pressupost", "biblioteca", "cultura", "esports", "festes", "mercat"),
    *("albisteak", "udala", "aurrekontua", "liburutegia", "kultura", "kirolak", "jaiak", "azoka"),
    *("novas", "concello", "orzamento", "biblioteca", "cultura", "deportes", "festas", "turismo"),
)
TLDS = ("es", "cat", "eus", "gal", "com", "org")
BANNED_PATH_WORDS = ("porno", "xxx", "casino")


def ut1_domains(limit: int, rng: random.Random) -> list[str]:
    """A sample of the UT1 adult domains from the copy datatrove ships (the list both filters use)."""
    import datatrove

    tar_path = Path(datatrove.__file__).parent / "assets" / "url_filterblacklistsv0_3_0.tar.gz"
    with tarfile.open(tar_path, "r:gz") as tar:
        member = tar.extractfile("domains")
        assert member is not None
        domains = [line for line in member.read().decode().split("\n") if line.strip()]
    return rng.sample(domains, limit)


def make_urls(n: int, *, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    blocked = ut1_domains(max(1, n // 25), rng)
    urls = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.04:  # a UT1 domain, half of them under a subdomain
            host = rng.choice(blocked)
            host = f"www.{host}" if rng.random() < 0.5 else host
        else:
            sub = rng.choice(("www.", "", "blog.", "m.", "noticias."))
            host = f"{sub}{rng.choice(WORDS)}{rng.choice(WORDS)}{i % 997}.{rng.choice(TLDS)}"
        words = [rng.choice(WORDS) for _ in range(rng.randint(1, 5))]
        if 0.04 <= roll < 0.05:
            words.insert(rng.randrange(len(words) + 1), rng.choice(BANNED_PATH_WORDS))
        path = "/".join(words) if rng.random() < 0.5 else "-".join(words) + ".html"
        query = f"?id={rng.randint(1, 99999)}" if rng.random() < 0.2 else ""
        urls.append(f"https://{host}/{path}{query}")
    return urls


def _timed(fn) -> tuple[float, float, list]:
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, out


def run_ours(urls: list[str], runs: int) -> tuple[float, float, float, list[bool]]:
    from corpusforge.stages.urlfilter import UrlFilterStage

    start = time.perf_counter()
    stage = UrlFilterStage(UrlFilterStage.Config())
    stage.setup()
    setup = time.perf_counter() - start
    batches = [pa.table({"url": urls[i : i + 1000]}) for i in range(0, len(urls), 1000)]
    best, best_cpu, blocked = float("inf"), float("inf"), []
    for _ in range(runs):
        wall, cpu, out = _timed(lambda: [stage.process_batch(b) for b in batches])
        best, best_cpu = min(best, wall), min(best_cpu, cpu)
        blocked = [r is not None for t in out for r in t.column("drop_reason").to_pylist()]
    return setup, best, best_cpu, blocked


def run_datatrove(urls: list[str], runs: int) -> tuple[float, float, float, list[bool]]:
    from datatrove.data import Document
    from datatrove.pipeline.filters import URLFilter

    start = time.perf_counter()
    peer = URLFilter()
    peer.download_data()  # extracts datatrove's tarball into the HF cache once, then reads it
    peer.filter(Document(text="", id="0", metadata={"url": "https://example.org/"}))
    setup = time.perf_counter() - start
    docs = [Document(text="", id=str(i), metadata={"url": u}) for i, u in enumerate(urls)]
    best, best_cpu, blocked = float("inf"), float("inf"), []
    for _ in range(runs):
        wall, cpu, kept = _timed(lambda: [peer.filter(d) for d in docs])
        best, best_cpu = min(best, wall), min(best_cpu, cpu)
        blocked = [k is not True for k in kept]
    return setup, best, best_cpu, blocked


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--urls", type=int, default=200_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--no-peer", action="store_true", help="measure ours only (no datatrove)")
    ap.add_argument("--no-write", action="store_true", help="print the table, leave results/urlfilter.md alone")
    args = ap.parse_args()
    urls = make_urls(args.urls)
    rows = [("corpusforge url.filter.v1", *run_ours(urls, args.runs))]
    if not args.no_peer:
        rows.insert(0, ("datatrove URLFilter", *run_datatrove(urls, args.runs)))
    base, base_cpu = len(urls) / rows[0][2], len(urls) / rows[0][3]
    lines = [
        "## URL filter (`benchmarks/urlfilter.py`)",
        "",
        f"`python benchmarks/urlfilter.py --urls {args.urls} --runs {args.runs}` — {len(urls):,} generated URLs "
        f"(4% on UT1 adult domains, 1% with a banned path word), one process, Python "
        f"{platform.python_version()}; set-up = loading the lists; URLs/s = whole list, best of {args.runs}; "
        "ratios relative to the first row.",
        "",
        "| filter | set-up s | seconds | URLs/s | URLs/CPU-s | blocked | ratio (wall) | ratio (CPU) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, setup, secs, cpu, blocked in rows:
        rate, rate_cpu = len(urls) / secs, len(urls) / cpu
        lines.append(
            f"| {name} | {setup:.2f} | {secs:.2f} | {rate:,.0f} | {rate_cpu:,.0f} | {sum(blocked):,} "
            f"| {rate / base:.2f}x | {rate_cpu / base_cpu:.2f}x |"
        )
    if len(rows) == 2:
        agree = sum(a == b for a, b in zip(rows[0][4], rows[1][4]))
        lines += ["", f"Both decide alike on {agree:,} of {len(urls):,} URLs ({100 * agree / len(urls):.2f}%)."]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
