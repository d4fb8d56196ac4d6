"""Executors and the driver that runs a plan: `auto` (the default: picks one of the others by the
work to do, see `auto.py`), `local` (in-process), `pool` (worker processes on this machine) and
`ray` (an embedded Ray, or a cluster with `--ray-address`)."""

from __future__ import annotations

from corpusforge.runtime.driver import Executor, RunConflict, run

__all__ = ["Executor", "RunConflict", "make_executor", "run"]


def make_executor(kind: str, *, ray_address: str | None = None, num_cpus: int | None = None) -> Executor:
    if kind == "auto":
        from corpusforge.runtime.auto import AutoExecutor

        return AutoExecutor(num_cpus=num_cpus, ray_address=ray_address)
    if kind == "pool":
        from corpusforge.runtime.auto import available_cpus
        from corpusforge.runtime.pool import PoolExecutor

        return PoolExecutor(num_cpus or available_cpus())
    if kind == "local":
        from corpusforge.runtime.local import LocalExecutor

        return LocalExecutor()
    if kind == "ray":
        from corpusforge.runtime.ray import RayExecutor

        return RayExecutor(address=ray_address, num_cpus=num_cpus)
    raise ValueError(f"unknown executor {kind!r} (auto, local, pool or ray)")
