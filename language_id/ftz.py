"""Reads a quantized fastText model file (`.ftz`): its dictionary and decoded input rows, and
finds the rows of many words at once in numpy (character n-gram hashes included).

`linear.WordScorer` needs, for each word it has not seen, the sum of the word's input rows.
fastText's Python binding answers one word per call (~2.5 µs, mostly the call itself); on a
stream of web documents a worker meets a new word every few words at first, so that cost
decides whether the scorer beats plain `multilinePredict`. Here the rows of a whole batch of
new words come from array operations: the file's product-quantized matrix is decoded once
(310k rows x 16 dims for the shipped model, 20 MB), and the n-gram ids follow fastText's own
rule (FNV-1a over the UTF-8 bytes of each 3..maxn-character n-gram of "<word>", modulo
`bucket`, after the dictionary's words).

File layout (fastText 0.9, version 12): magic and version (int32), the arguments (12 int32, one
double), the dictionary (sizes, then per entry the word, a NUL, an int64 count and an int8
type; then the prune index), a `quant` flag, the input `QuantMatrix` (qnorm flag, rows and
columns as int64, code size and codes, the product quantizer: dim, nsubq, dsub, lastdsub and
256 centroids per subquantizer, and with qnorm the norm codes and their 1-d quantizer), then
the output matrix. `read` returns None for any file that is not exactly that.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_KSUB = 256  # centroids per subquantizer (8-bit codes)
_FNV_OFFSET = 2166136261
_FNV_PRIME = 16777619


@dataclass(frozen=True)
class QuantizedInput:
    """A model's dictionary words (id = position) and its decoded input matrix."""

    word_ids: dict[str, int]
    rows: np.ndarray  # (nwords + bucket, dim) float32, decoded
    nwords: int
    bucket: int
    minn: int
    maxn: int

    def word_rows(self, words: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row ids, the word each row belongs to) of `words` as fastText's line reader reads
        them: the word's own row when the dictionary has it, then one per character n-gram of
        "<word>" of `minn`..`maxn` characters. Words must not be "</s>" (it has no n-grams)."""
        own = np.fromiter(map(self.word_ids.get, words, [-1] * len(words)), dtype=np.int64, count=len(words))
        encoded = [f"<{w}>".encode() for w in words]
        buf = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        byte_len = np.fromiter(map(len, encoded), dtype=np.int64, count=len(words))
        # Character starts (UTF-8 lead bytes); words are contiguous, so the start after a word's
        # last character is the next word's first byte (or the buffer's end).
        starts = np.flatnonzero((buf & 0xC0) != 0x80)
        word_of_start = np.repeat(np.arange(len(words)), _chars_per_word(buf, byte_len))
        bounds = np.append(starts, len(buf))
        ngram_start, ngram_end, ngram_word = [], [], []
        for n in range(self.minn, self.maxn + 1):
            k = np.arange(len(starts) - n + 1)
            same = word_of_start[k] == word_of_start[k + n - 1]
            k = k[same]
            ngram_start.append(bounds[k])
            ngram_end.append(bounds[k + n])
            ngram_word.append(word_of_start[k])
        first = np.concatenate(ngram_start)
        h = fnv_hashes(buf, first, np.concatenate(ngram_end) - first)
        ngram_ids = self.nwords + (h % np.uint32(self.bucket)).astype(np.int64)
        known = own >= 0
        ids = np.concatenate([own[known], ngram_ids])
        owner = np.concatenate([np.flatnonzero(known), np.concatenate(ngram_word)])
        return ids, owner

    def label_rows(self, output: np.ndarray) -> np.ndarray:
        """W · row for every input row, given the output matrix W (labels, dim): float64, one
        contiguous array per label (labels, rows), for gathering one label's values at a time."""
        return (self.rows.astype(np.float64) @ output.astype(np.float64).T).T.copy()

    def word_label_sums(self, words: list[str], label_rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(W · the summed rows of each word (words, labels), how many rows each word has), the
        rows as `word_rows` finds them and `label_rows` from `label_rows()`."""
        ids, owner = self.word_rows(words)
        sums = np.stack([np.bincount(owner, label[ids], len(words)) for label in label_rows], axis=1)
        return sums, np.bincount(owner, minlength=len(words))


def word_hashes(words: list[str]) -> np.ndarray:
    """fastText's dictionary hash (FNV-1a over the UTF-8 bytes) of each word, as uint32."""
    encoded = [w.encode() for w in words]
    lengths = np.fromiter(map(len, encoded), dtype=np.int64, count=len(words))
    return fnv_hashes(np.frombuffer(b"".join(encoded), dtype=np.uint8), np.cumsum(lengths) - lengths, lengths)


def fnv_hashes(buf: np.ndarray, first: np.ndarray, length: np.ndarray) -> np.ndarray:
    """fastText's FNV-1a hash of each byte span `buf[first : first + length]` (uint32)."""
    # fastText hashes each byte as uint32(int8(byte)); uint32 products wrap like its own.
    signed = buf.view(np.int8).astype(np.int32).view(np.uint32)
    h = np.full(len(first), _FNV_OFFSET, dtype=np.uint32)
    for size in np.unique(length).tolist():  # spans of one byte length at a time: no masks
        which = np.flatnonzero(length == size)
        at = first[which]
        acc = h[which]
        for j in range(size):
            acc ^= signed[at + j]
            acc *= np.uint32(_FNV_PRIME)
        h[which] = acc
    return h


def _chars_per_word(buf: np.ndarray, byte_len: np.ndarray) -> np.ndarray:
    lead = ((buf & 0xC0) != 0x80).astype(np.int64)
    ends = np.cumsum(byte_len)
    total = np.concatenate([[0], np.cumsum(lead)])
    return total[ends] - total[ends - byte_len]


def read(path: Path) -> QuantizedInput | None:
    """The dictionary and decoded input rows of a quantized, unpruned fastText file; None when
    the file is another kind (not quantized, pruned, another version) or cannot be read."""
    data = path.read_bytes()
    try:
        return _parse(data)
    except (struct.error, ValueError, IndexError):
        return None


def _parse(data: bytes) -> QuantizedInput | None:
    _magic, version = struct.unpack_from("<ii", data, 0)
    if version != 12:
        return None
    dim, _ws, _epoch, _min_count, _neg, _word_ngrams, _loss, _model, bucket, minn, maxn, _lr = struct.unpack_from(
        "<12i", data, 8
    )
    pos = 8 + 12 * 4 + 8
    size, nwords, _nlabels = struct.unpack_from("<3i", data, pos)
    _ntokens, prune_size = struct.unpack_from("<qq", data, pos + 12)
    pos += 28
    if prune_size != -1 or minn < 2:  # pruned n-grams, or one-character n-grams: not this rule
        return None
    word_ids: dict[str, int] = {}
    for i in range(size):
        end = data.index(b"\x00", pos)
        if i < nwords:
            word_ids[data[pos:end].decode("utf-8", "surrogateescape")] = i
        pos = end + 1 + 8 + 1
    quant = data[pos]
    pos += 1
    if not quant:
        return None
    qnorm = data[pos]
    m, n = struct.unpack_from("<qq", data, pos + 1)
    (codesize,) = struct.unpack_from("<i", data, pos + 17)
    pos += 21
    codes = np.frombuffer(data, dtype=np.uint8, count=codesize, offset=pos)
    pos += codesize
    pq_dim, nsubq, dsub, lastdsub = struct.unpack_from("<4i", data, pos)
    pos += 16
    centroids = np.frombuffer(data, dtype="<f4", count=pq_dim * _KSUB, offset=pos)
    pos += pq_dim * _KSUB * 4
    if pq_dim != n or n != dim or m != nwords + bucket or codesize != m * nsubq:
        return None
    codes = codes.reshape(m, nsubq)
    rows = np.empty((m, n), dtype=np.float32)
    for k in range(nsubq):
        width = lastdsub if k == nsubq - 1 else dsub
        table = centroids[k * _KSUB * dsub : k * _KSUB * dsub + _KSUB * width].reshape(_KSUB, width)
        rows[:, k * dsub : k * dsub + width] = table[codes[:, k]]
    if qnorm:
        norm_codes = np.frombuffer(data, dtype=np.uint8, count=m, offset=pos)
        pos += m
        pos += 16  # the norm quantizer's dim, nsubq, dsub, lastdsub (all 1)
        norm_centroids = np.frombuffer(data, dtype="<f4", count=_KSUB, offset=pos)
        rows *= norm_centroids[norm_codes][:, None]
    return QuantizedInput(word_ids=word_ids, rows=rows, nwords=nwords, bucket=bucket, minn=minn, maxn=maxn)
