"""Perplexity signal benchmark (issue #17, item 4): candidates, and heuristics with and without it.

    python benchmarks/quality_perplexity.py      # ~3 min on one core; writes results/quality_perplexity.md

Clean text: the quality benchmark's set (lid-dev FLORES dev + the legal set, ten shuffled lines a
document; `benchmarks/quality.py`), and Tatoeba (short conversational sentences) reported apart as
informal text. Junk: the quality benchmark's ten kinds (made from lid-train vocabulary) and the
fluent kinds of `quality_junk.fluent_junk_documents` (made from the clean lid-dev sentences: word
order scrambled, a word-bigram Markov chain, accents stripped), which pass the heuristics.

Candidates, each calibrated the same way (p99.5 of the held-out lid-train lines, +100%): the
shipped word 3-gram, a character 5-gram trained here on the same lines, and KenLM's query (the
`kenlm` package, built from source by pip; its training tool `lmplz` is not in the package and
needs Boost) over the shipped word model written as ARPA: same model, so same decisions; its row
measures KenLM's speed and checks our scorer against it. Speed: documents per CPU-second, one
process, pyarrow on one thread, scoring the pooled clean set.

"At equal clean kept rate": each system has a knob. The heuristics are recalibrated from
lid-train at a range of percentiles (`calibrate.derive`); heuristics + perplexity keeps the
shipped heuristics and moves the perplexity threshold over held-out percentiles. Junk rejected
by the heuristics alone is interpolated at the clean-kept rate of each perplexity point.
Exits 0 with a message when ../shared/data is absent.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402

from benchmarks.quality import CLEAN_SOURCES, DATA, LANGS, grouped  # noqa: E402
from benchmarks.quality_junk import FLUENT_KINDS, fluent_junk_documents, junk_documents  # noqa: E402
from benchmarks.quality_perplexity_peers import char_candidate, kenlm_row, lid_close_language, sizes_mb  # noqa: E402
from corpusforge.quality import calibrate, rules, signals  # noqa: E402
from corpusforge.quality.perplexity import PerplexityScorer  # noqa: E402
from corpusforge.stages.quality import QualitySignals  # noqa: E402

RESULTS = REPO / "benchmarks" / "results" / "quality_perplexity.md"
INFORMAL = {"es": "tatoeba/es.txt", "ca": "tatoeba/ca.txt", "eu": "tatoeba/eu.txt", "gl": "tatoeba/gl.txt"}
H_PERCENTILES = (0.5, 1, 2, 5, 10, 15, 20, 30)  # heuristics' knob: calibration percentile
SPEED_FLOOR = 1000  # docs of ~300 words per CPU-second: the signals stage without it does ~2,000
P_QUANTILES = ((99.5, 1.0), (99.5, 0.5), (99.5, 0.0), (99, 0.0), (97, 0.0), (95, 0.0), (90, 0.0))  # (p, margin)


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def documents() -> dict[str, list[tuple[str, str, str]]]:
    """(lang_tag, source or junk kind, text) per set: clean, informal, junk, fluent."""
    lines = lambda rel: [ln.strip() for ln in (DATA / "lid-dev" / rel).read_text("utf-8").splitlines() if ln.strip()]  # noqa: E731
    clean = [(lang, src, t) for lang, src in CLEAN_SOURCES for t in grouped(DATA / "lid-dev" / src)]
    informal = [(lang, rel, t) for lang, rel in INFORMAL.items() for t in grouped(DATA / "lid-dev" / rel)]
    train = {lang: (DATA / "lid-train" / f"{lang}.txt").read_text("utf-8").splitlines()[:3000] for lang in LANGS}
    junk = [(lang, kind, t) for lang in LANGS for kind, t in junk_documents(lang, train[lang], per_kind=20)]
    fluent = []
    for lang in LANGS:
        sentences = [ln for tag, src in CLEAN_SOURCES if tag == lang for ln in lines(src)]
        fluent += [(lang, kind, t) for kind, t in fluent_junk_documents(sentences, per_kind=40)]
    return {"clean": clean, "informal": informal, "junk": junk, "fluent": fluent}


def signal_columns(docs: list[tuple[str, str, str]], scorer: PerplexityScorer) -> dict[str, np.ndarray]:
    table = QualitySignals(QualitySignals.Config(perplexity=False)).process_batch(
        pa.table({"text": [t for _, _, t in docs], "lang_tag": [lang for lang, _, _ in docs]})
    )
    cols = {
        n: np.nan_to_num(table.column(n).to_numpy(zero_copy_only=False).astype(float)) for n in signals.SIGNAL_NAMES
    }
    cols["q_perplexity"] = scorer.compute([t for _, _, t in docs], [lang for lang, _, _ in docs])
    return cols


def heldout_perplexity(scorer: PerplexityScorer) -> dict[str, np.ndarray]:
    docs = calibrate.read_heldout(DATA / "lid-train")
    return {lang: scorer.compute(docs[lang], [lang] * len(docs[lang])) for lang in LANGS}


def with_perplexity(base: dict[str, rules.Thresholds], cut: dict[str, float] | None) -> dict[str, rules.Thresholds]:
    """`base` without its max_perplexity rules, plus `cut[lang]` as max_perplexity when given."""
    out = {}
    for tag, t in base.items():
        kept = tuple(r for r in t.rules if r.name != "max_perplexity")
        extra = (rules.Rule("max_perplexity", cut[tag]),) if cut and tag in cut else ()
        out[tag] = rules.Thresholds(tag, kept + extra, t.source)
    return out


def recalibrated(percentile: float, reference: dict[str, dict[str, np.ndarray]]) -> dict[str, rules.Thresholds]:
    """The heuristics derived from lid-train at `percentile` (shipped files for the default)."""
    sets = with_perplexity(rules.load_dir(), None)
    for lang, cols in reference.items():
        derived = []
        for spec in calibrate.SPECS:
            column = "q_" + spec.name.split("_", 1)[1]
            if column in cols:
                value, _ = calibrate.derive(spec, cols[column], percentile=percentile, margin=0.1)
                derived.append(rules.Rule(spec.name, value))
        sets[lang] = rules.Thresholds(lang, tuple(derived), f"p{percentile}")
    return sets


def rejected(cols: dict[str, np.ndarray], tags: list[str], sets: dict[str, rules.Thresholds]) -> np.ndarray:
    return np.array([r is not None for r in rules.decide(cols, tags, sets)])


def shipped_section(data, cols, sets_h, sets_hp) -> list[str]:
    md = ["## Shipped thresholds: heuristics alone vs heuristics + `max_perplexity`", ""]
    md += ["| set | lang_tag or kind | docs | heuristics: kept / rejected | + perplexity: kept / rejected |"]
    md += ["|---|---|---|---|---|"]
    for name in ("clean", "informal", "junk", "fluent"):
        docs, c = data[name], cols[name]
        tags = [lang for lang, _, _ in docs]
        rej_h, rej_hp = rejected(c, tags, sets_h), rejected(c, tags, sets_hp)
        keyed = [lang for lang, _, _ in docs] if name in ("clean", "informal") else [k for _, k, _ in docs]
        verb = "kept" if name in ("clean", "informal") else "rejected"
        for key in dict.fromkeys(keyed):
            idx = np.array([k == key for k in keyed])
            h, hp = (
                (1 - rej_h[idx].mean(), 1 - rej_hp[idx].mean())
                if verb == "kept"
                else (rej_h[idx].mean(), rej_hp[idx].mean())
            )
            md.append(f"| {name} | {key} | {idx.sum()} | {verb} {pct(h)} | {verb} {pct(hp)} |")
    return md


def sweep_section(data, cols, reference, held) -> list[str]:
    clean_tags = [lang for lang, _, _ in data["clean"]]
    junk_all = {k: np.concatenate([cols["junk"][k], cols["fluent"][k]]) for k in cols["junk"]}
    junk_tags = [lang for lang, _, _ in data["junk"] + data["fluent"]]
    fluent = np.array([False] * len(data["junk"]) + [True] * len(data["fluent"]))

    def point(sets):
        kept = 1 - rejected(cols["clean"], clean_tags, sets).mean()
        rej = rejected(junk_all, junk_tags, sets)
        return kept, rej.mean(), rej[fluent].mean()

    h_points = [(f"heuristics, calibrated at p{p:g}", *point(recalibrated(p, reference))) for p in H_PERCENTILES]
    shipped_h = with_perplexity(rules.load_dir(), None)
    h_points.append(("heuristics, shipped files", *point(shipped_h)))
    p_points = [("heuristics + perplexity, shipped files", *point(rules.load_dir()))]
    for q, margin in P_QUANTILES:
        cut = {lang: float(np.percentile(v, q)) * (1 + margin) for lang, v in held.items()}
        label = f"shipped heuristics + perplexity at held-out p{q:g} +{margin:.0%}"
        p_points.append((label, *point(with_perplexity(shipped_h, cut))))
    md = ["## Junk rejected at equal clean-text kept rate", ""]
    md += [
        f"Clean: {len(clean_tags)} documents (all languages); junk: {len(junk_tags)}, the ten classic kinds "
        f"and {fluent.sum()} fluent.",
        "",
    ]
    md += ["| system | clean kept | all junk rejected | fluent junk rejected |", "|---|---|---|---|"]
    md += [f"| {n} | {pct(k)} | {pct(j)} | {pct(f)} |" for n, k, j, f in h_points + p_points]
    order = sorted(h_points, key=lambda p: p[1])
    xs, ys, fs = [p[1] for p in order], [p[2] for p in order], [p[3] for p in order]
    md += ["", "Matched: the heuristics' curve interpolated at each perplexity point's clean-kept rate.", ""]
    md += ["| perplexity point | clean kept | heuristics alone: junk / fluent rejected | with perplexity |"]
    md += ["|---|---|---|---|"]
    for name, k, j, f in p_points[1:]:
        ours = f"{pct(j)} / {pct(f)}"
        if xs[0] <= k <= xs[-1]:
            alone = f"{pct(np.interp(k, xs, ys))} / {pct(np.interp(k, xs, fs))}"
        else:
            alone = f"outside the heuristics' range ({pct(xs[0])}-{pct(xs[-1])})"
        md.append(f"| {name.removeprefix('shipped heuristics + perplexity at ')} | {pct(k)} | {alone} | {ours} |")
    return md


def candidates_section(data, held, scorer) -> list[str]:
    md = ["## Candidates (each calibrated at held-out p99.5 +100%; fluent junk only)", ""]
    md += ["| model | lang_tag | MB | clean kept | informal kept | " + " | ".join(FLUENT_KINDS) + " |"]
    md += ["|---|---|---|---|---|" + "---|" * len(FLUENT_KINDS)]
    with tempfile.TemporaryDirectory() as tmp:
        char = char_candidate(DATA, Path(tmp))
        char_sizes = sizes_mb(Path(tmp))
        speed_docs = [t for _, _, t in data["clean"]]
        speed_tags = [lang for lang, _, _ in data["clean"]]
        rows_speed = []
        candidates = (("word 3-gram (shipped)", scorer, held, sizes_mb(None)), ("char 5-gram", *char, char_sizes))
        for name, model_scorer, model_held, sizes in candidates:
            for lang in LANGS:
                cut = float(np.percentile(model_held[lang], 99.5)) * 2.0
                cells = [f"{sizes[lang]:.2f}"]
                for name_set in ("clean", "informal"):
                    texts = [t for tag, _, t in data[name_set] if tag == lang]
                    cells.append(
                        pct(np.mean(model_scorer.compute(texts, [lang] * len(texts)) <= cut)) if texts else "-"
                    )
                for kind in FLUENT_KINDS:
                    texts = [t for tag, k, t in data["fluent"] if tag == lang and k == kind]
                    cells.append(pct(np.mean(model_scorer.compute(texts, [lang] * len(texts)) > cut)) if texts else "-")
                md.append(f"| {name} | {lang} | " + " | ".join(cells) + " |")
            t0 = time.process_time()
            model_scorer.compute(speed_docs, speed_tags)
            rows_speed.append((name, len(speed_docs) / (time.process_time() - t0), ""))
        rows_speed.append(kenlm_row(scorer, data["clean"]))
        close = lid_close_language(DATA, (scorer, held), char)
    md += [
        "",
        f"Speed, {len(speed_docs)} clean documents (~{np.mean([len(t.split()) for t in speed_docs]):.0f} words):",
        "",
    ]
    md += ["| scorer | docs per CPU-second | note |", "|---|---|---|"]
    md += [f"| {name} | {rate:.0f} | {note} |" for name, rate, note in rows_speed]
    ours, kenlm = rows_speed[0][1], rows_speed[-1][1]
    md += ["", f"Speed floor (shipped scorer >= {SPEED_FLOOR:,} docs per CPU-second on these documents): "]
    md[-1] += f"{'met' if ours >= SPEED_FLOOR else 'NOT MET'} ({ours:.0f})"
    if np.isfinite(kenlm):
        md[-1] += f"; ours / KenLM = {ours / kenlm:.2f}x."
    md += ["", *close]
    return md


def speed_section(data) -> list[str]:
    texts = [t for _, _, t in data["clean"]]
    table = pa.table({"text": texts, "lang_tag": [lang for lang, _, _ in data["clean"]]})
    rows = []
    for label, on in (("quality.signals.v1, perplexity off", False), ("quality.signals.v1 (with q_perplexity)", True)):
        stage = QualitySignals(QualitySignals.Config(perplexity=on))
        stage.setup()
        t0 = time.process_time()
        for start in range(0, len(texts), 1000):
            stage.process_batch(table.slice(start, 1000))
        rows.append((label, len(texts) / (time.process_time() - t0)))
    md = [
        "## Speed of the signals stage (one core)",
        "",
        "| stage | docs per CPU-second | ms per doc |",
        "|---|---|---|",
    ]
    md += [f"| {label} | {rate:.0f} | {1000 / rate:.3f} |" for label, rate in rows]
    return md


def main() -> int:
    if not (DATA / "lid-dev").exists() or not (DATA / "lid-train").exists():
        print(f"benchmarks/quality_perplexity.py: {DATA} (lid-dev, lid-train) not found; nothing to measure (exit 0).")
        return 0
    pa.set_cpu_count(1)
    scorer = PerplexityScorer()
    data = documents()
    cols = {name: signal_columns(docs, scorer) for name, docs in data.items()}
    held = heldout_perplexity(scorer)
    ref_docs = calibrate.read_reference(DATA / "lid-train")
    reference = {}
    for lang in LANGS:
        docs = ref_docs[lang][:5000]
        reference[lang] = {
            k: v.to_numpy(zero_copy_only=False) for k, v in signals.compute(pa.array(docs), [lang] * len(docs)).items()
        }
    sets_h = with_perplexity(rules.load_dir(), None)
    md = ["# Perplexity signal (q_perplexity)", "", "`python benchmarks/quality_perplexity.py` (one core).", ""]
    md += candidates_section(data, held, scorer) + [""]
    md += shipped_section(data, cols, sets_h, rules.load_dir()) + [""]
    md += sweep_section(data, cols, reference, held) + [""]
    md += speed_section(data)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(md) + "\n", encoding="utf-8")
    print("\n".join(md))
    print(f"\nwritten to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
