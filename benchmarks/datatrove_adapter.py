"""Overhead of running datatrove's steps inside corpusforge (datatrove.filter.v1 / datatrove.extract.v1).

    python benchmarks/datatrove_adapter.py          # one core; writes benchmarks/results/datatrove_adapter.md
    python benchmarks/datatrove_adapter.py --filter-docs 200 --extract-pages 50 --results /tmp/adapter.md

The same documents go (a) straight through datatrove: a list of `Document`s, `filter.filter(doc)` per
document, or `Trafilatura().extract(html)` per page, as datatrove's own pipeline does; and (b)
through our stages on Arrow tables of 1,000 rows: rows -> `Document`s -> the same datatrove call ->
rejection reasons -> a new column (for the extractor: our per-document time-out too). Overhead is
(b) / (a) - 1. One process, one core, best of 3 runs, interleaved, in CPU seconds of the process
(so other load on the machine does not count). Documents: generated pages
(benchmarks/web_corpus.py: lid-train sentences in site boilerplate), extracted once with trafilatura
for the filters. Needs ../shared/data/lid-train; says so and exits 0 when it is absent.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import pyarrow as pa  # noqa: E402

from benchmarks import web_corpus  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "datatrove_adapter.md"
FILTER_DOCS = 3000
EXTRACT_PAGES = 300
FILTERS = {
    "gopher_quality": {"min_doc_words": 50},
    "gopher_repetition": {},
    "c4_quality": {"filter_no_terminal_punct": False},
    "fineweb_quality": {},
}


def _best_pair(direct: Callable[[], object], ours: Callable[[], object], runs: int = 3) -> tuple[float, float]:
    """Best CPU seconds of this process for each, runs interleaved (robust to other load)."""
    best = [float("inf"), float("inf")]
    for _ in range(runs):
        for k, fn in enumerate((direct, ours)):
            t0 = time.process_time()
            fn()
            best[k] = min(best[k], time.process_time() - t0)
    return best[0], best[1]


def _batches(table: pa.Table, size: int = 1000) -> list[pa.Table]:
    return [table.slice(i, size) for i in range(0, table.num_rows, size)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--filter-docs", type=int, default=FILTER_DOCS, help="documents through each filter")
    parser.add_argument("--extract-pages", type=int, default=EXTRACT_PAGES, help="pages through the extractor")
    parser.add_argument("--results", type=Path, default=RESULTS)
    args = parser.parse_args()
    lid_train = web_corpus.DATA / "lid-train"
    if not lid_train.is_dir():
        print(f"benchmarks/datatrove_adapter.py: {lid_train} is absent; nothing to measure (skipped).")
        return 0
    n_docs, n_pages = args.filter_docs, args.extract_pages
    from datatrove.pipeline.extractors import Trafilatura

    from corpusforge.stages.datatrove_steps import FILTERS as TABLE
    from corpusforge.stages.datatrove_steps import (
        DatatroveExtract,
        DatatroveFilter,
        _load,
        to_documents,
        word_tokenizer,
    )

    sentences = web_corpus.load_sentences()
    pages = [body.decode() for _, body in web_corpus.pages(max(n_docs, n_pages), sentences)]
    extractor = Trafilatura(favour_precision=True)
    texts = [extractor.extract(html) or "" for html in pages[:n_docs]]
    table = pa.table({"id": [str(i) for i in range(len(texts))], "text": texts, "lang_tag": ["es"] * len(texts)})
    batches = _batches(table)
    docs = to_documents(table)
    rows = []
    for name, step_args in FILTERS.items():
        direct_step = _load(TABLE, name)(**step_args, language=word_tokenizer("es"))
        stage = DatatroveFilter(DatatroveFilter.Config(filter=name, args=step_args))
        stage.decide(batches[0])  # builds its per-language filter outside the timing
        direct, ours = _best_pair(
            lambda step=direct_step: [step.filter(d) for d in docs],
            lambda stage=stage: [stage.process_batch(b) for b in batches],
        )
        rows.append((f"filter `{name}`", len(docs), direct, ours))

    html = pa.table({"id": [str(i) for i in range(n_pages)], "html": pages[:n_pages]})
    stage = DatatroveExtract(DatatroveExtract.Config(args={"favour_precision": True}))
    stage.setup()
    direct, ours = _best_pair(
        lambda: [extractor.extract(h) for h in html.column("html").to_pylist()],
        lambda: [stage.process_batch(b) for b in _batches(html, 100)],
    )
    rows.append(("extractor `trafilatura`", n_pages, direct, ours))

    lines = [
        "# datatrove steps inside corpusforge: overhead",
        "",
        f"`python benchmarks/datatrove_adapter.py --filter-docs {n_docs} --extract-pages {n_pages}`: generated pages "
        "(benchmarks/web_corpus.py, lid-train sentences); one core, best of 3 interleaved runs, CPU time of the process. "
        "Direct = datatrove's call on a list of Documents; ours = the stage on Arrow tables (conversion, reasons, "
        "columns; the extractor with our per-document time-out).",
        "",
        "| step | docs | direct CPU s | ours CPU s | overhead |",
        "|---|---:|---:|---:|---:|",
        *(f"| {n} | {k:,} | {d:.2f} | {o:.2f} | {o / d - 1:+.1%} |" for n, k, d, o in rows),
    ]
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(f"written to {args.results}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
