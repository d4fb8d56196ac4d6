"""Pack Parquet shards into token streams: tokenise shards in parallel, then assemble the splits.

    shards --(map: tokenize_shard, one task per shard)--> {out}/_work/shard-*.bin|.idx.parquet
           --(assemble: mixture, shuffle, split)--------> {out}/{train,val}.bin|.idx.parquet
           --> {out}/tokenizer/tokenizer.json, {out}/manifest.json (written last)

The format is described in docs/token-format.md. `map_fn` is any parallel map (the runtime's
executors: `make_executor("ray").map` or the local one), so this module never imports ray.
An interrupted pack resumes from the shards already tokenised; a finished one is not redone.
The output directory must be local (the streams are memory-mapped).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpusforge import io
from corpusforge.pack import tokenizer as tk
from corpusforge.pack.assemble import SPLITS, assemble
from corpusforge.pack.megatron import write_index
from corpusforge.pack.shard_tokens import PackOptions, ShardJob, tokenize_shard

FORMAT = "corpusforge.tokens"
VERSION = 1
WORK = "_work"
STATE = "pack.json"  # in the work dir: the tokenizer and options a partial pack was started with


class PackError(ValueError):
    """A pack that cannot go on: no documents, or an output made with another tokenizer/options."""


def dtype_for(vocab_size: int) -> str:
    """uint16 when every id fits in 16 bits (half the disk and page cache), else uint32."""
    return "uint16" if vocab_size <= 2**16 else "uint32"


def pack(
    shards: list[str],
    *,
    tokenizer_dir: str | Path,
    out: str | Path,
    options: PackOptions,
    map_fn: Callable[[Callable[[Any], Any], list[Any]], list[Any]] | None = None,
    num_workers: int = 1,
    fresh: bool = False,
    megatron: bool = False,
    allow_empty: bool = False,
    val_shards: list[str] | None = None,
) -> dict[str, Any]:
    """Pack `shards` into `out`; returns the manifest (also written to `{out}/manifest.json`).

    With `val_shards`, the validation split is exactly their documents and every document of
    `shards` is for training (`val_fraction` is then unused): held-out text of one's own, as an
    ablation evaluates every variant on the same reference set.

    `megatron` also writes `{split}.idx` so `{out}/{split}` is a Megatron-LM data prefix. With
    `allow_empty`, shards without a document to pack give an empty pack (`write_empty`) instead
    of a `PackError`.
    """
    out_dir = Path(out)
    loaded = tk.load(tokenizer_dir)
    if fresh:
        clear(out_dir)
    held_out = list(val_shards or [])
    state = _state([*shards, *(f"val:{v}" for v in held_out)], loaded, options)
    done = _check_previous(out_dir, state)
    if done is not None:
        return done
    workdir = out_dir / WORK
    workdir.mkdir(parents=True, exist_ok=True)
    io.write_json_atomic(str(workdir / STATE), state)
    dtype = dtype_for(loaded.vocab_size)
    threads = max(1, (os.cpu_count() or 1) // num_workers) if num_workers > 1 else None
    jobs = [
        ShardJob(
            index=i,
            shard=s,
            tokenizer_file=str(loaded.path),
            tokenizer_sha256=loaded.sha256,
            workdir=str(workdir),
            dtype=dtype,
            options=options,
            threads=threads,
            split=split,
        )
        for i, (s, split) in enumerate(
            [(s, "train" if held_out else None) for s in shards] + [(v, "val") for v in held_out]
        )
    ]
    results = (map_fn or _serial_map)(tokenize_shard, jobs)
    if sum(r["documents"] for r in results) == 0:
        why = f"no documents to pack in {len(shards)} shard(s) (skipped: {_merge_skips(results)})"
        if not allow_empty:
            raise PackError(why)
        shutil.rmtree(workdir)
        return write_empty(out_dir, reason=why, skipped=_merge_skips(results))
    assembled = assemble(results, workdir=str(workdir), out=out_dir, dtype=dtype, options=options)
    if megatron:
        for split, info in assembled["splits"].items():
            info["files"].append(write_index(out_dir, split, dtype=dtype).name)
    _copy_tokenizer(loaded, out_dir)
    manifest = _manifest(loaded, dtype, options, state, results, assembled)
    io.write_json_atomic(str(out_dir / "manifest.json"), manifest)
    shutil.rmtree(workdir)
    return manifest


def write_empty(out: str | Path, *, reason: str, skipped: dict[str, int] | None = None) -> dict[str, Any]:
    """A pack of nothing: a manifest saying so (`"empty": true`, zero documents) and no streams,
    so a pipeline whose documents were all rejected still ends cleanly and says why."""
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "empty": True,
        "reason": reason,
        "documents": 0,
        "splits": {},
        "skipped": skipped or {},
    }
    io.write_json_atomic(str(out_dir / "manifest.json"), manifest)
    return manifest


def clear(out_dir: Path) -> None:
    """Remove what a pack writes in `out_dir` (and nothing else)."""
    for name in [
        "manifest.json",
        WORK,
        "tokenizer",
        *(f"{s}.{ext}" for s in SPLITS for ext in ("bin", "idx.parquet", "idx")),
    ]:
        p = out_dir / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def _serial_map(fn: Callable[[Any], Any], items: list[Any]) -> list[Any]:
    return [fn(x) for x in items]


def _state(shards: list[str], loaded: tk.LoadedTokenizer, options: PackOptions) -> dict[str, Any]:
    opts = options.as_json()
    digest = hashlib.sha256(json.dumps([shards, opts], sort_keys=True).encode()).hexdigest()[:16]
    return {"tokenizer_sha256": loaded.sha256, "options": opts, "inputs_hash": digest, "shards": len(shards)}


def _check_previous(out_dir: Path, state: dict[str, Any]) -> dict[str, Any] | None:
    """The finished manifest when `out_dir` already holds this pack; PackError when it holds another."""
    for file in (out_dir / "manifest.json", out_dir / WORK / STATE):
        if not file.exists():
            continue
        previous = json.loads(file.read_text(encoding="utf-8"))
        if previous.get("empty"):
            continue  # an empty pack holds nothing to protect: pack over it
        what = "packed" if file.name == "manifest.json" else "partly packed"
        if previous.get("tokenizer_sha256") != state["tokenizer_sha256"]:
            raise PackError(
                f"{out_dir} was {what} with another tokenizer (sha256 {previous.get('tokenizer_sha256')}, "
                f"the one given has {state['tokenizer_sha256']}); use --fresh to start over or another --out"
            )
        if previous.get("inputs_hash") != state["inputs_hash"]:
            raise PackError(
                f"{out_dir} was {what} from other inputs or options ({previous.get('options')}); "
                "use --fresh to start over or another --out"
            )
        if file.name == "manifest.json":
            return previous
    return None


def _copy_tokenizer(loaded: tk.LoadedTokenizer, out_dir: Path) -> None:
    target = out_dir / "tokenizer"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(loaded.path, target / tk.TOKENIZER_FILE)
    meta = loaded.path.parent / tk.META_FILE
    if meta.exists():
        shutil.copyfile(meta, target / tk.META_FILE)


def _merge_skips(results: list[dict[str, Any]]) -> dict[str, int]:
    merged: dict[str, int] = {}
    for r in results:
        for k, v in r["skipped"].items():
            merged[k] = merged.get(k, 0) + v
    return dict(sorted(merged.items()))


def _manifest(
    loaded: tk.LoadedTokenizer,
    dtype: str,
    options: PackOptions,
    state: dict[str, Any],
    results: list[dict[str, Any]],
    assembled: dict[str, Any],
) -> dict[str, Any]:
    langs = sorted(assembled["corpus_tokens_by_lang"])
    return {
        "format": FORMAT,
        "version": VERSION,
        "dtype": dtype,
        "vocab_size": loaded.vocab_size,
        "bos_id": loaded.bos_id,
        "eos_id": loaded.eos_id,
        "pad_id": loaded.pad_id,
        "bos_per_document": True,
        "tokenizer_sha256": loaded.sha256,
        "seed": options.seed,
        "seq_len": options.seq_len,
        "val_fraction": options.val_fraction,
        "max_doc_tokens": options.max_doc_tokens,
        "splits": assembled["splits"],
        "mixture": {lang: float(options.mixture.get(lang, 1.0)) for lang in langs},
        "corpus_tokens_by_lang": assembled["corpus_tokens_by_lang"],
        "tokens_by_source": assembled["tokens_by_source"],
        "documents": sum(r["documents"] for r in results),
        "skipped": _merge_skips(results),
        "empty_shards": sum(1 for r in results if r["documents"] == 0),
        "inputs": [r["shard"] for r in results],
        "inputs_hash": state["inputs_hash"],
        "options": state["options"],
    }
