"""The document contract: the columns stages exchange, as names and Arrow types.

Stages pass `pyarrow.Table` batches. Every document has the core columns; stages add
their own and declare them in `Stage.writes`. A rejected row carries `drop_reason`
("<family>:<reason>", e.g. "lang:fr", "error:corrupt_record") and `drop_node` (the node id).
"""

from __future__ import annotations

import pyarrow as pa

# Core columns every document carries.
ID = "id"
URL = "url"
DOMAIN = "domain"
SOURCE = "source"
FETCH_TIME = "fetch_time"
TEXT = "text"
TITLE = "title"

# Columns added by ingest and extract.
HTML = "html"
HTTP_STATUS = "http_status"
CONTENT_TYPE = "content_type"
CHARSET = "charset"
DATE = "date"
HTML_LANG = "html_lang"

# Provenance signals seen at crawl time (corpusforge.provenance.signals), added by the WARC sources.
ROBOTS = "robots"  # robots directives that apply to us, sorted and comma-joined: "noai,noindex"
LICENSE_URL = "license_url"  # the page's licence link (rel="license" or a Creative Commons link)

# Columns added by language identification.
LANG = "lang"
LANG_TAG = "lang_tag"
LANG_SCORE = "lang_score"
LANG_MIX = "lang_mix"
LANG_CODESWITCH = "lang_codeswitch"  # a second language holds a real share of the paragraphs
LANG_OTHER = "lang_other"  # P(the text is in a language outside the model's set)
LANG_SEGMENTS = "lang_segments"  # paragraphs: character offsets into text and their language
LANG_COLUMNS = (LANG, LANG_TAG, LANG_SCORE, LANG_OTHER, LANG_MIX, LANG_CODESWITCH, LANG_SEGMENTS)
# Set on a document made by splitting a mixed page (langid.filter.v1 policy "split"): the page's id.
PARENT_ID = "parent_id"

# Rejection bookkeeping.
DROP_REASON = "drop_reason"
DROP_NODE = "drop_node"
ERROR_DETAIL = "error_detail"  # what went wrong, on rows whose drop_reason is "error:*"
ERROR_FAMILY = "error"  # a drop_reason "error:<what>" is counted as an error, not a rejection

DUP_CLUSTER = "dup_cluster"
DUP_LINES = "dup_lines"  # lines or paragraphs cut from a row as site boilerplate (dedup.lines.v1)
DECONTAM_WORDS = "decontam_words"  # words removed from a row by benchmark decontamination (decontam.ngram.v1)

PII_REDACTED = "pii_redacted"  # spans replaced by PII tokens in the row, over all its columns

CORE_COLUMNS: tuple[str, ...] = (ID, URL, DOMAIN, SOURCE, FETCH_TIME, TEXT, TITLE)

# Arrow types of the known columns; stages may add columns not listed here.
TYPES: dict[str, pa.DataType] = {
    ID: pa.string(),
    URL: pa.string(),
    DOMAIN: pa.string(),
    SOURCE: pa.string(),
    FETCH_TIME: pa.string(),
    TEXT: pa.string(),
    TITLE: pa.string(),
    HTML: pa.string(),
    HTTP_STATUS: pa.int32(),
    CONTENT_TYPE: pa.string(),
    CHARSET: pa.string(),
    DATE: pa.string(),
    HTML_LANG: pa.string(),
    ROBOTS: pa.string(),
    LICENSE_URL: pa.string(),
    LANG: pa.string(),
    LANG_TAG: pa.string(),
    LANG_SCORE: pa.float32(),
    LANG_MIX: pa.map_(pa.string(), pa.float32()),
    LANG_CODESWITCH: pa.bool_(),
    LANG_OTHER: pa.float32(),
    LANG_SEGMENTS: pa.list_(
        pa.struct(
            [
                ("start", pa.int32()),
                ("end", pa.int32()),
                ("lang", pa.string()),
                ("tag", pa.string()),
                ("score", pa.float32()),
                ("other", pa.float32()),
            ]
        )
    ),
    PARENT_ID: pa.string(),
    DROP_REASON: pa.string(),
    DROP_NODE: pa.string(),
    ERROR_DETAIL: pa.string(),
    DUP_CLUSTER: pa.string(),
    DUP_LINES: pa.int32(),
    PII_REDACTED: pa.int32(),
    DECONTAM_WORDS: pa.int32(),
}


def reason(family: str, what: str) -> str:
    """Build a drop reason such as "lang:fr"; the family groups reasons in `stats`."""
    return f"{family}:{what}"


def is_error(drop_reason: str) -> bool:
    return drop_reason.startswith(ERROR_FAMILY + ":")


def put_columns(table: pa.Table, columns: dict[str, pa.Array | pa.ChunkedArray]) -> pa.Table:
    """`table` with each of `columns` replaced in place when present, else appended (a stage rerun
    over its own output, or two stages writing the same column, must not duplicate it)."""
    for name, values in columns.items():
        if name in table.column_names:
            table = table.set_column(table.column_names.index(name), name, values)
        else:
            table = table.append_column(name, values)
    return table
