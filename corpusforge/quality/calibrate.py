"""Derive per-language thresholds from clean reference text (the FineWeb-2 approach).

For each language, compute the signals on clean documents and set each *language-dependent*
rule at a low percentile of that distribution (for `min_` rules; a high one for `max_`),
loosened by a margin, so that only a small, known share of clean text is lost per rule.
Structural rules (repeated lines, n-grams, bullets, C4 notices) are not a matter of language:
they keep the peer's published value unless clean text of the language exceeds it, in which
case the percentile wins (we never make a peer's rule stricter). A few rules are fixed.

Reference input: a directory of `<lang_tag>.txt` files, where every `lines_per_doc`
consecutive non-empty lines form one pseudo-document (the shared sentence files have one
sentence a line), and/or Parquet files with `text` and `lang_tag` columns (one row one document).
`max_perplexity` is derived on the lines the perplexity models hold out of their training
(`read_heldout`): a model is optimistic about its own training text.
Cost: the signals' cost (~0.3 ms per 10-sentence document) plus a sort per signal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from corpusforge.quality import signals
from corpusforge.quality.perplexity import SIGNAL as PERPLEXITY
from corpusforge.quality.perplexity import PerplexityScorer
from corpusforge.quality.rules import DEFAULT_TAG, Thresholds, load_dir


@dataclass(frozen=True)
class RuleSpec:
    name: str
    how: str  # "percentile" (language-dependent), "peer" (max/min of peer and percentile), "fixed", "lost"
    peer: float | None = None  # the peer's value, the fixed value, or the share of the "lost" median
    origin: str = ""  # where `peer` comes from
    margin: float | None = None  # this rule's own margin (else --margin)


# File order is decision order: the first failing rule names the rejection.
SPECS: tuple[RuleSpec, ...] = (
    RuleSpec("min_words", "fixed", 50, "Gopher min_doc_words (Rae et al. 2021)"),
    RuleSpec("max_words", "fixed", 100_000, "Gopher max_doc_words"),
    # Clean text has no mojibake at all, so a percentile says nothing; what a language can show is
    # measured instead: the signal when every non-ASCII character of its clean text is lost (U+FFFD).
    RuleSpec("max_mojibake_ratio", "lost", 0.25, "with every non-ASCII character lost to U+FFFD"),
    RuleSpec("min_mean_word_length", "percentile"),
    RuleSpec("max_mean_word_length", "percentile"),
    RuleSpec("min_stopword_ratio", "percentile"),
    RuleSpec("min_alpha_word_ratio", "peer", 0.8, "Gopher: 80% of words contain a letter"),
    RuleSpec("max_symbol_ratio", "peer", 0.1, "Gopher symbol-to-word ratio"),
    RuleSpec("max_upper_ratio", "peer", 0.25, "project floor (headlines, acronyms)"),
    RuleSpec("max_digit_ratio", "peer", 0.15, "project floor (dates, scores, prices)"),
    RuleSpec("min_punct_line_ratio", "peer", 0.12, "FineWeb line_punct_thr"),
    RuleSpec("max_short_line_ratio", "peer", 0.67, "FineWeb short_line_thr"),
    RuleSpec("max_newline_word_ratio", "peer", 0.3, "FineWeb new_line_ratio"),
    RuleSpec("max_bullet_line_ratio", "peer", 0.9, "Gopher max_bullet_lines_ratio"),
    RuleSpec("max_ellipsis_line_ratio", "peer", 0.3, "Gopher max_ellipsis_lines_ratio"),
    RuleSpec("max_dup_line_ratio", "peer", 0.3, "Gopher dup_line_frac"),
    RuleSpec("max_dup_para_ratio", "peer", 0.3, "Gopher dup_para_frac"),
    RuleSpec("max_dup_line_char_ratio", "peer", 0.2, "Gopher dup_line_char_frac"),
    RuleSpec("max_dup_para_char_ratio", "peer", 0.2, "Gopher dup_para_char_frac"),
    RuleSpec("max_top_2gram_ratio", "peer", 0.2, "Gopher top_n_grams 2"),
    RuleSpec("max_top_3gram_ratio", "peer", 0.18, "Gopher top_n_grams 3"),
    RuleSpec("max_top_4gram_ratio", "peer", 0.16, "Gopher top_n_grams 4"),
    RuleSpec("max_dup_5gram_ratio", "peer", 0.15, "Gopher dup_n_grams 5"),
    RuleSpec("max_dup_6gram_ratio", "peer", 0.14, "Gopher dup_n_grams 6"),
    RuleSpec("max_dup_7gram_ratio", "peer", 0.13, "Gopher dup_n_grams 7"),
    RuleSpec("max_dup_8gram_ratio", "peer", 0.12, "Gopher dup_n_grams 8"),
    RuleSpec("max_dup_9gram_ratio", "peer", 0.11, "Gopher dup_n_grams 9"),
    RuleSpec("max_dup_10gram_ratio", "peer", 0.10, "Gopher dup_n_grams 10"),
    RuleSpec("max_lorem_ipsum", "fixed", 0, "C4: any 'lorem ipsum' rejects"),
    RuleSpec("max_curly_ratio", "fixed", 0.005, "project: C4 rejects any '{'; we allow a few stray braces"),
    RuleSpec("max_javascript_line_ratio", "fixed", 0.25, "project: C4 drops such lines; a page mostly about it goes"),
    RuleSpec("max_policy_line_ratio", "fixed", 0.25, "project: C4 drops such lines; a page mostly of notices goes"),
    RuleSpec("max_boilerplate_line_ratio", "fixed", 0.3, "project: menus, share buttons, (c) footers"),
    # Last, so a document rejected for perplexity passed every heuristic. Margin +100%: the
    # reference is formal (legal, news) and clean informal prose (opinion, dialogue) sits above it.
    RuleSpec("max_perplexity", "percentile", margin=1.0),
)
LOST_FLOOR = 0.005  # at least one broken word in 200, so that a stray byte does not reject a Basque page
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
# Without a stop-word list or word rules for the language, only structural rules apply.
LANGUAGE_FREE = {"min_mean_word_length", "max_mean_word_length", "min_stopword_ratio"}
# Rules on model signals: derived on text the model was not trained on (held-out lines of a
# .txt reference), and skipped for a language without a model.
MODEL_RULES = {"max_perplexity"}


def read_reference(directory: str | Path, *, lines_per_doc: int = 10) -> dict[str, list[str]]:
    """Documents per lang_tag from `<lang_tag>.txt` (grouped lines) and Parquet files in a directory."""
    directory = Path(directory)
    docs: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        grouped = ["\n".join(lines[i : i + lines_per_doc]) for i in range(0, len(lines), lines_per_doc)]
        docs.setdefault(path.stem, []).extend(grouped)
    for tag, parquet_docs in _parquet_docs(directory).items():
        docs.setdefault(tag, []).extend(parquet_docs)
    return docs


def read_heldout(directory: str | Path, *, lines_per_doc: int = 10) -> dict[str, list[str]]:
    """Like `read_reference`, but only the lines the perplexity models hold out of training.

    Applied to any `.txt` reference: on the training files these are unseen lines; on other
    text, a 1-in-10 sample. Parquet documents are not training text and are all used. A model
    trained on several files (ca-valencia: Valencian and Catalan text) gets the held-out lines
    of all of them, so its threshold covers what it was trained to accept.
    """
    from corpusforge.quality.lm.train import MODELS, is_heldout

    by_file: dict[str, list[str]] = {}
    for path in sorted(Path(directory).glob("*.txt")):
        lines = [ln.strip() for ln in path.read_text(encoding="utf-8", errors="replace").splitlines() if ln.strip()]
        lines = [ln for ln in lines if is_heldout(ln)]
        by_file[path.stem] = ["\n".join(lines[i : i + lines_per_doc]) for i in range(0, len(lines), lines_per_doc)]
    docs = dict(by_file)
    for tag, spec in MODELS.items():
        if tag in by_file:
            docs[tag] = [d for stem in spec.sources if stem in by_file for d in by_file[stem]]
    for tag, parquet_docs in _parquet_docs(Path(directory)).items():
        docs.setdefault(tag, []).extend(parquet_docs)
    return docs


def _parquet_docs(directory: Path) -> dict[str, list[str]]:
    docs: dict[str, list[str]] = {}
    for path in sorted(directory.glob("*.parquet")):
        table = pq.read_table(path, columns=["text", "lang_tag"])
        for text, tag in zip(table.column("text").to_pylist(), table.column("lang_tag").to_pylist(), strict=True):
            if text and tag:
                docs.setdefault(tag, []).append(text)
    return docs


def derive(spec: RuleSpec, values: np.ndarray, *, percentile: float, margin: float) -> tuple[float, str]:
    """One rule's value and the comment that says where it came from."""
    margin = spec.margin if spec.margin is not None else margin
    if spec.how == "fixed":
        assert spec.peer is not None
        return float(spec.peer), f"fixed: {spec.origin}"
    is_min = spec.name.startswith("min_")
    q = percentile if is_min else 100.0 - percentile
    pct = float(np.percentile(values, q)) if len(values) else 0.0
    derived = pct * (1.0 - margin) if is_min else pct * (1.0 + margin)
    why = f"p{q:g} = {pct:.4g} {'-' if is_min else '+'}{margin:.0%}"
    if spec.how == "peer" and spec.peer is not None:
        chosen = min(derived, spec.peer) if is_min else max(derived, spec.peer)
        return chosen, f"{'min' if is_min else 'max'}({spec.origin} {spec.peer:g}, {why})"
    return derived, why


