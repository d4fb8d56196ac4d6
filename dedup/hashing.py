"""Vectorised 64-bit hashing of many short strings and of integer tuples (numpy, wrapping uint64).

`hash_strings` hashes every string of an Arrow array in a few numpy passes over its byte
buffer (a polynomial hash per string, then the splitmix64 finaliser for avalanche): about
15 ns per byte on one core, with no Python loop per string. Not cryptographic; collisions
between distinct words are ~n²/2^65.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_POW_LEN = 64  # bytes beyond this reuse powers cyclically; long "words" are rare and still hash well
_BASE = np.uint64(0x100000001B3)
_POWERS = np.cumprod(np.full(_POW_LEN, _BASE, dtype=np.uint64), dtype=np.uint64)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on uint64 with full avalanche (returns a new array)."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def hash_strings(strings: pa.Array, *, seed: int = 0) -> np.ndarray:
    """uint64 hash of each string in `strings` (a non-null pa.string array)."""
    n = len(strings)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    off_dtype: type[np.integer] = np.int64
    if strings.type != pa.large_string():
        strings = strings.cast(pa.string())
        off_dtype = np.int32
    buffers = strings.buffers()
    offsets = np.frombuffer(buffers[1], dtype=off_dtype, count=strings.offset + n + 1)[strings.offset :]
    start, end = int(offsets[0]), int(offsets[-1])
    data = np.frombuffer(buffers[2], dtype=np.uint8, count=end, offset=0)[start:end].astype(np.uint64)
    lengths = np.diff(offsets).astype(np.int64)
    out = np.full(n, np.uint64(seed), dtype=np.uint64) ^ lengths.astype(np.uint64)
    nonempty = lengths > 0
    if data.size:
        # position of each byte counted from the end of its string selects its power of the base
        ends = np.repeat((offsets[1:] - start).astype(np.int64), lengths)
        from_end = (ends - np.arange(data.size, dtype=np.int64) - 1) % _POW_LEN
        starts = (offsets[:-1] - start).astype(np.int64)[nonempty]
        with np.errstate(over="ignore"):
            terms = (data + np.uint64(1)) * _POWERS[from_end]
            out[nonempty] += np.add.reduceat(terms, starts)
    return mix64(out)


_SPAN_ROUNDS = 8  # spans up to 64 bytes are hashed in numpy; longer ones (rare) with xxh3 one by one
_LEN_MULT = np.uint64(0xD6E8FEB86659FD93)


def hash_spans(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray, *, seed: int = 0) -> np.ndarray:
    """uint64 hash of the byte spans `data[starts[i] : starts[i] + lengths[i]]`, vectorised.

    Each span is read in little-endian 8-byte words (the bytes past its end masked off) that are
    chained through the splitmix64 finaliser from a seed-and-length start: h = mix(h ^ word).
    One pass per 8 bytes of the longest span, over the spans that long only; spans longer than
    64 bytes are hashed with xxh3-64 one by one. `data` must be uint8 with 8 readable bytes past
    the last span (pad it).
    """
    import xxhash

    n = len(starts)
    out = np.zeros(n, dtype=np.uint64)
    if n == 0:
        return out
    starts = np.asarray(starts, dtype=np.int64)
    lengths = np.asarray(lengths, dtype=np.int64)
    if int(starts.max() + 8) > len(data):
        raise ValueError("hash_spans needs 8 bytes of padding after the last span")
    words8 = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    with np.errstate(over="ignore"):
        h = mix64(np.uint64(seed) ^ (lengths.astype(np.uint64) * _LEN_MULT))
    short = lengths <= 8 * _SPAN_ROUNDS
    idx = np.flatnonzero(short)
    for k in range(_SPAN_ROUNDS):
        if k:
            idx = idx[lengths[idx] > 8 * k]
        if not len(idx):
            break
        rest = np.minimum(lengths[idx] - 8 * k, 8).astype(np.uint64)
        mask = np.where(rest == 8, np.uint64(0xFFFFFFFFFFFFFFFF), (np.uint64(1) << (rest * np.uint64(8))) - np.uint64(1))
        h[idx] = mix64(h[idx] ^ (words8[starts[idx] + 8 * k] & mask))
    for i in np.flatnonzero(~short).tolist():
        s0 = int(starts[i])
        h[i] = mix64(np.uint64(xxhash.xxh3_64_intdigest(data[s0 : s0 + int(lengths[i])].tobytes(), seed)))
    return h


def combine(columns: list[np.ndarray], *, seed: int = 0) -> np.ndarray:
    """Order-sensitive uint64 hash of rows of equal-length uint64 columns."""
    acc = np.full(len(columns[0]) if columns else 0, np.uint64(seed), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            acc = mix64(acc ^ col.astype(np.uint64, copy=False))
    return acc
