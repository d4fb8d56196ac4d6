"""Packing benchmark: MB of text per second per core, ours vs datatrove's DocumentTokenizer.

    python benchmarks/pack.py               # ~1 min on 2 cores
    python benchmarks/pack.py --ray         # also ours on Ray over every core

Both sides read the same Parquet shards (documents made of ../shared/data/lid-train lines for
es, ca, ca-valencia, eu and gl), tokenise them with the same tokenizer.json (ours, trained here),
write flat token files with document boundaries and shuffle documents. Both run in one process
with the tokenizer's thread pool pinned to one thread (RAYON_NUM_THREADS=1), so MB/s is MB/s per
core. Best of --repeats runs each, alternating. Checks that token counts agree (ours = datatrove +
one BOS per document) and that decode(encode(doc)) == NFC(doc) for every document.

Also reports the tokenizer's fertility per language against a Spanish-only one (`tokenizer report`).
Writes benchmarks/results/pack.md; exits 0 with a message when ../shared/data is absent.
"""

from __future__ import annotations

import os

os.environ["RAYON_NUM_THREADS"] = "1"  # before tokenizers starts its pool: one core per process
os.environ["RAYON_RS_NUM_CPUS"] = "1"

import argparse  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import unicodedata  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
sys.path[0] = str(REPO)

import numpy as np  # noqa: E402
import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from corpusforge.pack import fertility  # noqa: E402
from corpusforge.pack import tokenizer as tk  # noqa: E402
from corpusforge.pack.shard_tokens import PackOptions  # noqa: E402
from corpusforge.pack.writer import pack  # noqa: E402

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
RESULTS = REPO / "benchmarks" / "results" / "pack.md"
LANGS = ("es", "ca", "ca-valencia", "eu", "gl")
LINES_PER_DOC = 12


def make_shards(directory: Path, *, shards: int, max_lines: int) -> tuple[list[str], int, int]:
    """Parquet shards of documents (LINES_PER_DOC consecutive lines); returns paths, docs, text bytes."""
    docs: list[tuple[str, str, str]] = []
    for lang in LANGS:
        lines = (DATA / "lid-train" / f"{lang}.txt").read_text(encoding="utf-8").splitlines()[:max_lines]
        for i in range(0, len(lines), LINES_PER_DOC):
            docs.append((f"{lang}-{i}", lang, "\n".join(lines[i : i + LINES_PER_DOC])))
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for s in range(shards):
        part = docs[s::shards]
        path = directory / f"part-{s:05d}.parquet"
        pq.write_table(
            pa.table({"id": [d[0] for d in part], "text": [d[2] for d in part], "lang_tag": [d[1] for d in part]}),
            path,
        )
        paths.append(str(path))
    return paths, len(docs), sum(len(d[2].encode("utf-8")) for d in docs)


def run_ours(shards: list[str], tok_dir: Path, out: Path) -> tuple[float, dict]:
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    manifest = pack(shards, tokenizer_dir=tok_dir, out=out, options=PackOptions(seq_len=2048, val_fraction=0.0))
    return time.perf_counter() - t0, manifest


def run_ours_ray(shards: list[str], tok_dir: Path, out: Path) -> tuple[float, dict, int]:
    os.environ.pop("RAYON_NUM_THREADS")  # workers get their share of cores from pack()
    os.environ.pop("RAYON_RS_NUM_CPUS")
    from corpusforge.runtime import make_executor

    executor = make_executor("ray")
    try:
        executor.map(len, [[1]] * executor.num_workers)  # start the workers before timing
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        manifest = pack(
            shards,
            tokenizer_dir=tok_dir,
            out=out,
            options=PackOptions(seq_len=2048, val_fraction=0.0),
            map_fn=executor.map,
            num_workers=executor.num_workers,
        )
        return time.perf_counter() - t0, manifest, executor.num_workers
    finally:
        executor.close()


def run_datatrove(shards: list[str], tok_file: Path, work: Path) -> tuple[float, int]:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.tokens import DocumentTokenizer

    shutil.rmtree(work, ignore_errors=True)
    pipeline = [
        ParquetReader(str(Path(shards[0]).parent), glob_pattern="*.parquet", text_key="text", id_key="id"),
        DocumentTokenizer(
            output_folder=str(work / "out"),
            local_working_dir=str(work / "tmp"),
            tokenizer_name_or_path=str(tok_file),
            eos_token=tk.EOS,
            seed=0,
        ),
    ]
    executor = LocalPipelineExecutor(pipeline, tasks=len(shards), workers=1, logging_dir=str(work / "logs"))
    t0 = time.perf_counter()
    executor.run()
    seconds = time.perf_counter() - t0
    token_size = 2 if tk.load(tok_file).vocab_size <= 2**16 else 4
    tokens = sum(p.stat().st_size for p in (work / "out").glob("*.ds")) // token_size
    return seconds, tokens


