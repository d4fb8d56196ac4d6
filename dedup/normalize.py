"""Text normalisation shared by exact and near-duplicate detection, vectorised with Arrow.

Both detectors compare documents after the same folding: Unicode NFC, lower case, every run of
whitespace to one space, typographic apostrophes to ASCII and the Catalan *punt volat* variants
(`l.l`, `l•l`, `l‧l`) to `l·l`, so that "col·legi" and "col.legi" are one word. Digits can be
folded to `0` so that pages differing only in dates or counters collide.

Words for shingling are runs of letters, digits and `·`; apostrophes split words
("l'Ajuntament" -> "l", "ajuntament"), which suits Catalan, Valencian and Galician elision.
`normalize` runs in Arrow compute kernels (RE2), about 50-100 MB/s per core, for exact hashes.
`word_hashes`, for shingles, finds the same words ~3x faster: Arrow lower-cases, numpy cuts
the UTF-8 bytes into words and hashes them in place (`hashing.hash_spans`); no Python loop per
document or word. `squeeze_words`, for the line dedup, joins the words of `normalize` with single
spaces the same way, with the character classes RE2 itself uses.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dedup.hashing import hash_spans

# Catalan geminated l written with the wrong dot ("col.legi", "col•legi").
_PUNT_VOLAT = r"(?i)(l)[.•‧∙](l)"
_APOSTROPHES = r"[’‘ʼ´`]"
_NON_WORD = r"[^\pL\pN·]+"


def normalize(texts: pa.Array | pa.ChunkedArray, *, fold_digits: bool = False) -> pa.Array:
    """NFC, lower case, apostrophes and punt volat unified, whitespace collapsed (nulls -> "")."""
    arr = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    if arr.type != pa.string():
        arr = arr.cast(pa.string())
    arr = pc.fill_null(arr, "")
    arr = _nfc_where_needed(arr)
    arr = pc.utf8_lower(arr)
    arr = pc.replace_substring_regex(arr, _APOSTROPHES, "'")
    arr = pc.replace_substring_regex(arr, _PUNT_VOLAT, r"\1·\2")
    if fold_digits:
        arr = pc.replace_substring_regex(arr, r"\pN", "0")
    # every run of whitespace as one space; single spaces, the most of them, are not matched (and
    # rewritten) at all, which makes the pass ~6x cheaper than "\s+"
    arr = pc.replace_substring_regex(arr, r"\s{2,}|[^\S ]", " ")
    return pc.utf8_trim_whitespace(arr)


def words(normalized: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """Split normalised texts into words: (flat word array, int64 offsets of each doc's words).

    Document `i` owns words `offsets[i]:offsets[i+1]`; empty strings from leading or trailing
    punctuation are removed.
    """
    lists = pc.split_pattern_regex(normalized, _NON_WORD)
    flat = pc.list_flatten(lists)
    parents = pc.list_parent_indices(lists)
    keep = pc.greater(pc.utf8_length(flat), 0)
    flat = pc.filter(flat, keep)
    parents = pc.filter(parents, keep).to_numpy(zero_copy_only=False)
    counts = np.bincount(parents, minlength=len(normalized)).astype(np.int64)
    offsets = np.zeros(len(normalized) + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    return flat, offsets


# ---------------------------------------------------------------- words as hashes, in numpy
# `word_hashes` finds the same words as `words(normalize(...))` without building a list array:
# Arrow lowers the case (and NFC-normalises only documents that need it), then numpy classifies
# every byte as word or separator (ASCII by a 256-entry table, other code points by a table of
# the Basic Multilingual Plane), cuts runs of word bytes, packs them into one string array,
# dictionary-encodes it (a C++ hash table) and hashes each *distinct* word once with xxh3-64.
# Per batch of 5,000 web pages (~4.5 MB) that is ~60 ms, against ~380 ms for the regex path.

_MIDDLE_DOT = 0xB7


# Two comparisons per byte cost a third of a 256-entry table lookup (numpy fancy indexing).
def _ascii_word_bytes(data: np.ndarray) -> np.ndarray:
    """True for the bytes of ASCII letters and digits (uint8 arithmetic wraps below "a" and "0")."""
    return ((data | 0x20) - np.uint8(ord("a")) < 26) | (data - np.uint8(ord("0")) < 10)


def _fold_ascii_digits(data: np.ndarray) -> np.ndarray:
    """A copy of `data` with every ASCII digit as "0"."""
    out = data.copy()
    out[data - np.uint8(ord("0")) < 10] = ord("0")
    return out


@functools.cache
def _bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """(is word character, is numeric) for every code point below 0x10000 (~20 ms, once)."""
    cats = [unicodedata.category(chr(c)) for c in range(0x10000)]
    word = np.fromiter((c[0] in "LN" for c in cats), dtype=bool, count=0x10000)
    num = np.fromiter((c[0] == "N" for c in cats), dtype=bool, count=0x10000)
    word[_MIDDLE_DOT] = True
    return word, num


def _code_point_classes(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _lookup_classes(cps, _bmp_tables(), _unicodedata_classes)


def _unicodedata_classes(cps: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(is word character, is numeric) of each code point by `unicodedata` (rare code points)."""
    cats = [unicodedata.category(chr(c)) if c < 0x110000 else "Cn" for c in cps]
    return np.array([c[0] in "LN" for c in cats], dtype=bool), np.array([c[0] == "N" for c in cats], dtype=bool)


def _lookup_classes(
    cps: np.ndarray,
    bmp_tables: tuple[np.ndarray, np.ndarray],
    rare: Callable[[list[int]], tuple[np.ndarray, np.ndarray]],
) -> tuple[np.ndarray, np.ndarray]:
    """(is word, is number) of each code point: BMP ones from the tables, the rest (emoji,
    historic scripts: rare) asked of `rare` once per distinct code point."""
    word_t, num_t = bmp_tables
    bmp = cps < 0x10000
    word = np.zeros(len(cps), dtype=bool)
    num = np.zeros(len(cps), dtype=bool)
    word[bmp] = word_t[cps[bmp]]
    num[bmp] = num_t[cps[bmp]]
    if not bmp.all():
        idx = np.flatnonzero(~bmp)
        uniq, inv = np.unique(cps[idx], return_inverse=True)
        u_word, u_num = rare([int(c) for c in uniq.tolist()])
        word[idx], num[idx] = u_word[inv], u_num[inv]
    return word, num


def _nfc_where_needed(arr: pa.Array) -> pa.Array:
    """NFC-normalise only the documents that are not NFC already (most web text is)."""
    if pc.all(pc.string_is_ascii(arr)).as_py() is not False:
        return arr
    need = np.fromiter((not unicodedata.is_normalized("NFC", t) for t in arr.to_pylist()), dtype=bool, count=len(arr))
    if not need.any():
        return arr
    return pc.replace_with_mask(arr, pa.array(need), pc.utf8_normalize(arr.filter(pa.array(need)), "NFC"))


def _prepare(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    return pc.replace_substring_regex(fold_case(texts), _PUNT_VOLAT, r"\1·\2")


def _buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(int64 offsets rebased to 0, uint8 bytes) of a string array, without copying the bytes."""
    n = len(arr)
    off_dtype = np.int64 if arr.type == pa.large_string() else np.int32
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=off_dtype, count=arr.offset + n + 1)[arr.offset :].astype(np.int64)
    start, end = int(offsets[0]), int(offsets[-1])
    data = (
        np.frombuffer(bufs[2], dtype=np.uint8, count=end)[start:]
        if bufs[2] is not None and end
        else np.zeros(0, np.uint8)
    )
    return offsets - start, data


def word_hashes(
    texts: pa.Array | pa.ChunkedArray, *, fold_digits: bool = False, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(uint64 xxh3 hash of every word, int64 offsets of each document's words); nulls are empty.

    The words are those of `words(normalize(texts, fold_digits=...))`: runs of letters, digits
    and `·` after NFC, lower-casing and punt volat unification; with `fold_digits` every numeric
    character counts as `0`. Deterministic: the hash of a word depends on its bytes and `seed` only.
    """
    arr = _prepare(texts)
    return _word_hashes(arr, fold_digits=fold_digits, seed=seed)


def _non_ascii(
    data: np.ndarray, *, classes: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]] = _code_point_classes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(first byte, byte length, is word char, is numeric) of every non-ASCII character."""
    lead = np.flatnonzero(data >= 0xC0)
    if not lead.size:
        empty = np.zeros(0, dtype=bool)
        return lead, lead, empty, empty
    last = len(data) - 1
    b0 = data[lead].astype(np.int64)
    b1 = data[np.minimum(lead + 1, last)].astype(np.int64) & 0x3F
    b2 = data[np.minimum(lead + 2, last)].astype(np.int64) & 0x3F
    b3 = data[np.minimum(lead + 3, last)].astype(np.int64) & 0x3F
    size = np.where(b0 < 0xE0, 2, np.where(b0 < 0xF0, 3, 4))
    cps = np.where(
        size == 2,
        ((b0 & 0x1F) << 6) | b1,
        np.where(size == 3, ((b0 & 0x0F) << 12) | (b1 << 6) | b2, ((b0 & 0x07) << 18) | (b1 << 12) | (b2 << 6) | b3),
    )
    word, num = classes(cps)
    return lead, size, word, num


def _word_hashes(arr: pa.Array, *, fold_digits: bool, seed: int) -> tuple[np.ndarray, np.ndarray]:
    ndocs = len(arr)
    doc_off, data = _buffers(arr)
    lead, size, word, num = _non_ascii(data)
    if fold_digits and num.any():
        # non-ASCII numerals (², ½, ٣): fold the few documents that have them with the regex
        docs = np.unique(np.searchsorted(doc_off, lead[num], side="right") - 1)
        mask = np.zeros(ndocs, dtype=bool)
        mask[docs] = True
        folded = pc.replace_substring_regex(arr.filter(pa.array(mask)), r"\pN", "0")
        arr = pc.replace_with_mask(arr, pa.array(mask), folded)
        doc_off, data = _buffers(arr)
        lead, size, word, num = _non_ascii(data)
    nbytes = len(data)
    is_word = _ascii_word_bytes(data)
    for k in range(4):
        sel = size > k
        is_word[lead[sel] + k] = word[sel]
    # one copy of the bytes, digits folded, padded for the 8-byte reads of `hash_spans`
    padded = np.zeros(nbytes + 8, dtype=np.uint8)
    padded[:nbytes] = _fold_ascii_digits(data) if fold_digits else data
    # runs of word bytes, never across a document boundary
    starts_doc = doc_off[:-1][doc_off[:-1] < doc_off[1:]]
    ends_doc = doc_off[1:][doc_off[:-1] < doc_off[1:]] - 1
    prev = np.zeros(nbytes, dtype=bool)
    prev[1:] = is_word[:-1]
    prev[starts_doc] = False
    nxt = np.zeros(nbytes, dtype=bool)
    nxt[:-1] = is_word[1:]
    nxt[ends_doc] = False
    w_start = np.flatnonzero(is_word & ~prev)
    w_end = np.flatnonzero(is_word & ~nxt) + 1
    word_doc = np.searchsorted(doc_off, w_start, side="right") - 1
    woff = np.zeros(ndocs + 1, dtype=np.int64)
    np.cumsum(np.bincount(word_doc, minlength=ndocs), out=woff[1:])
    return hash_spans(padded, w_start, w_end - w_start, seed=seed), woff


# ---------------------------------------------------------------- words joined by spaces, in numpy
# The line dedup keys a line by `normalize(line)` with every run of characters other than letters and
# digits as one space, trimmed. Five RE2 passes with Unicode classes cost ~0.5 s per 14 MB of lines;
# `squeeze_words` builds the same bytes from one classification of the bytes. The classes are RE2's
# own (`\pL`, `\pN`), asked of RE2 once, so that both paths agree on every code point; the steps of
# `normalize` between lower-casing and the squeeze only turn punctuation into other punctuation, except
# the apostrophe "ʼ" (a letter, Lm) that becomes "'".

_NOT_WORD_AFTER_NORMALIZE = "’‘ʼ´`"  # `_APOSTROPHES`: all become "'"


def fold_case(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """NFC and lower case, nulls as "": the first steps of `normalize`."""
    arr = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    if arr.type not in (pa.string(), pa.large_string()):
        arr = arr.cast(pa.string())
    if arr.null_count:
        arr = pc.fill_null(arr, "")
    return pc.utf8_lower(_nfc_where_needed(arr))


def _re2_classes(chars: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(is letter or number, is number) of each one-character string, as RE2 sees it."""
    arr = pa.array(chars, pa.string())
    word = pc.match_substring_regex(arr, r"^[\pL\pN]$").to_numpy(zero_copy_only=False)
    num = pc.match_substring_regex(arr, r"^\pN$").to_numpy(zero_copy_only=False)
    return word, num


@functools.cache
def _re2_bmp_tables() -> tuple[np.ndarray, np.ndarray]:
    """`_re2_classes` of every code point below 0x10000 (~40 ms, once); surrogates are neither."""
    word, num = _re2_classes(["" if 0xD800 <= c < 0xE000 else chr(c) for c in range(0x10000)])
    for c in _NOT_WORD_AFTER_NORMALIZE:
        word[ord(c)] = False
    return word, num


def _squeeze_classes(cps: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _lookup_classes(
        cps, _re2_bmp_tables(), lambda rare: _re2_classes([chr(c) if c < 0x110000 else "" for c in rare])
    )


def squeeze_words(folded: pa.Array, *, fold_digits: bool = False) -> pa.Array:
    """The words of each `fold_case` text joined by single spaces; with `fold_digits` every numeral is "0".

    Equal to `normalize(texts, fold_digits=...)` with every run of non-letters and non-digits
    replaced by one space and trimmed (`fold_case` is its first step):

    >>> squeeze_words(fold_case(pa.array(["  Inici | Notícies · 2024 ", "-- --"])), fold_digits=True).to_pylist()
    ['inici notícies 0000', '']
    """
    offsets, data = _buffers(folded)
    is_word = _ascii_word_bytes(data)
    out = _fold_ascii_digits(data) if fold_digits else data.copy()
    keep = is_word.copy()  # the bytes written out: those of words, then one space per gap
    lead, size, word, num = _non_ascii(data, classes=_squeeze_classes)
    for k in range(4):
        sel = size > k
        is_word[lead[sel] + k] = keep[lead[sel] + k] = word[sel]
    if fold_digits:  # a non-ASCII numeral ("²", "½", "٣") becomes "0": its first byte, rewritten
        out[lead[num]] = ord("0")
        for k in range(1, 4):
            keep[lead[num & (size > k)] + k] = False
    # first byte of every word: a word byte after a non-word byte or at the start of its text
    prev = np.zeros(len(data), dtype=bool)
    prev[1:] = is_word[:-1]
    nonempty = offsets[:-1] < offsets[1:]
    prev[offsets[:-1][nonempty]] = False
    starts = np.flatnonzero(is_word & ~prev)
    # every word but the first of its text gets one space, written over the (non-word) byte before it
    first = np.searchsorted(starts, offsets[:-1])
    first = first[(first < len(starts)) & nonempty]
    later = np.ones(len(starts), dtype=bool)
    later[first] = False
    gaps = starts[later] - 1
    out[gaps] = ord(" ")
    keep[gaps] = True
    return _kept(folded.type, offsets, out, keep)


def _kept(dtype: pa.DataType, offsets: np.ndarray, data: np.ndarray, keep: np.ndarray) -> pa.Array:
    """The string array of the bytes of `data` where `keep`, each text keeping its own bytes."""
    off_type = np.int64 if dtype == pa.large_string() else np.int32
    texts = len(offsets) - 1
    nonempty = offsets[:-1] < offsets[1:]
    lengths = np.zeros(texts, dtype=off_type)
    if nonempty.any():  # kept bytes per text (segments between non-empty starts skip the empty texts)
        lengths[nonempty] = np.add.reduceat(keep.view(np.uint8), offsets[:-1][nonempty], dtype=off_type)
    new_offsets = np.zeros(texts + 1, dtype=off_type)
    np.cumsum(lengths, out=new_offsets[1:])
    kept = np.compress(keep, data)
    return pa.Array.from_buffers(dtype, texts, [None, pa.py_buffer(new_offsets), pa.py_buffer(kept)])
