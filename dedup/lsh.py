"""LSH banding: bands and rows from a Jaccard threshold, band hashes, candidate pairs.

The signature of `num_perm` values is cut into `bands` bands of `rows` values. Two documents
with Jaccard similarity s agree on one value with probability s, on a whole band with s^r, and
become candidates when at least one band agrees:

    P(candidate | s) = 1 - (1 - s^r)^b

an S-curve whose steepest point is near (1/b)^(1/r). For a target threshold t, `choose_bands`
picks (b, r) with b*r <= num_perm minimising the weighted error areas

    FP(t) = integral_0^t P(s) ds          (dissimilar pairs that become candidates)
    FN(t) = integral_t^1 (1 - P(s)) ds    (similar pairs that are missed)

Equal weights (fn_weight=0.5) centre the curve on t: with num_perm=112 and t=0.8, b=9 x r=12,
P=0.47 at s=0.8, 0.95 at 0.9, 0.02 at 0.6. False positives can be removed afterwards by
verifying candidates on their estimated Jaccard (`minhash.estimated_jaccard`); false negatives
cannot be recovered. So with verification (the default) we weight misses 0.97, which gives
b=16 x r=7: P=0.98 at s=0.8, 0.998 at 0.85, 0.37 at 0.6 and 0.003 at 0.3 (false candidates
cost one verification each and are then dropped).
`corpusforge dedup plan --threshold 0.8` prints the table.
"""

from __future__ import annotations

import functools

import numpy as np

from dedup.hashing import mix64

VERIFIED_FN_WEIGHT = 0.97  # misses are final, false candidates are verified away


def candidate_probability(s: np.ndarray | float, *, bands: int, rows: int) -> np.ndarray:
    """P(two documents with Jaccard s share at least one band)."""
    return 1.0 - (1.0 - np.asarray(s, dtype=np.float64) ** rows) ** bands


def _area(f, lo: float, hi: float, steps: int = 200) -> float:
    xs = np.linspace(lo, hi, steps + 1)
    ys = f(xs)
    return float(np.sum((ys[1:] + ys[:-1]) * 0.5 * np.diff(xs)))


def error_areas(threshold: float, *, bands: int, rows: int) -> tuple[float, float]:
    """(false-positive area below the threshold, false-negative area above it)."""
    fp = _area(lambda s: candidate_probability(s, bands=bands, rows=rows), 0.0, threshold)
    fn = _area(lambda s: 1.0 - candidate_probability(s, bands=bands, rows=rows), threshold, 1.0)
    return fp, fn


@functools.lru_cache(maxsize=64)
def choose_bands(threshold: float, num_perm: int, *, fn_weight: float = 0.5) -> tuple[int, int]:
    """(bands, rows) with bands*rows <= num_perm minimising (1-w)*FP + w*FN (~50 ms, then cached)."""
    if not 0.0 < threshold < 1.0:
        raise ValueError(f"threshold must be in (0, 1), got {threshold}")
    if num_perm < 2:
        raise ValueError(f"num_perm must be >= 2, got {num_perm}")
    best: tuple[float, int, int] | None = None
    if not 0.0 <= fn_weight <= 1.0:
        raise ValueError(f"fn_weight must be in [0, 1], got {fn_weight}")
    for b in range(1, num_perm + 1):
        for r in range(1, num_perm // b + 1):
            fp, fn = error_areas(threshold, bands=b, rows=r)
            err = (1 - fn_weight) * fp + fn_weight * fn
            if best is None or err < best[0] - 1e-12:
                best = (err, b, r)
    assert best is not None
    return best[1], best[2]


def curve(threshold: float, *, bands: int, rows: int, points: list[float] | None = None) -> list[tuple[float, float]]:
    """(similarity, P(candidate)) at a few similarities, for the plan table."""
    pts = points or [0.3, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0]
    return [(s, float(candidate_probability(s, bands=bands, rows=rows))) for s in pts]


def band_hashes(sig: np.ndarray, *, bands: int, rows: int) -> np.ndarray:
    """(docs, bands) uint64: the hash of each band's `rows` signature values (band index salted)."""
    n = sig.shape[0]
    if bands * rows > sig.shape[1]:
        raise ValueError(f"{bands} bands x {rows} rows need {bands * rows} values, signature has {sig.shape[1]}")
    cube = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    acc = np.broadcast_to(np.arange(bands, dtype=np.uint64), (n, bands)).copy()
    for j in range(rows):
        acc = mix64(acc ^ cube[:, :, j])
    return acc


def star_edges(keys: list[np.ndarray], docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges (first doc of each run of equal key tuples, every other doc of that run).

    `keys` are 1-D columns compared together (e.g. band, hash); a run of k equal tuples yields
    k-1 edges, so identical documents by the million give a linear number of edges. One lexsort.
    """
    if len(docs) < 2:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    order = np.lexsort((docs, *reversed(keys)))
    d = docs[order]
    new_run = np.zeros(len(d), dtype=bool)
    new_run[0] = True
    for col in keys:
        c = col[order]
        new_run[1:] |= c[1:] != c[:-1]
    run_id = np.cumsum(new_run) - 1
    src = d[new_run][run_id]
    member = ~new_run
    return src[member].astype(np.int64), d[member].astype(np.int64)
