"""The linguists' review loop: stratified samples of a run, a local labelling app, a report.

`sample.draw` writes `REVIEW_DIR/sample.parquet`; `server.serve` lets linguists label it (labels go
to `REVIEW_DIR/labels.jsonl`, one fsync'd line each); `report.build` turns the labels into precision
per language and rule, reviewer agreement and suggested thresholds.
"""
