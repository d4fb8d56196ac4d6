"""Focused, polite crawling and Common Crawl ingestion.

- `config`: the TOML crawl config (seeds, scope, politeness, limits, output).
- `urls`: canonicalisation and scope rules.
- `robots`: robots.txt per host (protego), cached, with crawl-delay.
- `frontier`: the persisted frontier (SQLite): per-host queues, priorities, final states.
- `fetcher`: one HTTP fetch with limits; retries are scheduled by the crawler.
- `warcout`: a rotating WARC writer (warcio) that survives a kill.
- `crawler`: the loop; `partition`: hosts split across workers by hash.
- `ccindex`: the Common Crawl columnar index and range requests.
"""
