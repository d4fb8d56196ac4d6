"""Run one segment (a fused chain of stages) over one shard: the unit of work of every executor.

For each batch, each node in turn: count it in, run the stage, move rows that carry a
`drop_reason` to `rejected/{node}/`, pass the rest on. A stage that raises on a batch does
not stop the run: the batch's rows are counted as `error:exception` and kept in rejected/.
Files are committed atomically, stats next, and the done marker last.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from corpusforge import io, schema
from corpusforge.memory import keep_freed_memory
from corpusforge.pii.table import redact_table
from corpusforge.plan import Segment
from corpusforge.rundir import RunDir
from corpusforge.runtime.split import count_split
from corpusforge.stage import GlobalStage, ShardContext, ShardOutput, Sink, Source, Stage
from corpusforge.stats import Clock, NodeStats


@dataclass(frozen=True)
class ShardTask:
    """One shard of a segment: a source shard (dict) or an upstream Parquet part (path)."""

    index: int
    source_shard: dict[str, Any] | None = None
    input_path: str | None = None


class SegmentRunner:
    """Holds the set-up stages of one segment; an executor keeps one per worker."""

    def __init__(self, run: RunDir, segment: Segment, batch_size: int) -> None:
        keep_freed_memory()  # in whichever process runs the shards (memory.py)
        self.rundir = run
        self.segment = segment
        self.batch_size = batch_size
        self.stages: list[Stage] = []

    def setup(self) -> None:
        if self.stages:
            return
        for node in self.segment.nodes:
            stage = node.make()
            stage.setup()
            self.stages.append(stage)

    def teardown(self) -> None:
        for stage in self.stages:
            stage.teardown()
        self.stages = []

    def run(self, task: ShardTask) -> list[dict[str, Any]]:
        """Process one shard end to end; returns each node's stats as JSON."""
        self.setup()
        nodes = self.segment.nodes
        node_stats = [NodeStats(node=n.id, shard=task.index) for n in nodes]
        rejected_writers = {n.id: io.ShardWriter(self.rundir.rejected_part(n.id, task.index)) for n in nodes}
        last, last_stage = nodes[-1], self.stages[-1]
        output: ShardOutput | io.ShardWriter | None = None
        if isinstance(last_stage, Sink):
            output = last_stage.open_shard(task.index, self.rundir.node(last.id), self.rundir.sink_meta(last.id))
        elif last.materialized:
            output = io.ShardWriter(self.rundir.part(last.id, task.index))
        head_ctx = ShardContext(index=task.index, row_offset=0, workdir=self.rundir.work(nodes[0].id))
        task_clock = Clock()
        try:
            for batch in self._input_batches(task, node_stats[0]):
                for i, (node, stage) in enumerate(zip(nodes, self.stages, strict=True)):
                    if i > 0 or not isinstance(stage, Source):
                        node_stats[i].docs_in += batch.num_rows
                    with node_stats[i].timed():
                        batch, split, split_into = self._apply(stage, batch, head_ctx)
                        kept, rejected = split_rejected(batch, node.id)
                    node_stats[i].split += split
                    node_stats[i].split_into += split_into
                    if rejected.num_rows:
                        node_stats[i].count_reasons(rejected.column(schema.DROP_REASON))
                        if self.segment.redact_rejected:  # every node: see corpusforge/pii/table.py
                            rejected = redact_table(rejected)
                        with node_stats[i].timed_write():
                            rejected_writers[node.id].write(rejected)
                    node_stats[i].count_kept(kept)
                    if i == 0:  # a global stage heads its segment: offsets count the rows it read
                        head_ctx = ShardContext(
                            index=task.index, row_offset=head_ctx.row_offset + batch.num_rows, workdir=head_ctx.workdir
                        )
                    batch = kept
                    if batch.num_rows == 0:
                        break
                else:
                    if output is not None:
                        with node_stats[-1].timed_write():
                            output.write(batch)
            if output is not None:
                with node_stats[-1].timed_write():
                    output.commit()
            for st, w in zip(node_stats, rejected_writers.values(), strict=True):
                with st.timed_write():
                    w.commit()
        except BaseException:
            for w in rejected_writers.values():
                w.abort()
            if output is not None:
                output.abort()
            raise
        for st in node_stats:
            if not st.balanced:  # a broken stage contract, not bad input: fail loudly
                raise RuntimeError(f"accounting mismatch in node {st.node}, shard {st.shard}: {st.to_json()}")
        node_stats[0].task_seconds, node_stats[0].task_cpu_seconds = task_clock.elapsed()
        result = [st.to_json() for st in node_stats]  # the done marker is also the shard's stats file
        io.write_json_atomic(self.rundir.done_marker(self.segment.id, task.index), result)
        return result

    def _input_batches(self, task: ShardTask, head_stats: NodeStats) -> Iterator[pa.Table]:
        """The shard's batches. Reading a source's records is its work (the node's time); reading
        an upstream part is the segment's input (read time). Bytes read are counted either way."""
        head = self.stages[0]
        if isinstance(head, Source):
            assert task.source_shard is not None
            head_stats.bytes_read += source_bytes(task.source_shard)
            batches, timer = head.read_shard(task.source_shard), head_stats.timed
        else:
            assert task.input_path is not None
            head_stats.bytes_read += io.file_size(task.input_path)
            batches, timer = io.read_parquet_batches(task.input_path, batch_size=self.batch_size), head_stats.timed_read
        while True:
            with timer():
                table = next(batches, None)
            if table is None:
                if isinstance(head, Source):
                    head_stats.counters.update(head.shard_counters())
                return
            if isinstance(head, Source):
                head_stats.docs_in += table.num_rows
            yield table

    def _apply(self, stage: Stage, batch: pa.Table, ctx: ShardContext) -> tuple[pa.Table, int, int]:
        """(rows out, input rows split, rows made from them); only a stage that `splits()`
        may return more rows than it got, and its counts must close (`split.count_split`)."""
        if isinstance(stage, Source):
            return batch, 0, 0  # the source already produced (and marked) these rows
        try:
            out = stage.process_shard(batch, ctx) if isinstance(stage, GlobalStage) else stage.process_batch(batch)
            if stage.splits():
                return out, *count_split(batch, out)
            if out.num_rows != batch.num_rows:
                raise RuntimeError(f"{stage.name} returned {out.num_rows} rows for {batch.num_rows}")
            return out, 0, 0
        except Exception as exc:  # one bad batch must not end the run: count it, keep the rows
            detail = traceback.format_exception_only(type(exc), exc)[-1].strip()[:500]
            reason = schema.reason(schema.ERROR_FAMILY, f"exception:{type(exc).__name__}")
            marked = batch.drop_columns([c for c in (schema.DROP_REASON,) if c in batch.column_names])
            marked = marked.append_column(schema.DROP_REASON, pa.array([reason] * batch.num_rows, pa.string()))
            return marked.append_column("error_detail", pa.array([detail] * batch.num_rows, pa.string())), 0, 0


