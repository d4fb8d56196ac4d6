"""`pack.tokens.v1`: end a pipeline by packing its documents into token streams.

A global stage, not a sink: the split, the mixture and the shuffle are decided over all
documents, so packing must see every shard first (`prepare`), which a per-shard sink cannot.
`prepare` tokenises the input shards in parallel through the runtime's map (Ray or local) and
writes the pack under `out` (docs/token-format.md), by default the node's own directory. It is
terminal (`emits_documents = False`): it writes no copy of the documents, and its funnel counts
the documents packed as kept and those it skipped (`pack:empty`, `pack:too_long`) as rejected.

Without `tokenizer`, a tokenizer of `vocab_size` is first trained on the same documents
(temperature-balanced over `lang_tag`) and shipped with the pack. A pipeline whose documents
were all rejected ends with an empty pack: a manifest that says so, and no streams.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import Field

from corpusforge import io, schema
from corpusforge.pack.shard_tokens import PackOptions
from corpusforge.registry import register
from corpusforge.stage import GlobalContext, GlobalStage, StageConfig
from corpusforge.stats import NodeStats

_OPTIONS = PackOptions()  # the packing library's defaults: the one place they are written


class PackTokensConfig(StageConfig):
    out: str | None = Field(
        None,
        description="pack directory (local or shared disk; relative: under the run's root); default {root}/{node}",
        json_schema_extra={"output_path": True, "local_disk": True},
    )
    tokenizer: str | None = Field(
        None, description="directory with tokenizer.json; default: train one on the input documents"
    )
    vocab_size: int = Field(8192, ge=300, description="vocabulary of the tokenizer trained when `tokenizer` is unset")
    temperature: float = Field(3.0, gt=0, description="language balance of that tokenizer's sample (1 = as found)")
    seq_len: int = Field(_OPTIONS.seq_len, gt=0, description="training sample length recorded in the manifest")
    seed: int = Field(_OPTIONS.seed, description="seed of the split, the mixture draws and the shuffle")
    val_fraction: float = Field(
        _OPTIONS.val_fraction, ge=0, lt=1, description="share of documents in the validation split"
    )
    mixture: dict[str, float] = Field(
        default_factory=dict, description="weight per lang_tag for the train split (0.5 halves, 2 doubles; default 1)"
    )
    max_doc_tokens: int = Field(_OPTIONS.max_doc_tokens, gt=2, description="longer documents are skipped and counted")
    megatron: bool = Field(False, description="also write Megatron-LM {split}.idx next to {split}.bin")

    def to_options(self) -> PackOptions:
        """The packing library's options for this config."""
        return PackOptions(
            seq_len=self.seq_len,
            seed=self.seed,
            val_fraction=self.val_fraction,
            mixture=dict(self.mixture),
            max_doc_tokens=self.max_doc_tokens,
        )


@register
class PackTokens(GlobalStage):
    """Pack the documents into token streams (train/val .bin + index + manifest)."""

    name = "pack.tokens.v1"
    Config = PackTokensConfig
    reads = (schema.TEXT,)
    writes = ()
    reason_family = "pack"
    emits_documents = False
    config: PackTokensConfig

    def prepare(self, ctx: GlobalContext) -> NodeStats:
        from corpusforge.pack import tokenizer as tk
        from corpusforge.pack.writer import pack, write_empty

        c = self.config
        out = c.out or ctx.run.node(ctx.node_id)
        stats = NodeStats(node=ctx.node_id, shard=0)
        if sum(io.row_count(p) for p in ctx.inputs) == 0:
            write_empty(out, reason="every document was rejected before this node")
            return stats
        tokenizer_dir = c.tokenizer
        trained_beside_out = False
        if tokenizer_dir is None:
            # Every worker loads it: on an object-storage root, the work folder is not a disk path,
            # so it is trained next to the pack (local or shared disk, see the plan's check).
            trained_beside_out = "://" in ctx.workdir
            tokenizer_dir = str(Path(out) / "_tokenizer" if trained_beside_out else Path(ctx.workdir) / "tokenizer")
            tk.train(ctx.inputs, out=tokenizer_dir, vocab_size=c.vocab_size, temperature=c.temperature, seed=c.seed)
        manifest = pack(
            ctx.inputs,
            tokenizer_dir=tokenizer_dir,
            out=out,
            options=c.to_options(),
            map_fn=ctx.map,
            num_workers=ctx.num_workers,
            megatron=c.megatron,
            allow_empty=True,
        )
        if trained_beside_out:  # the pack holds its own copy in {out}/tokenizer
            shutil.rmtree(tokenizer_dir, ignore_errors=True)
        stats.kept = int(manifest.get("documents", 0))
        stats.rejected.update(manifest.get("skipped", {}))
        stats.docs_in = stats.kept + sum(stats.rejected.values())
        return stats
