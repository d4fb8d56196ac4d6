"""Paragraph segments of a document and the mix they add up to.

A document is cut into spans of its own text (`spans`): each non-empty line, a line shorter
than `min_chars` joined to the next (headings and list items do not count alone), the spans
never overlapping and covering every non-blank character, so a page can be split back into
per-language documents from the offsets alone. `build_mix` turns identified segments into
shares per tag, the dominant tag and the code-switch flag.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

UND = "und"
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Segment:
    """One span `text[start:end]` and its language (`lang`, `tag`, calibrated `score`, `other`)."""

    start: int
    end: int
    lang: str
    tag: str
    score: float
    other: float = 0.0

    @property
    def chars(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Mix:
    """Segment-level view of one document: tag -> share of characters, the dominant tag (the
    language with most characters, `und` when no segment has one) with its character-weighted
    score, whether a second language holds at least the code-switch share, and the segments."""

    shares: dict[str, float] = field(default_factory=dict)
    codeswitch: bool = False
    dominant: str = UND
    dominant_score: float = 0.0
    dominant_other: float = 0.0  # character-weighted out-of-set probability of those segments
    segments: tuple[Segment, ...] = ()


def language_of(tag: str) -> str:
    return "ca" if tag == "ca-valencia" else tag


def spans(text: str | None, *, min_chars: int, max_segments: int) -> list[tuple[int, int]]:
    """(start, end) offsets of the paragraphs of `text`; at most `max_segments` of them
    (neighbours merge pairwise until they fit)."""
    if not isinstance(text, str):
        return []
    out: list[tuple[int, int]] = []
    pending: tuple[int, int] | None = None
    for match in _LINE.finditer(text):
        line = match.group()
        stripped = line.strip()
        if not stripped:
            continue
        start = match.start() + (len(line) - len(line.lstrip()))
        end = start + len(stripped)
        pending = (pending[0], end) if pending else (start, end)
        if pending[1] - pending[0] >= min_chars:
            out.append(pending)
            pending = None
    if pending:
        if out:
            out[-1] = (out[-1][0], pending[1])
        else:
            out.append(pending)
    while len(out) > max_segments:
        merged = [(out[i][0], out[i + 1][1]) for i in range(0, len(out) - 1, 2)]
        out = merged + ([out[-1]] if len(out) % 2 else [])
    return out


def build_mix(segments: list[Segment], *, codeswitch_share: float) -> Mix:
    """Shares (rounded to 4 places, largest first), dominant tag and score, code-switch flag."""
    if not segments:
        return Mix()
    chars: dict[str, int] = {}
    for seg in segments:
        chars[seg.tag] = chars.get(seg.tag, 0) + seg.chars
    total = sum(chars.values()) or 1
    shares = {tag: round(n / total, 4) for tag, n in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))}
    languages: dict[str, int] = {}
    for seg in segments:
        if seg.lang != UND:
            languages[seg.lang] = languages.get(seg.lang, 0) + seg.chars
    switching = sum(1 for n in languages.values() if n / total >= codeswitch_share) >= 2
    undetermined = chars.get(UND, 0)
    lang = max(sorted(languages), key=languages.__getitem__) if languages else UND
    if languages and undetermined > languages[lang]:
        lang = UND  # more text in no language of the set than in the largest one
    own = [s for s in segments if s.lang == lang]
    weight = max(sum(s.chars for s in own), 1)
    return Mix(
        shares=shares,
        codeswitch=switching,
        dominant=own[0].tag,  # all segments of a language share its tag (one variety per document)
        dominant_score=sum(s.score * s.chars for s in own) / weight,
        dominant_other=sum(s.other * s.chars for s in own) / weight,
        segments=tuple(segments),
    )
