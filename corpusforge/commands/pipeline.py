"""`corpusforge plan | run | stages | stats`: the pipeline commands."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from typing import Any

from corpusforge import logs


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("plan", help="validate a pipeline file and print its DAG without running it")
    p.add_argument("file", help="pipeline file (TOML)")
    p.add_argument("--json", action="store_true", help="print the segments, nodes, outputs and hash as JSON")
    p.set_defaults(func=cmd_plan)

    r = sub.add_parser("run", help="run (or resume) a pipeline file")
    r.add_argument("file", help="pipeline file (TOML)")
    r.add_argument("--executor", choices=["auto", "ray", "local", "pool"], help="override [pipeline].executor")
    r.add_argument("--ray-address", help="join an existing Ray cluster instead of starting one")
    r.add_argument("--root", help="override [pipeline].root")
    r.add_argument("--fresh", action="store_true", help="delete the run's root first instead of resuming")
    r.add_argument("--num-cpus", type=int, help="CPUs for the workers (pool, embedded Ray; default: all)")
    r.add_argument("--quiet", action="store_true", help="no progress bars or progress lines")
    logs.add_arguments(r)
    r.set_defaults(func=cmd_run)

    s = sub.add_parser("stages", help="list the registered stages with columns and parameters")
    s.add_argument("--json", action="store_true", help="print the stages and their configs as JSON")
    s.set_defaults(func=cmd_stages)

    st = sub.add_parser("stats", help="print the funnel of a run: per node in, kept, rejected and errors")
    st.add_argument("run_dir", help="a run's root directory (where manifest.json is)")
    st.add_argument(
        "--profile", action="store_true", help="where the time and bytes went: per node, segment, global phase"
    )
    st.add_argument("--json", action="store_true", help="print the funnel (and the run's profile) as JSON")
    st.set_defaults(func=cmd_stats)


def load_plan(file: str, *, check_inputs: bool = True, **overrides: object):  # noqa: ANN202 - returns Plan
    """The validated plan, or None after printing the error (file, node and field) on stderr."""
    from corpusforge.plan import PlanError, load

    try:
        return load(file, overrides=overrides, check_inputs=check_inputs)
    except PlanError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def cmd_plan(args: argparse.Namespace) -> int:
    plan = load_plan(args.file)
    if plan is None:
        return 2
    print(json.dumps(plan.to_json(), indent=1, ensure_ascii=False) if args.json else plan.describe())
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    logs.configure(args.log_level, args.log_file)
    plan = load_plan(args.file, executor=args.executor, root=args.root)
    if plan is None:
        return 2
    return execute(
        plan,
        ray_address=args.ray_address,
        num_cpus=args.num_cpus,
        fresh=args.fresh,
        quiet=args.quiet,
        progress_interval=args.progress_interval,
    )


EXIT_ERROR_RATE = 3  # the run finished, but some node's error rate passed max_error_rate


def execute(
    plan,  # noqa: ANN001 - a Plan (imported lazily: `corpusforge --help` stays fast)
    *,
    ray_address: str | None,
    num_cpus: int | None,
    fresh: bool,
    quiet: bool,
    label: str = "",
    progress_interval: float = 10.0,
) -> int:
    """Run a loaded plan, print its funnel and where the output is.

    Exit 0, or 2 for a user error (another run holds the root, inputs changed, ...), or 3 when the
    run finished but a node's error rate passed `[pipeline] max_error_rate`."""
    from corpusforge import stats
    from corpusforge.runtime import make_executor, run
    from corpusforge.runtime.driver import error_rates
    from corpusforge.runtime.lock import RunLock
    from corpusforge.runtime.progress import make_progress

    t0 = time.perf_counter()
    with RunLock(plan.run_dir) as lock:  # before Ray starts: a refused run costs nothing
        if lock.message:
            logging.getLogger("corpusforge.run").warning("%s", lock.message)
        executor = make_executor(plan.executor, ray_address=ray_address, num_cpus=num_cpus)
        try:
            progress = make_progress(quiet=quiet, interval_s=progress_interval)
            manifest = run(plan, executor, fresh=fresh, progress=progress, lock=lock)
        finally:
            executor.close()
    print(stats.render_rows(stats.from_manifest(manifest), stats.written_bytes(manifest)))
    final = manifest["final_nodes"]
    print(f"\n{label}finished in {time.perf_counter() - t0:.1f}s; final documents under: "
          f"{', '.join(plan.run_dir.node(n) for n in final) or '(none)'}")  # fmt: skip
    print(f"rejected rows: {plan.root}/rejected/<node>/; run manifest: {plan.run_dir.manifest}")
    too_many = {n: r for n, r in error_rates(manifest).items() if r > plan.max_error_rate}
    if too_many:
        worst = ", ".join(f"{n} {r:.1%}" for n, r in sorted(too_many.items(), key=lambda x: -x[1]))
        print(
            f"error: errors passed max_error_rate = {plan.max_error_rate:.1%} in: {worst}. The run finished "
            "and its output is complete for what could be read; see the error reasons above and the rows "
            f"under {plan.root}/rejected/ (raise [pipeline] max_error_rate to accept this).",
            file=sys.stderr,
        )
        return EXIT_ERROR_RATE
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
                "origin": registry.origin(name),
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
        source = "" if r["origin"] == "corpusforge" else f"  (from {r['origin']})"
        print(f"{r['name']}  [{r['kind']}]  {r['doc']}{source}")
        print(f"    reads:  {', '.join(r['reads']) or '-'}")
        print(f"    writes: {', '.join(r['writes']) or '-'}")
        for k, v in r["params"].items():
            shown = "(required)" if k in r["required"] else json.dumps(v, default=str, ensure_ascii=False)
            print(f"    {k} = {shown}")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from corpusforge import io, stats
    from corpusforge.rundir import RunDir

    if not io.exists(args.run_dir):
        print(f"error: {args.run_dir}: no such run directory", file=sys.stderr)
        return 2
    rows = stats.funnel(args.run_dir)
    if not rows:
        if io.exists(RunDir(args.run_dir).state("plan.json")):  # a run began here: nothing to count yet
            print(f"{args.run_dir}: a run started here and no shard has finished yet: it is running, or it "
                  "stopped early (`corpusforge run FILE` resumes it)")  # fmt: skip
            return 0
        print(f"error: {args.run_dir}: no finished shard under _done/ (is it a pipeline root? has it run?)",
              file=sys.stderr)  # fmt: skip
        return 2
    if args.json:
        print(json.dumps(stats.funnel_json(args.run_dir), indent=1, ensure_ascii=False))
        return 0
    if args.profile:
        from corpusforge.profile import render_profile

        print(render_profile(args.run_dir))
        return 0
    print(stats.render_rows(rows, stats.disk_usage(args.run_dir, [r.node for r in rows])))
    return 0
