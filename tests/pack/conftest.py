"""Shared, session-scoped fixtures of the pack tests: one corpus and one tokenizer trained on it."""

from __future__ import annotations

from pathlib import Path

import pytest
from pack_fixtures import SKEWED, write_shards

from corpusforge.pack import tokenizer as tk


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Three Parquet shards, mostly Spanish (like the web), with the awkward documents."""
    return write_shards(tmp_path_factory.mktemp("corpus"), docs_per_lang=SKEWED, shards=3)


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory: pytest.TempPathFactory, corpus: list[str]) -> Path:
    out = tmp_path_factory.mktemp("tokenizer")
    tk.train(corpus, out=out, vocab_size=600, sample_chars=200_000, temperature=3.0, heldout_permille=100)
    return out