def check_round_trip(shards: list[str], tok_dir: Path, out: Path) -> int:
    """decode(encode(doc)) == NFC(doc) for every document, through the packed stream; returns #docs."""
    tok = tk.load(tok_dir).tokenizer
    texts = {}
    for s in shards:
        t = pq.read_table(s, columns=["id", "text"]).to_pydict()
        texts.update(zip(t["id"], t["text"], strict=True))
    stream = np.fromfile(out / "train.bin", dtype="<u2")
    index = pq.read_table(out / "train.idx.parquet").to_pydict()
    pieces = [stream[o + 1 : o + n - 1].tolist() for o, n in zip(index["offset"], index["length"], strict=True)]
    decoded = tok.decode_batch(pieces, skip_special_tokens=False)
    bad = [
        d for d, text in zip(index["doc_id"], decoded, strict=True) if text != unicodedata.normalize("NFC", texts[d])
    ]
    if bad:
        raise SystemExit(f"round trip failed for {len(bad)} documents, e.g. {bad[:3]}")
    return len(decoded)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--max-lines", type=int, default=40_000, help="lines per language")
    ap.add_argument("--vocab-size", type=int, default=32_000)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--ray", action="store_true", help="also time ours on Ray over every core")
    args = ap.parse_args()
    if not (DATA / "lid-train").is_dir():
        print(f"benchmarks/pack.py: {DATA}/lid-train not found; nothing to measure (exit 0)")
        return 0
    with tempfile.TemporaryDirectory(prefix="cf-bench-pack-") as tmp_name:
        tmp = Path(tmp_name)
        shards, n_docs, n_bytes = make_shards(tmp / "in", shards=args.shards, max_lines=args.max_lines)
        mb = n_bytes / 1e6
        print(f"{n_docs} documents, {mb:.1f} MB of text in {len(shards)} shards; training tokenizer...")
        tk.train(shards, out=tmp / "tok", vocab_size=args.vocab_size, sample_chars=20_000_000)
        fert = fertility.report(shards, tokenizer_dir=tmp / "tok")  # vs a Spanish-only tokenizer, held-out docs
        tok_file = tmp / "tok" / tk.TOKENIZER_FILE
        ours_s, dt_s, manifest, dt_tokens = [], [], {}, 0
        for _ in range(args.repeats):
            s, manifest = run_ours(shards, tmp / "tok", tmp / "ours")
            ours_s.append(s)
            s, dt_tokens = run_datatrove(shards, tok_file, tmp / "dt")
            dt_s.append(s)
            print(f"  ours {ours_s[-1]:.2f}s  datatrove {dt_s[-1]:.2f}s")
        ours_tokens = manifest["splits"]["train"]["tokens"]
        docs = manifest["splits"]["train"]["documents"]
        counts_agree = ours_tokens - docs == dt_tokens  # ours adds one BOS per document
        checked = check_round_trip(shards, tmp / "tok", tmp / "ours")
        rows = [("corpusforge pack (1 core)", min(ours_s), 1), ("datatrove DocumentTokenizer (1 core)", min(dt_s), 1)]
        if args.ray:
            s, _, cores = run_ours_ray(shards, tmp / "tok", tmp / "ours-ray")
            rows.append((f"corpusforge pack (Ray, {cores} cores)", s, cores))
    ratio = min(dt_s) / min(ours_s)
    lines = [
        "# Packing throughput: corpusforge vs datatrove",
        "",
        f"Input: {n_docs} documents ({mb:.1f} MB UTF-8) of lid-train text ({', '.join(LANGS)}), "
        f"{len(shards)} Parquet shards; same byte-level BPE tokenizer.json (vocab {args.vocab_size}) on both sides; "
        f"best of {args.repeats} runs; tokenizer threads pinned to 1 per process.",
        "",
        "| packer | seconds | MB/s | MB/s per core |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {s:.2f} | {mb / s:.2f} | {mb / s / c:.2f} |" for name, s, c in rows),
        "",
        f"Per core, ours / datatrove = **{ratio:.2f}x**.",
        f"Token counts agree (ours = datatrove + 1 BOS per document): {counts_agree} "
        f"({ours_tokens} vs {dt_tokens} + {docs}).",
        f"decode(encode(doc)) == NFC(doc) for all {checked} documents through the packed stream.",
        "",
        "## Fertility (tokens per word) on held-out documents: balanced (T = 3) vs Spanish-only, same vocabulary",
        "",
        "| lang_tag | held-out docs | words | ours | Spanish-only | ratio |",
        "|---|---:|---:|---:|---:|---:|",
        *(
            f"| {r['lang_tag']} | {r['documents']} | {r['words']} | {r['fertility']:.3f} "
            f"| {r['fertility_es_only']:.3f} | {r['ratio']:.3f} |"
            for r in fert["rows"]
        ),
        "",
        "Reproduce: `python benchmarks/pack.py" + (" --ray" if args.ray else "") + "`",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0 if counts_agree else 1


if __name__ == "__main__":
    sys.exit(main())
