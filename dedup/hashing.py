"""Vectorised 64-bit hashing of many short byte spans and of integer tuples (numpy, wrapping uint64).

`hash_spans` hashes many spans of one byte buffer (the words of a batch of documents) in one
numpy pass per 8 bytes of span: each 8-byte little-endian word is folded in through the
splitmix64 finaliser, so every input bit avalanches; ~2 ns per byte on one core and no Python
loop per span. `hash_strings` does the same for an Arrow string array. Not cryptographic;
collisions between distinct words are ~n²/2^65.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def mix64(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser: a bijection on uint64 with full avalanche (returns a new array)."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> np.uint64(30))) * _M1
        z = (z ^ (z >> np.uint64(27))) * _M2
        return z ^ (z >> np.uint64(31))


def hash_strings(strings: pa.Array, *, seed: int = 0) -> np.ndarray:
    """uint64 hash of each string in `strings` (non-null string or binary array): `hash_spans`."""
    n = len(strings)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    large = strings.type in (pa.large_string(), pa.large_binary())
    bufs = strings.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64 if large else np.int32, count=strings.offset + n + 1)
    offsets = offsets[strings.offset :].astype(np.int64)
    start, end = int(offsets[0]), int(offsets[-1])
    padded = np.zeros(end - start + 8, dtype=np.uint8)
    if end > start:
        padded[: end - start] = np.frombuffer(bufs[2], dtype=np.uint8, count=end)[start:]
    return hash_spans(padded, offsets[:-1] - start, np.diff(offsets), seed=seed)


_SPAN_ROUNDS = 8  # spans up to 64 bytes are hashed in numpy; longer ones (rare) with xxh3 one by one
_LEN_MULT = np.uint64(0xD6E8FEB86659FD93)
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], dtype=np.uint64)  # low k bytes


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
    if int((starts + lengths).max()) > len(data) - 7:
        raise ValueError("hash_spans needs 8 bytes of padding after the last span")
    words8 = np.ndarray(shape=(len(data) - 7,), dtype="<u8", buffer=data, strides=(1,))
    with np.errstate(over="ignore"):
        h = np.uint64(seed) ^ (lengths.astype(np.uint64) * _LEN_MULT)
    short = lengths <= 8 * _SPAN_ROUNDS
    # first 8 bytes of every span, without indexing (most words are that short)
    h ^= words8[starts] & _MASKS[np.minimum(lengths, 8)]
    h = mix64(h)
    idx = np.flatnonzero(short & (lengths > 8))
    for k in range(1, _SPAN_ROUNDS):
        if k > 1:
            idx = idx[lengths[idx] > 8 * k]
        if not len(idx):
            break
        chunk = words8[starts[idx] + 8 * k] & _MASKS[np.minimum(lengths[idx] - 8 * k, 8)]
        h[idx] = mix64(h[idx] ^ chunk)
    long = np.flatnonzero(~short)
    if len(long):  # one xxh3 call per long span (no batch API), then one vectorised mix for all of them
        view = data.data  # a memoryview: slices are not copied
        ends = starts[long] + lengths[long]
        digests = [xxhash.xxh3_64_intdigest(view[s:e], seed) for s, e in zip(starts[long].tolist(), ends.tolist())]
        h[long] = mix64(np.array(digests, dtype=np.uint64))
    return h


def combine(columns: list[np.ndarray], *, seed: int = 0) -> np.ndarray:
    """Order-sensitive uint64 hash of rows of equal-length uint64 columns."""
    acc = np.full(len(columns[0]) if columns else 0, np.uint64(seed), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for col in columns:
            acc = mix64(acc ^ col.astype(np.uint64, copy=False))
    return acc
