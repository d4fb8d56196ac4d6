"""Hosts partitioned across workers: each host in one partition, hand-offs delivered, politeness kept."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from crawl_fixtures import make_config
from crawl_site import EU, Response, Site, page
from test_crawl_resume import to_toml

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.crawl import distributed
from corpusforge.crawl.partition import partition_of
from corpusforge.crawl.urls import host_of
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor


def _small(site: Site, out: Path, partitions: int):
    # Seeds on html_robots only: its /eu page links to main, which may live in another partition.
    return make_config(
        site,
        out,
        partitions=partitions,
        seeds=[site.base("html_robots") + "/eu", site.base("closed") + "/"],
        sitemaps=[],
        scope={"domains": ["127.0.0.1"], "max_depth": 1},
        politeness={"delay_s": 0.05, "concurrency": 4},
    )


def _ports_in_distinct_partitions(site: Site, partitions: int) -> bool:
    hosts = [host_of(site.base(h) + "/") for h in ("html_robots", "main")]
    return len({partition_of(h, partitions) for h in hosts}) == 2


def test_partition_of_is_stable_and_spread() -> None:
    hosts = [f"www.site{i}.cat" for i in range(400)]
    parts = Counter(partition_of(h, 4) for h in hosts)
    assert set(parts) == {0, 1, 2, 3} and min(parts.values()) > 60
    assert partition_of("WWW.Site1.cat", 4) == partition_of("www.site1.cat", 4)
    assert all(partition_of(h, 1) == 0 for h in hosts)


def test_rounds_deliver_handoffs_between_partitions(site: Site, tmp_path: Path) -> None:
    partitions = next(n for n in range(2, 40) if _ports_in_distinct_partitions(site, n))
    config = _small(site, tmp_path / "crawl", partitions)
    main = site.base("main")
    site.routes["html_robots"]["/eu"] = lambda _n: Response(body=page("eu", EU, [f"{main}/p/3", "/gl"]))
    report = distributed.crawl(config)
    assert report.totals["fetched"] == 3  # /eu and /gl in one partition, main's /p/3 in another
    assert Counter(h.path for h in site.hits("main")) == Counter({"/robots.txt": 1, "/p/3": 1})
    owners = {partition_of(host_of(site.base(h) + "/"), partitions) for h in ("main", "html_robots")}
    written = {int(f.name.split("-")[1][1:]) for f in distributed.warc_files(config.output)}
    assert written == owners


def test_focused_crawl_stage_in_a_pipeline(site: Site, tmp_path: Path) -> None:
    config = _small(site, tmp_path / "crawl", 1)
    crawl_toml = tmp_path / "crawl.toml"
    crawl_toml.write_text(to_toml(config.model_dump(mode="json")), encoding="utf-8")
    pipeline = tmp_path / "p.toml"
    pipeline.write_text(
        f'[pipeline]\nname = "c"\nroot = "{tmp_path / "run"}"\nexecutor = "local"\n'
        f'[[node]]\nid = "crawl"\nstage = "crawl.focused.v1"\nparams = {{ config = "{crawl_toml}" }}\n',
        encoding="utf-8",
    )
    plan = plan_mod.load(pipeline)
    run(plan, LocalExecutor())
    node = stats.total(stats.load_run(str(tmp_path / "run"))["crawl"])
    assert node.balanced and node.kept == 2  # /eu and /gl; the disallowed page was never fetched
    table = pq.read_table(tmp_path / "run" / "crawl" / "part-00000.parquet")
    assert sorted(u.rsplit("/", 1)[1] for u in table.column("url").to_pylist()) == ["eu", "gl"]
    assert all("<html" in h for h in table.column("html").to_pylist())


@pytest.mark.ray
def test_partitions_on_ray_keep_the_delay(site: Site, tmp_path: Path, ray_session) -> None:
    config = make_config(site, tmp_path / "crawl", partitions=3, politeness={"delay_s": 0.1, "concurrency": 2})

    def ray_map(fn, items):  # noqa: ANN001, ANN202
        task = ray_session.remote(num_cpus=0.25, max_retries=0)(fn)
        return ray_session.get([task.remote(x) for x in items])

    report = distributed.crawl(config, parallel_map=ray_map)
    assert report.totals["fetched"] >= 14 and "queued" not in report.totals
    for host in ("main", "html_robots"):
        times = sorted(h.at for h in site.hits(host))
        assert min(b - a for a, b in zip(times, times[1:])) >= 0.1 - 0.01
    per_path = Counter((h.host, h.path) for h in site.hits())
    retried = {("main", "/broken"), ("main", "/slow"), ("main", "/busy"), ("robots_500", "/robots.txt")}
    assert all(n == 1 for k, n in per_path.items() if k not in retried), per_path
