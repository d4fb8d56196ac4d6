"""The multi-machine recipes of docs/cluster.md: the KubeRay RayJob and the Slurm batch script.

Neither Kubernetes nor Slurm runs here: the RayJob is read as data and checked the way
docker/compose.yaml is (every path the documented run touches is on a volume every pod mounts at
the same place, or in the image), and the batch script is checked by bash and read for the steps
docs/cluster.md describes. tests/deploy/test_ray_cluster.py runs the same `ray start` steps for real.
"""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path, PurePosixPath

import yaml
from deploy_fixtures import touched_paths, under

REPO = Path(__file__).resolve().parents[2]


def _rayjob() -> tuple[dict, dict]:
    docs = list(yaml.safe_load_all((REPO / "deploy" / "kuberay" / "rayjob.yaml").read_text(encoding="utf-8")))
    job = next(d for d in docs if d["kind"] == "RayJob")
    claims = {d["metadata"]["name"]: d for d in docs if d["kind"] == "PersistentVolumeClaim"}
    return job, claims


def _pods(job: dict) -> list[dict]:
    spec = job["spec"]["rayClusterSpec"]
    return [spec["headGroupSpec"]["template"]["spec"], *(g["template"]["spec"] for g in spec["workerGroupSpecs"])]


def test_the_rayjob_runs_a_shipped_pipeline_with_every_path_shared() -> None:
    job, claims = _rayjob()
    assert job["apiVersion"] == "ray.io/v1"
    command = job["spec"]["entrypoint"]
    cd, run = (part.strip() for part in command.split("&&"))
    workdir = PurePosixPath(shlex.split(cd)[1])
    argv = shlex.split(run)
    assert argv[:2] == ["corpusforge", "run"] and argv[argv.index("--ray-address") + 1] == "auto"
    pipeline = argv[2]
    dockerfile = (REPO / "docker" / "Dockerfile").read_text(encoding="utf-8")
    assert re.findall(r"^WORKDIR\s+(\S+)", dockerfile, re.M)[-1] == str(workdir)
    assert pipeline in dockerfile, "the pipeline the job runs is baked into the image"
    images, mount_sets = set(), set()
    for pod in _pods(job):
        (container,) = pod["containers"]
        images.add(container["image"])
        assert container["workingDir"] == str(workdir)
        volumes = {v["name"]: v for v in pod["volumes"]}
        mounts = {}
        for m in container["volumeMounts"]:
            claim = volumes[m["name"]]["persistentVolumeClaim"]["claimName"]
            assert claims[claim]["spec"]["accessModes"] == ["ReadWriteMany"], "every pod mounts it at once"
            mounts[PurePosixPath(m["mountPath"])] = REPO / claim / m.get("subPath", "")
        mount_sets.add(tuple(sorted(map(str, mounts))))
        for path in touched_paths(REPO / pipeline, workdir):
            assert under(path, mounts) is not None, f"{path} is not on the shared volume"
        assert {"name": "RAY_AUTH_MODE", "value": "disabled"} in container["env"]
    assert len(images) == 1 and len(mount_sets) == 1, "head and workers: the same image and volumes"


def test_the_slurm_script_starts_ray_on_every_node_and_drives_the_run() -> None:
    script = REPO / "deploy" / "slurm" / "corpusforge.sbatch"
    subprocess.run(["bash", "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    assert "#SBATCH --ntasks-per-node=1" in text
    assert re.search(r"srun [^\n]*-w \"\$HEAD\"[^\n]*\n\s*ray start --head", text)
    assert re.search(
        r"for node in \"\$\{NODES\[@\]:1\}\"; do\s*\n\s*srun [^\n]*\n\s*ray start --address=\"\$ADDRESS\"", text
    )
    assert 'corpusforge run "$PIPELINE" --ray-address "$ADDRESS"' in text
    assert len(re.findall(r"--temp-dir=\S+ .*--block", text)) == 2, "both ray start lines: own temp dir, foreground"
