"""Source shards keyed by what they read, so a rerun never mistakes one input for another.

A shard is a JSON-able dict from `Source.list_shards()` (a path, a byte range, a partition). Its
*locator* is that dict; its *fingerprint* adds the size and mtime (or ETag) of the file it names.
The first run records every shard with a stable index in `{root}/_run/inputs/{segment}.json`;
output files and done markers are named by that index, never by a position in a glob.

A rerun lists the shards again and compares:
- the same shards: a resume (finished shards are skipped);
- new shards only: an incremental run; the new shards get the next indices and are processed,
  and global stages downstream (dedup, pack) are redone over all shards;
- a finished shard whose file is gone or changed: refused (`InputsChanged`, exit 2) with the files
  named, since its output no longer matches its input. A shard that never finished may change or
  vanish freely: nothing was kept of it.
"""

from __future__ import annotations

import json
from typing import Any

from corpusforge import io
from corpusforge.errors import UserError
from corpusforge.rundir import RunDir


class InputsChanged(UserError):
    """Inputs that finished shards were read from have been removed or changed."""


def locator(shard: dict[str, Any]) -> str:
    return json.dumps(shard, sort_keys=True, ensure_ascii=False)


def fingerprint(shard: dict[str, Any]) -> dict[str, Any]:
    """The shard's file's size and mtime/ETag; {} for shards that read no file (a crawl partition)."""
    path = shard.get("path", shard.get("index"))
    if not isinstance(path, str) or path.startswith(("http://", "https://")):
        return {}  # a crawl partition; an HTTP file (a HEAD per shard would cost more than it tells)
    try:
        return io.fingerprint(path)
    except FileNotFoundError:
        return {"missing": True}


def reconcile(
    run: RunDir, segment_id: str, shards: list[dict[str, Any]]
) -> tuple[list[tuple[int, dict[str, Any]]], list[int]]:
    """(stable index, shard) for every shard listed now, and the indices of unfinished shards whose
    input is gone (their partial outputs must go too); records new shards; refuses changed inputs."""
    record_path = run.inputs_record(segment_id)
    recorded: list[dict[str, Any]] = io.read_json(record_path) if io.exists(record_path) else []
    by_locator = {e["locator"]: e for e in recorded}
    now = {locator(s): (s, fingerprint(s)) for s in shards}

    changed, removed = [], []
    done = run.done_indices(segment_id)
    for loc, entry in by_locator.items():
        if entry["index"] not in done:
            continue  # never finished: nothing of it was kept, so it may change or go
        if loc not in now:
            removed.append(entry["shard"])
        elif now[loc][1] != entry["fingerprint"]:
            changed.append((entry["shard"], entry["fingerprint"], now[loc][1]))
    if changed or removed:
        raise InputsChanged(_refusal(run, changed, removed))

    next_index = max((e["index"] for e in recorded), default=-1) + 1
    record: list[dict[str, Any]] = []
    for loc, (shard, fp) in now.items():
        found = by_locator.get(loc)
        if found is not None:  # the fingerprint is unchanged for finished shards, refreshed for others
            record.append(found | {"fingerprint": fp})
        else:
            record.append({"index": next_index, "locator": loc, "shard": shard, "fingerprint": fp})
            next_index += 1
    record.sort(key=lambda e: e["index"])
    if record != recorded:
        io.write_json_atomic(record_path, record)
    gone = [e["index"] for e in recorded if e["locator"] not in now]
    return [(e["index"], e["shard"]) for e in record], gone


def recorded(run: RunDir, segment_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The recorded shard list of each source segment, for the manifest."""
    out = {}
    for seg in segment_ids:
        path = run.inputs_record(seg)
        if io.exists(path):
            out[seg] = [{"index": e["index"], **e["shard"], **e["fingerprint"]} for e in io.read_json(path)]
    return out


def _describe(shard: dict[str, Any]) -> str:
    text = str(shard.get("path", locator(shard)))
    if "start" in shard:
        text += f" [bytes {shard['start']}-{shard.get('end')}]"
    return text


def _refusal(
    run: RunDir, changed: list[tuple[dict[str, Any], dict[str, Any], dict[str, Any]]], removed: list[dict[str, Any]]
) -> str:
    lines = [f"the inputs of {run.root} changed since its shards were processed:"]
    for shard, before, after in changed[:20]:
        lines.append(f"  changed: {_describe(shard)} (was {before}, now {after})")
    for shard in removed[:20]:
        lines.append(f"  removed: {_describe(shard)}")
    more = len(changed) + len(removed) - min(len(changed), 20) - min(len(removed), 20)
    if more > 0:
        lines.append(f"  ... and {more} more")
    lines.append(
        "Their output no longer matches them. Rerun with --fresh to start over, or give the run another "
        "root (--root). Files only added to the inputs are processed incrementally."
    )
    return "\n".join(lines)