def source_bytes(shard: dict[str, Any]) -> int:
    """Bytes a source shard reads: its byte range, or its file (0 when it names no file)."""
    if "end" in shard:
        return int(shard["end"]) - int(shard.get("start", 0))
    return io.file_size(shard["path"]) if isinstance(shard.get("path"), str) else 0


def split_rejected(table: pa.Table, node_id: str) -> tuple[pa.Table, pa.Table]:
    """(kept rows without `drop_reason`, rejected rows with `drop_reason` and `drop_node`)."""
    if schema.DROP_REASON not in table.column_names:
        return table, table.slice(0, 0)
    reasons = table.column(schema.DROP_REASON)
    side = [c for c in (schema.DROP_REASON, "error_detail") if c in table.column_names]
    # All kept or all dropped (the usual batches) need no filter, so the wide HTML column is not copied.
    if reasons.null_count == len(reasons):
        kept, rejected = table.drop_columns(side), table.slice(0, 0)
    elif reasons.null_count == 0:
        kept, rejected = table.slice(0, 0).drop_columns(side), table
    else:
        dropped = pc.is_valid(reasons)
        kept, rejected = table.filter(pc.invert(dropped)).drop_columns(side), table.filter(dropped)
    return kept, rejected.append_column(schema.DROP_NODE, pa.array([node_id] * rejected.num_rows, pa.string()))
