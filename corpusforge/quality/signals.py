"""Per-document quality signals, as `q_*` columns, computed once per batch.

Line-level counts (punctuation at line end, bullets, C4 notices, boilerplate lines,
uppercase letters, ...) run vectorised over the whole batch in Arrow's RE2. The texts are
lower-cased and split into words by their languages' rules once, the whole batch at once in
numpy (`batchsplit.py`, exactly `tokenise`'s patterns), into numbered tokens
(`tokenise.BatchTokens`), so what is asked of a word (its length, whether it is a stop word)
is asked once per distinct word, the word signals are sums per row, and the n-gram signals
are a few sorts over the whole batch (`ngrams.py`). The same split gives the perplexity
models their symbols (`measure`, `lm.text.reads_as_normalised`). Cost of `measure`: ~0.23 ms
for a 410-word web document on one core (0.27 ms when each text went through `re.findall`).

Every ratio is defined for every input: 0/0 is 0 (an empty text has all ratios 0 and
`q_words = 0`, which `min_words` rejects); nothing NaN or infinite is ever written.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpusforge.quality import mojibake, patterns
from corpusforge.quality.batchsplit import split_batch
from corpusforge.quality.lm.text import reads_as_normalised
from corpusforge.quality.ngrams import DUP_NGRAMS, TOP_NGRAMS, ngram_signals
from corpusforge.quality.tokenise import BatchTokens, stopwords

_PARAGRAPH_SPLIT = re.compile(r"\n[ \t\r]*\n")


@dataclass(frozen=True)
class Signal:
    name: str  # the column, "q_<what>"
    kind: str  # "int" or "ratio"
    meaning: str


SIGNALS: tuple[Signal, ...] = (
    Signal("q_chars", "int", "characters (Unicode code points)"),
    Signal("q_words", "int", "words, split by the language's rules (see tokenise.py)"),
    Signal("q_lines", "int", "non-empty lines"),
    Signal("q_mean_word_length", "ratio", "mean characters per word"),
    Signal(
        "q_stopword_ratio",
        "ratio",
        "share of words on the stop-word list of their paragraph's language (lang_segments) or the document's",
    ),
    Signal("q_alpha_word_ratio", "ratio", "share of words that are not only digits (Gopher: words with a letter)"),
    Signal("q_symbol_ratio", "ratio", "('#' + '...' + '…') per word (Gopher symbol-to-word ratio)"),
    Signal("q_digit_ratio", "ratio", "share of characters that are decimal digits"),
    Signal("q_upper_ratio", "ratio", "share of letters that are upper case"),
    Signal("q_curly_ratio", "ratio", "'{' and '}' per character (C4 drops any page with one)"),
    Signal("q_punct_line_ratio", "ratio", "share of lines ending in terminal punctuation (C4, FineWeb)"),
    Signal("q_short_line_ratio", "ratio", "share of lines of at most 30 characters (FineWeb)"),
    Signal("q_ellipsis_line_ratio", "ratio", "share of lines ending in an ellipsis (Gopher)"),
    Signal("q_bullet_line_ratio", "ratio", "share of lines starting with a bullet (Gopher)"),
    Signal("q_newline_word_ratio", "ratio", "line breaks per word (FineWeb list ratio)"),
    Signal("q_javascript_line_ratio", "ratio", "share of lines mentioning javascript (C4)"),
    Signal("q_policy_line_ratio", "ratio", "share of lines with cookie/privacy/terms notices in es/ca/gl/eu/en (C4)"),
    Signal("q_boilerplate_line_ratio", "ratio", "share of lines that are menu/share/login chrome or (c) footers"),
    Signal("q_lorem_ipsum", "int", "occurrences of 'lorem ipsum' (C4)"),
    Signal("q_dup_line_ratio", "ratio", "share of lines repeating an earlier line (Gopher)"),
    Signal("q_dup_line_char_ratio", "ratio", "share of line characters in repeated lines (Gopher, FineWeb)"),
    Signal("q_dup_para_ratio", "ratio", "share of paragraphs repeating an earlier one (Gopher)"),
    Signal("q_dup_para_char_ratio", "ratio", "share of paragraph characters in repeated paragraphs (Gopher)"),
    *(
        Signal(f"q_top_{n}gram_ratio", "ratio", f"share of word characters in the most frequent {n}-gram (Gopher)")
        for n in TOP_NGRAMS
    ),
    *(
        Signal(
            f"q_dup_{n}gram_ratio", "ratio", f"share of word characters inside repeats of an earlier {n}-gram (Gopher)"
        )
        for n in DUP_NGRAMS
    ),
    Signal("q_mojibake_ratio", "ratio", "mojibake sequences ('Ã³', 'â€™') and U+FFFD per word: text decoded wrong"),
)
SIGNAL_NAMES: tuple[str, ...] = tuple(s.name for s in SIGNALS)
SIGNAL_TYPES: dict[str, pa.DataType] = {s.name: pa.int64() if s.kind == "int" else pa.float32() for s in SIGNALS}
# Signals that need a per-language model (perplexity.py), loaded in the stage's setup(); null
# where the row's lang_tag has no model, and a null never fails a rule.
MODEL_SIGNALS: tuple[Signal, ...] = (
    Signal("q_perplexity", "ratio", "word 3-gram perplexity under the lang_tag's model of clean text (null: no model)"),
)
RULE_SIGNAL_NAMES: tuple[str, ...] = SIGNAL_NAMES + tuple(s.name for s in MODEL_SIGNALS)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    num = np.asarray(num, dtype=np.float64)
    den = np.asarray(den, dtype=np.float64)
    return np.divide(num, den, out=np.zeros_like(num), where=den > 0)


def _count(texts: pa.Array, pattern: str) -> np.ndarray:
    return pc.count_substring_regex(texts, pattern).to_numpy(zero_copy_only=False).astype(np.int64)


def line_signals(texts: pa.Array, lowered: pa.Array | None = None) -> dict[str, np.ndarray]:
    """The vectorised signals over one batch of texts (nulls count as empty); `lowered`, when
    given, is `pc.utf8_lower` of the texts (nulls filled)."""
    texts = pc.fill_null(texts.cast(pa.string()), "")
    lowered = pc.utf8_lower(texts) if lowered is None else lowered
    lowered = pc.binary_join_element_wise("\n", lowered, "")  # "\n" marks each line start
    lines = _count(lowered, patterns.LINE)
    chars = pc.utf8_length(texts).to_numpy(zero_copy_only=False).astype(np.int64)
    digits = _count(texts, r"\p{Nd}")  # few matches per text, so cheap in RE2
    boiler = _count(lowered, patterns.CHROME_LINE) + _count(lowered, patterns.FOOTER_LINE)
    return {
        "q_chars": chars,
        "q_lines": lines,
        "q_digit_ratio": _ratio(digits, chars),
        "_upper": _count(texts, r"\p{Lu}"),
        "_digits": digits,
        "q_curly_ratio": _ratio(_count(texts, r"[{}]"), chars),
        "q_punct_line_ratio": _ratio(_count(lowered, patterns.PUNCT_LINE_END), lines),
        "q_short_line_ratio": _ratio(_count(lowered, patterns.SHORT_LINE), lines),
        "q_ellipsis_line_ratio": _ratio(_count(lowered, patterns.ELLIPSIS_LINE_END), lines),
        "q_bullet_line_ratio": _ratio(_count(lowered, patterns.BULLET_LINE), lines),
        "q_javascript_line_ratio": _ratio(_count(lowered, patterns.JAVASCRIPT_LINE), lines),
        "q_policy_line_ratio": _ratio(_count(lowered, patterns.POLICY_LINE), lines),
        "q_boilerplate_line_ratio": np.minimum(_ratio(boiler, lines), 1.0),
        "q_lorem_ipsum": _count(lowered, patterns.LOREM_IPSUM),
        "_symbols": _count(texts, r"#|\.\.\.|…"),
        "_newlines": _count(texts, r"\n"),
        "_mojibake": _count(texts, mojibake.BROKEN),
    }


def _duplicates(parts: list[str]) -> tuple[int, int, int, int]:
    """(parts, repeated parts, characters, characters in repeated parts) of non-empty stripped parts."""
    parts = [p for p in map(str.strip, parts) if p]
    if not parts:
        return 0, 0, 0, 0
    seen = set(parts)  # (a Counter costs 2x as much, and only the distinct parts count)
    total_chars = sum(map(len, parts))
    return len(parts), len(parts) - len(seen), total_chars, total_chars - sum(map(len, seen))


def _one_language(lang_tag: str | None, segments: list[dict[str, Any]] | None) -> bool:
    """Whether every paragraph is in the document's language (or undetermined)."""
    return not segments or all(seg["tag"] in (lang_tag, "und") for seg in segments)


