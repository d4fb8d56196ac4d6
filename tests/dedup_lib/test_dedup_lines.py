"""dedup.lines: site boilerplate (CCNet-style) found by counting, cut from texts, and the stage."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from dedup_fixtures import PARAGRAPHS

from dedup.lines import LinesSpec, frequent_keys, run_lines, sites, strip, units

MENU = "Inici | Notícies | Contacte"
LEGAL = "© 2024 Ajuntament de Sueca. Tots els drets reservats."


def _page(i: int, *, site: str = "sueca.cat") -> dict:
    body = PARAGRAPHS[i % len(PARAGRAPHS)]
    # the menu changes its separators and the legal line its year: both still match
    menu = MENU.replace("|", "·") if i % 2 else MENU
    legal = LEGAL.replace("2024", str(2000 + i))
    return {"id": f"{site}-{i}", "url": f"https://www.{site}/p/{i}", "text": f"{menu}\n{body}\n\n{legal}"}


def _write(directory: Path, shards: list[list[dict]]) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for s, rows in enumerate(shards):
        path = directory / f"part-{s:05d}.parquet"
        pq.write_table(pa.Table.from_pylist(rows), path)
        paths.append(str(path))
    return paths


def test_sites_from_domain_then_url_host_then_one_for_all():
    t = pa.table(
        {
            "domain": ["a.cat", None, "", None],
            "url": ["https://x.es/1", "HTTP://User@Www.B.eus:8080/p?q", "https://c.gal/", None],
        }
    )
    assert sites(t, LinesSpec()).to_pylist() == ["a.cat", "b.eus", "c.gal", ""]
    assert sites(t, LinesSpec(scope="corpus")).to_pylist() == ["", "", "", ""]
    assert sites(pa.table({"text": ["x"]}), LinesSpec()).to_pylist() == [""]


def test_units_normalise_case_digits_and_punctuation_per_site():
    texts = pa.array([f"{MENU}\n\n  \n{LEGAL}", f"{MENU.upper().replace('|', '·')}\n{LEGAL.replace('2024', '1999')}"])
    u = units(texts, pa.array(["a.cat", "a.cat"]), LinesSpec())
    assert u.parent.tolist() == [0, 0, 0, 0, 1, 1]
    assert u.keys[2] == 0 and u.keys[1] == 0  # blank lines are never keys
    assert u.keys[0] == u.keys[4] and u.keys[3] == u.keys[5]
    other_site = units(texts, pa.array(["b.cat", "b.cat"]), LinesSpec())
    assert other_site.keys[0] != u.keys[0]


def test_boilerplate_is_cut_and_content_kept(tmp_path):
    a = [_page(i) for i in range(6)]
    b = [_page(i, site="vigo.gal") for i in range(3)]  # the same menu on another site, only 3 pages
    only_boilerplate = {"id": "empty", "url": "https://sueca.cat/x", "text": f"{MENU}\n{LEGAL}"}
    repeated_body = [{"id": f"r{i}", "url": "https://sueca.cat/r", "text": PARAGRAPHS[0]} for i in range(2)]
    paths = _write(tmp_path / "in", [a[:3] + [only_boilerplate], a[3:] + b + repeated_body])
    spec = LinesSpec(max_repeats=3, partitions=4)
    summary = run_lines(spec, inputs=paths, workdir=str(tmp_path / "w"))
    assert summary["docs"] == 12
    assert summary["frequent_units"] == 2  # menu and legal line of sueca.cat only
    frequent = frequent_keys(str(tmp_path / "w"))
    rows = pq.read_table(paths[0])
    text, removed, emptied = strip(rows.column("text"), sites(rows, spec), frequent, spec)
    assert text.to_pylist()[0] == PARAGRAPHS[0] + "\n"  # the blank line before the legal line stays
    assert removed.tolist() == [2, 2, 2, 2]
    assert emptied.tolist() == [False, False, False, True]
    assert text.to_pylist()[3] == only_boilerplate["text"]  # an emptied row keeps its text (rejected whole)
    rows1 = pq.read_table(paths[1])
    text1, removed1, _ = strip(rows1.column("text"), sites(rows1, spec), frequent, spec)
    assert removed1.tolist() == [2, 2, 2, 0, 0, 0, 0, 0]  # vigo.gal: 3 pages are not more than 3
    assert text1.to_pylist()[3:] == rows1.column("text").to_pylist()[3:]  # untouched byte for byte


def test_paragraph_unit_and_nothing_frequent(tmp_path):
    rows = [{"id": str(i), "url": "https://a.cat/", "text": f"{PARAGRAPHS[i]}\n\n{LEGAL}"} for i in range(5)]
    paths = _write(tmp_path / "in", [rows])
    spec = LinesSpec(unit="paragraph", max_repeats=4, partitions=2)
    run_lines(spec, inputs=paths, workdir=str(tmp_path / "w"))
    t = pq.read_table(paths[0])
    text, removed, _ = strip(t.column("text"), sites(t, spec), frequent_keys(str(tmp_path / "w")), spec)
    assert removed.tolist() == [1] * 5 and text.to_pylist() == PARAGRAPHS[:5]
    strict = LinesSpec(unit="paragraph", max_repeats=5, partitions=2)
    run_lines(strict, inputs=paths, workdir=str(tmp_path / "w2"))
    text, removed, _ = strip(t.column("text"), sites(t, strict), frequent_keys(str(tmp_path / "w2")), strict)
    assert removed.tolist() == [0] * 5 and text.equals(t.column("text").combine_chunks())


def test_lines_stage_in_a_pipeline(tmp_path):
    from corpusforge import plan as plan_mod
    from corpusforge import stats
    from corpusforge.runtime import run
    from corpusforge.runtime.local import LocalExecutor

    src = tmp_path / "in"
    src.mkdir()
    docs = [_page(i) for i in range(8)] + [{"id": "empty", "url": "https://sueca.cat/x", "text": f"{MENU}\n{LEGAL}"}]
    for s in range(2):
        with (src / f"docs-{s}.jsonl").open("w", encoding="utf-8") as fh:
            for d in docs[s::2]:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    root = tmp_path / "run"
    raw = {
        "pipeline": {"name": "lines-test", "root": str(root), "executor": "local", "batch_size": 3},
        "node": [
            {"id": "ingest", "stage": "ingest.jsonl.v1", "params": {"paths": [str(src / "*.jsonl")]}},
            {"id": "boiler", "stage": "dedup.lines.v1", "inputs": ["ingest"], "params": {"partitions": 3}},
        ],
    }
    run(plan_mod.from_dict(raw), LocalExecutor())
    kept = pa.concat_tables(pq.read_table(p) for p in sorted((root / "boiler").glob("part-*.parquet")))
    by_id = {r["id"]: r for r in kept.to_pylist()}
    assert set(by_id) == {f"sueca.cat-{i}" for i in range(8)}
    assert all(MENU not in r["text"] and "drets reservats" not in r["text"] for r in by_id.values())
    assert by_id["sueca.cat-1"]["text"].startswith(PARAGRAPHS[1]) and by_id["sueca.cat-1"]["dup_lines"] == 2
    rejected = pq.read_table(sorted((root / "rejected" / "boiler").glob("part-*.parquet"))[0]).to_pylist()
    assert [(r["id"], r["drop_reason"]) for r in rejected] == [("empty", "dup:lines")]
    funnel = {s.node: s for s in stats.funnel(str(root))}
    assert funnel["boiler"].docs_in == 9 and funnel["boiler"].kept == 8
    assert dict(funnel["boiler"].rejected) == {"dup:lines": 1}


# Lines that fold to the same key only through each step of the normalisation: NFC, case, digits,
# apostrophes, punt volat, Unicode punctuation and spaces, non-ASCII numerals, supplementary planes.
TRICKY = [
    f"{MENU}\r\n{LEGAL}\n\n  \t \n-----\n· · ·",
    "Cafe\u0301 del COL.LEGI\nL’Ajuntament i lʼescola\n\u00a0Avís\u200blegal\u00a0",
    "café del col·legi\nl'ajuntament i l'escola\n avís legal ",
    "m² ½ ٣ Ⅻ 2024\nmb 00 0 0 0000\n😀emoji😀 𝒜bc İstanbul ΣΑΣ ǅ ß \u212a",
    "q\u0301 ç\u0327\n\u0301inici\n" + "llarg " * 20 + "\n" + "x" * 70 + "ç" * 10,
    "",
    None,
    "col•legi col‧legi col∙legi\n\n\n---\n",
]


def _regex_keys(texts: pa.Array, site: pa.Array, spec: LinesSpec) -> np.ndarray:
    """The keys as the regex path defines them: `normalize`, then non-words to one space."""
    import pyarrow.compute as pc

    from dedup.hashing import combine, hash_strings
    from dedup.normalize import normalize

    arr = pc.fill_null(texts, "")
    lists = pc.split_pattern(arr, "\n") if spec.unit == "line" else pc.split_pattern_regex(arr, r"\n[ \t\r\f\v]*\n")
    parent = pc.list_parent_indices(lists).to_numpy()
    norm = normalize(pc.list_flatten(lists), fold_digits=spec.fold_digits)
    norm = pc.utf8_trim_whitespace(pc.replace_substring_regex(norm, r"[^\pL\pN]+", " "))
    keys = combine([hash_strings(site, seed=7)[parent], hash_strings(norm, seed=11)], seed=13)
    keys[keys == 0] = 1
    keys[pc.equal(pc.utf8_length(norm), 0).to_numpy(zero_copy_only=False)] = 0
    return keys


@pytest.mark.parametrize("unit", ["line", "paragraph"])
@pytest.mark.parametrize("fold_digits", [True, False])
def test_unit_keys_are_those_of_the_regex_normalisation(unit, fold_digits):
    texts = pa.array(TRICKY + PARAGRAPHS)
    spec = LinesSpec(unit=unit, fold_digits=fold_digits)
    site = pa.array(["a.cat", "a.cat", "a.cat", "", "c.gal", "b.eus", "a.cat", "b.eus"] + ["a.cat"] * len(PARAGRAPHS))
    u = units(texts, site, spec)
    assert u.keys.tolist() == _regex_keys(texts, site, spec).tolist()
    if unit == "line":  # the steps above do fold these lines together
        assert u.keys[6:9].tolist() == u.keys[9:12].tolist() and 0 not in u.keys[6:12]
    # sliced and chunked input (offsets that do not start at 0) gives the same keys
    chunked = pa.chunked_array([texts.slice(0, 3), texts.slice(3)])
    assert units(chunked, site, spec).keys.tolist() == u.keys.tolist()
    assert units(texts.slice(2), site.slice(2), spec).keys.tolist() == u.keys[u.parent >= 2].tolist()


def test_squeezed_words_agree_with_the_regex_path_on_random_text():
    """`squeeze_words` classifies bytes itself; random strings of awkward characters check it against RE2."""
    import random

    import pyarrow.compute as pc

    from dedup.normalize import fold_case, normalize, squeeze_words

    alphabet = list(
        "aAbZ09 \t\r-.,·'’‘ʼ´`•‧∙lLçÇéÉñßİıΣς²½٣Ⅻ\u0301\u0327\u00a0\u200b\u3000…«»😀𝒜\u212a\ufb01ǅ\x0b\x1c\x85"
    )
    rng = random.Random(7)
    texts = pa.array(["".join(rng.choices(alphabet + ["col.legi", "L•L"], k=rng.randint(0, 30))) for _ in range(3000)])
    for fold in (False, True):
        regex = pc.replace_substring_regex(normalize(texts, fold_digits=fold), r"[^\pL\pN]+", " ")
        assert (
            squeeze_words(fold_case(texts), fold_digits=fold).to_pylist() == pc.utf8_trim_whitespace(regex).to_pylist()
        )


def _plain(stripped: tuple) -> list:
    text, removed, emptied = stripped
    return [text.to_pylist(), removed.tolist(), emptied.tolist()]


def test_strip_reuses_the_keys_counted_for_the_shard(tmp_path):
    from dedup.lines import shard_keys

    rows = [_page(i) for i in range(7)] + [{"id": "x", "url": "https://sueca.cat/x", "text": f"{MENU}\n{LEGAL}"}]
    paths = _write(tmp_path / "in", [rows])
    spec = LinesSpec(max_repeats=3, partitions=2, batch_rows=3)
    workdir = str(tmp_path / "w")
    run_lines(spec, inputs=paths, workdir=workdir, shard_ids=[4])
    frequent, table = frequent_keys(workdir), pq.read_table(paths[0])
    counted = shard_keys(workdir, 4)
    assert len(counted) == len(rows)
    for first in range(0, len(rows), 3):  # batch by batch, as the stage strips a shard
        batch = table.slice(first, 3)
        args = (batch.column("text"), sites(batch, spec), frequent, spec)
        keyed_again = strip(*args)
        assert keyed_again[1].sum() > 0
        assert _plain(strip(*args, keys=counted.slice(first, 3))) == _plain(keyed_again)
    args = (table.column("text"), sites(table, spec), frequent, spec)
    # the given keys are the ones used (all zeros: nothing is boilerplate) ...
    zeros = pa.array([[0] * len(k) for k in counted.to_pylist()], counted.type)
    assert strip(*args, keys=zeros)[1].sum() == 0
    # ... unless they are not the texts' (other rows): then the units are keyed again
    assert _plain(strip(*args, keys=counted.slice(1))) == _plain(strip(*args))
