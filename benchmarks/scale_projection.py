"""From a measured cost per page to one Common Crawl snapshot's Spanish/Catalan/Basque/Galician share.

Every number below that is not measured is an assumption, printed with the projection so that it can
be checked and changed: the size of a snapshot, the share of pages whose primary language is ours,
the size of a real page against a generated one, the size of a node and the parallel efficiency.
"""

from __future__ import annotations

# Recent monthly crawls hold 2.3-2.8 billion pages (Common Crawl's crawl announcements).
SNAPSHOT_PAGES = 2.5e9
# Share of pages by primary content language (CLD2), rounded, from Common Crawl's language statistics
# (commoncrawl.github.io/cc-crawl-statistics/plots/languages.html); check the crawl you run.
SHARES = {"spa": 0.045, "cat": 0.002, "eus": 0.0004, "glg": 0.0005}
REAL_HTML_KB = 30.0  # assumed mean HTML of a real page; extraction time grows with it
NODE_CORES = 32
EFFICIENCY = 0.85  # share of the cores' time spent on pages (scheduling, stragglers, global stages)
RECORD_KB = 25.0  # assumed mean gzip'd WARC record fetched per page by ingest.ccindex.v1
NODE_MB_S = 100.0  # assumed sustained range-request download per node, MB/s


def projection(*, pages_per_cpu_s: float, synthetic_html_kb: float) -> list[str]:
    pages = SNAPSHOT_PAGES * sum(SHARES.values())
    factor = max(1.0, REAL_HTML_KB / synthetic_html_kb)
    core_hours = pages / pages_per_cpu_s / 3600
    download_node_hours = pages * RECORD_KB / 1024 / NODE_MB_S / 3600
    lines = [
        "## Projection: one Common Crawl snapshot, our languages",
        "",
        f"Assumptions: a snapshot of {SNAPSHOT_PAGES / 1e9:.1f} billion pages; primary-language shares "
        + ", ".join(f"{k} {v:.2%}" for k, v in SHARES.items())
        + f" (together {sum(SHARES.values()):.2%}, {pages / 1e6:.0f} million pages, selected through the columnar "
        f"index by `ingest.ccindex.v1`, so the rest is never downloaded); a real page has {REAL_HTML_KB:.0f} KB of HTML "
        f"against {synthetic_html_kb:.1f} KB here, and its cost grows in proportion (x{factor:.1f}: pessimistic, only "
        f"extraction grows with HTML); nodes of {NODE_CORES} cores used at {EFFICIENCY:.0%}; {RECORD_KB:.0f} KB fetched "
        f"per page at {NODE_MB_S:.0f} MB/s per node. Measured: {pages_per_cpu_s:.1f} pages per CPU-second on generated pages.",
        "",
        "| nodes | cores | hours, as measured | hours, x real page size | download hours (range requests) |",
        "|---:|---:|---:|---:|---:|",
    ]
    for nodes in (1, 8, 32, 128):
        cores = nodes * NODE_CORES * EFFICIENCY
        lines.append(
            f"| {nodes} | {nodes * NODE_CORES} | {core_hours / cores:,.1f} | {core_hours * factor / cores:,.1f} | "
            f"{download_node_hours / nodes:,.1f} |"
        )
    lines += [
        "",
        f"CPU: {core_hours:,.0f} core-hours as measured, {core_hours * factor:,.0f} at real page size. The download "
        "overlaps with processing (fetching is I/O in threads of the source); Common Crawl throttles clients that "
        "send too many requests at once, so more nodes shorten it only as far as the server allows.",
    ]
    return lines
