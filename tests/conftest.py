"""Shared fixtures: one session-scoped embedded Ray (2 CPUs), stopped at teardown."""

from __future__ import annotations

import os
import tempfile

import pytest

os.environ.setdefault("RAY_AUTH_MODE", "disabled")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
# Derived files (the URL filter's hashed UT1 lists) go to a cache of the test machine, not the user's home.
os.environ.setdefault("CORPUSFORGE_CACHE_DIR", os.path.join(tempfile.gettempdir(), "corpusforge-test-cache"))


@pytest.fixture(scope="session")
def ray_session():
    ray = pytest.importorskip("ray")
    if not ray.is_initialized():
        ray.init(num_cpus=2, include_dashboard=False, configure_logging=False, log_to_driver=False)
    yield ray
    ray.shutdown()
