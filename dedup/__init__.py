"""Exact and MinHash-LSH near-duplicate detection, usable without corpusforge."""
