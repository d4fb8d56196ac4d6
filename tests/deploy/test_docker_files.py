"""The Docker image and compose file agree with the pipeline files and the documented commands.

No Docker daemon is needed: the compose file and the Dockerfile are read as data. The check is the
one a user would make by hand: run the documented `docker compose ... exec head corpusforge run
PIPELINE` in the head container's working directory, and every path that run touches (the pipeline
file, its inputs, its root, its output paths) must be on a volume mounted at the same place in the
head and in every worker, from a folder of the repository.
"""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path, PurePosixPath

import pytest
import yaml
from deploy_fixtures import touched_paths, under

REPO = Path(__file__).resolve().parents[2]
DOCKER = REPO / "docker"


def _workdir() -> PurePosixPath:
    found = re.findall(r"^WORKDIR\s+(\S+)", (DOCKER / "Dockerfile").read_text(encoding="utf-8"), re.M)
    assert found, "the Dockerfile sets no WORKDIR"
    return PurePosixPath(found[-1])


def _services() -> dict[str, dict]:
    return yaml.safe_load((DOCKER / "compose.yaml").read_text(encoding="utf-8"))["services"]


def _mounts(service: dict) -> dict[PurePosixPath, Path]:
    """Container path -> host folder, for the service's bind mounts (short syntax)."""
    out = {}
    for volume in service.get("volumes", []):
        host, container = volume.split(":")[:2]
        out[PurePosixPath(container)] = (DOCKER / host).resolve()
    return out


def _documented_runs() -> list[list[str]]:
    """Every `docker compose -f docker/compose.yaml exec head corpusforge run ...` in the README and docs."""
    texts = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md")), DOCKER / "compose.yaml"]
    commands = []
    for path in texts:
        text = path.read_text(encoding="utf-8").replace("\\\n", " ").replace("#", " ")
        for match in re.finditer(r"exec head (corpusforge run [^\n`]+)", text):
            commands.append(shlex.split(match.group(1)))
    return commands


def test_the_documented_commands_find_their_files_in_every_container() -> None:
    workdir = _workdir()
    services = _services()
    commands = _documented_runs()
    assert commands, "no documented `docker compose ... exec head corpusforge run` command found"
    for argv in commands:
        pipeline_arg = argv[2]
        pipeline = workdir / pipeline_arg
        for name, service in services.items():
            mounts = _mounts(service)
            assert service.get("working_dir", str(workdir)) == str(workdir), name
            # The pipeline file is mounted from the repository: editing it needs no rebuild.
            mount = under(pipeline, mounts)
            assert mount is not None, f"{name}: {pipeline} is not on a mounted volume (baked into the image)"
            host_file = mounts[mount] / pipeline.relative_to(mount)
            assert host_file.resolve() == (REPO / pipeline_arg).resolve(), name
            for path in touched_paths(REPO / pipeline_arg, workdir):
                assert under(path, mounts) is not None, f"{name}: {path} (from {pipeline_arg}) is not mounted"
    heads = {str(sorted(_mounts(s).items())) for s in services.values()}
    assert len(heads) == 1, "the head and the workers must see the same volumes at the same places"


def test_the_image_can_read_and_write_object_storage() -> None:
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    installs = re.findall(r"pip install[^\n]*", dockerfile)
    assert any("[s3]" in line or "s3," in line or ",s3" in line for line in installs), installs
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(req.startswith("s3fs") for req in extras["s3"])
    # The credentials and endpoint of an S3-compatible store reach every container from the host.
    for name, service in _services().items():
        env = service.get("environment", {})
        names = set(env) if isinstance(env, dict) else {e.split("=")[0] for e in env}
        assert {"AWS_ENDPOINT_URL", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} <= names, name


@pytest.mark.parametrize("name", ["iberian-web", "cc-ingest"])
def test_the_image_ships_the_pipelines_it_documents(name: str) -> None:
    """Without the compose volumes (KubeRay, a plain `docker run`) the shipped pipelines are in the image."""
    dockerfile = (DOCKER / "Dockerfile").read_text(encoding="utf-8")
    copied = " ".join(re.findall(r"^COPY\s+([^\n]+)", dockerfile, re.M))
    assert f"pipelines/{name}.toml" in copied or re.search(r"\bpipelines\s", copied), copied
