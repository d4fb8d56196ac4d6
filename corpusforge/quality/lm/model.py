"""A compact back-off n-gram model: sorted packed keys, quantised log-probabilities and back-offs.

Scoring a batch is a handful of numpy calls, whatever the number of documents: the batch
becomes one stream of symbol ids (`text.py`), the key of the n-gram ending at every position
is packed for each order, each order's keys are found in the model by one `searchsorted`,
and the back-off recursion is done for all positions at once:

    log p(w | h) = logp(longest kept h_j w) + sum of bow(h_i) for the longer contexts h_i kept

Work per symbol: `order` binary searches (log2 of the table size each) plus O(order)
vector operations; `work_per_symbol` states it. Perplexity per document is
10 ** (-mean log10 p) over its predicted symbols (every symbol after the leading boundary).

File (`.bin`): b"CFLM1\\n", then zlib of [8-byte header length, JSON header, arrays]; the
header names every array with its dtype and length, so nothing is pickled. Keys are stored
as deltas (they are sorted), which is what makes them compress.
"""

from __future__ import annotations

import json
import math
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from corpusforge.quality.lm.kneser_ney import OrderTable
from corpusforge.quality.lm.lookup import KeyBitmap, sorted_find
from corpusforge.quality.lm.text import CharSymbols, WordSymbols

MAGIC = b"CFLM1\n"
# Log-probabilities get 4,096 levels (12 bits, stored in 16): with 256 (KenLM's -q 8) the few
# very likely n-grams, which most tokens use, share wide bins and document perplexity came out
# ~20% high (es, FLORES dev); with 4,096 it is within 4% of the unquantised model (65,536: 1%,
# but 45% larger files). Back-off weights keep 256 levels (no measurable effect).
LOGP_CODES, BOW_CODES = 4096, 256


