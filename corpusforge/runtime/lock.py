"""One run at a time per root: an OS file lock on local disk, a lease object on object storage.

Local roots: `flock` on `{root}/_run/lock`, which the kernel releases when the holder dies (a
`kill -9` included), so a lock left by a killed run is simply taken; the file keeps the last
holder's host and pid, which a second run names when it is refused, and which a run that takes
over reports. Object storage has no locks: `{root}/_run/lease.json` names the owner and is
refreshed by a heartbeat; a lease not refreshed within `ttl_s` is expired and may be taken over
(120 s, or `CORPUSFORGE_LEASE_TTL_S`: after a killed run, the next one waits at most that long).
The lease is advisory (two runs starting within the same second can both read "free"), so after
writing it the run reads it back and gives way if another owner's lease landed last.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
import uuid
from typing import Any

from corpusforge import io
from corpusforge.errors import UserError
from corpusforge.rundir import RunDir


class RunLocked(UserError):
    """Another run holds the root."""


def lease_ttl_s() -> float:
    """How long a lease on object storage lives without a heartbeat (`CORPUSFORGE_LEASE_TTL_S`)."""
    value = os.environ.get("CORPUSFORGE_LEASE_TTL_S", "120")
    try:
        ttl = float(value)
    except ValueError:
        raise UserError(f"CORPUSFORGE_LEASE_TTL_S must be a number of seconds, got {value!r}") from None
    if ttl <= 0:
        raise UserError(f"CORPUSFORGE_LEASE_TTL_S must be positive, got {value!r}")
    return ttl


def _holder_text(info: dict[str, Any]) -> str:
    return f"pid {info.get('pid')} on host {info.get('host')}, started {info.get('started')}"


def _me() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "owner": uuid.uuid4().hex,
    }


class RunLock:
    """`with RunLock(run_dir):` holds the root for the duration of a run; `.message` says whether a
    stale lock was taken over."""

    def __init__(self, run: RunDir, *, ttl_s: float | None = None) -> None:
        self.run = run
        self.ttl_s = ttl_s if ttl_s is not None else lease_ttl_s()
        self.message: str | None = None
        self._fd: int | None = None
        self._me = _me()
        self._stop = threading.Event()
        self._heartbeat: threading.Thread | None = None

    def __enter__(self) -> RunLock:
        fs, _ = io.fs_and_path(self.run.root)
        if fs is io.LOCAL:
            self._lock_local()
        else:
            self._take_lease()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    # -- local: flock ------------------------------------------------------------------------
    def _lock_local(self) -> None:
        import fcntl

        path = io.fs_and_path(self.run.state("lock"))[1]
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            info = _read_fd(fd)
            os.close(fd)
            raise RunLocked(
                f"{self.run.root} is in use by another run ({_holder_text(info)}); wait for it to finish, "
                "or choose another root"
            ) from None
        previous = _read_fd(fd)
        if previous.get("pid") and not previous.get("released"):
            self.message = f"took over the lock of an earlier run that did not finish ({_holder_text(previous)})"
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps(self._me).encode(), 0)
        self._fd = fd

    # -- object storage: a lease -------------------------------------------------------------
    def _take_lease(self) -> None:
        path = self.run.state("lease.json")
        current = _read_lease(path)
        if current and current.get("owner") != self._me["owner"] and not current.get("released"):
            age = time.time() - float(current.get("heartbeat", 0))
            if age < float(current.get("ttl_s", self.ttl_s)):
                raise RunLocked(
                    f"{self.run.root} is in use by another run ({_holder_text(current)}; lease renewed {age:.0f}s "
                    "ago); wait for it to finish, or choose another root"
                )
            self.message = f"took over the expired lease of an earlier run ({_holder_text(current)})"
        self._write_lease()
        time.sleep(min(1.0, self.ttl_s / 100))
        landed = _read_lease(path)
        if landed and landed.get("owner") != self._me["owner"]:
            raise RunLocked(f"{self.run.root}: another run took the lease at the same time ({_holder_text(landed)})")
        self._heartbeat = threading.Thread(target=self._beat, name="corpusforge-lease", daemon=True)
        self._heartbeat.start()

    def _write_lease(self, **extra: Any) -> None:
        lease = self._me | {"heartbeat": time.time(), "ttl_s": self.ttl_s} | extra
        io.write_json_atomic(self.run.state("lease.json"), lease)

    def _beat(self) -> None:
        while not self._stop.wait(self.ttl_s / 3):
            self._write_lease()

    def release(self) -> None:
        if self._fd is not None:
            import fcntl

            os.ftruncate(self._fd, 0)
            os.pwrite(self._fd, json.dumps(self._me | {"released": True}).encode(), 0)
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        if self._heartbeat is not None:
            self._stop.set()
            self._heartbeat.join()
            self._heartbeat = None
            self._write_lease(released=True)


def _read_fd(fd: int) -> dict[str, Any]:
    try:
        data = os.pread(fd, 4096, 0)
        return json.loads(data) if data else {}
    except (OSError, ValueError):
        return {}


def _read_lease(path: str) -> dict[str, Any] | None:
    try:
        return io.read_json(path) if io.exists(path) else None
    except (OSError, ValueError):
        return None
