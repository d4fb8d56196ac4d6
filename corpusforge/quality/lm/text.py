"""Text to symbol ids for the perplexity models: one normalisation, two kinds of symbols.

Normalisation (the same in training and scoring, vectorised in Arrow over a batch): lower
case, typographic apostrophes to "'", every ASCII digit to "0" (a date or a price is not
fluency), runs of spaces and tabs to one space, blank lines and spaces around line breaks out.
Accents stay: text stripped of its accents is a quality problem in these languages.

Symbols: a `char` model reads code points; a `word` model reads the words of the quality
tokeniser for the document's language (`tokenise.word_pattern`: Catalan elisions split,
Basque suffixes kept...). In both, a line break is `BOUNDARY` (end of one sentence, start of
the next) and anything outside the vocabulary is `UNK`. Each document is its own stream:
`BOUNDARY text BOUNDARY`; the first `BOUNDARY` is context only, never predicted.

Reading a word model's symbols without normalising: the quality signals split every document
into words anyway (`str.lower`, then the word pattern). With `line_token_pattern` that one
pass also yields the line breaks as normalise() leaves them, and `reads_as_normalised` says
when those tokens, folded (`fold`: digits to 0, ’ to '), are exactly the symbols of the
normalised text; then neither normalise() nor a second split is needed (see the function
for why each of its conditions is needed, and why they are enough).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import cache
from itertools import repeat

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from corpusforge.quality.lm.kneser_ney import BOUNDARY, UNK
from corpusforge.quality.tokenise import BatchTokens, word_pattern

FIRST_ID = 2  # ids 0 and 1 are UNK and BOUNDARY
# What normalise() changes inside a word: ASCII digits become 0, the typographic apostrophe '.
FOLD = str.maketrans({"’": "'", **dict.fromkeys("123456789", "0")})
_CHAR_TABLE_SIZE = 0x3000  # code points from here on (CJK...) are UNK without a look-up


def normalise(texts: pa.Array | Sequence[str | None]) -> list[str]:
    """The normalised text of every document (null -> "")."""
    arr = pa.array(texts, pa.string()) if not isinstance(texts, pa.Array | pa.ChunkedArray) else texts
    arr = pc.fill_null(arr.cast(pa.string()), "")
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, "[’`´]", "'")
    arr = pc.replace_substring_regex(arr, "[0-9]", "0")
    # Every run of spaces and tabs becomes one space. The runs that are one space already are most
    # of them and are left alone: rewriting each of them made this the costliest step (8x).
    arr = pc.replace_substring_regex(arr, r"[\t\r\f\v][ \t\r\f\v]*| [ \t\r\f\v]+", " ")
    arr = pc.replace_substring_regex(arr, r" ?\n[\s]*", "\n")
    arr = pc.utf8_trim_whitespace(arr)
    return [unicodedata.normalize("NFC", t) for t in arr.to_pylist()]


class CharSymbols:
    """Code points -> ids through a lookup table (vectorised: one utf-32 encode per batch)."""

    kind = "char"

    def __init__(self, alphabet: Sequence[str]) -> None:
        self.alphabet = list(alphabet)  # id FIRST_ID + i is alphabet[i]
        table = np.full(_CHAR_TABLE_SIZE + 1, UNK, dtype=np.uint32)
        for i, ch in enumerate(self.alphabet):
            if ord(ch) < _CHAR_TABLE_SIZE:
                table[ord(ch)] = FIRST_ID + i
        table[ord("\n")] = BOUNDARY
        self.table = table

    @property
    def vocab_size(self) -> int:
        return FIRST_ID + len(self.alphabet)

    def streams(
        self, docs: Sequence[str], lang_tag: str | None = None, *, max_symbols: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, doc index per position) of `BOUNDARY doc BOUNDARY` for every document."""
        if max_symbols is not None:
            docs = [d[:max_symbols] for d in docs]
        joined = "".join(f"\n{d}\n" for d in docs)
        codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
        ids = self.table[np.minimum(codes, _CHAR_TABLE_SIZE)]
        lengths = np.fromiter((len(d) + 2 for d in docs), dtype=np.int64, count=len(docs))
        return ids, np.repeat(np.arange(len(docs), dtype=np.int64), lengths)


@cache
def token_pattern(lang_tag: str | None) -> re.Pattern[str]:
    return re.compile("\n|" + word_pattern(lang_tag).pattern)


@cache
def line_token_pattern(lang_tag: str | None) -> re.Pattern[str]:
    """Words, and one "\n" for each run of line breaks and blanks (its last "\n"), which is what
    normalise() leaves of such a run. A line break is never part of a word, so the words are
    those of `word_pattern` (tried first: words are most tokens, which makes the split 10% faster)."""
    return re.compile(word_pattern(lang_tag).pattern + "|\n(?![ \t\r\f\v]*\n)")


