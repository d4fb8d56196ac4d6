"""Data ablations: train the same small model on corpus variants and compare held-out loss.

`corpusforge ablate CONFIG` (see docs/ablate.md): each variant's documents (a run's final corpus,
the corpus before a node, a random sample, any Parquet shards) are cut to the same token budget,
tokenised with one shared tokenizer, packed with the same held-out reference text as validation,
and trained with the same preset and seeds; the report gives bits per byte per language and
variant, the difference to the baseline and its spread over seeds.
"""
