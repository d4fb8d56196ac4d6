"""`corpusforge train CONFIG | train plot RUN`: pretrain a small model on packed token streams."""

from __future__ import annotations

import argparse
import sys

TORCH_MISSING = "error: training needs PyTorch and matplotlib: pip install 'corpusforge[train]'"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "train",
        help="pretrain a small decoder-only transformer on packed token streams (or: train plot RUN)",
        description="Train from a preset (tiny, small) or a TOML file; `corpusforge train plot RUN` redraws "
        "a run's loss plot. Multi-GPU: torchrun --nproc-per-node K -m corpusforge.cli train CONFIG.",
    )
    p.add_argument("config", nargs="?", help="preset name (tiny, small), path to a TOML file, or `plot`")
    p.add_argument("run_dir", nargs="?", help="with `plot`: the run directory to plot")
    p.add_argument("--resume", action="store_true", help="continue from the run directory's latest checkpoint")
    p.add_argument("--data", help="packed directory (overrides data.path)")
    p.add_argument("--out", help="run directory (overrides run.out_dir)")
    p.add_argument("--steps", type=int, help="optimizer steps (overrides run.steps)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], help="overrides run.device")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="SECTION.FIELD=VALUE",
        help="override any config field, e.g. --set optim.lr=1e-3 (repeatable)",
    )
    p.add_argument("--print-config", action="store_true", help="print the resolved config and exit")
    p.add_argument("--help-config", action="store_true", help="list every config field with its default and meaning")
    p.set_defaults(func=cmd_train)


def _overrides(args: argparse.Namespace) -> list[str]:
    extra = list(args.overrides)
    for flag, key in (("data", "data.path"), ("out", "run.out_dir"), ("steps", "run.steps"), ("device", "run.device")):
        value = getattr(args, flag)
        if value is not None:
            extra.append(f"{key}={value}" if isinstance(value, int) else f"{key}={_toml_string(value)}")
    return extra


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def cmd_train(args: argparse.Namespace) -> int:
    try:
        import matplotlib  # noqa: F401
        import torch  # noqa: F401
    except ImportError:
        print(TORCH_MISSING, file=sys.stderr)
        return 2
    if args.help_config:
        from corpusforge.train.config import describe_fields

        print(describe_fields())
        return 0
    if args.config == "plot":
        return _plot(args.run_dir)
    if not args.config:
        print("error: usage: corpusforge train CONFIG (a preset: tiny, small; or a TOML file)", file=sys.stderr)
        return 2
    from corpusforge.pack.dataset import PackedDataError
    from corpusforge.train.checkpoint import CheckpointError
    from corpusforge.train.config import ConfigError, load_config
    from corpusforge.train.loop import ResumeError, train

    try:
        config = load_config(args.config, overrides=_overrides(args))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.print_config:
        print(config.model_dump_json(indent=1))
        return 0
    try:
        summary = train(config, resume=args.resume)
    except (PackedDataError, ConfigError, ResumeError, CheckpointError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if "plot" in summary:
        print(f"\nloss plot: {summary['plot']}")
        print(f"checkpoints: {summary['out_dir']}/checkpoints/  metrics: {summary['out_dir']}/metrics.jsonl")
    if summary.get("sample"):
        print(f"sample: {summary['sample']}")
    return 0


def _plot(run_dir: str | None) -> int:
    if not run_dir:
        print("error: usage: corpusforge train plot RUN_DIR", file=sys.stderr)
        return 2
    from corpusforge.train.metrics import plot

    try:
        print(plot(run_dir))
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
