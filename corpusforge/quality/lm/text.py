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
from corpusforge.quality.tokenise import word_pattern

FIRST_ID = 2  # ids 0 and 1 are UNK and BOUNDARY
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
