"""Interpolated Kneser-Ney estimation of an n-gram model, in numpy, written in back-off (ARPA) form.

Input: one stream of symbol ids (`BOUNDARY` = 1 separates sentences, `UNK` = 0) and the
document each position belongs to; an n-gram never spans two documents. For order k of N:

    p_k(w | h) = max(c_k(h w) - D_k, 0) / c_k(h .) + gamma(h) * p_{k-1}(w | h')
    gamma(h)   = 1 - sum over kept w of (c_k(h w) - D_k) / c_k(h .)
    p_1(w)     = (c_1(w) - D_1) / c_1(.) + gamma_0 / V

where c_N is the raw count, c_k (k < N) the continuation count (how many distinct symbols
precede the k-gram; raw count for a k-gram that starts at a sentence boundary, which has
nothing before it), D_k = n1 / (n1 + 2 n2) (Ney et al. 1994) and h' drops the oldest symbol.
N-grams below `min_counts[k]` are pruned after their counts went into c_k(h .), so their mass
goes to the back-off weight; a pruned n-gram that is the prefix or suffix of a kept longer one
is kept, so every look-up the scorer makes can find its context.

Written as in ARPA, each kept n-gram carries log10 p_k(w | h) and, when it is a context,
log10 gamma(itself): p(w | h) = p(longest kept h_j w) * prod of gamma over the longer contexts.
Everything is sorted numpy arrays, so the result is the same bytes for the same input.
Cost: a few sorts of the stream per order (~2 s for 8 M symbols and order 5 on one core).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

UNK = 0
BOUNDARY = 1


@dataclass(frozen=True)
class OrderTable:
    """The kept n-grams of one order: packed keys (sorted), log10 probability, log10 back-off."""

    keys: np.ndarray  # uint64, sorted; symbol i of the n-gram in bits [bits*(n-1-i), bits*(n-i))
    logp: np.ndarray  # float64
    bow: np.ndarray  # float64; 0.0 (gamma 1) for an n-gram that is never a context


def pack(ids: np.ndarray, doc: np.ndarray, n: int, bits: int) -> tuple[np.ndarray, np.ndarray]:
    """Keys of the n-grams ending at each position, and whether each lies inside one document."""
    ids = ids.astype(np.uint64)
    keys = ids.copy()
    for back in range(1, n):
        shifted = np.zeros_like(ids)
        shifted[back:] = ids[:-back]
        keys |= shifted << np.uint64(bits * back)
    valid = np.zeros(len(ids), dtype=bool)
    valid[n - 1 :] = doc[n - 1 :] == doc[: len(doc) - n + 1] if n > 1 else True
    return keys, valid


def _discount(counts: np.ndarray) -> float:
    n1, n2 = int(np.sum(counts == 1)), int(np.sum(counts == 2))
    if n1 == 0 or n2 == 0:
        return 0.5
    return min(max(n1 / (n1 + 2 * n2), 0.05), 0.95)


def _adjusted_counts(ids: np.ndarray, doc: np.ndarray, order: int, bits: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """Per order k (index k-1): unique k-gram keys and their KN counts (raw at the top order)."""
    raw = []
    for n in range(1, order + 1):
        keys, valid = pack(ids, doc, n, bits)
        raw.append(np.unique(keys[valid], return_counts=True))
    out: list[tuple[np.ndarray, np.ndarray]] = [raw[-1]]
    for n in range(order - 1, 0, -1):
        longer = raw[n][0]  # every distinct (n+1)-gram
        suffix = longer & np.uint64((1 << (bits * n)) - 1)
        cont_keys, cont = np.unique(suffix, return_counts=True)
        keys, counts = raw[n - 1]
        first = keys >> np.uint64(bits * (n - 1))
        at_start = first == BOUNDARY  # nothing can precede a sentence start: keep its raw count
        merged_counts = np.zeros(len(keys), dtype=np.int64)
        pos = np.searchsorted(keys, cont_keys)
        merged_counts[pos] = cont
        merged_counts[at_start] = counts[at_start]
        keep = merged_counts > 0
        out.append((keys[keep], merged_counts[keep]))
    return out[::-1]


def _prune(tables: list[tuple[np.ndarray, np.ndarray]], min_counts: tuple[int, ...], bits: int) -> list[np.ndarray]:
    """Per order, a mask of the n-grams kept (count threshold, then closure over prefixes/suffixes)."""
    masks = [counts >= (min_counts[k] if k < len(min_counts) else 1) for k, (_, counts) in enumerate(tables)]
    masks[0][:] = True  # every symbol keeps its unigram
    for k in range(len(tables) - 1, 0, -1):
        kept = tables[k][0][masks[k]]
        needed = np.concatenate([kept >> np.uint64(bits), kept & np.uint64((1 << (bits * k)) - 1)])
        lower_keys = tables[k - 1][0]
        pos = np.searchsorted(lower_keys, needed)
        masks[k - 1][pos] = True
    return masks


def estimate(
    ids: np.ndarray, doc: np.ndarray, *, order: int, bits: int, vocab_size: int, min_counts: tuple[int, ...] = ()
) -> list[OrderTable]:
    """The back-off tables (orders 1..N) of an interpolated Kneser-Ney model of the stream."""
    if order * bits > 64:
        raise ValueError(f"order {order} x {bits} bits does not fit a 64-bit key")
    tables = _adjusted_counts(ids, doc, order, bits)
    masks = _prune(tables, min_counts, bits)
    out: list[OrderTable] = []
    lower_p = None
    gammas = []
    for k, ((keys, counts), mask) in enumerate(zip(tables, masks)):
        n = k + 1
        d = _discount(counts)
        if n == 1:
            total = counts.sum()
            p = np.zeros(len(keys))
            p[mask] = (counts[mask] - d) / total
            gamma0 = 1.0 - p[mask].sum()
            uniform = np.full(len(keys), gamma0 / vocab_size)
            p = p + uniform
            unk = keys == UNK
            if not unk.any():  # <unk> was never seen: it still gets the uniform share
                keys, p, mask = np.insert(keys, 0, UNK), np.insert(p, 0, gamma0 / vocab_size), np.insert(mask, 0, True)
            keys, p = keys[mask], p[mask]
            out.append(OrderTable(keys, np.log10(p), np.zeros(len(keys))))
            lower_p = dict(keys=keys, p=p)
            continue
        ctx = keys >> np.uint64(bits)
        uctx, inv = np.unique(ctx, return_inverse=True)
        ctx_total = np.bincount(inv, weights=counts)
        kept_mass = np.bincount(inv[mask], weights=(counts[mask] - d), minlength=len(uctx))
        gamma = 1.0 - kept_mass / ctx_total
        gammas.append((uctx, gamma))
        keys, counts, inv = keys[mask], counts[mask], inv[mask]
        suffix = keys & np.uint64((1 << (bits * (n - 1))) - 1)
        assert lower_p is not None
        p_low = lower_p["p"][np.searchsorted(lower_p["keys"], suffix)]
        p = (counts - d) / ctx_total[inv] + gamma[inv] * p_low
        out.append(OrderTable(keys, np.log10(p), np.zeros(len(keys))))
        lower_p = dict(keys=keys, p=p)
    # back-off weights live on the context's own entry, one order down
    for k, (uctx, gamma) in enumerate(gammas):
        table = out[k]
        pos = np.asarray(np.searchsorted(table.keys, uctx))
        found = (pos < len(table.keys)) & (table.keys[np.minimum(pos, len(table.keys) - 1)] == uctx)
        bow = table.bow.copy()
        bow[pos[found]] = np.log10(np.maximum(gamma[found], 1e-30))
        out[k] = OrderTable(table.keys, table.logp, bow)
    return out
