"""`corpusforge crawl CONFIG`: a focused, polite crawl into WARC files, with per-host stats."""

from __future__ import annotations

import argparse
import json
import sys
import time


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("crawl", help="crawl the sites of a language community into WARC files (resumable)")
    p.add_argument("config", help="crawl config (TOML); see docs/crawl.md")
    p.add_argument("--out", help="output directory (overrides [crawl].output)")
    p.add_argument("--output", dest="out", default=argparse.SUPPRESS, help=argparse.SUPPRESS)  # old spelling
    p.add_argument("--num-cpus", type=int, default=0, help="Ray CPUs for host partitions (0: crawl in-process)")
    p.add_argument("--workers", dest="num_cpus", type=int, default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    p.add_argument("--ray-address", help="join an existing Ray cluster instead of starting one")
    p.add_argument("--json", action="store_true", help="print the stats as JSON")
    p.set_defaults(func=cmd_crawl)


def cmd_crawl(args: argparse.Namespace) -> int:
    from corpusforge.crawl import config as crawl_config
    from corpusforge.crawl import distributed

    try:
        config = crawl_config.load(args.config, output=args.out)
    except crawl_config.CrawlConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    pmap = _ray_map(args.num_cpus, args.ray_address) if args.num_cpus > 0 or args.ray_address else None
    if config.partitions == 1 and pmap is None:
        # One partition in this process: Ctrl-C finishes the requests in flight and stops cleanly.
        distributed.run_partition((config.model_dump(mode="json"), 0), handle_signals=True)
        report = distributed.merged_report(config)
    else:
        report = distributed.crawl(config, parallel_map=pmap)
    stats_file = f"{config.output}/crawl-stats.json"
    with open(stats_file, "w", encoding="utf-8") as fh:
        json.dump(report.to_json(), fh, indent=1, ensure_ascii=False)
    if args.json:
        print(json.dumps(report.to_json(), indent=1, ensure_ascii=False))
    else:
        print(report.render())
    files = distributed.warc_files(config.output)
    print(f"\n{len(files)} WARC file(s) under {config.output}/warc; stats: {stats_file}")
    print(f"finished in {time.perf_counter() - t0:.1f}s; rerun the same command to resume")
    return 0


def _ray_map(workers: int, address: str | None):  # noqa: ANN202 - a ParallelMap
    import ray

    from corpusforge.runtime.ray import init_ray

    init_ray(address=address, num_cpus=max(workers, 1))  # as `corpusforge run` starts or joins Ray
    # Crawling waits on the network: a partition needs little CPU, so several share a core.
    remote = ray.remote(num_cpus=0.25, max_retries=0)

    def pmap(fn, items):  # noqa: ANN001, ANN202
        task = remote(fn)
        return ray.get([task.remote(x) for x in items])

    return pmap
