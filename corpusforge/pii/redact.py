"""Replace validated PII with tokens and count it, one detector after another.

Order matters: more specific patterns run first (IBAN before card before DNI, phone last),
and a replaced span becomes a token that no later pattern matches, so each identifier is
counted once. Cost: one search per shape (`detectors.SHAPES`, ~5-15 µs per 2 KB document
each), then one regex pass per detector whose shape is present (~10-40 µs each).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from corpusforge.pii.detectors import DETECTORS, KINDS, Detector, raw_value

DEFAULT_TOKENS: dict[str, str] = {kind: f"<{kind.upper()}>" for kind in KINDS}


@dataclass(frozen=True)
class Redaction:
    text: str  # redacted text (the input unchanged in a dry run)
    counts: dict[str, int]  # kind -> validated matches


def _apply(detector: Detector, text: str, token: str) -> tuple[str, int]:
    found = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal found
        if detector.valid(raw_value(detector.kind, match.group(0))) and detector.context_ok(
            match.string, match.start(), match.end()
        ):
            found += 1
            return token
        return match.group(0)

    return detector.pattern.sub(replace, text), found


def redact(
    text: str, *, tokens: Mapping[str, str] | None = None, kinds: tuple[str, ...] = KINDS, dry_run: bool = False
) -> Redaction:
    """Find and replace the `kinds` of PII in `text`; with `dry_run` only count them.

    >>> redact("DNI 12345678Z, no 12345678A", dry_run=True).counts["dni"]
    1
    """
    tokens = {**DEFAULT_TOKENS, **(tokens or {})}
    counts = dict.fromkeys(KINDS, 0)
    out = text
    has: dict[re.Pattern[str], bool] = {}  # shape -> found in `out`; each looked for once per version of it
    for detector in DETECTORS:
        if detector.kind not in kinds:
            continue
        if detector.shape not in has:
            has[detector.shape] = detector.shape.search(out) is not None
        if has[detector.shape]:
            out, counts[detector.kind] = _apply(detector, out, tokens[detector.kind])
            if counts[detector.kind]:  # a token replaced something (a custom token may hold any shape)
                has.clear()
    return Redaction(text if dry_run else out, counts)
