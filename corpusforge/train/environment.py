"""Where a run executes: device, processes (torchrun / DDP), precision, peak FLOPs and memory.

Under `torchrun --nproc-per-node K` each process reads RANK, LOCAL_RANK and WORLD_SIZE from the
environment and joins one process group (NCCL on CUDA, gloo on CPU). Without them the run is a single
process and no process group is created.
"""

from __future__ import annotations

import contextlib
import os
import resource
import sys
from dataclasses import dataclass

import torch
import torch.distributed as dist

from corpusforge.train.config import RunConfig

# Dense bf16 tensor-core peaks in TFLOP/s (vendor datasheets, no sparsity). Matched by substring of
# torch.cuda.get_device_name(), most specific first.
PEAK_BF16_TFLOPS: tuple[tuple[str, float], ...] = (
    ("H100 PCIe", 756.0),
    ("H100 NVL", 835.0),
    ("H100", 989.0),
    ("H200", 989.0),
    ("GH200", 989.0),
    ("B200", 2250.0),
    ("A100", 312.0),
    ("A10G", 70.0),
    ("A10", 125.0),
    ("L40S", 362.0),
    ("L4", 121.0),
    ("4090", 165.0),
)


@dataclass(frozen=True, kw_only=True)
class Environment:
    device: torch.device
    rank: int = 0
    local_rank: int = 0
    world_size: int = 1
    dtype: torch.dtype = torch.float32  # autocast dtype; float32 means no autocast
    # Process-wide torch settings found before setup(), put back by teardown() so that calling
    # train() from a notebook or a test leaves the process as it was.
    restore_threads: int = 0
    restore_deterministic: bool = False

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world_size > 1

    def autocast(self) -> contextlib.AbstractContextManager[None]:
        if self.dtype == torch.float32:
            return contextlib.nullcontext()
        return torch.autocast(device_type=self.device.type, dtype=self.dtype)

    def barrier(self) -> None:
        if self.distributed:
            dist.barrier()


def setup(run: RunConfig) -> Environment:
    """Pick the device, join the process group when launched by torchrun, set precision and threads."""
    restore_threads, restore_deterministic = torch.get_num_threads(), torch.are_deterministic_algorithms_enabled()
    kind = run.device
    if kind == "auto":
        kind = "cuda" if torch.cuda.is_available() else "cpu"
    if kind == "cuda" and not torch.cuda.is_available():
        raise RuntimeError("run.device = 'cuda' but torch sees no CUDA device (is this the CPU build of torch?)")
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank, local_rank = int(os.environ.get("RANK", "0")), int(os.environ.get("LOCAL_RANK", "0"))
    if kind == "cuda":
        torch.cuda.set_device(local_rank)
        device = torch.device("cuda", local_rank)
        # TF32 for any fp32 matmul left outside autocast; bf16 work is unaffected.
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
    else:
        device = torch.device("cpu")
        if run.threads:
            torch.set_num_threads(run.threads)
        if run.deterministic:
            torch.use_deterministic_algorithms(True)
    if world > 1 and not dist.is_initialized():
        dist.init_process_group(backend="nccl" if kind == "cuda" else "gloo")
    precision = run.precision
    if precision == "auto":
        precision = "bf16" if kind == "cuda" else "fp32"
    dtype = torch.bfloat16 if precision == "bf16" else torch.float32
    return Environment(
        device=device,
        rank=rank,
        local_rank=local_rank,
        world_size=world,
        dtype=dtype,
        restore_threads=restore_threads,
        restore_deterministic=restore_deterministic,
    )


def teardown(env: Environment) -> None:
    if env.distributed and dist.is_initialized():
        dist.destroy_process_group()
    torch.set_num_threads(env.restore_threads)
    torch.use_deterministic_algorithms(env.restore_deterministic)


def peak_flops(env: Environment, run: RunConfig) -> float | None:
    """Peak FLOP/s of one device for MFU, or None when unknown (CPU, an unlisted GPU)."""
    if run.peak_tflops:
        return run.peak_tflops * 1e12
    if env.device.type != "cuda":
        return None
    name = torch.cuda.get_device_name(env.device)
    for key, tflops in PEAK_BF16_TFLOPS:
        if key in name:
            return tflops * 1e12
    print(f"note: no peak FLOP/s known for {name!r}; set run.peak_tflops to get MFU", file=sys.stderr)
    return None


def peak_memory_gb(env: Environment) -> float:
    if env.device.type == "cuda":
        return torch.cuda.max_memory_allocated(env.device) / 1e9
    # ru_maxrss is KiB on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale / 1e9


def synchronize(env: Environment) -> None:
    """Wait for queued GPU work so wall-clock timings measure it."""
    if env.device.type == "cuda":
        torch.cuda.synchronize(env.device)
