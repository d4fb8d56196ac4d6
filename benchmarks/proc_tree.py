"""Wall time, CPU time and peak memory of a command and every process it starts (Linux /proc).

Ray runs its workers under a raylet and datatrove under a process pool, so neither `time` of the
driver nor `getrusage(RUSAGE_CHILDREN)` sees all the work. This samples the process tree of the
command every `interval` seconds: CPU is the sum, over every process ever seen, of its last-read
user + system time (a process that lived less than one interval is missed, a bounded error);
memory is the peak of the summed resident set sizes (shared pages, such as Ray's object store,
count once per process that maps them: an upper bound).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Usage:
    wall_s: float
    cpu_s: float
    peak_rss_mb: float
    returncode: int
    processes: int


def _stat(pid: int) -> tuple[int, float, int] | None:
    """(parent pid, user + system seconds, resident bytes) of a live process, or None."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    # fields[0] is the state (field 3 of stat(5)); ppid is field 4, utime 14, stime 15, rss 24
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE


def _tree(root: int) -> dict[int, tuple[float, int]]:
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = _stat(int(name))
            if st is not None:
                stats[int(name)] = st
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = {}, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            out[pid] = stats[pid][1:]
            todo += children.get(pid, [])
    return out


def measure(argv: list[str], *, env: dict[str, str] | None = None, cwd: str | None = None, interval: float = 0.2,
            log: str | None = None) -> Usage:  # fmt: skip
    """Run `argv` to the end and return what it and its descendants used."""
    sink = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT)
    cpu: dict[int, float] = {}
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            tree = _tree(proc.pid)
            for pid, (seconds, _) in tree.items():
                cpu[pid] = max(cpu.get(pid, 0.0), seconds)
            peak[0] = max(peak[0], sum(rss for _, rss in tree.values()))
            stop.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    code = proc.wait()
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
    if log:
        sink.close()  # type: ignore[union-attr]
    return Usage(wall, sum(cpu.values()), peak[0] / 2**20, code, len(cpu))
