"""The UT1 lists as sorted hash arrays, built once per installed archive and memory-mapped after.

Reading the 18 MB archive and hashing its 4.6 M domains costs ~3 CPU seconds, paid by every worker
process that runs `url.filter.v1` (each pool worker, each Ray actor): on a small job that was a
fifth of the whole run. The arrays depend only on the archive, so they are written once, next to
nothing else, under the user's cache directory (`CORPUSFORGE_CACHE_DIR`, else
`$XDG_CACHE_HOME/corpusforge`, else `~/.cache/corpusforge`), keyed by the archive's name, size and
modification time; later loads map the files (~36 MB, milliseconds). A cache that cannot be
written (read-only home) only costs the rebuild.
"""

from __future__ import annotations

import os
import tarfile
from pathlib import Path

import numpy as np
import xxhash

from corpusforge import io
from corpusforge.urlfilter import sources

FORMAT = 1  # bump when the hashing or the array layout changes


def cache_dir() -> Path:
    if os.environ.get("CORPUSFORGE_CACHE_DIR"):
        return Path(os.environ["CORPUSFORGE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "corpusforge"


def hash_sorted(items: list[bytes]) -> np.ndarray:
    """The sorted 64-bit hashes of list entries: how every blocklist is held and searched."""
    hashes = np.fromiter(map(xxhash.xxh64_intdigest, items), dtype=np.uint64, count=len(items))
    hashes.sort()
    return hashes


def ut1_hashes() -> tuple[np.ndarray, np.ndarray]:
    """(domain hashes, URL hashes) of the installed UT1 archive, each sorted."""
    archive = sources.ut1_assets() / sources.UT1_ARCHIVE
    st = archive.stat()
    stem = f"{archive.name.removesuffix('.tar.gz')}-{st.st_size}-{st.st_mtime_ns}-v{FORMAT}"
    paths = [cache_dir() / "urlfilter" / f"{stem}-{name}.npy" for name in ("domains", "urls")]
    if all(p.exists() for p in paths):
        try:
            loaded = [np.load(p, mmap_mode="r") for p in paths]
            return loaded[0], loaded[1]
        except (OSError, ValueError):
            pass  # a damaged cache file: rebuild it
    domains, urls = _read(archive)
    arrays = hash_sorted(domains), hash_sorted(urls)
    try:
        for path, array in zip(paths, arrays, strict=True):
            path.parent.mkdir(parents=True, exist_ok=True)
            with io.atomic_path(str(path)) as tmp, open(tmp, "wb") as fh:
                np.save(fh, array)
    except OSError:
        pass  # not writable: the next process rebuilds
    return arrays


def _read(archive: Path) -> tuple[list[bytes], list[bytes]]:
    out: dict[str, list[bytes]] = {}
    with tarfile.open(archive, "r:gz") as tar:
        for name in ("domains", "urls"):
            member = tar.extractfile(name)
            if member is None:
                raise sources.ListMissing(f"{sources.UT1_ARCHIVE} has no {name!r} list")
            out[name] = [s for s in (line.strip() for line in member.read().split(b"\n")) if s]
    return out["domains"], out["urls"]
