"""The signals' word split (`tokenise.word_pattern`, `lm.text.line_token_pattern`) of a whole
batch at once, in numpy, straight into `tokenise.BatchTokens`.

Why: `re.findall` over every text, then numbering the words through a Python list, was 35-40%
of the quality signals' cost (~130 µs of a 410-word document). The patterns are simple enough
to state per character, so the batch is split with array operations over its code points and
only the distinct tokens (about 1 in 8) ever become Python strings.

The rules, equal to the patterns' (`tests/quality/test_quality_batchsplit.py` checks them
against `re.findall` on every language and on the edge cases):
- a word character is one that Python's `\\w` matches (`str.isalnum()`, or "_");
- a joiner (es, eu and unknown tags: - ' ’; ca: · and -; gl: -) belongs to a word when both
  its neighbours are word characters; a hyphen in ca and gl only when the run of word
  characters after it is not a weak pronoun (`tokenise` lists them): the patterns' look-ahead
  `-(?!(?:li|ho|...)\\b)` refuses exactly those;
- a word is a maximal run of word characters and the joiners that belong;
- with line breaks, one "\\n" token per maximal run of line breaks and blanks (" \\t\\r\\f\\v")
  that holds a line break: its last one, which is what `\\n(?![ \\t\\r\\f\\v]*\\n)` matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from corpusforge.quality.tokenise import CA_CLITICS, GL_CLITICS, BatchTokens, base_language
from language_id import codepoints

_ALWAYS = 1  # joiner kinds in `_Rules.kind`: joins between word characters
_HYPHEN = 2  # joins between word characters unless a weak pronoun follows
# Bits of `_classes()`, one byte per code point.
_WORD = 1
_JOINER = 2  # one of the joiners of some language (- ' ’ ·)
_BLANK = 4  # " \t\r\f\v": what may sit between the line breaks of one run
_NEWLINE = 8
_SEPARATOR = "\x00"  # between the texts of a batch: neither a word character, a joiner nor a blank
_BLANKS_TO_BREAK = re.compile("[ \t\r\f\v]*\n")


@dataclass(frozen=True)
class _Rules:
    kind: np.ndarray  # uint8 per code point below U+2020 (0: not a joiner of this language)
    clitics: frozenset[str]


@cache
def _classes() -> np.ndarray:
    """The `_WORD`/`_JOINER`/`_BLANK`/`_NEWLINE` bits of every code point. Word characters are
    found by `re` itself (`codepoints.matching`, shared with language id): once per process."""
    table = codepoints.matching(r"\w").astype(np.uint8)  # _WORD
    for joiner in "-'’·":
        table[ord(joiner)] = _JOINER
    for blank in " \t\r\f\v":
        table[ord(blank)] = _BLANK
    table[ord("\n")] = _NEWLINE
    return table


@cache
def _rules(language: str) -> _Rules:
    kind = np.zeros(0x2020, dtype=np.uint8)
    if language == "ca":
        kind[ord("·")] = _ALWAYS
        kind[ord("-")] = _HYPHEN
        return _Rules(kind, frozenset(CA_CLITICS))
    if language == "gl":
        kind[ord("-")] = _HYPHEN
        return _Rules(kind, frozenset(GL_CLITICS))
    for joiner in "-'’":
        kind[ord(joiner)] = _ALWAYS
    return _Rules(kind, frozenset())


def _rule_language(lang_tag: str | None) -> str:
    """Whose rules: Catalan's, Galician's, or the rest's (Spanish and Basque have the same)."""
    language = base_language(lang_tag)
    return language if language in ("ca", "gl") else "es"


@dataclass(frozen=True)
class Split:
    """A batch split: its tokens, and per text whether its first or last token is a line break."""

    tokens: BatchTokens
    break_at_edge: np.ndarray  # bool per text


