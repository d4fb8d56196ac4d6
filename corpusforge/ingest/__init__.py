"""WARC reading and record -> document row conversion (see `warc.py`)."""
