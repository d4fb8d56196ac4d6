"""Re-filtering a finished run vs running the pipeline again, with the same new thresholds.

The input is a WARC of news-like pages built from real lid-train sentences (es, ca, ca-valencia,
eu, gl: 3 to 15 sentences a page, some pages repeated or lightly edited so dedup has work). The
pipeline is the shipped demo pipeline (WARC -> extraction -> LID -> PII -> boilerplate lines ->
signals -> quality -> exact and near dedup -> Parquet sink -> token streams), run by the local
executor. After a first run, a project thresholds directory changes `min_words` for Catalan and
Galician; the peer is a full re-run with it, ours is `corpusforge refilter` of the first run. Both
must give the same funnel (checked); the table gives the seconds of each and the ratio, and the
seconds of a refilter whose thresholds flip nothing (no dedup runs).

    .venv/bin/python benchmarks/refilter.py [--pages 4000]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import tempfile
import time
import uuid
from io import BytesIO
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "lid-train"
RESULTS = Path(__file__).resolve().parent / "results" / "refilter.md"
PIPELINE = Path(__file__).resolve().parents[1] / "pipelines" / "demo.toml"
LANGS = ("es", "ca", "ca-valencia", "eu", "gl")


def write_warc(path: Path, pages: int, rng: random.Random) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    lines = {}
    for lang in LANGS:
        with open(DATA / f"{lang}.txt", encoding="utf-8") as fh:
            lines[lang] = [x.strip() for _, x in zip(range(30_000), fh, strict=False) if len(x.strip()) > 30]
    bodies: list[tuple[str, str]] = []
    for i in range(pages):
        lang = rng.choice(LANGS)
        if bodies and rng.random() < 0.05:  # a copy, or a copy with one more line: exact and near dedup
            url, text = rng.choice(bodies)
            text = text if rng.random() < 0.5 else text + "\n" + rng.choice(lines["es"])
        else:
            text = "\n".join(rng.sample(lines[lang], rng.randint(3, 15)))
        bodies.append((f"https://news-{lang}.example/{i}", text))
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, text in bodies:
            html = "<html><head><title>Notícia</title></head><body><article>" + "".join(
                f"<p>{line}</p>" for line in text.split("\n")
            ) + "</article></body></html>"  # fmt: skip
            body = html.encode("utf-8")
            http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                               ("Content-Length", str(len(body)))], protocol="HTTP/1.1")  # fmt: skip
            ids = {"WARC-Record-ID": f"<urn:uuid:{uuid.uuid4()}>", "WARC-Date": "2024-05-01T10:00:00Z"}
            writer.write_record(writer.create_warc_record(url, "response", payload=BytesIO(body),
                                                          http_headers=http, warc_headers_dict=ids))  # fmt: skip


def _plan(root: Path, warc_dir: Path, thresholds: Path | None):  # noqa: ANN202 - a Plan
    from corpusforge import plan as plan_mod

    text = PIPELINE.read_text(encoding="utf-8").replace('executor = "ray"', 'executor = "local"')
    text = text.replace(
        'paths = ["runs/demo-input/*.warc.gz"]', f'paths = ["{warc_dir}/*.warc.gz"], split_bytes = 2000000'
    )
    text = text.replace('root = "runs/demo"', f'root = "{root}"')
    if thresholds is not None:
        text = text.replace('stage = "quality.filter.v1"',
                            f'stage = "quality.filter.v1"\nparams = {{ thresholds_dir = "{thresholds}" }}')  # fmt: skip
    file = root.parent / f"{root.name}.toml"
    file.write_text(text, encoding="utf-8")
    return plan_mod.load(file)


def _timed_run(root: Path, warc_dir: Path, thresholds: Path | None) -> tuple[float, dict]:
    from corpusforge.runtime import run
    from corpusforge.runtime.local import LocalExecutor

    t0 = time.perf_counter()
    manifest = run(_plan(root, warc_dir, thresholds), LocalExecutor())
    return time.perf_counter() - t0, manifest


def _funnel(manifest: dict) -> dict:
    return {n["id"]: (n["in"], n["kept"], n["rejected"], n["errors"]) for n in manifest["nodes"]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=4000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if not DATA.exists():
        print(f"{DATA} is absent: this benchmark needs ../shared/data/lid-train; nothing written")
        return 0
    from corpusforge.cli import main as cli
    from corpusforge.refilter import refilter

    base = Path(tempfile.mkdtemp(prefix="refilter-bench-"))
    try:
        (base / "warc").mkdir()
        write_warc(base / "warc" / "pages.warc.gz", args.pages, random.Random(args.seed))
        first_s, first = _timed_run(base / "first", base / "warc", None)
        project = base / "thresholds"
        cli(["quality", "thresholds", "init", str(project), "--langs", "ca", "gl"])
        for tag in ("ca", "gl"):
            path = project / f"{tag}.toml"
            text = path.read_text(encoding="utf-8").replace("min_words = 50 ", "min_words = 120 ")
            path.write_text(text, encoding="utf-8")
        rerun_s, rerun = _timed_run(base / "rerun", base / "warc", project)
        t0 = time.perf_counter()
        refiltered = refilter(str(base / "first"), str(project), out=str(base / "refiltered"))
        refilter_s = time.perf_counter() - t0
        same = _funnel(refiltered) == _funnel(rerun)
        loose = base / "loose"
        loose.mkdir()
        (loose / "es.toml").write_text('lang_tag = "es"\n[thresholds]\nmax_words = 200000\n', encoding="utf-8")
        t0 = time.perf_counter()
        unchanged = refilter(str(base / "first"), str(loose), out=str(base / "unchanged"))
        stand_s = time.perf_counter() - t0
    finally:
        shutil.rmtree(base, ignore_errors=True)
    quality = next(n for n in first["nodes"] if n["id"] == "quality")
    flips = refiltered["refilter"]["flipped"]
    lines = [
        "# refilter: new thresholds on a finished run vs a full re-run",
        "",
        f"`python benchmarks/refilter.py --pages {args.pages}`: {args.pages} WARC pages from lid-train "
        f"(es, ca, ca-valencia, eu, gl), the demo pipeline, local executor; {quality['in']} pages reached the "
        f"quality filter. New thresholds: `min_words` 50 -> 120 for ca and gl ({flips['newly_rejected']} pages "
        "newly rejected). The machine is shared with other jobs: compare the ratio, not the seconds.",
        "",
        "| what | seconds |",
        "|---|---:|",
        f"| first run (for reference) | {first_s:.1f} |",
        f"| peer: full re-run with the new thresholds | {rerun_s:.1f} |",
        f"| ours: `corpusforge refilter` (quality, dedup, sink, pack again) | {refilter_s:.1f} |",
        f"| ours: `corpusforge refilter`, thresholds that flip nothing (no dedup) | {stand_s:.1f} |",
        "",
        f"Full re-run / refilter: **{rerun_s / refilter_s:.1f}x**; funnels equal: **{same}**; "
        f"nothing-flips case nodes run again: {unchanged['refilter']['rerun_nodes'] or 'none'}.",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    print(json.dumps({"funnel_equal": same}))
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