def split_batch(lowered: list[str], lang_tags: list[str | None], *, line_breaks: bool | np.ndarray = True) -> Split:
    """The tokens of each text of `lowered` by its tag's rules, as `line_token_pattern(tag).findall`
    gives them; `word_pattern(tag).findall` for the texts where `line_breaks` (one bool, or one
    per text) is False."""
    joined = _SEPARATOR.join(lowered) + _SEPARATOR
    codes = codepoints.codes_of(joined)
    text_start = codepoints.starts(lowered)
    classes = _classes()[codes]
    word = (classes & _WORD).view(bool)
    in_word = word.copy()
    # Joiners between two word characters; each by the rules of its text's language.
    joiners = np.flatnonzero(classes & _JOINER)
    joiners = joiners[word[joiners - 1] & word[joiners + 1]]  # never first or last: separators are
    if len(joiners):
        languages = [_rule_language(tag) for tag in lang_tags]
        of_text = np.searchsorted(text_start, joiners, side="right") - 1
        text_language = np.array(languages)[of_text] if len(set(languages)) > 1 else None
        for language in dict.fromkeys(languages):
            rules = _rules(language)
            mine = joiners if text_language is None else joiners[text_language == language]
            kind = rules.kind[codes[mine]]
            in_word[mine[kind == _ALWAYS]] = True
            hyphens = mine[kind == _HYPHEN]
            if len(hyphens):
                in_word[hyphens[_joins(joined, word, hyphens, rules.clitics)]] = True
    starts, ends = codepoints.runs(in_word)
    breaks = _line_breaks(joined, classes) if np.any(line_breaks) else np.zeros(0, dtype=np.int64)
    if len(breaks) and not np.all(line_breaks):
        breaks = breaks[np.asarray(line_breaks, dtype=bool)[np.searchsorted(text_start, breaks, side="right") - 1]]
    if len(breaks):
        token_start = np.concatenate([starts, breaks])
        token_end = np.concatenate([ends, breaks + 1])
        order = np.argsort(token_start, kind="stable")
        token_start, token_end = token_start[order], token_end[order]
        in_token = in_word.copy()
        in_token[breaks] = True
    else:
        token_start, token_end, in_token = starts, ends, in_word
    offsets = np.searchsorted(token_start, text_start)
    distinct, ids = codepoints.number(codes[in_token], token_end - token_start)
    tokens = BatchTokens(distinct, ids, offsets.astype(np.int64))
    edge = np.zeros(len(lowered), dtype=bool)
    if len(breaks):
        first, last = offsets[:-1], offsets[1:] - 1
        has = last >= first
        is_break = classes[token_start] == _NEWLINE
        edge[has] = is_break[first[has]] | is_break[last[has]]
    return Split(tokens, edge)


def _joins(joined: str, word: np.ndarray, hyphens: np.ndarray, clitics: frozenset[str]) -> np.ndarray:
    """Which `hyphens` (each between word characters) join: those the run of word characters
    after them is not a weak pronoun."""
    # Only a run no longer than the longest pronoun can be one: look that far ahead, no further
    # (the batch ends with a separator, so clipping there ends every run).
    width = max(map(len, clitics))
    ahead = word[np.minimum(hyphens[:, None] + np.arange(1, width + 2), len(word) - 1)]
    short = ~ahead.all(axis=1)
    run_length = ahead.argmin(axis=1)  # where the run ends, for the short ones
    joins = np.ones(len(hyphens), dtype=bool)
    for i in np.flatnonzero(short).tolist():
        start = int(hyphens[i]) + 1
        joins[i] = joined[start : start + int(run_length[i])] not in clitics
    return joins


def _line_breaks(joined: str, classes: np.ndarray) -> np.ndarray:
    """Positions of the line breaks that end a run of line breaks and blanks: those not followed
    by blanks and then another line break."""
    breaks = np.flatnonzero(classes == _NEWLINE)
    after = classes[breaks + 1]  # the batch ends with a separator, so there is always one
    last = after != _NEWLINE
    for i in np.flatnonzero(after == _BLANK).tolist():  # indented or trailing blanks: look on
        last[i] = _BLANKS_TO_BREAK.match(joined, int(breaks[i]) + 1) is None
    return breaks[last]
