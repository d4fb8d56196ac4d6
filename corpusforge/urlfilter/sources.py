"""Where the URL filter's lists come from, and which version of each a plan uses.

The lists are declared inputs, like a model file: a plan that names one it cannot find fails, and the
plan hash and the run manifest record the version of each (`versions`), so a different list is a
different plan rather than a silent change in what gets dropped.

- The project's own small lists (`lists/`, Apache-2.0), always.
- The UT1 blacklists (Université Toulouse 1 Capitole, CC BY-SA 4.0; the `adult` category: 4.56 M
  domains and 19.6 k URLs) and the banned, soft and sub-word lists of datatrove (Apache-2.0), read
  from the assets of the `datatrove` package, a core dependency. No package registry ships the UT1
  lists on their own; datatrove's wheel carries a dated snapshot (`url_filterblacklistsv0_3_0`), and
  its version and the archive's SHA-256 are recorded. Opt out with `ut1_lists = false`.
- List files named in the pipeline (`domain_files`, `word_files`): one entry a line, `#` comments.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import importlib.util
import os
from importlib import resources
from pathlib import Path

UT1_ARCHIVE = "url_filterblacklistsv0_3_0.tar.gz"  # a new snapshot is a deliberate change: bump the name
DATATROVE_WORDS = ("banned_words.txt", "soft_banned_words.txt", "banned_subwords.txt")
OWN_LISTS = ("blocked_domains.txt", "banned_words.txt")


class ListMissing(FileNotFoundError):
    """A blocklist the configuration asks for is not installed or not on disk."""


def ut1_assets() -> Path:
    """datatrove's assets folder holding the UT1 archive and the word lists; ListMissing when absent."""
    found = _datatrove_assets()
    if found is None:
        raise ListMissing(
            f"the UT1 blocklists ({UT1_ARCHIVE}) come with the datatrove package, a dependency of "
            "corpusforge, and it is not installed (or ships other lists): pip install 'datatrove>=0.4,<0.11', "
            "or set ut1_lists = false to run with the project's small lists only"
        )
    return found


def datatrove_version() -> str:
    try:
        return importlib.metadata.version("datatrove")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


@functools.cache
def _datatrove_assets() -> Path | None:
    try:
        spec = importlib.util.find_spec("datatrove")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    assets = Path(next(iter(spec.submodule_search_locations))) / "assets"
    wanted = (UT1_ARCHIVE, *DATATROVE_WORDS)
    return assets if all((assets / name).is_file() for name in wanted) else None


def own_list(name: str) -> str:
    return resources.files("corpusforge.urlfilter.lists").joinpath(name).read_text("utf-8")


def check_files(paths: list[str] | tuple[str, ...]) -> None:
    """ListMissing naming the first configured list file that is not a readable file."""
    for p in paths:
        if not Path(p).is_file():
            raise ListMissing(f"{p}: no such list file")
        if not os.access(p, os.R_OK):
            raise ListMissing(f"{p}: not readable")


def sha256(path: str | Path) -> str:
    """`sha256:<hex>` of a file, computed once per (path, size, mtime)."""
    st = os.stat(path)
    return _sha256(str(path), st.st_size, st.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _sha256(path: str, _size: int, _mtime_ns: int) -> str:
    # size and mtime are only the cache key: a file that changed is hashed again
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return "sha256:" + digest.hexdigest()


def versions(*, ut1: bool, domain_files: tuple[str, ...] = (), word_files: tuple[str, ...] = ()) -> dict[str, str]:
    """Name -> version or SHA-256 of every list a filter with these settings reads."""
    out = {
        f"corpusforge/urlfilter/lists/{name}": "sha256:" + hashlib.sha256(own_list(name).encode()).hexdigest()
        for name in OWN_LISTS
    }
    if ut1:
        assets = ut1_assets()
        out["datatrove"] = datatrove_version()
        out |= {f"datatrove/assets/{name}": sha256(assets / name) for name in (UT1_ARCHIVE, *DATATROVE_WORDS)}
    out |= {f"file:{p}": sha256(p) for p in (*domain_files, *word_files)}
    return out


def clear_caches() -> None:
    """Forget what was found (a test that hides or installs a package)."""
    _datatrove_assets.cache_clear()
    _sha256.cache_clear()
