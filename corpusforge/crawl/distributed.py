"""A crawl over several host partitions, in rounds, with any parallel map (in-process or Ray).

Round r runs every partition that has work (queued URLs or unread hand-offs) side by side;
each crawls its own hosts until its queue is empty. Links to other partitions' hosts travel
through the hand-off files and are crawled in the next round. The crawl ends when no
partition has work, or after `max_rounds`. A host is crawled by one partition, and a
partition by one worker at a time, so the per-host delay holds with any number of workers.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpusforge.crawl import partition as parts
from corpusforge.crawl.config import CrawlConfig
from corpusforge.crawl.crawler import Crawler, frontier_path
from corpusforge.crawl.focus import load_identifier
from corpusforge.crawl.frontier import Frontier
from corpusforge.crawl.report import CrawlReport, from_frontiers

ParallelMap = Callable[[Callable[[Any], Any], list[Any]], list[Any]]


def run_partition(args: tuple[dict[str, Any], int], *, handle_signals: bool = False) -> dict[str, Any]:
    """Crawl one partition to exhaustion (a Ray task or a local call); returns its report as JSON.

    With `handle_signals` (the main thread of a CLI process), SIGINT/SIGTERM finish the
    requests in flight and stop cleanly; a second signal is not needed.
    """
    raw, partition = args
    config = CrawlConfig.model_validate(raw)
    identify, why = load_identifier() if config.focus.languages else (None, "")
    crawler = Crawler(config, partition=partition, identify=identify)
    if handle_signals:
        _install_stop(crawler)
    report = crawler.run().to_json()
    report["focus"] = why or ("on" if identify else "off")
    report["stopped"] = crawler.stopped
    crawler.frontier.close()
    return report


def _install_stop(crawler: Crawler) -> None:
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: crawler.stop())
    except ValueError:  # not the main thread (a Ray worker thread): Ray cancels tasks itself
        pass


def pending_work(config: CrawlConfig, partition: int) -> int:
    """Queued URLs plus hand-off lines not read yet: 0 means the partition has nothing to do."""
    path = frontier_path(config.output, partition)
    if not path.exists():
        return 1 if _owns_seed(config, partition) else len(parts.read_new(config.output, partition, {}))
    fr = Frontier(path)
    try:
        read = fr.inbox_lines()
        return fr.queued() + sum(len(items) for _, _, items in parts.read_new(config.output, partition, read))
    finally:
        fr.close()


def _owns_seed(config: CrawlConfig, partition: int) -> bool:
    from corpusforge.crawl.urls import canonicalize, host_of

    urls = [canonicalize(u) for u in config.seeds + config.sitemaps]
    return any(u is not None and parts.partition_of(host_of(u), config.partitions) == partition for u in urls) or (
        partition == 0 and any(u is None for u in urls)  # partition 0 records malformed seeds
    )


def crawl(config: CrawlConfig, *, parallel_map: ParallelMap | None = None, max_rounds: int = 20) -> CrawlReport:
    """Run rounds until no partition has work; returns the merged report."""
    pmap = parallel_map or (lambda fn, items: [fn(x) for x in items])
    raw = config.model_dump(mode="json")
    for _ in range(max_rounds):
        todo = [p for p in range(config.partitions) if pending_work(config, p)]
        if not todo:
            break
        results = pmap(run_partition, [(raw, p) for p in todo])
        if all(r.get("stopped") for r in results):
            break
    return merged_report(config)


def merged_report(config: CrawlConfig) -> CrawlReport:
    frontiers = [
        Frontier(frontier_path(config.output, p))
        for p in range(config.partitions)
        if frontier_path(config.output, p).exists()
    ]
    try:
        return from_frontiers(frontiers, targets=tuple(config.focus.languages))
    finally:
        for fr in frontiers:
            fr.close()


def warc_files(output: str | Path, *, partition: int | None = None) -> list[Path]:
    """The closed WARC files of a crawl (or of one partition), in name order."""
    pattern = "*.warc.gz" if partition is None else f"*-p{partition:05d}-*.warc.gz"
    return sorted((Path(output) / "warc").glob(pattern))
