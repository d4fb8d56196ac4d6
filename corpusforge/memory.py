"""Keep freed memory in the process instead of handing it back to the kernel at once.

A worker allocates and frees the same few hundred MB batch after batch (HTML, texts, Arrow
columns). Arrow's default pool (mimalloc) and glibc's malloc both return freed memory to the
kernel soon after, so the next batch faults it in again. On a virtual machine each of those
faults goes through the hypervisor: on the project's benchmark VM (Firecracker), a 6,000-page
in-process run spent 2.15 s in the kernel and 15.2 CPU s in all when memory went back, 0.55 s
and 13.8 s when it stayed; on 2 cores the run took 8.9 s instead of 9.9 s, at the same peak
RSS (`python benchmarks/memory_pool.py`, benchmarks/results/memory_pool.md).

`keep_freed_memory()` makes Arrow allocate through the system allocator and tells glibc to keep
what is freed (no trimming of the heap top, no per-allocation mmap below 256 MB). The process
then holds its high-water mark, which a batch worker reaches on its first batches anyway.
Set `CORPUSFORGE_KEEP_MEMORY=0` to leave the allocators as they are.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

ENV = "CORPUSFORGE_KEEP_MEMORY"
_M_TRIM_THRESHOLD = -1  # mallopt parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
_MMAP_THRESHOLD = 256 << 20
_TRIM_THRESHOLD = 1 << 30  # mallopt takes a C int
_done = False


def keep_freed_memory() -> bool:
    """Once per process (later calls do nothing); True when the allocators were changed. Call
    it before pyarrow is imported where possible (the CLI does): Arrow's C++ code picks its
    default pool from the environment on import; processes started later inherit the setting."""
    global _done
    if _done:
        return False
    _done = True
    if os.environ.get(ENV, "1") == "0":
        return False
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    os.environ.setdefault("MALLOC_MMAP_THRESHOLD_", str(_MMAP_THRESHOLD))
    os.environ.setdefault("MALLOC_TRIM_THRESHOLD_", str(_TRIM_THRESHOLD))
    if "pyarrow" in sys.modules:  # imported already: at least pyarrow's own allocations
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
    if sys.platform.startswith("linux"):
        try:
            mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
        except (OSError, AttributeError):  # musl and others: no mallopt; the environment still holds
            return True
        mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)
        mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)
    return True
