"""`corpusforge stats RUN --profile`: where a run's time and bytes went.

Per node, summed over shards and workers: wall and CPU seconds inside the stage (for a source,
reading and parsing its records), seconds reading an upstream part and writing output and
rejected rows, bytes read and written, CPU milliseconds per document. Per segment, the shard
tasks' wall and CPU (what the node rows leave out is the runtime's own work: splitting kept from
rejected, redacting rejected rows, committing files). Per global stage, `prepare()` with each of
its parallel phases. Then the executor: its start-up (Ray's) and the run's wall clock.

It reads the done markers (so a run in progress shows its finished shards), the prepare markers
of the global stages, and the manifest of a finished run.
"""

from __future__ import annotations

from typing import Any

from corpusforge import io
from corpusforge.rundir import RunDir
from corpusforge.stats import NodeStats, disk_usage, funnel, total, written_bytes

MB = 1e6


def segment_profiles(root: str) -> dict[str, dict[str, Any]]:
    """Per segment (as named under `_done/`): its nodes, shards done, task wall and CPU, prepare()."""
    run = RunDir(root)
    out: dict[str, dict[str, Any]] = {}
    for path in run.done_markers():
        segment = path.rstrip("/").rsplit("/", 2)[-2]
        entries = [NodeStats.from_json(e) for e in io.read_json(path)]
        seg = out.setdefault(segment, {"nodes": [e.node for e in entries], "heads": []})
        seg["heads"].append(entries[0])
    for segment, seg in out.items():
        head = total(seg.pop("heads"))
        marker = run.prepare_marker(segment)
        seg |= {
            "shards": len(run.done_indices(segment)),
            "task_seconds": head.task_seconds,
            "task_cpu_seconds": head.task_cpu_seconds,
            "prepare": io.read_json(marker).get("profile") if io.exists(marker) else None,
        }
    return out


def render_profile(root: str) -> str:
    """The profile of a run directory, as plain text."""
    rows = funnel(root)
    if not rows:
        return f"no finished shard under {root}/_done (has the pipeline run?)"
    manifest = RunDir(root).read_manifest()
    written = written_bytes(manifest) if manifest else disk_usage(root, [r.node for r in rows])
    lines = [
        f"{'node':<16}{'in':>9}{'stage s':>9}{'CPU s':>8}{'ms/doc':>8}{'read s':>8}{'write s':>8}"
        f"{'MB read':>9}{'MB written':>11}"
    ]
    for r in rows:
        per_doc = f"{r.cpu_seconds / r.docs_in * 1e3:>8.2f}" if r.docs_in else f"{'-':>8}"
        lines.append(
            f"{r.node:<16}{r.docs_in:>9}{r.seconds:>9.1f}{r.cpu_seconds:>8.1f}{per_doc}{r.read_seconds:>8.1f}"
            f"{r.write_seconds:>8.1f}{r.bytes_read / MB:>9.1f}{written.get(r.node, 0) / MB:>11.1f}"
        )
    lines.append("")
    for segment, seg in segment_profiles(root).items():
        lines.append(
            f"segment {segment} ({' > '.join(seg['nodes'])}): {seg['shards']} shard(s), tasks"
            f" {seg['task_seconds']:.1f} s wall, {seg['task_cpu_seconds']:.1f} s CPU (summed over workers)"
        )
        prep = seg["prepare"]
        if prep:
            lines.append(f"  prepare(): {prep['seconds']:.1f} s wall, driver CPU {prep['driver_cpu_seconds']:.1f} s")
            for ph in prep["phases"]:
                lines.append(
                    f"    {ph['phase']:<12}{ph['tasks']:>5} tasks {ph['seconds']:>7.1f} s wall"
                    f" {ph['task_seconds']:>7.1f} s in tasks {ph['cpu_seconds']:>7.1f} s CPU"
                )
    profile = (manifest or {}).get("profile")
    if profile:
        lines += [
            "",
            f"executor {profile['executor']} ({profile['workers']} worker(s)): start-up {profile['startup_seconds']:.1f} s;"
            f" run {profile['run_seconds']:.1f} s wall, driver CPU {profile['driver_cpu_seconds']:.1f} s",
        ]
    elif manifest is None:
        lines += ["", "(run in progress or interrupted: the executor's figures come with the manifest)"]
    return "\n".join(lines)
