"""Inputs for the deployment tests: the demo sample split into several WARC files, and the demo
pipeline pointed at other inputs and roots (so one pipeline runs locally, on s3:// and on a cluster)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path, PurePosixPath
from typing import Any

from corpusforge import plan as plan_mod
from corpusforge.commands.demo import DEFAULT_PIPELINE
from corpusforge.demo.make_warc import build_warc
from corpusforge.stage import Source

# The demo writes every gzip member with a zero mtime, so each record starts with this header.
_MEMBER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00"


def demo_warc_files(n: int) -> list[bytes]:
    """The demo sample as `n` WARC files of consecutive records (each a valid multi-member gzip)."""
    data = build_warc()
    starts = [m.start() for m in re.finditer(re.escape(_MEMBER), data)]
    assert starts and starts[0] == 0
    bounds = [starts[len(starts) * i // n] for i in range(n)] + [len(data)]
    return [data[a:b] for a, b in zip(bounds, bounds[1:]) if b > a]


def write_demo_warcs(directory: Path, n: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, chunk in enumerate(demo_warc_files(n)):
        path = directory / f"demo-{i:02d}.warc.gz"
        path.write_bytes(chunk)
        paths.append(path)
    return paths


def demo_pipeline(*, root: str, paths: list[str], drop: tuple[str, ...] = ()) -> dict[str, Any]:
    """The shipped demo pipeline with another root and inputs, without the nodes in `drop`."""
    raw = tomllib.loads(DEFAULT_PIPELINE.read_text(encoding="utf-8"))
    raw["pipeline"]["root"] = root
    raw["node"] = [n for n in raw["node"] if n["id"] not in drop]
    raw["node"][0]["params"] = dict(raw["node"][0].get("params", {}), paths=paths)
    return raw


def to_toml(raw: dict[str, Any]) -> str:
    """Enough TOML for a pipeline dict (strings, numbers, booleans, lists and inline tables)."""

    def value(v: Any) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, int | float):
            return repr(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, dict):
            return "{ " + ", ".join(f'"{k}" = {value(x)}' for k, x in v.items()) + " }"
        raise TypeError(type(v))

    lines = ["[pipeline]", *(f"{k} = {value(v)}" for k, v in raw["pipeline"].items())]
    for node in raw["node"]:
        lines += ["", "[[node]]", *(f"{k} = {value(v)}" for k, v in node.items())]
    return "\n".join(lines) + "\n"


def touched_paths(pipeline: Path, workdir: PurePosixPath) -> list[PurePosixPath]:
    """Container paths a run of `pipeline` reads or writes: its source inputs, root and outputs."""
    raw = tomllib.loads(pipeline.read_text(encoding="utf-8"))
    plan = plan_mod.from_dict(raw, file=str(pipeline), check_inputs=False)
    root = raw["pipeline"].get("root", f"runs/{plan.name}")
    assert "://" not in root, "a pipeline meant for the compose volumes keeps its root on them"
    touched = [workdir / root]
    for node in plan.nodes.values():
        stage = node.make()
        if isinstance(stage, Source):
            touched += [workdir / p for p in stage.input_patterns() if "://" not in p]
    return touched


def under(path: PurePosixPath, mounts: dict[PurePosixPath, Path]) -> PurePosixPath | None:
    return next((m for m in mounts if path == m or m in path.parents), None)
