"""Language id of a stream of web documents: `Identifier.identify` with the word scorer against
the same call answered by fastText's `multilinePredict` and the gazette model's `predict` (what it
did before `linear.py` and `bigrams.py`), and with the word scorer but the gazette model through
fastText (what `bigrams.py` adds).

Input: pages of benchmarks/web_corpus.py (real lid-train sentences in generated pages),
extracted by the shipped extractor (`extract.resiliparse.v2`), in batches of 1,000 documents,
as `langid.iberian.v1` receives them. Each side starts from a fresh `Identifier` (the scorer
from an empty word table, the variety from an empty memory), so first-time words are paid;
sides alternate and the best of `--runs` counts. Also checks that both answer the same
languages and tags. CPU milliseconds per document, one core.

    python benchmarks/lid_stream.py --pages 30000 --runs 2

Needs ../shared/data: says so and exits 0 when it is absent. Writes benchmarks/results/lid_stream.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[0] = str(HERE.parent)

from benchmarks import web_corpus  # noqa: E402
from corpusforge.stages.extract import PrunedResiliparseExtract  # noqa: E402
from language_id import Identifier  # noqa: E402

RESULTS = HERE / "results" / "lid_stream.md"
BATCH = 1000


def documents(n_pages: int) -> list[str]:
    extractor = PrunedResiliparseExtract()
    texts = [
        extractor.extract_one(body, url).text for url, body in web_corpus.pages(n_pages, web_corpus.load_sentences())
    ]
    return [t for t in texts if t]


# name -> (word scorer, gazette scorer)
SIDES = {
    "word scorer": (True, True),
    "word scorer, gazette model through fastText": (True, False),
    "fastText multilinePredict and predict": (False, False),
}


def run(texts: list[str], *, scorer: bool, gazette_scorer: bool) -> tuple[float, list[tuple[str, str]]]:
    ident = Identifier()
    if not scorer:
        ident._scorer = None  # every batch through one multilinePredict call
    if not gazette_scorer and ident.variety is not None and ident.variety.gazette is not None:
        ident.variety = replace(ident.variety, gazette=replace(ident.variety.gazette, scorer=None))
    answers: list[tuple[str, str]] = []
    t0 = time.process_time()
    for i in range(0, len(texts), BATCH):
        answers += [(p.lang, p.tag) for p, _ in ident.identify(texts[i : i + BATCH])]
    return (time.process_time() - t0) / len(texts) * 1e3, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=30000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    if not (web_corpus.DATA / "lid-train").is_dir():
        print(f"benchmarks/lid_stream.py: {web_corpus.DATA / 'lid-train'} is absent; nothing to measure (skipped).")
        return 0
    texts = documents(args.pages)
    best = dict.fromkeys(SIDES, float("inf"))
    answers = {}
    for _ in range(args.runs):
        for name, (scorer, gazette_scorer) in SIDES.items():
            ms, answers[name] = run(texts, scorer=scorer, gazette_scorer=gazette_scorer)
            best[name] = min(best[name], ms)
            print(f"{name}: {ms:.3f} ms/doc", file=sys.stderr)
    plain, ours, no_gazette = (
        "fastText multilinePredict and predict",
        "word scorer",
        "word scorer, gazette model through fastText",
    )
    same = [sum(a == b for a, b in zip(answers[ours], answers[other], strict=True)) for other in (plain, no_gazette)]
    text = "\n".join(
        [
            "# Language id of a document stream: word and gazette scorers vs fastText calls",
            "",
            f"`python benchmarks/lid_stream.py --pages {args.pages} --runs {args.runs}` — {len(texts):,} documents "
            f"extracted from generated pages, batches of {BATCH:,}, `Identifier.identify` (document and paragraphs) "
            f"from a fresh Identifier each run; best of {args.runs}, CPU ms per document, one core.",
            "",
            "| scoring | ms per document | documents per CPU-second |",
            "|---|---:|---:|",
            *(f"| {name} | {ms:.3f} | {1000 / ms:,.0f} |" for name, ms in best.items()),
            "",
            f"- word scorer {best[plain] / best[ours]:.2f}x faster than fastText's calls, {best[no_gazette] / best[ours]:.2f}x "
            f"faster than with the gazette model through fastText.",
            f"- the same language and tag as fastText's calls for {same[0]:,} of {len(texts):,} documents, as with the "
            f"gazette model through fastText for {same[1]:,}.",
            "",
        ]
    )
    args.results.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
