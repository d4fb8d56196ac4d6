"""`pack.tokens.v1`: end a pipeline by packing its documents into token streams.

A global stage, not a sink: the split, the mixture and the shuffle are decided over all
documents, so packing must see every shard first (`prepare`), which a per-shard sink cannot.
`prepare` tokenises the input shards in parallel through the runtime's map (Ray or local) and
writes the pack under `out` (docs/token-format.md); `process_shard` then passes the documents
through unchanged, so the node's output is a copy of its input (the cost of being a node; point
`corpusforge pack` at a run instead to avoid it).

Without `tokenizer`, a tokenizer of `vocab_size` is first trained on the same documents
(temperature-balanced over `lang_tag`) and shipped with the pack.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from pydantic import Field

from corpusforge import schema
from corpusforge.registry import register
from corpusforge.stage import GlobalContext, GlobalStage, StageConfig


class PackTokensConfig(StageConfig):
    out: str | None = Field(None, description="pack directory (local); default {root}/tokens")
    tokenizer: str | None = Field(
        None, description="directory with tokenizer.json; default: train one on the input documents"
    )
    vocab_size: int = Field(8192, ge=300, description="vocabulary of the tokenizer trained when `tokenizer` is unset")
    temperature: float = Field(3.0, gt=0, description="language balance of that tokenizer's sample (1 = as found)")
    seq_len: int = Field(2048, gt=0, description="training sample length recorded in the manifest")
    seed: int = Field(0, description="seed of the split, the mixture draws and the shuffle")
    val_fraction: float = Field(0.01, ge=0, lt=1, description="share of documents in the validation split")
    mixture: dict[str, float] = Field(
        default_factory=dict, description="weight per lang_tag for the train split (0.5 halves, 2 doubles; default 1)"
    )
    max_doc_tokens: int = Field(1_000_000, gt=2, description="longer documents are skipped and counted")
    megatron: bool = Field(False, description="also write Megatron-LM {split}.idx next to {split}.bin")


@register
class PackTokens(GlobalStage):
    """Pack the documents into token streams (train/val .bin + index + manifest)."""

    name = "pack.tokens.v1"
    Config = PackTokensConfig
    reads = (schema.TEXT,)
    writes = ()
    reason_family = "pack"
    config: PackTokensConfig

    def _root(self) -> str:
        return self.workdir.rsplit("/_work/", 1)[0]

    def prepare(self, ctx: GlobalContext) -> None:
        from corpusforge.pack import tokenizer as tk
        from corpusforge.pack.shard_tokens import PackOptions
        from corpusforge.pack.writer import PackError, pack

        c = self.config
        if not ctx.inputs:  # e.g. after write.parquet.v1, whose files are not part-NNNNN.parquet
            raise PackError(
                f"{self.name}: the upstream node has no part-NNNNN.parquet shards to pack; place this node "
                "after the node that feeds write.parquet.v1, or run `corpusforge pack --input RUN_DIR` afterwards"
            )
        out = c.out or f"{self._root()}/tokens"
        tokenizer_dir = c.tokenizer
        if tokenizer_dir is None:
            tokenizer_dir = str(Path(ctx.workdir) / "tokenizer")
            tk.train(ctx.inputs, out=tokenizer_dir, vocab_size=c.vocab_size, temperature=c.temperature, seed=c.seed)
        options = PackOptions(
            seq_len=c.seq_len,
            seed=c.seed,
            val_fraction=c.val_fraction,
            mixture=dict(c.mixture),
            max_doc_tokens=c.max_doc_tokens,
        )
        pack(
            ctx.inputs,
            tokenizer_dir=tokenizer_dir,
            out=out,
            options=options,
            map_fn=ctx.map,
            num_workers=ctx.num_workers,
            megatron=c.megatron,
        )

    def process_shard(self, table: pa.Table, shard_index: int) -> pa.Table:
        return table
