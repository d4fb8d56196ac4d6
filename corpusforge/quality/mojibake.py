"""Mojibake: UTF-8 text that something upstream read as windows-1252 or Latin-1 ("kilÃ³metros").

`PATTERN` matches one such sequence as it shows in Spanish, Catalan, Galician and Basque
text: a UTF-8 lead byte of the Latin-1 letters and signs read as "Â"/"Ã", followed by a
continuation byte read as cp1252 or Latin-1 ("Ã³" ó, "Ã±" ñ, "Â¿" ¿, "Ã‰" É), or by the
space that a no-break space became ("estÃ  bé"); the punctuation block read as "â" + two
more ("â€™" ’, "â€œ" “, "â€”" —, "â‚¬" €); and a lone C1 control, which is cp1252 text read
as Latin-1 ("Eto\x92o" for "Eto’o"). It is an RE2 expression as well as a Python one, so a
whole batch is checked at once in Arrow; `BROKEN` adds U+FFFD, what a decoder puts where
bytes were lost, for the `q_mojibake_ratio` signal.

`repair` hands the texts `PATTERN` flags to ftfy's `fix_encoding`, which undoes the wrong
decoding (double ones too) where it can be undone and leaves the text alone where it
cannot; other texts are not touched. Why both (`python benchmarks/mojibake.py`, figures in
benchmarks/results/mojibake.md): of 4,681 clean lid-train documents the pattern flags only
the 6 that hold C1 controls, which ftfy's detector flags too, with 3 more for a name
("MªÀngels"); of 5,145 documents made into mojibake three ways the pattern flags all and
ftfy's detector all but 2; the pattern costs ~4 us a clean document in Arrow, about a
hundredth of ftfy's detector or of running `fix_encoding` on everything; and ftfy's repair
gives back the original of 99.7% of mangled documents. Clean text pays the pattern only.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

# What bytes 0x80-0xBF become when read as cp1252 (C1 controls where cp1252 leaves a byte undefined).
_CONTINUATION = "\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
PATTERN = f"[ÂÃ][{_CONTINUATION} ]|â[{_CONTINUATION}]{{2}}|[\u0080-\u009f]"
BROKEN = f"{PATTERN}|\ufffd"


def flagged(texts: pa.Array | pa.ChunkedArray) -> list[bool]:
    """Which texts hold a mojibake sequence (nulls: False), for a whole batch in one Arrow pass."""
    mask = pc.match_substring_regex(texts, PATTERN)
    return [bool(m) for m in pc.fill_null(mask, False).to_pylist()]


def repair(text: str) -> str:
    """`text` with its mojibake undone where ftfy can undo it (call it on flagged texts)."""
    import ftfy

    return ftfy.fix_encoding(text)


def repair_batch(texts: list[str | None], flags: list[bool]) -> tuple[list[str | None], int]:
    """(texts with the flagged ones repaired, how many changed)."""
    out, changed = [], 0
    for text, flag in zip(texts, flags, strict=True):
        if flag and text is not None:
            fixed = repair(text)
            changed += fixed != text
            text = fixed
        out.append(text)
    return out, changed