def _pieces(lowered: str, lang_tag: str | None, segments: list[dict[str, Any]]) -> list[tuple[str, str | None]]:
    """The parts of a document whose `segments` (from `lang_segments`) are in several languages,
    each with the language its words are split and its stop words counted by: a paragraph its
    own (an `und` paragraph, and text between paragraphs, the document's), so a Basque
    paragraph of a Spanish page is not measured against Spanish stop words; paragraphs in a
    language without a list (pt, fr...) stay out of the ratio rather than count as 0."""
    pieces: list[tuple[str, str | None]] = []
    cursor = 0
    for seg in segments:
        pieces.append((lowered[cursor : seg["start"]], lang_tag))
        pieces.append((lowered[seg["start"] : seg["end"]], lang_tag if seg["tag"] == "und" else seg["tag"]))
        cursor = seg["end"]
    pieces.append((lowered[cursor:], lang_tag))
    return [(piece, tag) for piece, tag in pieces if piece]


def repeat_signals(text: str) -> dict[str, float]:
    """The per-document signals of repeated lines and paragraphs."""
    out: dict[str, float] = {}
    lines, dup_lines, line_chars, dup_line_chars = _duplicates(text.split("\n"))
    if lines:
        out["q_dup_line_ratio"] = dup_lines / lines
        out["q_dup_line_char_ratio"] = dup_line_chars / line_chars if line_chars else 0.0
    paras, dup_paras, para_chars, dup_para_chars = _duplicates(_PARAGRAPH_SPLIT.split(text))
    if paras:
        out["q_dup_para_ratio"] = dup_paras / paras
        out["q_dup_para_char_ratio"] = dup_para_chars / para_chars if para_chars else 0.0
    return out


