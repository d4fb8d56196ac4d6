"""Stages from other packages, through the `corpusforge.stages` entry-point group."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq

PLUGIN = '''
"""A stage shipped by another package: upper-cases the title."""
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import Field

from corpusforge.registry import register
from corpusforge.stage import Stage, StageConfig


class ShoutConfig(StageConfig):
    suffix: str = Field("!", description="appended to every text")


@register
class Shout(Stage):
    """Upper-case every text (a plugin example)."""

    name = "plugin.shout.v1"
    Config = ShoutConfig
    reads = ("text",)
    writes = ("text",)

    def process_batch(self, table):
        loud = pc.binary_join_element_wise(pc.utf8_upper(table.column("text")), self.config.suffix, "")
        return table.set_column(table.column_names.index("text"), "text", loud)
'''


def _install_fake_distribution(site: Path, name: str, entry_points: str, module: str | None) -> None:
    """What `pip install` leaves: a module and a .dist-info folder with its entry points."""
    if module is not None:
        (site / name).mkdir(parents=True)
        (site / name / "__init__.py").write_text(module)
    info = site / f"{name}-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text(entry_points)


def _cli(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, RAY_AUTH_MODE="disabled", PYTHONPATH=str(site))
    return subprocess.run(
        [sys.executable, "-m", "corpusforge.cli", *args], capture_output=True, text=True, env=env, cwd=cwd, timeout=120
    )


def test_a_plugin_stage_is_listed_with_its_origin_and_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install_fake_distribution(site, "shoutplugin", "[corpusforge.stages]\nshout = shoutplugin\n", PLUGIN)
    _install_fake_distribution(site, "brokenplugin", "[corpusforge.stages]\nbroken = no_such_module\n", None)
    listed = _cli(site, "stages", "--json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    stages = {s["name"]: s for s in json.loads(listed.stdout)}
    assert stages["plugin.shout.v1"]["origin"] == "shoutplugin (entry point shout = shoutplugin)"
    assert stages["plugin.shout.v1"]["params"] == {"suffix": "!"}
    assert stages["ingest.jsonl.v1"]["origin"] == "corpusforge"
    assert "brokenplugin" in listed.stderr and "could not be loaded" in listed.stderr

    (tmp_path / "in.jsonl").write_text(json.dumps({"id": "1", "text": "Bon dia"}) + "\n")
    (tmp_path / "p.toml").write_text(
        f"""
[pipeline]
root = "{tmp_path / "run"}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["in.jsonl"] }}

[[node]]
id = "shout"
stage = "plugin.shout.v1"
inputs = ["ingest"]
params = {{ suffix = "!!" }}
"""
    )
    done = _cli(site, "run", "p.toml", "--quiet", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert pq.read_table(tmp_path / "run" / "shout").column("text").to_pylist() == ["BON DIA!!"]
    bad = (tmp_path / "p.toml").read_text().replace('suffix = "!!"', "sufix = 1")
    (tmp_path / "p.toml").write_text(bad)
    planned = _cli(site, "plan", "p.toml", cwd=tmp_path)
    assert planned.returncode == 2 and "did you mean 'suffix'" in planned.stderr
