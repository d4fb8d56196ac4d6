"""Ablation on the demo run: does filtering help a tiny model on held-out FLORES text?

Runs the demo pipeline (into a temporary root), then `corpusforge ablate` with four variants of its
corpus — the final documents, the documents before the language filter, before the quality filter,
and a random sample of the pre-language-filter documents as large as the final corpus — trained
with the tiny preset on CPU, three seeds each, evaluated on 150 FLORES-200 dev sentences per
language (es, ca, eu, gl) from ../shared/data/lid-dev. Writes benchmarks/results/ablate.md.

    .venv/bin/python benchmarks/ablate.py [--steps 200] [--seeds 1 2 3]

No GPU was lent to the session that wrote the results; on a GPU, set `device = "cuda"` and a larger
preset (docs/ablate.md).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared" / "data" / "lid-dev" / "flores200-dev"
LANGS = ("es", "ca", "eu", "gl")


def report_table(stdout: str) -> str:
    """The comparison table `corpusforge ablate` prints last, without the training logs before it."""
    lines = stdout.strip().splitlines()
    start = max(i for i, line in enumerate(lines) if line.startswith("variant "))
    return "\n".join(lines[start:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=200)
    ap.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    ap.add_argument("--tokens", type=int, default=20000)
    args = ap.parse_args()
    if not DATA.exists():
        print(f"{DATA} is absent: this benchmark needs the FLORES dev sentences; nothing written")
        return 0
    import pyarrow as pa
    import pyarrow.parquet as pq

    cf = [sys.executable, "-m", "corpusforge.cli"]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        subprocess.run([*cf, "demo", "--executor", "local", "--quiet", "--root", str(work / "demo")], cwd=work,
                       check=True, stdout=subprocess.DEVNULL)  # fmt: skip
        rows: dict[str, list[str]] = {"text": [], "lang_tag": []}
        for lang in LANGS:
            lines = (DATA / f"{lang}.txt").read_text(encoding="utf-8").splitlines()[:150]
            for i in range(0, len(lines), 10):
                rows["text"].append(" ".join(lines[i : i + 10]))
                rows["lang_tag"].append(lang)
        pq.write_table(pa.table(rows), work / "reference.parquet")
        run = work / "demo"
        (work / "ablate.toml").write_text(
            f"""
[ablation]
out = "{work / "out"}"
reference = ["{work / "reference.parquet"}"]
preset = "tiny"
steps = {args.steps}
seeds = {json.dumps(args.seeds)}
tokens = {args.tokens}
seq_len = 64
vocab_size = 600
device = "cpu"
set = ["run.threads=2"]

[[variant]]
name = "final"
run = "{run}"

[[variant]]
name = "before-quality"
run = "{run}"
before = "quality"

[[variant]]
name = "before-langfilter"
run = "{run}"
before = "langfilter"

[[variant]]
name = "random"
run = "{run}"
before = "langfilter"
sample_like = "final"
"""
        )
        t0 = time.perf_counter()
        done = subprocess.run([*cf, "ablate", str(work / "ablate.toml")], cwd=work, check=True, capture_output=True,
                              text=True)  # fmt: skip
        took = time.perf_counter() - t0
        results = json.loads((work / "out" / "results.json").read_text())
    budgets = {name: v["budget"] for name, v in results["variants"].items()}
    lines = [
        "## Ablation on the demo run (tiny preset, CPU)",
        "",
        f"`python benchmarks/ablate.py --steps {args.steps} --seeds {' '.join(map(str, args.seeds))}` — the demo "
        f"pipeline's corpus in four variants, {args.tokens} training tokens each at most, the tiny preset for "
        f"{args.steps} steps per seed on 2 CPU threads, held-out FLORES-200 dev text (150 sentences per language). "
        f"Bits per byte, mean over seeds; * = a difference to `final` larger than the spread over seeds. "
        f"Whole run: {took:.0f} s.",
        "",
        "```",
        report_table(done.stdout),
        "```",
        "",
        "| variant | documents | tokens |",
        "|---|---:|---:|",
        *(f"| {n} | {b['documents']} | {b['tokens']} |" for n, b in budgets.items()),
        "",
        "The demo corpus is tiny (tens of documents): every variant is smaller than the budget and is repeated, "
        "so this shows the machinery, not a verdict on the filters. No GPU was lent to this session.",
    ]
    out = HERE / "results" / "ablate.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
