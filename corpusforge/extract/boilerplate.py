"""Boilerplate that a main-content extractor leaves: blocks to skip in the DOM, lines to drop after.

resiliparse's main-content heuristics drop menus, headers and footers but keep what sits inside
or next to the article: share and follow-us bars, image captions and credits, newsletter and
subscription calls, "related" and tag lists, and their headings ("Temas relacionados",
"COMPARTIR NOTA"). Two cheap passes remove most of it:

- `SKIP_SELECTORS`: CSS selectors of blocks named for what they are (class or id holding
  `share`, `social`, `newsletter`, `caption`, ...), which resiliparse skips while it walks the
  tree (in C, so it costs nothing measurable);
- `clean_lines`: on the extracted text, drop call-to-action lines ("LEA TAMBIÉN: ...",
  "MIRA: ..."), shouted lines (mostly capitals: section labels such as "NOTAS RELACIONADAS"),
  and the short lines without final punctuation that open or close the text (a headline, a
  "Lo último" label, "Suscríbete a nuestro boletín"). Short lines between two sentences stay:
  those are the article's subheadings.

Measured on the gold pages and the held-out pages in benchmarks/extract.py.
"""

from __future__ import annotations

# Substrings of class or id names, matched case-insensitively. Each names a kind of block that is
# never the article itself; "sidebar" is not here because some sites call their main column
# `sidebar__main`, and "comment" only in the plural because opinion pages use "commentary".
_SKIP_TOKENS = (
    "share",  # share bars: "Compartir en Facebook"
    "social",
    "siguenos",  # follow-us blocks: es/gl "síguenos", ca "segueix-nos", en "follow us"
    "seguenos",
    "segueix",
    "follow",
    "newsletter",
    "subscri",  # subscription calls (en, ca "subscriu-te")
    "suscri",  # es "suscríbete"
    "caption",  # image captions and photo credits
    "related",
    "relacionad",  # es/gl/pt "noticias relacionadas"
    "relacionat",  # ca "notícies relacionades"
    "tags",
    "breadcrumb",
    "comments",
    "promo",
    "advert",
    "publicidad",
)
SKIP_SELECTORS: tuple[str, ...] = (
    "figcaption",
    *(f'[{attr}*="{token}" i]' for token in _SKIP_TOKENS for attr in ("class", "id")),
)

_TERMINAL = tuple('.!?…:;"”»)')
_MIN_WORDS_WITHOUT_PUNCT = 10  # a line this long is text even without final punctuation (a lead)
_MAX_LABEL_WORDS = 5
_MAX_LABEL_CHARS = 120


def _is_call_to_action(line: str) -> bool:
    """'LEA TAMBIÉN: ...', 'MIRA: ...', 'LE PUEDE INTERESAR: ...': a capitalised label and a colon."""
    colon = line.find(":", 2, 48)
    if colon < 0:
        return False
    label = line[:colon].strip(" \t¿¡*•-–—\"'«“")
    return len(label) >= 3 and label.isupper() and len(label.split()) <= _MAX_LABEL_WORDS


def _is_shouted(line: str) -> bool:
    """Mostly capital letters over at least two words, no digits: a section label or a banner
    ("NOTAS RELACIONADAS"); a capitalised line with figures is more often content (a score).
    Labels are short: a long line is never one, and costs no count of its letters."""
    if len(line) > _MAX_LABEL_CHARS or " " not in line or any(c.isdigit() for c in line):
        return False
    letters = sum(map(str.isalpha, line))
    return letters >= 8 and sum(map(str.isupper, line)) >= 0.8 * letters


def _is_sentence_like(line: str) -> bool:
    return line.endswith(_TERMINAL) or len(line.split()) >= _MIN_WORDS_WITHOUT_PUNCT


def clean_lines(text: str) -> str:
    """`text` without call-to-action and shouted lines, and without the short unpunctuated lines
    at its start and end. Blank lines are dropped; lines are stripped."""
    lines = [s for s in (raw.strip() for raw in text.split("\n")) if s]
    lines = [s for s in lines if not _is_call_to_action(s) and not _is_shouted(s)]
    start, end = 0, len(lines)
    while start < end and not _is_sentence_like(lines[start]):
        start += 1
    while end > start and not _is_sentence_like(lines[end - 1]):
        end -= 1
    return "\n".join(lines[start:end])