@dataclass(frozen=True)
class Measured:
    """A batch's `q_*` columns, and what the perplexity models can reuse of the work."""

    columns: dict[str, pa.Array]
    tokens: BatchTokens  # every row's words, and its line breaks ("\n") where it is in one language
    # Per row: its tokens are the symbols of its perplexity model, folded (`lm.text.reads_as_normalised`).
    lm_ready: np.ndarray


def compute(
    texts: pa.Array | pa.ChunkedArray,
    lang_tags: list[str | None],
    *,
    max_ngram_words: int = 100_000,
    segments: list[list[dict[str, Any]] | None] | None = None,
) -> dict[str, pa.Array]:
    """All `q_*` columns for a batch: `lang_tags[i]` picks row i's word rules and stop words;
    `segments[i]` (row i's `lang_segments`), when given, lets each paragraph use its own."""
    return measure(texts, lang_tags, max_ngram_words=max_ngram_words, segments=segments).columns


def measure(
    texts: pa.Array | pa.ChunkedArray,
    lang_tags: list[str | None],
    *,
    max_ngram_words: int = 100_000,
    segments: list[list[dict[str, Any]] | None] | None = None,
    lm_tags: Collection[str] = (),
) -> Measured:
    """`compute`, and the split of every row, which for rows whose lang_tag is in `lm_tags` (those
    with a word perplexity model) the model reads instead of normalising and splitting again."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = pc.fill_null(texts.cast(pa.string()), "")
    arrow_lowered = pc.utf8_lower(texts)
    vec = line_signals(texts, arrow_lowered)
    n_rows = len(texts)
    per_doc = {name: np.zeros(n_rows, dtype=np.float64) for name in SIGNAL_NAMES if name not in vec}
    # normalise() lower-cases in Arrow: the rows the perplexity models may read must agree with it.
    lm_lowered = arrow_lowered.to_pylist() if any(tag in lm_tags for tag in lang_tags) else []
    rows = zip(texts.to_pylist(), lang_tags, segments or [None] * n_rows, strict=True)
    split = _split_rows(rows, lm_tags, lm_lowered, per_doc)
    word_chars = _word_signals(split, max_ngram_words, per_doc)
    return Measured(_columns(vec, per_doc, word_chars), split.row_tokens, split.lm_ready)


@dataclass(frozen=True)
class _Rows:
    """A batch's rows split: the parts split alone (a row, or each language's part of a row in
    several), their tags, the row each belongs to, and every part's tokens in order."""

    tokens: BatchTokens  # per part
    tags: list[str | None]
    row: np.ndarray  # int64 per part
    row_tokens: BatchTokens  # the same tokens, per row
    lm_ready: np.ndarray  # bool per row: the perplexity model can read its tokens as they are


