"""Per-language word splitting and stop-word lists for the quality signals.

One compiled regular expression per language does the splitting in C (`re.findall`),
so a 1,000-word document costs ~50 µs. What differs by language, and why:

- Catalan and Valencian (`ca`, `ca-valencia`): the apostrophe separates an elided
  article, preposition or pronoun from its host ("l'home" -> `l`, `home`; "d'aigua";
  "porta'l" -> `porta`, `l`), and a hyphen before a weak pronoun does too ("donar-li-ho"
  -> `donar`, `li`, `ho`). The punt volat stays inside the word ("col·lecció").
- Galician (`gl`): contractions are written as one word (do, na, polo, cunha) and stay
  one token; hyphenated clitics of older spellings ("fixémo-lo") are split.
- Basque (`eu`): agglutinative; words are split on whitespace and punctuation only, and
  a hyphenated case suffix on an acronym or number ("EHU-ko", "2015-eko") stays attached.
- Spanish and anything else: words are runs of letters/digits, keeping internal
  apostrophes and hyphens ("O'Donnell", "franco-alemán").

Stop-word lists live in `stopwords/<lang>.txt` (one word a line, `#` comments that say
what is in the list and why); `ca-valencia` uses the Catalan list, which includes the
Valencian forms.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pyarrow as pa

# Weak pronouns written after a hyphen (Catalan: "donar-li", "fes-ho"; Galician: "fixémo-lo").
_CA_CLITICS = "li|lo|la|los|les|ho|hi|me|te|se|nos|vos|ne|en|us|m|t|s|n|l|ns|ls|hi"
_GL_CLITICS = "lo|la|los|las|no|na|nos|nas|me|te|se|lle|lles|che|o|a|os|as"
CA_CLITICS = tuple(_CA_CLITICS.split("|"))  # as words, for `batchsplit`
GL_CLITICS = tuple(_GL_CLITICS.split("|"))

_WORD_RES: dict[str, re.Pattern[str]] = {
    # apostrophes split (they are not \w); hyphens split only before a clitic
    "ca": re.compile(rf"\w+(?:·\w+)*(?:-(?!(?:{_CA_CLITICS})\b)\w+(?:·\w+)*)*"),
    "gl": re.compile(rf"\w+(?:-(?!(?:{_GL_CLITICS})\b)\w+)*"),
    "eu": re.compile(r"\w+(?:[-'’]\w+)*"),
    "es": re.compile(r"\w+(?:[-'’]\w+)*"),
}
_DEFAULT_RE = _WORD_RES["es"]

# lang_tag -> stop-word file; tags not listed have no stop-word list (ratio is 0).
_STOPWORD_FILES = {"es": "es", "ca": "ca", "ca-valencia": "ca", "eu": "eu", "gl": "gl"}


def base_language(lang_tag: str | None) -> str:
    """ "ca-valencia" -> "ca"; None or "" -> "" (unknown)."""
    return (lang_tag or "").split("-", 1)[0].lower()


def word_pattern(lang_tag: str | None) -> re.Pattern[str]:
    """The compiled word regex for a language tag (Spanish rules for unknown tags)."""
    return _WORD_RES.get(base_language(lang_tag), _DEFAULT_RE)


def split_words(text: str, lang_tag: str | None) -> list[str]:
    """Words of `text` as the quality signals count them.

    >>> split_words("L'home va donar-li la col·lecció d'abans.", "ca")
    ['L', 'home', 'va', 'donar', 'li', 'la', 'col·lecció', 'd', 'abans']
    >>> split_words("A EHU-ko ikasleak 2015-eko ikasturtean", "eu")
    ['A', 'EHU-ko', 'ikasleak', '2015-eko', 'ikasturtean']
    """
    return word_pattern(lang_tag).findall(text)


@cache
def _load(file_stem: str) -> frozenset[str]:
    text = resources.files("corpusforge.quality.stopwords").joinpath(f"{file_stem}.txt").read_text(encoding="utf-8")
    words = (line.strip().lower() for line in text.splitlines())
    return frozenset(w for w in words if w and not w.startswith("#"))


def stopwords(lang_tag: str | None) -> frozenset[str]:
    """The stop-word set for a tag ("ca-valencia" -> the Catalan list); empty when none ships."""
    tag = (lang_tag or "").lower()
    stem = _STOPWORD_FILES.get(tag) or _STOPWORD_FILES.get(base_language(tag))
    return _load(stem) if stem else frozenset()


@dataclass(frozen=True)
class BatchTokens:
    """The tokens of a batch of documents, each distinct token once and every occurrence as its
    index, so that what is asked of a token (its length, whether it is a stop word, its id in a
    language model) is asked once per distinct token (~1 in 8 of a batch's) rather than per word.

    >>> batch = BatchTokens.of([["la", "casa", "la"], ["casa"]])
    >>> batch.distinct, batch.ids.tolist(), batch.offsets.tolist()
    (['la', 'casa'], [0, 1, 0, 1], [0, 3, 4])
    """

    distinct: list[str]
    ids: np.ndarray  # int64: every document's tokens, documents one after the other
    offsets: np.ndarray  # int64[n_docs + 1]: document i's tokens are ids[offsets[i] : offsets[i + 1]]

    @classmethod
    def of(cls, token_lists: Iterable[list[str]]) -> BatchTokens:
        flat: list[str] = []
        sizes = []
        for tokens in token_lists:
            flat += tokens
            sizes.append(len(tokens))
        # Arrow's hash table compares the UTF-8 bytes (equal strings, equal index), and numbers the
        # distinct tokens in the order they first occur; 1.5x faster than a dict over the tokens.
        encoded = pa.array(flat, pa.string()).dictionary_encode()
        offsets = np.zeros(len(sizes) + 1, dtype=np.int64)
        np.cumsum(sizes, out=offsets[1:])
        ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return cls(encoded.dictionary.to_pylist(), ids, offsets)

    def per_token(self, fn: Callable[[str], Any], dtype: type | np.dtype = np.int64) -> np.ndarray:
        """`fn` of every distinct token (index it with `ids`)."""
        return np.fromiter(map(fn, self.distinct), dtype=dtype, count=len(self.distinct))

    def per_used_token(
        self, used: np.ndarray, lookup: Callable[[list[str]], Any], dtype: type | np.dtype = np.int64
    ) -> np.ndarray:
        """`per_token` asked only of the distinct tokens among `used` (ids), as one list to
        `lookup` (which returns a value per token); the other entries are 0."""
        wanted = np.flatnonzero(np.bincount(used, minlength=len(self.distinct)))
        out = np.zeros(len(self.distinct), dtype=dtype)
        out[wanted] = lookup([self.distinct[j] for j in wanted.tolist()])
        return out

    def doc_of_tokens(self) -> np.ndarray:
        """The document of every token."""
        return np.repeat(np.arange(len(self.offsets) - 1), np.diff(self.offsets))
