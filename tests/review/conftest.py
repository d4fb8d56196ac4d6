"""Fixtures of the review tests: a small run on disk and a sample drawn from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from review_fixtures import make_run

from corpusforge.review.sample import SampleConfig, draw


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    return make_run(tmp_path / "run")


@pytest.fixture
def review_dir(run_dir: Path, tmp_path: Path) -> Path:
    out = tmp_path / "review"
    draw(str(run_dir), out, SampleConfig(seed=3, bands=3, per_band=1))
    return out
