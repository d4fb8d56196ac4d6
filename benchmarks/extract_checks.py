"""Output checks of benchmarks/extract.py beyond the gold snippets.

- `held_out`: the pages the extractors' rules were NOT tuned on: readability's test pages
  (html/readability-test-pages: word precision and recall against `expected.html`) and goose3's
  (html/goose3: is the expected first paragraph there);
- `fallback_share`: how often extract.resiliparse.v2 hands a page to trafilatura;
- `kept_sets`: the shipped pipeline (pipelines/iberian-web.toml without pack) over the gold pages
  with extract.trafilatura.v1 and with extract.resiliparse.v2: which documents each keeps.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[1] / "shared" / "data" / "html"
SHIPPED = HERE.parent / "pipelines" / "iberian-web.toml"


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text.lower()))


def _space(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def held_out(extractors: dict[str, Callable[[str], str]]) -> list[tuple[str, str, str]]:
    """(page, extractor, figure): word precision / recall, or whether goose3's paragraph is there."""
    import lxml.html

    rows = []
    for d in sorted((DATA / "readability-test-pages").iterdir()):
        expected = _words(lxml.html.fromstring((d / "expected.html").read_bytes()).text_content())
        page = (d / "source.html").read_bytes().decode("utf-8", "replace")
        for name, extract in extractors.items():
            got = _words(extract(page))
            common = sum((got & expected).values())
            p, r = common / max(sum(got.values()), 1), common / max(sum(expected.values()), 1)
            rows.append((d.name, name, f"precision {p:.3f}, recall {r:.3f}"))
    for f in sorted((DATA / "goose3").glob("*.json")):
        expected_text = _space(json.loads(f.read_text(encoding="utf-8"))["expected"]["cleaned_text"])
        page = f.with_suffix(".html").read_bytes().decode("utf-8", "replace")
        for name, extract in extractors.items():
            rows.append(
                (f.stem, name, "first paragraph " + ("kept" if expected_text in _space(extract(page)) else "lost"))
            )
    return rows


def fallback_share(pages: list[bytes]) -> float:
    from corpusforge.extract.html import pruned_extract

    return sum(pruned_extract(p)[1] for p in pages) / max(len(pages), 1)


def kept_sets(warc_dir: Path, tmp: Path) -> dict[str, set[str]]:
    """Extract stage -> URLs the shipped pipeline keeps (in-process) over the WARC files of `warc_dir`."""
    import pyarrow.dataset as ds

    from corpusforge import plan as plan_mod
    from corpusforge.runtime import run
    from corpusforge.runtime.local import LocalExecutor

    out = {}
    for stage in ("extract.trafilatura.v1", "extract.resiliparse.v2"):
        raw = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
        raw["pipeline"] |= {"root": str(tmp / stage), "executor": "local"}
        raw["node"] = [n for n in raw["node"] if not n["stage"].startswith("pack.")]
        for node in raw["node"]:
            if node["stage"] == "ingest.warc.v1":
                node["params"] = {**node.get("params", {}), "paths": [f"{warc_dir}/*.warc*"]}
            elif node["stage"].startswith("extract."):
                node["stage"] = stage
        manifest: dict[str, Any] = run(plan_mod.from_dict(raw), LocalExecutor())
        folder = Path(manifest["final_nodes"] and tmp / stage / manifest["final_nodes"][0])
        table = ds.dataset(folder, format="parquet", partitioning="hive").to_table(columns=["url"])
        out[stage] = set(table.column("url").to_pylist())
    return out
