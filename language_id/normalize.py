"""Text normalisation shared by training and prediction.

Both sides must see the same form: lower case, no digits, no punctuation, single spaces.
Punctuation is removed because one training source (Lo Congrès Occitan news) ships without
it; a model that saw punctuation everywhere else would learn "no punctuation => Occitan".
Cost: two regex substitutions, a `lower` and a `split` per text, about 3 µs per 25-word sentence;
`normalize_batch` does a batch of texts at once in numpy, words numbered (`identify` uses it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np

from language_id import codepoints

# Apostrophes, hyphens and the Catalan middle dot (col·lecció) are kept: l'home, d'o, dóna-li
# are informative.
_APOSTROPHES = "\u2019\u02bc\u2018`\u00b4"
_PUNCT = '!"#$%&()*+,./:;<=>?@[\\]^_{|}~«»“”„‹›…–—¡¿•0123456789\u00a0\t\r\n\f\v'


# Two C-level substitutions; they give exactly what one `str.translate` with a table would, at
# half the cost (translate looks every character up in a dict).
_PUNCT_RE = re.compile("[" + re.escape(_PUNCT) + "]")
_APOSTROPHE_RE = re.compile("[" + re.escape(_APOSTROPHES) + "]")

# fastText cannot learn from text beyond this; longer input is cut for the document-level call.
MAX_CHARS = 4000


def normalize_words(text: str, *, max_chars: int = MAX_CHARS) -> list[str]:
    """The words of `normalize(text)` (`normalize` joins them with single spaces)."""
    if len(text) > max_chars:
        text = text[:max_chars]
    return _APOSTROPHE_RE.sub("'", _PUNCT_RE.sub(" ", text)).lower().split()


def normalize(text: str, *, max_chars: int = MAX_CHARS) -> str:
    """Lower-cased, punctuation- and digit-free, whitespace-collapsed form of `text`."""
    return " ".join(normalize_words(text, max_chars=max_chars))


@dataclass(frozen=True)
class BatchWords:
    """`normalize_words` of a batch of texts, numbered: text i's words are
    `[distinct[j] for j in ids[offsets[i] : offsets[i + 1]]]`, and `norms[i]` is `normalize`'s."""

    distinct: list[str]
    ids: np.ndarray  # int64
    offsets: np.ndarray  # int64[len(texts) + 1]
    norms: list[str]

    def words(self, i: int) -> list[str]:
        return [self.distinct[j] for j in self.ids[self.offsets[i] : self.offsets[i + 1]].tolist()]


# The one code point whose lower case is two (İ -> i + combining dot, not `\w`): texts keep their
# lengths through `str.lower` unless they hold it (test_lid_variety_tokens checks every code point).
LOWER_EXPANDS = "\u0130"
_SPLIT = 1  # `_classes()` bits: a separator (what `str.split` splits at, or punctuation)
_APOSTROPHE = 2


def _lowered(text: str) -> str:
    """`text.lower()`, which here is the same as lower-casing after the substitutions: no
    character lower-cases to or from punctuation, an apostrophe or whitespace. Except for the
    one context `str.lower` looks at: a capital sigma is final (ς) after a cased letter even
    across punctuation, which the substitutions turn into spaces; such texts go their way."""
    if "Σ" in text:
        return _APOSTROPHE_RE.sub("'", _PUNCT_RE.sub(" ", text)).lower()
    return text.lower()


@cache
def _classes() -> np.ndarray:
    table = codepoints.matching(r"\s").astype(np.uint8)  # str.isspace
    table[[ord(c) for c in _PUNCT]] = _SPLIT
    table[[ord(c) for c in _APOSTROPHES]] = _APOSTROPHE
    return table


def normalize_batch(texts: list[str], *, max_chars: int = MAX_CHARS) -> BatchWords:
    """`normalize_words` of every text at once, with array operations (`codepoints.py`): the same
    words, and their numbering, for less than `normalize_words` costs alone."""
    cut = [text if len(text) <= max_chars else text[:max_chars] for text in texts]
    batch = " ".join(cut) + " "
    if "Σ" in batch or LOWER_EXPANDS in batch:  # a lower case that is not one character for one
        lowered = [_lowered(text) for text in cut]
        batch = " ".join(lowered) + " "
    else:  # lower-cased in one call: each character alone, to one character, so the offsets hold
        lowered = cut
        batch = batch.lower()
    codes = codepoints.codes_of(batch).copy()
    classes = _classes()[codes]
    codes[classes == _APOSTROPHE] = ord("'")
    word = classes != _SPLIT
    np.putmask(codes, ~word, ord(" "))
    # Every word followed by one space (the first separator after it: the batch ends in one).
    after_word = np.concatenate([[False], word[:-1]])
    spaced = codes[word | after_word]
    starts, ends = codepoints.runs(word)
    lengths = ends - starts + 1
    offsets = np.searchsorted(starts, codepoints.starts(lowered))
    distinct, ids = codepoints.number(spaced, lengths, strip=1)
    word_start = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=word_start[1:])
    joined = codepoints.text_of(spaced)
    bounds = word_start[offsets].tolist()
    norms = [joined[a : b - 1] if b > a else "" for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return BatchWords(distinct, ids, offsets, norms)
