"""`text.normalize.v1`: mojibake repaired, Unicode NFC, control characters out, whitespace tidied.

Cheap and safe to run before language ID and quality signals, so that signals and
hashes see one spelling of "à" and no stray NULs. Documents left empty are rejected as
`normalize:empty`.

Mojibake ("kilÃ³metros": UTF-8 that a CMS or a database read as Latin-1 before it was
served) is repaired here rather than when the page is decoded: the bytes were valid UTF-8,
so the decoder read them right, and the damage is in the text itself. Here it is repaired
once for every source of text (extracted pages and `ingest.docs` alike), on the extracted
text rather than the ten-times larger HTML, and before language ID and the quality signals
see it. It runs first: the repair needs the no-break spaces and C1 characters that the
later steps remove. What cannot be repaired is left for `quality.filter.v1`
(`quality:max_mojibake_ratio`).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

import pyarrow as pa
from pydantic import Field

from corpusforge import schema
from corpusforge.quality import mojibake
from corpusforge.registry import register
from corpusforge.stage import Stage, StageConfig, with_drop_reasons

# C0/C1 controls except tab and newline; they break tokenisers and Parquet viewers.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Space characters other than " " (tab, no-break, typographic and ideographic spaces, zero width).
_OTHER_SPACES = re.compile(r"[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]")
_BLANK_LINES = re.compile(r"\n{3,}")


class NormalizeConfig(StageConfig):
    form: Literal["NFC", "NFKC"] = Field("NFC", description="Unicode normal form")
    collapse_whitespace: bool = Field(True, description="runs of spaces to one, 3+ newlines to two")
    fix_mojibake: bool = Field(True, description="repair UTF-8 text that was read as Latin-1/cp1252 ('Ã³' -> 'ó')")


def normalize_text(text: str, *, form: Literal["NFC", "NFKC"] = "NFC", collapse_whitespace: bool = True) -> str:
    """Controls out, Unicode `form`; with `collapse_whitespace` every line's runs of spaces as one
    space and its ends stripped, three or more newlines as two, and the whole stripped."""
    text = unicodedata.normalize(form, _CONTROL.sub("", text))
    if collapse_whitespace:
        # Whole-text passes that find little cost less than one regex pass per line (5x less on web
        # pages): a pattern that matches at every space ("[ \t...]+") is slow in Python's engine,
        # while `in` and `replace` run in C. Each space character becomes " ", each run of them one.
        text = _OTHER_SPACES.sub(" ", text)
        while "  " in text:
            text = text.replace("  ", " ")
        text = "\n".join(map(str.strip, text.split("\n")))  # no space (nor other whitespace) at line ends
        if "\n\n\n" in text:
            text = _BLANK_LINES.sub("\n\n", text)
        text = text.strip()
    return text


@register
class Normalize(Stage):
    """Repair mojibake, Unicode-normalise `text` and drop control characters."""

    name = "text.normalize.v1"
    Config = NormalizeConfig
    reads = (schema.TEXT,)
    writes = (schema.TEXT,)
    reason_family = "normalize"
    config: NormalizeConfig

    def process_batch(self, table: pa.Table) -> pa.Table:
        cfg = self.config
        column = table.column(schema.TEXT)
        texts = column.to_pylist()
        if cfg.fix_mojibake:
            texts, _ = mojibake.repair_batch(texts, mojibake.flagged(column))
        texts = [
            None if t is None else normalize_text(t, form=cfg.form, collapse_whitespace=cfg.collapse_whitespace)
            for t in texts
        ]
        table = table.set_column(table.column_names.index(schema.TEXT), schema.TEXT, pa.array(texts, pa.string()))
        reasons = pa.array([None if t else self.reject("empty") for t in texts], pa.string())
        return with_drop_reasons(table, reasons)
