"""Splitting a batch of texts into words with array operations over their code points.

Per-text Python splitting (`re.findall`, `str.split`) and numbering the words through dicts
cost more than the models that read them. Laid end to end as UTF-32 code points, a batch is
classified with one table look-up per code point, its words are runs of word code points, and
Arrow's hash table numbers them; only the distinct words (about 1 in 8) become Python strings.
Used by `normalize.normalize_batch` and by corpusforge's quality signals (`batchsplit.py`).
"""

from __future__ import annotations

import re
import sys
from functools import cache

import numpy as np
import pyarrow as pa


def every_code_point() -> str:
    """All code points U+0000..U+10FFFF in order, as one string (lone surrogates included)."""
    return np.arange(sys.maxunicode + 1, dtype=np.uint32).tobytes().decode("utf-32-le", "surrogatepass")


@cache
def matching(char_class: str) -> np.ndarray:
    """Per code point, whether the one-character regular expression `char_class` (`\\w`,
    `\\s`, `[^\\W\\d_]`) matches it, asked of `re` itself: bool[U+10FFFF + 1], once per
    process and class (every code point replaced in one `re.sub`, ~30 ms)."""
    table = codes_of(re.sub(char_class, "\x00", every_code_point())) == 0
    table[0] = re.fullmatch(char_class, "\x00") is not None  # NUL is the mark itself
    return table


def codes_of(text: str) -> np.ndarray:
    """The code points of `text` (uint32), lone surrogates as themselves."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def text_of(codes: np.ndarray) -> str:
    return codes.astype(np.uint32, copy=False).tobytes().decode("utf-32-le", "surrogatepass")


def starts(texts: list[str]) -> np.ndarray:
    """Where each text starts (and, last, where the batch ends) in `separator.join(texts) +
    separator` for a one-character separator, in code points (int64[len(texts) + 1])."""
    out = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1, out=out[1:])
    return out


def runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of the maximal runs of True in the bool array `mask`."""
    edges = np.diff(mask.view(np.int8), prepend=np.int8(0), append=np.int8(0))
    return np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)


def number(token_codes: np.ndarray, token_lengths: np.ndarray, *, strip: int = 0) -> tuple[list[str], np.ndarray]:
    """(the distinct tokens in the order they first occur, every token's index among them) of
    tokens laid end to end as code points (`token_lengths` code points each); with `strip`, each
    token ends in that many code points (the same separator) left out of the distinct strings."""
    byte_offsets = np.zeros(len(token_lengths) + 1, dtype=np.int64)
    np.cumsum(token_lengths * 4, out=byte_offsets[1:])
    data = np.ascontiguousarray(token_codes, dtype=np.uint32)
    array = pa.LargeBinaryArray.from_buffers(
        pa.large_binary(), len(token_lengths), [None, pa.py_buffer(byte_offsets), pa.py_buffer(data)]
    )
    # Arrow compares the UTF-32 bytes: equal strings, equal index; numbered in order of first sight.
    encoded = array.dictionary_encode()
    dictionary = encoded.dictionary
    chars = dictionary.buffers()[2]
    text = chars.to_pybytes().decode("utf-32-le", "surrogatepass") if chars is not None else ""
    bounds = (np.frombuffer(dictionary.buffers()[1], dtype=np.int64)[: len(dictionary) + 1] // 4).tolist()
    distinct = [text[a : b - strip] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return distinct, encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
