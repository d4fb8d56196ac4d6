"""Executors and the driver that runs a plan: `local` (in-process) and `ray` (default)."""

from __future__ import annotations

from corpusforge.runtime.driver import Executor, RunConflict, run

__all__ = ["Executor", "RunConflict", "make_executor", "run"]


def make_executor(kind: str, *, ray_address: str | None = None, num_cpus: int | None = None) -> Executor:
    if kind == "local":
        from corpusforge.runtime.local import LocalExecutor

        return LocalExecutor()
    if kind == "ray":
        from corpusforge.runtime.ray import RayExecutor

        return RayExecutor(address=ray_address, num_cpus=num_cpus)
    raise ValueError(f"unknown executor {kind!r} (ray or local)")
