"""The spill-to-Parquet phases end to end: clusters, bad input, the incremental index, retries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dedup_fixtures import PARAGRAPHS, edit_words, long_doc, write_parquet

from dedup import DedupSpec, decisions, run_dedup
from dedup.index import IndexMismatch


def _dropped(workdir: str, shards: int) -> dict[str, tuple[str, str]]:
    out = {}
    for s in range(shards):
        for row in decisions(workdir, s).to_pylist():
            if row["reason"] is not None:
                out[row["id"]] = (row["reason"], row["cluster"])
    return out


@pytest.fixture
def corpus(tmp_path: Path) -> list[str]:
    shard0 = [long_doc(i) for i in range(40)]
    shard1 = [long_doc(i) for i in range(40, 80)]
    shard1[3] = edit_words(long_doc(5), changes=1, seed=1)  # near copy of d0-5, other shard
    shard1[4] = long_doc(6).upper().replace(" ", "  ")  # exact after normalisation
    shard0[30] = edit_words(long_doc(5), changes=25, seed=2)  # heavily edited: not a duplicate
    return write_parquet(tmp_path / "in", [shard0, shard1])


def test_near_and_exact_duplicates_across_shards(corpus, tmp_path):
    summary = run_dedup(DedupSpec(partitions=4), inputs=corpus, workdir=str(tmp_path / "w"))
    dropped = _dropped(str(tmp_path / "w"), 2)
    assert dropped == {"d1-3": ("near", "d0-5"), "d1-4": ("near", "d0-6")}
    assert summary["docs"] == 80 and summary["duplicates"] == 2


def test_exact_mode_only_finds_normalised_equal_texts(corpus, tmp_path):
    run_dedup(DedupSpec(mode="exact", partitions=3), inputs=corpus, workdir=str(tmp_path / "w"))
    assert _dropped(str(tmp_path / "w"), 2) == {"d1-4": ("exact", "d0-6")}


def test_keep_longest_and_quality(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    base = long_doc(1)
    texts = [base, base + " Una frase més al final.", base]
    path = tmp_path / "part-00000.parquet"
    pq.write_table(pa.table({"id": ["a", "b", "c"], "text": texts, "q_score": [0.1, 0.2, 0.9]}), path)
    run_dedup(DedupSpec(keep="longest"), inputs=[str(path)], workdir=str(tmp_path / "l"))
    assert _dropped(str(tmp_path / "l"), 1) == {"a": ("near", "b"), "c": ("near", "b")}
    run_dedup(DedupSpec(keep="quality", score_column="q_score"), inputs=[str(path)], workdir=str(tmp_path / "q"))
    assert _dropped(str(tmp_path / "q"), 1) == {"a": ("near", "c"), "b": ("near", "c")}


def test_bad_input_empty_one_word_thousands_identical_and_5mb(tmp_path):
    big = (" ".join(PARAGRAPHS) + " ") * 2400
    assert len(big) > 5_000_000
    shard0 = ["", "", "Hola", "hola!", "Adéu", big] + [PARAGRAPHS[0]] * 1000
    shard1 = [None, big, long_doc(3)] + [PARAGRAPHS[0]] * 500
    paths = write_parquet(tmp_path / "in", [shard0, shard1])
    summary = run_dedup(DedupSpec(), inputs=paths, workdir=str(tmp_path / "w"))
    dropped = _dropped(str(tmp_path / "w"), 2)
    assert dropped["d0-1"] == ("exact", "d0-0") and dropped["d1-0"] == ("exact", "d0-0")  # empty and null
    assert dropped["d0-3"] == ("exact", "d0-2")  # one word, same after normalisation
    assert "d0-4" not in dropped and "d1-2" not in dropped
    assert dropped["d1-1"] == ("near", "d0-5")  # the two 5 MB copies
    identical = [k for k, v in dropped.items() if v[1] == "d0-6"]
    assert len(identical) == 1499
    assert summary["duplicates"] == 1499 + 4
    assert summary["short_docs"] == 6


def test_index_round_trip_deduplicates_the_next_crawl(corpus, tmp_path):
    spec = DedupSpec(partitions=4)
    index = str(tmp_path / "index")
    run_dedup(spec, inputs=corpus, workdir=str(tmp_path / "w1"), index_out=index)
    next_crawl = write_parquet(
        tmp_path / "crawl2",
        [[edit_words(long_doc(7), changes=1, seed=3), long_doc(100), long_doc(100), long_doc(12)]],
        prefix="n",
    )
    index2 = str(tmp_path / "index2")
    summary = run_dedup(spec, inputs=next_crawl, workdir=str(tmp_path / "w2"), index_in=index, index_out=index2)
    assert _dropped(str(tmp_path / "w2"), 1) == {
        "n0-0": ("near", "d0-7"),
        "n0-2": ("near", "n0-1"),
        "n0-3": ("near", "d0-12"),
    }
    assert summary["duplicates_of_index"] == 2
    # the second index holds the first one plus the new document that was kept
    third = write_parquet(tmp_path / "crawl3", [[long_doc(100), long_doc(41)]], prefix="t")
    run_dedup(spec, inputs=third, workdir=str(tmp_path / "w3"), index_in=index2)
    assert _dropped(str(tmp_path / "w3"), 1) == {"t0-0": ("near", "n0-1"), "t0-1": ("near", "d1-1")}
    with pytest.raises(IndexMismatch):
        run_dedup(DedupSpec(partitions=8), inputs=third, workdir=str(tmp_path / "w4"), index_in=index2)


def _crash_first_attempt(marker_dir: str, fn):
    """Kill the worker process the first time partition 0 is clustered (a real crash, not an exception)."""

    def wrapped(task):
        marker = os.path.join(marker_dir, "crashed")
        if task[2] == 0 and not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
        return fn(task)

    return wrapped


@pytest.mark.ray
def test_a_crashed_partition_is_retried_by_ray_with_the_same_result(corpus, tmp_path, ray_session):
    from corpusforge.runtime.ray import RayExecutor
    from dedup.partitioned import cluster_phase

    reference = str(tmp_path / "local")
    run_dedup(DedupSpec(partitions=4), inputs=corpus, workdir=reference)
    executor = RayExecutor()

    def crashing_map(fn, items):
        if fn is cluster_phase:
            fn = _crash_first_attempt(str(tmp_path), fn)
        return executor.map(fn, items)

    work = str(tmp_path / "ray")
    run_dedup(DedupSpec(partitions=4), inputs=corpus, workdir=work, map_fn=crashing_map)
    assert (tmp_path / "crashed").exists()
    for s in range(2):
        assert decisions(work, s).equals(decisions(reference, s))


def test_an_index_of_another_signature_version_is_refused(corpus, tmp_path):
    import json

    spec = DedupSpec(partitions=4)
    index = tmp_path / "index"
    run_dedup(spec, inputs=corpus[:1], workdir=str(tmp_path / "w1"), index_out=str(index))
    info = json.loads((index / "index.json").read_text())
    info["fingerprint"]["signature_version"] = 1  # written by the uint64 signatures of before
    (index / "index.json").write_text(json.dumps(info))
    with pytest.raises(IndexMismatch, match="signature_version"):
        run_dedup(spec, inputs=corpus[1:], workdir=str(tmp_path / "w2"), index_in=str(index))
