"""corpusforge.stats: per-shard accounting, totals, the funnel of a run and its rendering."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyarrow as pa

from corpusforge import stats
from corpusforge.stats import NodeStats


def test_reasons_split_into_rejections_and_errors_and_balance() -> None:
    st = NodeStats(node="lang", shard=3, docs_in=6)
    st.count_reasons(pa.array(["lang:fr", "lang:fr", "error:exception:ValueError", "lang:und"]))
    st.count_kept(pa.table({"lang_tag": ["ca", "ca-valencia"]}))
    assert st.rejected == Counter({"lang:fr": 2, "lang:und": 1})
    assert st.errors == Counter({"error:exception:ValueError": 1})
    assert st.kept_by_lang == Counter({"ca": 1, "ca-valencia": 1})
    assert st.balanced
    st.docs_in += 1
    assert not st.balanced
    assert NodeStats.from_json(st.to_json()) == st


def test_total_adds_shards() -> None:
    a = NodeStats(node="q", shard=0, docs_in=3, kept=2, rejected=Counter({"quality:x": 1}), seconds=1.0)
    b = NodeStats(node="q", shard=1, docs_in=2, kept=1, errors=Counter({"error:y": 1}), seconds=0.5)
    t = stats.total([a, b])
    assert (t.docs_in, t.kept, t.rejected["quality:x"], t.errors["error:y"], t.seconds) == (5, 3, 1, 1, 1.5)


def test_load_run_orders_nodes_as_the_manifest_and_lists_unreached_ones(tmp_path: Path) -> None:
    done = tmp_path / "_done"
    (done / "ingest").mkdir(parents=True)
    (done / "exact").mkdir(parents=True)
    for shard in (1, 0):
        entry = [NodeStats(node="ingest", shard=shard, docs_in=2, kept=2).to_json()]
        (done / "ingest" / f"{shard:05d}.json").write_text(json.dumps(entry))
    (done / "exact" / "_prepare.json").write_text(json.dumps({"shards": [0, 1]}))  # not a shard's marker
    nodes = [{"id": "ingest"}, {"id": "exact"}, {"id": "write"}]
    (tmp_path / "manifest.json").write_text(json.dumps({"nodes": nodes}))
    loaded = stats.load_run(str(tmp_path))
    assert list(loaded) == ["ingest", "exact", "write"]
    assert [s.shard for s in loaded["ingest"]] == [0, 1]
    funnel = {s.node: s for s in stats.funnel(str(tmp_path))}
    assert funnel["ingest"].docs_in == 4 and funnel["write"].docs_in == 0


def test_render_rows_shows_reasons_rates_and_sizes() -> None:
    row = NodeStats(
        node="langfilter",
        shard=-1,
        docs_in=100,
        kept=90,
        rejected=Counter({"lang:fr": 10}),
        seconds=2.0,
        kept_by_lang=Counter({"es": 60, "gl": 30}),
    )
    text = stats.render_rows([row], {"langfilter": 2_500_000})
    header, line, *rest = text.splitlines()
    assert header.split() == ["node", "in", "kept", "rejected", "errors", "sec", "docs/s", "MB"]
    assert line.split() == ["langfilter", "100", "90", "10", "0", "2.0", "50", "2.5"]
    assert any("lang:fr" in r and r.split()[-1] == "10" for r in rest)
    assert rest[-1].strip() == "kept by lang_tag: es 60, gl 30"
