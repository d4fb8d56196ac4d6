"""Fixtures of the crawl tests: the local multi-host site (see crawl_site.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from crawl_site import Site, build


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    build(s)
    yield s
    s.stop()