def reads_as_normalised(lowered: str, arrow_lowered: str, break_at_edge: bool) -> bool:
    """Whether the tokens of `line_token_pattern` over `lowered` (a text's `str.lower()`) are,
    once folded, the symbols normalise() and `token_pattern` give that text; `break_at_edge`:
    whether the first or the last of those tokens is a line break.

    normalise() lower-cases in Arrow (`arrow_lowered`), which differs from Python for a few
    letters (İ, final Σ): the two must agree. It turns "´" and "`" into "'", which joins words
    in some languages: there must be none. Within a line it only folds digits and ’ (word
    boundaries stay) and collapses blanks (no word changes); each run of line breaks and
    blanks becomes one "\n", as the pattern reads it; it trims the text's ends, which only
    matters if a line break token is first or last: there must be none. Its final NFC
    composition does nothing to a text that is NFC already, as the steps before keep it so.
    """
    if break_at_edge or lowered != arrow_lowered or "´" in lowered or "`" in lowered:
        return False
    return unicodedata.is_normalized("NFC", lowered)


class WordSymbols:
    """Words of the language's quality tokeniser -> ids through a dict."""

    kind = "word"

    def __init__(self, words: Sequence[str]) -> None:
        self.words = list(words)
        self.index = {w: FIRST_ID + i for i, w in enumerate(self.words)}
        self.index["\n"] = BOUNDARY

    @property
    def vocab_size(self) -> int:
        return FIRST_ID + len(self.words)

    def tokens(self, doc: str, lang_tag: str | None = None) -> list[str]:
        """The symbols of one normalised document as strings ("\n" for a boundary), as scored."""
        return ["\n", *token_pattern(lang_tag).findall(doc), "\n"]

    def streams(
        self, docs: Sequence[str], lang_tag: str | None = None, *, max_symbols: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(ids, doc index per position) of `BOUNDARY words BOUNDARY` for every document.

        `max_symbols` keeps a document's first words only (bounds the cost of a 10 MB page).
        """
        pattern, get = token_pattern(lang_tag), self.index.get
        ids: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        for i, d in enumerate(docs):
            before = len(ids)
            ids.append(BOUNDARY)
            found = pattern.findall(d)
            ids.extend(map(get, found[:max_symbols] if max_symbols is not None else found, repeat(UNK)))
            ids.append(BOUNDARY)
            lengths[i] = len(ids) - before
        return np.asarray(ids, dtype=np.uint32), np.repeat(np.arange(len(docs), dtype=np.int64), lengths)

    def batch_streams(
        self, tokens: BatchTokens, docs: Sequence[int], *, max_symbols: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """`streams` of documents `docs` of a batch already split (`reads_as_normalised` holds for
        each): every distinct token is looked up once, folded as normalise() would have."""
        rows = np.asarray(docs, dtype=np.int64)
        starts = tokens.offsets[rows]
        sizes = tokens.offsets[rows + 1] - starts
        if max_symbols is not None:
            sizes = np.minimum(sizes, max_symbols)
        used = tokens.ids[_ranges(starts, sizes)]
        symbol = tokens.per_used_token(used, self._ids)
        lengths = sizes + 2  # BOUNDARY tokens BOUNDARY
        ids = np.full(int(lengths.sum()), BOUNDARY, dtype=np.uint32)
        ids[_ranges(np.cumsum(lengths) - lengths + 1, sizes)] = symbol[used]
        return ids, np.repeat(np.arange(len(docs), dtype=np.int64), lengths)

    def _ids(self, tokens: list[str]) -> np.ndarray:
        """The id of each token, or of its folded form (UNK when neither is in the vocabulary)."""
        get = self.index.get
        ids = np.fromiter(map(get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        missed = np.flatnonzero(ids < 0)
        ids[missed] = UNK
        # Only a token with something other than letters can change when folded (~1 in 10 missed).
        words = list(map(tokens.__getitem__, missed.tolist()))
        other = np.flatnonzero(~np.fromiter(map(str.isalpha, words), dtype=bool, count=len(words)))
        ids[missed[other]] = [get(words[j].translate(FOLD), UNK) for j in other.tolist()]
        return ids


def _ranges(starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """start, start + 1, ..., start + size - 1 for every (start, size), one after the other."""
    ends = np.cumsum(sizes)
    return np.repeat(starts - (ends - sizes), sizes) + np.arange(ends[-1] if len(ends) else 0)
