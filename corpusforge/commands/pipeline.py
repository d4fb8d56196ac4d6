"""`corpusforge plan | run | stages | stats`: the pipeline commands."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plan", help="validate a pipeline file and print its DAG without running it")
    p.add_argument("file")
    p.set_defaults(func=cmd_plan)

    r = sub.add_parser("run", help="run (or resume) a pipeline file")
    r.add_argument("file")
    r.add_argument("--executor", choices=["ray", "local"], help="override [pipeline].executor")
    r.add_argument("--ray-address", help="join an existing Ray cluster instead of starting one")
    r.add_argument("--root", help="override [pipeline].root")
    r.add_argument("--fresh", action="store_true", help="delete the run's root first instead of resuming")
    r.add_argument("--num-cpus", type=int, help="CPUs for the embedded Ray (default: all)")
    r.add_argument("--quiet", action="store_true", help="no progress bars")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser("stages", help="list the registered stages with columns and parameters")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_stages)

    st = sub.add_parser("stats", help="print the funnel of a run: per node in, kept, rejected and errors")
    st.add_argument("run_dir")
    st.set_defaults(func=cmd_stats)


def load_plan(file: str, **overrides: object):  # noqa: ANN202 - returns Plan
    from corpusforge.plan import PlanError, load

    try:
        return load(file, overrides=overrides)
    except PlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_plan(args: argparse.Namespace) -> int:
    plan = load_plan(args.file)
    if plan is None:
        return 2
    print(plan.describe())
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    plan = load_plan(args.file, executor=args.executor, root=args.root)
    if plan is None:
        return 2
    return execute(plan, ray_address=args.ray_address, num_cpus=args.num_cpus, fresh=args.fresh, quiet=args.quiet)


def execute(plan, *, ray_address: str | None, num_cpus: int | None, fresh: bool, quiet: bool, label: str = "") -> int:  # noqa: ANN001
    """Run a loaded plan, print its funnel and where the output is; 2 on a conflicting root."""
    from corpusforge import stats
    from corpusforge.runtime import RunConflict, make_executor, run
    from corpusforge.runtime.progress import RichProgress

    t0 = time.perf_counter()
    executor = make_executor(plan.executor, ray_address=ray_address, num_cpus=num_cpus)
    try:
        manifest = run(plan, executor, fresh=fresh, progress=None if quiet else RichProgress())
    except RunConflict as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        executor.close()
    print(stats.render(plan.root))
    outputs = [n["output"] for n in manifest["nodes"] if n["output"]]
    print(f"\n{label}finished in {time.perf_counter() - t0:.1f}s; Parquet shards under: {', '.join(outputs)}")
    print(f"rejected rows: {plan.root}/rejected/<node>/; run manifest: {plan.root}/manifest.json")
    return 0


def cmd_stages(args: argparse.Namespace) -> int:
    from corpusforge import registry
    from corpusforge.stage import kind_of

    rows: list[dict[str, Any]] = []
    for name, cls in registry.all_stages().items():
        fields = cls.Config.model_fields
        params = {k: (None if f.is_required() else f.get_default(call_default_factory=True)) for k, f in fields.items()}
        required = {k for k, f in fields.items() if f.is_required()}
        rows.append(
            {
                "name": name,
                "version": registry.version_of(name),
                "kind": kind_of(cls),
                "reads": list(cls.reads),
                "writes": list(cls.writes),
                "params": params,
                "required": sorted(required),
                "doc": (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else "",
            }
        )
    if args.json:
        print(json.dumps(rows, indent=1, default=str, ensure_ascii=False))
        return 0
    for r in rows:
        print(f"{r['name']}  [{r['kind']}]  {r['doc']}")
        print(f"    reads:  {', '.join(r['reads']) or '-'}")
        print(f"    writes: {', '.join(r['writes']) or '-'}")
        for k, v in r["params"].items():
            shown = "(required)" if k in r["required"] else json.dumps(v, default=str, ensure_ascii=False)
            print(f"    {k} = {shown}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from corpusforge import stats

    print(stats.render(args.run_dir))
    return 0
