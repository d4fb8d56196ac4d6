"""Exact and MinHash-LSH near-duplicate detection, usable without corpusforge.

    from dedup import DedupSpec, MinhashParams, run_dedup, decisions
    spec = DedupSpec(mode="minhash", threshold=0.8, minhash=MinhashParams(num_perm=112))
    run_dedup(spec, inputs=["part-00000.parquet"], workdir="/tmp/dd")
    decisions("/tmp/dd", 0)   # clustered rows of shard 0: row, id, cluster, reason

Building blocks: `normalize`, `exact.exact_hashes`, `minhash.shingle`/`signatures`,
`lsh.choose_bands`/`band_hashes`, `clusters.components`, `keep.keepers`, `index`.
"""

from dedup.driver import run_dedup
from dedup.keep import POLICIES, keepers
from dedup.lsh import choose_bands
from dedup.minhash import MinhashParams
from dedup.partitioned import DedupSpec
from dedup.resolve import decisions

__all__ = ["POLICIES", "DedupSpec", "MinhashParams", "choose_bands", "decisions", "keepers", "run_dedup"]
