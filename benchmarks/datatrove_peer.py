"""datatrove's FineWeb-style quality filters as our benchmarks run them: nothing to download.

    tok = regex_tokenizer()
    filters = datatrove_filters(tok, stop_words=iberian_stop_words())  # name -> filter, FineWeb's order

datatrove's own word tokenisers load nltk/spaCy/Stanza models (not installed here; Stanza downloads),
so its Gopher, C4 and FineWeb filters (and its MinHash) get a regular-expression tokeniser instead.
It is faster than spaCy, so a speed comparison with it favours datatrove. Used by
benchmarks/quality.py (filters alone) and benchmarks/pipeline.py (the whole pipeline).
"""

from __future__ import annotations

import re
from typing import Any

_WORDS = re.compile(r"\w+|[^\w\s]+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_SENTENCE = re.compile(r"[^.!?]+[.!?]*")


def regex_tokenizer() -> Any:
    """A datatrove `WordTokenizer`: words and punctuation runs, sentences ending in . ! or ?."""
    from datatrove.utils.word_tokenizers import WordTokenizer

    class RegexTokenizer(WordTokenizer):
        def word_tokenize(self, text: str) -> list[str]:
            return _WORDS.findall(text)

        def sent_tokenize(self, text: str) -> list[str]:
            return [s for s in _SENTENCE_BREAK.split(text) if s]

        def span_tokenize(self, text: str) -> list[tuple[int, int]]:
            return [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]

    return RegexTokenizer()


def iberian_stop_words() -> list[str]:
    """Our es, ca, gl and eu stop words: Gopher's "at least 2 stop words" with its English list would
    reject nearly every page of ours; FineWeb-2 likewise gives it each language's own."""
    from corpusforge.quality.tokenise import stopwords

    return sorted(set().union(*(stopwords(lang) for lang in ("es", "ca", "gl", "eu"))))


def datatrove_filters(tok: Any | None = None, *, stop_words: list[str] | None = None) -> dict[str, Any]:
    """GopherRepetition, GopherQuality, C4Quality, FineWebQuality (FineWeb's order), datatrove's
    defaults but the tokeniser and, when given, GopherQuality's stop words."""
    from datatrove.pipeline.filters import (
        C4QualityFilter,
        FineWebQualityFilter,
        GopherQualityFilter,
        GopherRepetitionFilter,
    )

    tok = tok if tok is not None else regex_tokenizer()
    gopher_args = {"stop_words": stop_words} if stop_words is not None else {}
    return {
        "gopher_rep": GopherRepetitionFilter(language=tok),
        "gopher_quality": GopherQualityFilter(language=tok, **gopher_args),
        "c4": C4QualityFilter(language=tok),
        "fineweb": FineWebQualityFilter(language=tok),
    }
