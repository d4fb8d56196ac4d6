"""Run an ablation: variants -> one tokenizer -> equal token budgets -> packs -> trainings -> results.

    {out}/reference.parquet                 the held-out text, the validation split of every pack
    {out}/tokenizer/                        the one tokenizer (trained on every variant's candidates)
    {out}/variants/{name}/candidates.parquet  pass 2 of `variants.py`
    {out}/variants/{name}/train.parquet     the documents inside the budget
    {out}/variants/{name}/packed/           train = the variant, val = the reference
    {out}/variants/{name}/seed-{s}/         a training run (metrics.jsonl, checkpoints, loss.png)
    {out}/results.json, report.html         see `report.py`

Every step is skipped when its output exists, so a killed ablation resumes; `--fresh` starts over.
"""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

from corpusforge import io, schema
from corpusforge.ablate import variants as var
from corpusforge.ablate.config import AblationFile


def run(spec: AblationFile, *, fresh: bool = False, log: Any = print) -> dict[str, Any]:
    out = Path(spec.ablation.out)
    if fresh and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    a = spec.ablation
    reference = _cached(out / "reference.json", lambda: var.read_reference(a.reference, out / "reference.parquet"))
    candidates = _candidates(spec, out, log)
    tokenizer_dir = a.tokenizer or str(out / "tokenizer")
    if a.tokenizer is None and not (out / "tokenizer" / "tokenizer.json").exists():
        from corpusforge.pack import tokenizer as tk

        log(f"training the shared tokenizer ({a.vocab_size} tokens) on every variant")
        tk.train([str(p) for p in candidates.values()], out=tokenizer_dir, vocab_size=a.vocab_size, seed=a.sample_seed)
    results: dict[str, Any] = {"baseline": spec.baseline, "reference": reference, "variants": {}}
    for v in spec.variant:
        folder = out / "variants" / v.name
        budget = _cached(
            folder / "budget.json",
            lambda v=v, folder=folder: var.cut_to_budget(
                candidates[v.name], tokenizer_dir=tokenizer_dir, tokens=a.tokens, out=folder / "train.parquet"
            ),
        )
        if budget["tokens"] < a.tokens:
            log(f"variant {v.name}: only {budget['tokens']} tokens for a budget of {a.tokens} (it will repeat)")
        packed = _pack(folder, out / "reference.parquet", tokenizer_dir, a.seq_len, a.sample_seed)
        runs = {seed: _train(spec, packed, folder / f"seed-{seed}", seed, log) for seed in a.seeds}
        results["variants"][v.name] = {
            "source": v.model_dump(exclude_none=True, exclude_defaults=True),
            "budget": budget,
            "funnel": _funnel(v.run),
            "reference_tokens": _reference_tokens(packed),
            "runs": runs,
        }
    return results


def _candidates(spec: AblationFile, out: Path, log: Any) -> dict[str, Path]:
    """Pass 1 and 2 of every variant (a `sample_like` variant after the one it imitates)."""
    a, done, sizes = spec.ablation, {}, {}
    pending = list(spec.variant)
    while pending:
        v = next(x for x in pending if not x.sample_like or x.sample_like in sizes)
        pending.remove(v)
        path = out / "variants" / v.name / "candidates.parquet"
        size_file = path.with_suffix(".json")
        if path.exists() and size_file.exists():
            sizes[v.name] = json.loads(size_file.read_text())["documents"]
        else:
            log(f"variant {v.name}: reading its documents")
            cand = var.scan(v, seed=a.sample_seed, workdir=path.parent)
            sizes[v.name] = len(cand)
            if v.sample_like:
                cand = var.sample_like(cand, sizes[v.sample_like], seed=a.sample_seed)
            path.parent.mkdir(parents=True, exist_ok=True)
            var.read_candidates(cand, tokens=a.tokens, out=path)
            io.write_json_atomic(str(size_file), {"documents": sizes[v.name]})
        done[v.name] = path
    return done


def _pack(folder: Path, reference: Path, tokenizer_dir: str, seq_len: int, seed: int) -> Path:
    from corpusforge.pack.shard_tokens import PackOptions
    from corpusforge.pack.writer import pack

    out = folder / "packed"
    pack(
        [str(folder / "train.parquet")],
        tokenizer_dir=tokenizer_dir,
        out=out,
        options=PackOptions(seq_len=seq_len, seed=seed, val_fraction=0.0),
        val_shards=[str(reference)],
    )
    return out


def _train(spec: AblationFile, packed: Path, run_dir: Path, seed: int, log: Any) -> dict[str, Any]:
    """One training (skipped when it finished before); returns its evaluations per step and language."""
    from corpusforge.train import metrics
    from corpusforge.train.config import load_config
    from corpusforge.train.loop import train

    a = spec.ablation
    manifest = json.loads((packed / "manifest.json").read_text())
    val_tokens = int(manifest["splits"]["val"]["tokens"])
    overrides = [
        f'data.path="{packed}"',
        f"data.seq_len={a.seq_len}",
        # every reference token is evaluated: windows enough for the whole validation stream
        f"data.val_windows_per_lang={max(1, math.ceil(val_tokens / a.seq_len))}",
        f'run.out_dir="{run_dir}"',
        f"run.steps={a.steps}",
        f"run.seed={seed}",
        f'run.device="{a.device}"',
        f"run.eval_every={max(1, a.steps // 10)}",
        "run.checkpoint_every=0",
        "run.keep_checkpoints=1",
        "run.sample_tokens=0",
        *a.set,
    ]
    config = load_config(a.preset, overrides=overrides)
    if config.model.max_seq_len < a.seq_len:
        config = load_config(a.preset, overrides=[*overrides, f"model.max_seq_len={a.seq_len}"])
    done = run_dir / "done.json"
    if not done.exists():
        log(f"training {run_dir.parent.name} seed {seed}: {a.preset}, {a.steps} steps")
        train(config)
        io.write_json_atomic(str(done), {"steps": a.steps})
    evals = [r for r in metrics.read(run_dir) if r.get("kind") == "eval"]
    return {"curve": [{"step": r["step"], "by_lang": {k: v["loss"] for k, v in r["by_lang"].items()}} for r in evals]}


def _reference_tokens(packed: Path) -> dict[str, int]:
    """Tokens of the reference text per language under the shared tokenizer (for bits per byte)."""
    import pyarrow.parquet as pq

    index = pq.read_table(packed / "val.idx.parquet", columns=["length", schema.LANG_TAG]).to_pydict()
    out: dict[str, int] = {}
    for length, tag in zip(index["length"], index[schema.LANG_TAG], strict=True):
        out[tag] = out.get(tag, 0) + int(length)
    return out


def _funnel(run_dir: str | None) -> list[dict[str, Any]] | None:
    if not run_dir:
        return None
    manifest = io.read_json(io.join(run_dir, "manifest.json"))
    return [{k: n[k] for k in ("id", "in", "kept", "rejected")} for n in manifest["nodes"]]


def _cached(path: Path, compute: Any) -> Any:
    if path.exists():
        return json.loads(path.read_text())
    value = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    io.write_json_atomic(str(path), value)
    return value