def _split_rows(
    rows: Iterable[tuple[str, str | None, list[dict[str, Any]] | None]],
    lm_tags: Collection[str],
    lm_lowered: list[str],
    out: dict[str, np.ndarray],
) -> _Rows:
    """Split every (text, lang_tag, segments) row, all at once (`batchsplit`), and fill its
    repeated-line signals into `out`. A row in one language is one part, split with its line
    breaks; a row in several is split part by part (`_pieces`), words only."""
    parts: list[str] = []
    tags: list[str | None] = []
    breaks: list[bool] = []
    row_of: list[int] = []
    one_language: list[tuple[int, int, str]] = []  # (row, its part, lowered text) for the models
    for i, (text, tag, segs) in enumerate(rows):
        lowered = text.lower()
        single = _one_language(tag, segs)
        if single and tag in lm_tags:
            one_language.append((i, len(parts), lowered))
        pieces = [(lowered, tag)] if single else _pieces(lowered, tag, segs or [])
        parts += (piece for piece, _ in pieces)
        tags += (piece_tag for _, piece_tag in pieces)
        breaks += [single] * len(pieces)
        row_of += [i] * len(pieces)
        for name, value in repeat_signals(text).items():
            out[name][i] = value
    n_rows = len(out["q_words"])
    split = split_batch(parts, tags, line_breaks=np.array(breaks, dtype=bool))
    row = np.array(row_of, dtype=np.int64)
    row_offsets = split.tokens.offsets[np.searchsorted(row, np.arange(n_rows + 1))]
    lm_ready = np.zeros(n_rows, dtype=bool)
    for i, part, lowered in one_language:
        lm_ready[i] = reads_as_normalised(lowered, lm_lowered[i], bool(split.break_at_edge[part]))
    row_tokens = BatchTokens(split.tokens.distinct, split.tokens.ids, row_offsets)
    return _Rows(split.tokens, tags, row, row_tokens, lm_ready)


