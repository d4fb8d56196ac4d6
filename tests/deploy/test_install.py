"""A non-editable install (what `pip install .` and the Docker image do) runs the demo from any directory.

The package is built from the tracked files into a fresh virtual environment. To keep the test
short, the environment borrows the third-party dependencies of the running interpreter (a `.pth`
line) and installs corpusforge itself with `--no-deps`: what is checked is that everything the code
reads at run time (the demo pipeline, models, word lists, thresholds, presets) is in the package.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _tracked_copy(dest: Path) -> Path:
    """The repository's tracked files (links kept as links), as `git archive` would give them."""
    files = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.split("\0")
    for name in filter(None, files):
        src, out = REPO / name, dest / name
        if not src.exists() and not src.is_symlink():
            continue  # deleted in the work tree, not yet committed
        out.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            out.symlink_to(os.readlink(src))
        else:
            shutil.copy2(src, out)
    return dest


def _fresh_env(where: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(where)
    py = where / "bin" / "python"
    site = subprocess.run(
        [py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Third-party dependencies come from the running interpreter's site-packages, after the
    # fresh environment's own (so its corpusforge, not an editable one, is imported).
    deps = sysconfig.get_paths()["purelib"]
    Path(site, "_borrowed_deps.pth").write_text(deps + "\n", encoding="utf-8")
    return py


@pytest.mark.slow
def test_demo_runs_after_a_non_editable_install(tmp_path: Path) -> None:
    src = _tracked_copy(tmp_path / "src")
    py = _fresh_env(tmp_path / "env")
    subprocess.run(
        [py, "-m", "pip", "install", "-q", "--no-deps", str(src)],
        check=True,
        capture_output=True,
    )
    shutil.rmtree(src)  # nothing may be read from the source tree after the install
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [py, "-c", "import corpusforge, language_id, dedup; print(corpusforge.__file__)"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert "site-packages" in where
    env = {**os.environ, "PYTHONPATH": "", "RAY_AUTH_MODE": "disabled"}
    demo = subprocess.run(
        [py.parent / "corpusforge", "demo", "--executor", "local", "--quiet"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert demo.returncode == 0, demo.stderr[-3000:]
    manifest = json.loads((elsewhere / "runs" / "demo" / "manifest.json").read_text(encoding="utf-8"))
    write = next(n for n in manifest["nodes"] if n["id"] == "write")
    assert set(write["kept_by_lang"]) == {"es", "ca", "ca-valencia", "eu", "gl"}
    assert (elsewhere / "runs" / "demo" / "tokens" / "manifest.json").exists()


def test_the_demo_pipeline_is_package_data() -> None:
    """`pipelines/demo.toml` is the file the package ships (a link), so the two never drift."""
    from corpusforge.commands.demo import DEFAULT_PIPELINE

    assert DEFAULT_PIPELINE.is_relative_to(REPO / "corpusforge")
    assert (REPO / "pipelines" / "demo.toml").resolve() == DEFAULT_PIPELINE.resolve()


def test_the_train_extra_takes_the_torch_a_trainer_has() -> None:
    """torch is a range in the `train` extra (the exact CPU wheel is `make install`'s business)."""
    import tomllib

    from packaging.requirements import Requirement

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    (torch,) = [Requirement(r) for r in extras["train"] if r.startswith("torch")]
    assert all(torch.specifier.contains(v) for v in ("2.4.1", "2.6.0", "2.13.0")), torch
    assert "torch==2.13.0" in (REPO / "Makefile").read_text(encoding="utf-8")
