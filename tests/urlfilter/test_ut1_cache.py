"""The hashed UT1 lists are built once per archive and read back from the cache: same verdicts,
no re-reading of the archive, and a damaged cache file is rebuilt rather than trusted."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from corpusforge.urlfilter import matcher, ut1_cache
from corpusforge.urlfilter.matcher import UrlFilter

URLS = ["https://www.0-1avsex.com/x", "https://www.elpais.es/cultura/", "https://ara.cat/societat/", None]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CORPUSFORGE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "urlfilter"


def test_second_load_reads_the_cache_and_decides_the_same(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = UrlFilter.load(extra_domains=["spam.example.cat"])
    files = sorted(p.name for p in cache.iterdir())
    assert len(files) == 2 and all(f.endswith(".npy") for f in files)

    def no_archive(_archive: Path) -> None:
        raise AssertionError("the archive was read again although the cache holds its arrays")

    monkeypatch.setattr(ut1_cache, "_read", no_archive)
    second = UrlFilter.load(extra_domains=["spam.example.cat"])
    assert np.array_equal(first.domain_hashes, second.domain_hashes)
    assert np.all(second.domain_hashes[1:] >= second.domain_hashes[:-1])  # still sorted after the merge
    urls = [*URLS, "http://spam.example.cat/p"]
    assert first.check_many(urls) == second.check_many(urls)
    assert second.check_many(urls) == ["blocked_domain", None, None, None, "blocked_domain"]


def test_a_damaged_cache_file_is_rebuilt(cache: Path) -> None:
    UrlFilter.load()
    for path in cache.iterdir():
        path.write_bytes(b"not an array")
    again = UrlFilter.load()
    assert again.check(URLS[0]) == "blocked_domain"
    assert all(np.load(p).dtype == np.uint64 for p in cache.iterdir())


def test_an_unwritable_cache_costs_only_the_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("CORPUSFORGE_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be created
    assert UrlFilter.load().check(URLS[0]) == "blocked_domain"
    assert matcher._merged(np.array([1, 5], np.uint64), np.array([3], np.uint64)).tolist() == [1, 3, 5]
