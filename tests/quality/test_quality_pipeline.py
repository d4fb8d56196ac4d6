"""signals -> filter -> url -> pii as pipeline nodes: accounting balances, rejected rows keep signals."""

import json

import pyarrow.parquet as pq
from quality_texts import CLEAN, JUNK

from corpusforge import plan as plan_mod
from corpusforge import stats
from corpusforge.runtime import run
from corpusforge.runtime.local import LocalExecutor

PIPELINE = """
[pipeline]
name = "quality-test"
root = "{root}"
executor = "local"

[[node]]
id = "ingest"
stage = "ingest.jsonl.v1"
params = {{ paths = ["{inp}"], columns = ["url"] }}

[[node]]
id = "urls"
stage = "url.filter.v1"
inputs = ["ingest"]
params = {{ ut1_lists = false }}

[[node]]
id = "signals"
stage = "quality.signals.v1"
inputs = ["urls"]

[[node]]
id = "quality"
stage = "quality.filter.v1"
inputs = ["signals"]

[[node]]
id = "pii"
stage = "pii.redact.v1"
inputs = ["quality"]
"""


def test_pipeline_accounts_for_every_document(tmp_path):
    rows = [
        {
            "id": f"c-{tag}",
            "text": text + "\nContacte: premsa@exemple.cat",
            "lang_tag": tag,
            "url": f"https://x.{tag}/a",
        }
        for tag, text in CLEAN.items()
    ]
    rows += [{"id": f"j-{k}", "text": t, "lang_tag": "es", "url": "https://x.es/b"} for k, t in JUNK.items()]
    rows.append({"id": "porn", "text": CLEAN["es"], "lang_tag": "es", "url": "https://www.pornhub.com/x"})
    (tmp_path / "in.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    toml = tmp_path / "p.toml"
    toml.write_text(PIPELINE.format(root=tmp_path / "run", inp=tmp_path / "in.jsonl"))
    plan = plan_mod.load(toml)
    run(plan, LocalExecutor())
    root = tmp_path / "run"
    for node_stats in stats.load_run(str(root)).values():
        for shard in node_stats:
            assert shard.balanced, shard.to_json()
    kept = pq.read_table(root / "pii" / "part-00000.parquet")
    assert sorted(kept.column("id").to_pylist()) == sorted(f"c-{t}" for t in CLEAN)
    assert all("<EMAIL>" in t for t in kept.column("text").to_pylist())
    assert kept.column("pii_email").to_pylist() == [1] * len(CLEAN)
    rejected = pq.read_table(root / "rejected" / "quality" / "part-00000.parquet")
    assert rejected.num_rows == len(JUNK)
    assert all(r.startswith("quality:") for r in rejected.column("drop_reason").to_pylist())
    assert rejected.column("q_words").null_count == 0
    url_rejected = pq.read_table(root / "rejected" / "urls" / "part-00000.parquet")
    assert url_rejected.column("drop_reason").to_pylist() == ["url:blocked_domain"]
