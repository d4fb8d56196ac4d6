"""Re-filter a finished run with new quality thresholds, from the signals it stored.

dolma's "tag then mix", applied to thresholds: the quality signals (`q_*`) are computed once and
stay on every row, kept or rejected, so new thresholds need no extraction, no language
identification and no new signals. `corpusforge refilter RUN --thresholds DIR`:

1. `locate`: finds the quality filter in the run's manifest, the nodes before it (their results
   stand) and after it (redone when the kept set changes), and checks that what the run kept is
   enough to rebuild what the filter saw;
2. `rebuild`: rebuilds, shard by shard, the rows that reached the filter: its rejected rows, the
   rows rejected after it and the final documents (or the filter's input node, when the run kept
   it), checked against the filter's recorded input count;
3. `derived`: decides again with the new thresholds; when nothing flips, the run's output stands
   (linked, not copied) and no dedup runs; otherwise a derived run, whose source is the rebuilt
   rows and whose nodes are the run's own from the quality filter on, writes the new output;
4. `diff`: what flipped at the filter and in the final output.

See docs/review.md ("Re-filter") for when a run can be re-filtered and what `--out` holds.
"""

from corpusforge.refilter.locate import RefilterError, locate
from corpusforge.refilter.run import refilter

__all__ = ["RefilterError", "locate", "refilter"]
