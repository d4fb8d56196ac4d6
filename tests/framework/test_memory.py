"""`keep_freed_memory`: workers keep what they free (Arrow's system pool, glibc not trimming)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from corpusforge.memory import ENV

_PROBE = (
    "import os, sys\n"
    "from corpusforge.memory import keep_freed_memory\n"
    "changed = keep_freed_memory()\n"
    "import pyarrow as pa\n"
    "print(changed, pa.default_memory_pool().backend_name, os.environ.get('MALLOC_TRIM_THRESHOLD_'))\n"
)


def _probe(**env: str) -> list[str]:
    clean = {k: v for k, v in os.environ.items() if k not in (ENV, "ARROW_DEFAULT_MEMORY_POOL") and "MALLOC_" not in k}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE], env={**clean, **env}, capture_output=True, text=True, check=True
    )
    return out.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc settings are Linux-only")
def test_a_process_that_keeps_memory_uses_the_system_pool_and_tells_its_children() -> None:
    assert _probe() == ["True", "system", str(1 << 30)]


def test_the_environment_variable_turns_it_off() -> None:
    changed, backend, trim = _probe(**{ENV: "0"})
    assert (changed, trim) == ("False", "None")
    assert backend != "system"  # pyarrow's own default (mimalloc or jemalloc)


def test_a_pool_worker_runs_with_the_system_pool(tmp_path) -> None:  # type: ignore[no-untyped-def]
    script = (
        "from corpusforge.memory import keep_freed_memory\n"
        "keep_freed_memory()\n"
        "from corpusforge.runtime.pool import PoolExecutor\n"
        "from tests.framework.test_memory import backend\n"
        "pool = PoolExecutor(1)\n"
        "print(*pool.map(backend, [0]))\n"
        "pool.close()\n"
    )
    clean = {k: v for k, v in os.environ.items() if k not in (ENV, "ARROW_DEFAULT_MEMORY_POOL") and "MALLOC_" not in k}
    root = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))
    out = subprocess.run(
        [sys.executable, "-c", script], env={**clean, "PYTHONPATH": root}, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["system"]


def backend(_item: object) -> str:
    import pyarrow as pa

    return pa.default_memory_pool().backend_name