def derive_lost(spec: RuleSpec, tag: str, docs: list[str]) -> tuple[float, str]:
    """`spec.peer` times the median signal of the documents with every non-ASCII character lost, floored."""
    assert spec.peer is not None
    broken = [_NON_ASCII.sub("\ufffd", d) for d in docs if not d.isascii()]
    column = "q_" + spec.name.split("_", 1)[1]
    values = signals.compute(pa.array(broken, pa.string()), [tag] * len(broken))[column].to_numpy(zero_copy_only=False)
    median = float(np.median(values)) if len(values) else 0.0
    value = max(LOST_FLOOR, spec.peer * median)
    return value, f"max({LOST_FLOOR:g}, {spec.peer:g} x median {median:.4g} {spec.origin}) on {len(broken)} docs"


def calibrate_language(
    tag: str,
    docs: list[str],
    *,
    percentile: float,
    margin: float,
    source: str,
    heldout_docs: list[str] | None = None,
    scorer: PerplexityScorer | None = None,
    rule_margins: dict[str, float] | None = None,
) -> list[tuple[str, float, str]]:
    """(rule, value, comment) for one language, in decision order.

    Model rules (`MODEL_RULES`) are derived with `scorer` on `heldout_docs` (on `docs` when
    there are none, so a written file stays complete), and left out when there is no scorer or
    it has no model for `tag` (the shipped value then applies, see `rules.load_dir`). `rule_margins`
    overrides the margin of named rules (e.g. {"max_perplexity": 2.0}).
    """
    cols = signals.compute(pa.array(docs, pa.string()), [tag] * len(docs))
    model_docs = heldout_docs if heldout_docs else docs
    if scorer is not None and tag in scorer.models and model_docs:
        cols[PERPLEXITY] = pa.array(scorer.compute(model_docs, [tag] * len(model_docs)))
    today = dt.date.today().isoformat()
    out = []
    for spec in SPECS:
        column = "q_" + spec.name.split("_", 1)[1]
        if (tag == DEFAULT_TAG and spec.name in LANGUAGE_FREE) or column not in cols:
            continue
        if spec.how == "lost":
            value, why = derive_lost(spec, tag, docs)
            out.append((spec.name, round(value, 4), f"{why} of {source} (calibrate, {today})"))
            continue
        values = cols[column].to_numpy(zero_copy_only=False)
        if rule_margins and spec.name in rule_margins:
            spec = replace(spec, margin=rule_margins[spec.name])
        value, why = derive(spec, values, percentile=percentile, margin=margin)
        held = "held-out " if spec.name in MODEL_RULES and heldout_docs else ""
        note = why if spec.how == "fixed" else f"{why} on {len(values)} {held}docs of {source} (calibrate, {today})"
        out.append((spec.name, round(value, 4), note))
    return out


