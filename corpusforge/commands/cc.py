"""`corpusforge cc paths --crawl CC-MAIN-2024-33`: the list of a crawl's columnar-index files.

Common Crawl publishes, per crawl, `crawl-data/<crawl>/cc-index-table.paths.gz`: one line per
Parquet file of the columnar index, relative to its host, for every subset (warc, crawldiagnostics,
robotstxt). This writes the `subset=warc` ones as full URLs, one a line, to a file that
`ingest.ccindex.v1` reads as `index_paths = ["cc-main-2024-33.paths"]` (the `.paths.gz` URL itself
works there too; a file pins the list and lets you cut it).
"""

from __future__ import annotations

import argparse
import sys


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    cc = sub.add_parser("cc", help="Common Crawl helpers (the list of a crawl's index files)")
    cc_sub = cc.add_subparsers(dest="cc_command", metavar="SUBCOMMAND", required=True)
    p = cc_sub.add_parser("paths", help="list a crawl's columnar-index files (for ingest.ccindex.v1's index_paths)")
    p.add_argument("--crawl", required=True, help="crawl id, e.g. CC-MAIN-2024-33 (https://index.commoncrawl.org/)")
    p.add_argument("--base", default=None, help="where Common Crawl is served (default https://data.commoncrawl.org/; "
                   "s3://commoncrawl/ from inside AWS)")  # fmt: skip
    p.add_argument("--subset", default="warc", help="index subset to keep (default warc)")
    p.add_argument("--limit", type=int, default=None, help="keep only the first N files (a sample)")
    p.add_argument("--out", help="write the list here (default: standard output)")
    p.set_defaults(func=cmd_paths)


def cmd_paths(args: argparse.Namespace) -> int:
    from corpusforge.crawl import ccindex

    base = args.base or ccindex.CC_BASE
    url = ccindex.listing_url(args.crawl, base)  # a bad crawl id: UserError, exit 2
    files = ccindex.read_listing(url, base=base, subset=args.subset or None)
    if not files:
        print(f"error: {url} lists no index file under subset={args.subset}", file=sys.stderr)
        return 2
    if args.limit is not None:
        files = files[: max(0, args.limit)]
    text = "".join(f"{f}\n" for f in files)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {len(files)} index files of {args.crawl} (subset={args.subset}) to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
        print(f"{len(files)} index files of {args.crawl} (subset={args.subset})", file=sys.stderr)
    return 0
