"""Pages that opted out of AI training at crawl time: `url:ai_optout` (url.filter.v1's `respect_ai_optout`).

The signal is the `robots` column the WARC sources fill (`corpusforge.provenance.signals`): a
`noai` directive or a TDM reservation, from `X-Robots-Tag`, `<meta name="robots">` or a meta
tag naming an AI crawler. Rows without the column (other sources) keep their decision.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyarrow as pa

from corpusforge import schema
from corpusforge.provenance.signals import opts_out

AI_OPTOUT_REASON = "ai_optout"


def ai_optout_reasons(table: pa.Table, reasons: Sequence[str | None]) -> list[str | None]:
    """`reasons` with `ai_optout` where a row has none yet and its robots signals opt out."""
    if schema.ROBOTS not in table.column_names:
        return list(reasons)
    robots = table.column(schema.ROBOTS).cast(pa.string()).to_pylist()
    return [r if r is not None or not opts_out(b) else AI_OPTOUT_REASON for r, b in zip(reasons, robots, strict=True)]