def render_toml(tag: str, rules: list[tuple[str, float, str]], *, header: str) -> str:
    lines = [f"# {line}" if line else "#" for line in header.splitlines()]
    lines += ["", f'lang_tag = "{tag}"', "", "[thresholds]"]
    for name, value, note in rules:
        number = str(int(value)) if float(value).is_integer() and abs(value) >= 1 else repr(float(value))
        lines.append(f"{name} = {number}  # {note}")
    return "\n".join(lines) + "\n"


def compare(tag: str, derived: list[tuple[str, float, str]], shipped: dict[str, Thresholds]) -> list[str]:
    """Lines 'rule  shipped -> derived' for printing; rules only on one side say so."""
    ours = {r.name: r.value for r in shipped[tag].rules} if tag in shipped else {}
    rows = []
    for name, value, _ in derived:
        old = ours.pop(name, None)
        mark = "" if old is None or np.isclose(old, value, rtol=0.05) else "  *"
        rows.append(f"  {name:<28} {'-' if old is None else f'{old:.4g}':>10} -> {value:<10.4g}{mark}")
    rows += [f"  {name:<28} {old:>10.4g} -> (not derived)" for name, old in ours.items()]
    return rows


def shipped_or_empty(directory: str | Path | None) -> dict[str, Thresholds]:
    try:
        return load_dir(directory)
    except (ValueError, OSError):
        return {}
