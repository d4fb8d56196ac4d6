"""Fixtures of the training tests: one packed corpus per session (built in ~2 s)."""

from __future__ import annotations

import pytest
from train_fixtures import make_packed_dir

pytest.importorskip("torch")


@pytest.fixture(scope="session")
def packed_corpus(tmp_path_factory):
    return make_packed_dir(tmp_path_factory.mktemp("packed"))
