"""Provenance end to end: from a WARC file to the final shards, every kept document carries its
source record, fetch date and the robots and licence signals seen at crawl time."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from release_fixtures import CC_BY_SA, OPTED_OUT, PAGES, run_release
from warcio.archiveiterator import ArchiveIterator

from corpusforge.rundir import RunDir


def _final_rows(root: Path) -> dict[str, dict]:
    run = RunDir(str(root))
    (final,) = run.final_nodes()
    files = sorted(Path(run.node(final)).glob("*/*.parquet"))
    return {r["url"]: r for f in files for r in pq.read_table(f).to_pylist()}


def _record_at(source: str) -> tuple[str, str]:
    """(WARC-Target-URI, WARC-Date) of the record a `source` value points at."""
    path, offset = source.rsplit("@", 1)
    with open(path, "rb") as fh:
        fh.seek(int(offset))
        record = next(iter(ArchiveIterator(fh)))
        return record.rec_headers.get_header("WARC-Target-URI"), record.rec_headers.get_header("WARC-Date")


@pytest.fixture(scope="module")
def release_run(tmp_path_factory) -> Path:
    return run_release(tmp_path_factory.mktemp("release"))


def test_every_final_document_points_at_its_warc_record_and_fetch_date(release_run):
    rows = _final_rows(release_run)
    assert len(rows) == 5
    for url, row in rows.items():
        assert _record_at(row["source"]) == (url, row["fetch_time"])
        assert row["source"].startswith(str(release_run.parent / "in" / "release.warc.gz") + "@")


def test_robots_and_licence_signals_reach_the_final_shards(release_run):
    rows = _final_rows(release_run)
    assert rows["https://diari.example.cat/mercat"]["robots"] == "nofollow,noindex"
    assert rows["https://vila.example.gal/muino"]["license_url"] == CC_BY_SA
    plain = rows["https://diario.example.es/carril-bici"]
    assert plain["robots"] is None and plain["license_url"] is None


def test_pages_that_opt_out_of_ai_training_are_rejected_with_a_reason(release_run):
    rejected = pq.read_table(sorted((release_run / "rejected" / "urls").glob("part-*.parquet"))[0]).to_pylist()
    assert {r["url"]: (r["drop_reason"], r["robots"]) for r in rejected} == {
        url: ("url:ai_optout", robots) for url, robots in OPTED_OUT.items()
    }
    assert not OPTED_OUT.keys() & _final_rows(release_run).keys()


def test_without_the_option_opted_out_pages_are_kept_with_their_signals(tmp_path):
    rows = _final_rows(run_release(tmp_path, respect_ai_optout=False))
    assert {url: rows[url]["robots"] for url in OPTED_OUT} == OPTED_OUT
    assert len(rows) == len(PAGES) - 1  # all but the page that repeats an evaluation item