def _columns(vec: dict[str, np.ndarray], per_doc: dict[str, np.ndarray], word_chars: np.ndarray) -> dict[str, pa.Array]:
    """The `q_*` columns from the vectorised and the per-document signals."""
    words = per_doc["q_words"]
    per_doc["q_symbol_ratio"] = _ratio(vec.pop("_symbols"), words)
    per_doc["q_newline_word_ratio"] = _ratio(vec.pop("_newlines"), words)
    per_doc["q_mojibake_ratio"] = _ratio(vec.pop("_mojibake"), words)
    # Letters are word characters that are not digits (a word run is letters, digits, "_").
    letters = np.maximum(word_chars - vec.pop("_digits"), 0)
    per_doc["q_upper_ratio"] = np.minimum(_ratio(vec.pop("_upper"), letters), 1.0)
    columns: dict[str, pa.Array] = {}
    for name in SIGNAL_NAMES:
        values = vec[name] if name in vec else per_doc[name]
        values = np.nan_to_num(np.asarray(values, dtype=np.float64), nan=0.0, posinf=0.0, neginf=0.0)
        columns[name] = pa.array(values.astype(np.int64 if SIGNAL_TYPES[name] == pa.int64() else np.float32))
    return columns


def _word_signals(split: _Rows, max_ngram_words: int, out: dict[str, np.ndarray]) -> np.ndarray:
    """Fill the word and n-gram signals into `out`; returns the word characters per row.

    Length, digits and stop-word membership are asked once per distinct token of the batch."""
    batch = split.tokens
    n_rows = len(out["q_words"])
    is_word = ~batch.per_token("\n".__eq__, dtype=bool)[batch.ids]
    part = batch.doc_of_tokens()[is_word]
    ids = batch.ids[is_word]
    doc = split.row[part]
    lengths = batch.per_token(len)[ids]
    n = np.bincount(doc, minlength=n_rows)
    chars = np.bincount(doc, weights=lengths, minlength=n_rows)  # float64 sums of integers: exact
    digits = np.bincount(doc, weights=batch.per_token(str.isdigit, dtype=bool)[ids], minlength=n_rows)
    part_stops, part_listed = _stop_words(batch, ids, part, split.tags)
    stops = np.bincount(split.row, weights=part_stops, minlength=n_rows)
    listed = np.bincount(split.row, weights=part_listed, minlength=n_rows)
    some = n > 0
    out["q_words"] = n.astype(np.float64)
    out["q_mean_word_length"][some] = chars[some] / n[some]
    with_list = some & (listed > 0)
    out["q_stopword_ratio"][with_list] = stops[with_list] / listed[with_list]
    out["q_alpha_word_ratio"][some] = 1.0 - digits[some] / n[some]
    # Beyond max_ngram_words the n-gram shares describe the document's head only.
    if n.max(initial=0) > max_ngram_words:
        in_head = np.arange(len(ids)) - np.repeat(np.cumsum(n) - n, n) < max_ngram_words
        ids, lengths, n = ids[in_head], lengths[in_head], np.minimum(n, max_ngram_words)
    out.update(ngram_signals(ids, lengths, n))
    return chars


def _stop_words(
    batch: BatchTokens, ids: np.ndarray, part: np.ndarray, tags: list[str | None]
) -> tuple[np.ndarray, np.ndarray]:
    """(stop words, words) per part (words at `ids`, of parts `part`), each looked up in its part's
    list; a part whose language has no list counts 0 of both. Per list, only the distinct words
    of the parts that use it are looked up."""
    n_parts = len(tags)
    parts_by_list: dict[frozenset[str], list[int]] = {}
    lists = {tag: stopwords(tag) for tag in set(tags)}  # ca and ca-valencia share one
    for i, tag in enumerate(tags):
        if lists[tag]:
            parts_by_list.setdefault(lists[tag], []).append(i)
    stops = np.zeros(n_parts)
    listed = np.zeros(n_parts)
    for words, parts in parts_by_list.items():
        in_parts = np.zeros(n_parts, dtype=bool)
        in_parts[parts] = True
        mine = in_parts[part]
        used = ids[mine]
        is_stop = batch.per_used_token(used, partial(_members, words), dtype=bool)
        stops += np.bincount(part[mine], weights=is_stop[used], minlength=n_parts)  # parts of one list each
        listed += np.bincount(part[mine], minlength=n_parts)
    return stops, listed


def _members(words: frozenset[str], tokens: list[str]) -> list[bool]:
    return [t in words for t in tokens]