def quantise(values: np.ndarray, *, keep_zero: bool, codes: int) -> tuple[np.ndarray, np.ndarray]:
    """(codebook of <= `codes` float32 centres, code per value): equal-count bins, bin means.

    With `keep_zero`, code 0 is exactly 0.0 (an n-gram that is never a context, gamma = 1)
    and the other values share the remaining codes.
    """
    if keep_zero:
        nonzero = values != 0.0
        book, sub = quantise(values[nonzero], keep_zero=False, codes=codes - 1)
        out = np.zeros(len(values), dtype=_code_type(codes))
        out[nonzero] = sub + 1
        return np.concatenate([[0.0], book]).astype(np.float32), out
    if len(values) == 0:
        return np.zeros(0, dtype=np.float32), np.zeros(0, dtype=_code_type(codes))
    order = np.argsort(values, kind="stable")
    bins = np.empty(len(values), dtype=np.int64)
    bins[order] = np.minimum(np.arange(len(values)) * codes // len(values), codes - 1)
    sums = np.bincount(bins, weights=values, minlength=codes)
    counts = np.bincount(bins, minlength=codes)
    used = counts > 0
    book = (sums[used] / counts[used]).astype(np.float32)
    remap = np.cumsum(used) - 1
    return book, remap[bins].astype(_code_type(codes))


def perplexity_of(total: np.ndarray, count: np.ndarray) -> np.ndarray:
    """10 ** (-mean log10 p) from `score`'s sums and counts."""
    return np.power(10.0, -total / np.maximum(count, 1))


def _code_type(codes: int) -> type[np.unsignedinteger]:
    return np.uint8 if codes <= 256 else np.uint16


@dataclass
class NgramModel:
    """One language's model: symbols, order, per-order keys and quantised values."""

    symbols: CharSymbols | WordSymbols
    order: int
    bits: int
    keys: list[np.ndarray]  # per order, sorted uint64
    logp_codes: list[np.ndarray]  # per order, uint16
    logp_books: list[np.ndarray]  # per order, float32[<=256]
    bow_codes: list[np.ndarray]
    bow_books: list[np.ndarray]
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_tables(
        cls, symbols: CharSymbols | WordSymbols, tables: list[OrderTable], *, bits: int, meta: dict[str, Any]
    ) -> NgramModel:
        lp = [quantise(t.logp, keep_zero=False, codes=LOGP_CODES) for t in tables]
        bw = [quantise(t.bow, keep_zero=True, codes=BOW_CODES) for t in tables]
        return cls(
            symbols, len(tables), bits, [t.keys for t in tables],
            [c for _, c in lp], [b for b, _ in lp], [c for _, c in bw], [b for b, _ in bw], meta,
        )  # fmt: skip

    def __post_init__(self) -> None:
        # Unigram keys are the symbol ids themselves: a dense table makes that order a plain index.
        size = self.symbols.vocab_size
        keys1 = self.keys[0].astype(np.int64)
        unk = int(np.searchsorted(keys1, 0))
        self._logp1 = np.full(size, self.logp_books[0][self.logp_codes[0][unk]], dtype=np.float64)
        self._bow1 = np.zeros(size, dtype=np.float64)
        inside = keys1 < size
        self._logp1[keys1[inside]] = self.logp_books[0][self.logp_codes[0][inside]]
        self._bow1[keys1[inside]] = self.bow_books[0][self.bow_codes[0][inside]]
        self._bitmaps: dict[int, KeyBitmap] = {}  # per order whose keys are small enough (lookup.py)

    # -- scoring ---------------------------------------------------------------------------

    def work_per_symbol(self) -> int:
        """Upper bound on key comparisons per scored symbol: one binary search per order above 1."""
        return sum(max(1, math.ceil(math.log2(len(k) + 1))) for k in self.keys[1:])

    def symbol_logprobs(self, ids: np.ndarray, doc: np.ndarray, *, work: dict[str, int] | None = None) -> np.ndarray:
        """log10 p of every position given its history inside its document (NaN at a document's start).

        Order k+1 is searched only where order k was found (a kept n-gram's suffix is kept, so
        nowhere else can it be). `work`, when given, receives the number of positions and of
        binary searches made.
        """
        n_pos = len(ids)
        start = np.ones(n_pos, dtype=bool)
        start[1:] = doc[1:] != doc[:-1]
        clipped = np.minimum(ids, len(self._logp1) - 1)
        # Per order (index k for (k+1)-grams): the positions whose (k+1)-gram is kept, its log10 p and back-off.
        rows, logps, bows = [np.arange(n_pos)], [self._logp1[clipped]], [self._bow1[clipped]]
        level = np.zeros(n_pos, dtype=np.int8)  # the longest kept n-gram ending at each position (index)
        ids64 = ids.astype(np.uint64)
        key = ids64.copy()  # the key of the n-gram ending at each position (whole slices: no gathers)
        searches = 0
        for k in range(1, self.order):
            key[k:] |= ids64[: n_pos - k] << np.uint64(self.bits * k)
            # where the k-gram was kept and the (k+1)-gram lies in one document
            where = np.flatnonzero((level[k:] == k - 1) & (doc[k:] == doc[: n_pos - k])) + k
            pos = self._find(k, key[where])
            searches += len(where)
            hit = pos >= 0
            rows.append(where[hit])
            level[rows[k]] = k
            logps.append(self.logp_books[k][self.logp_codes[k][pos[hit]]])
            bows.append(self.bow_books[k][self.bow_codes[k][pos[hit]]])
        out = self._back_off(n_pos, rows, logps, bows, level)
        out[start] = np.nan
        if work is not None:
            work["positions"] = work.get("positions", 0) + n_pos
            work["searches"] = work.get("searches", 0) + searches
        return out

    def _find(self, k: int, keys: np.ndarray) -> np.ndarray:
        """Index of each key in order k's table, -1 where it is not kept (lookup.py)."""
        key_bits = self.bits * (k + 1)
        if not KeyBitmap.usable(key_bits):
            return sorted_find(self.keys[k], keys)
        bitmap = self._bitmaps.get(k)
        if bitmap is None:  # built on first use: a worker may never see some languages
            bitmap = self._bitmaps[k] = KeyBitmap(self.keys[k], key_bits)
        return bitmap.find(keys)

    def _back_off(
        self, n_pos: int, rows: list[np.ndarray], logps: list[np.ndarray], bows: list[np.ndarray], level: np.ndarray
    ) -> np.ndarray:
        """log10 p(w | h) = logp(longest kept h_j w) + the back-offs of the longer contexts h_i, added
        longest first (the order fixes the float result), each 0 where its context is not kept."""
        top = self.order - 1
        bow_at = [bows[0]]  # per order below the top: back-off of the n-gram ending at each position
        for k in range(1, top):
            dense = np.zeros(n_pos)
            dense[rows[k]] = bows[k]
            bow_at.append(dense)
        out = np.empty(n_pos)
        for k in range(top, -1, -1):
            resolved = level[rows[k]] == k
            at = rows[k][resolved]
            backoff = np.zeros(len(at))
            for j in range(top - 1, k - 1, -1):  # the context is the n-gram ending one position earlier
                backoff += bow_at[j][at - 1]
            out[at] = logps[k][resolved] + backoff
        return out

    def score(
        self, docs: list[str], lang_tag: str | None = None, *, max_symbols: int | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """(sum of log10 p, number of predicted symbols) per normalised document."""
        ids, doc = self.symbols.streams(docs, lang_tag, max_symbols=max_symbols)
        return self.score_streams(ids, doc, len(docs))

    def score_streams(self, ids: np.ndarray, doc: np.ndarray, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
        """`score` of documents already made symbol streams (`symbols.streams` or `batch_streams`)."""
        lp = self.symbol_logprobs(ids, doc)
        predicted = ~np.isnan(lp)
        total = np.bincount(doc[predicted], weights=lp[predicted], minlength=n_docs)
        count = np.bincount(doc[predicted], minlength=n_docs)
        return total, count

    def perplexity(self, docs: list[str], lang_tag: str | None = None, *, max_symbols: int | None = None) -> np.ndarray:
        """10 ** (-mean log10 p) per normalised document."""
        return perplexity_of(*self.score(docs, lang_tag, max_symbols=max_symbols))

    # -- file ----------------------------------------------------------------------------

    def save(self, path: str | Path) -> int:
        """Write the model; returns the file size in bytes. Same model, same bytes."""
        arrays: list[tuple[str, np.ndarray]] = []
        for k in range(self.order):
            deltas = np.diff(self.keys[k], prepend=np.uint64(0)).astype("<u8")
            arrays += [
                (f"keys{k + 1}", deltas),
                (f"logp{k + 1}", self.logp_codes[k].astype(self.logp_codes[k].dtype.newbyteorder("<"))),
                (f"logp_book{k + 1}", self.logp_books[k].astype("<f4")),
                (f"bow{k + 1}", self.bow_codes[k]),
                (f"bow_book{k + 1}", self.bow_books[k].astype("<f4")),
            ]
        vocab = self.symbols.alphabet if isinstance(self.symbols, CharSymbols) else self.symbols.words
        header = {
            "kind": self.symbols.kind,
            "order": self.order,
            "bits": self.bits,
            "vocab": vocab,
            "arrays": [[name, a.dtype.str, len(a)] for name, a in arrays],
            "meta": self.meta,
        }
        head = json.dumps(header, ensure_ascii=False, sort_keys=True).encode("utf-8")
        body = struct.pack("<Q", len(head)) + head + b"".join(a.tobytes() for _, a in arrays)
        data = MAGIC + zlib.compress(body, 9)
        Path(path).write_bytes(data)
        return len(data)

    @classmethod
    def load(cls, path: str | Path) -> NgramModel:
        data = Path(path).read_bytes()
        if not data.startswith(MAGIC):
            raise ValueError(f"{path}: not a corpusforge n-gram model (bad magic)")
        body = zlib.decompress(data[len(MAGIC) :])
        (head_len,) = struct.unpack("<Q", body[:8])
        header = json.loads(body[8 : 8 + head_len])
        offset, arrays = 8 + head_len, {}
        for name, dtype, length in header["arrays"]:
            dt = np.dtype(dtype)
            arrays[name] = np.frombuffer(body, dtype=dt, count=length, offset=offset)
            offset += dt.itemsize * length
        order = header["order"]
        symbols = CharSymbols(header["vocab"]) if header["kind"] == "char" else WordSymbols(header["vocab"])
        ks = range(1, order + 1)
        return cls(
            symbols, order, header["bits"],
            [np.cumsum(arrays[f"keys{k}"], dtype=np.uint64) for k in ks],
            [arrays[f"logp{k}"] for k in ks], [arrays[f"logp_book{k}"] for k in ks],
            [arrays[f"bow{k}"] for k in ks], [arrays[f"bow_book{k}"] for k in ks],
            header["meta"],
        )  # fmt: skip
