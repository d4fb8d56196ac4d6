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
  placeholders (one label three times in a row: "Espacio publicitario", "Cargando..."), lists of
  teasers (summaries of other articles that the site cut with "..."), and the short lines without
  final punctuation that open or close the text (a headline, a "Lo último" label, "Suscríbete a
  nuestro boletín"). Short lines between two sentences stay: those are the article's subheadings.

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
    "comentarios",  # es/gl comment blocks ("Tus comentarios")
    "comentaris",  # ca
    "iruzkin",  # eu "iruzkinak"
    "promo",
    "advert",
    "publicidad",
)
# WordPress writes a post's categories and tags into its container's class ("tag-redes-sociales",
# "category-comentarios"): those name the article's topics, not what the block is, so the container
# of a post (hAtom's `hentry`, or `status-publish`, which every published post gets) is never skipped.
_NOT_A_POST = ":not(.hentry):not(.status-publish)"
SKIP_SELECTORS: tuple[str, ...] = (
    "figcaption",
    *(f'[class*="{token}" i]{_NOT_A_POST}' for token in _SKIP_TOKENS),
    *(f'[id*="{token}" i]' for token in _SKIP_TOKENS),
)

_TERMINAL = tuple('.!?…:;"”»)')
_MIN_WORDS_WITHOUT_PUNCT = 10  # a line this long is text even without final punctuation (a lead)
_MAX_LABEL_WORDS = 5
_MAX_LABEL_CHARS = 120
_MIN_PLACEHOLDER_RUN = 3
_ELLIPSES = ("...", "…")
_SENTENCE_STOPS = tuple(".!?…")
_MIN_TEASER_WORDS = 8  # sites cut summaries at a length: a few lines' worth, never a word or two
_MIN_TEASERS = 3  # one or two lines trailing off are a quote or a cut paragraph, not a list


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
    if len(line) > _MAX_LABEL_CHARS or " " not in line:
        return False
    letters = sum(map(str.isalpha, line))  # C-level maps: a generator per character costs 5x
    if letters < 8 or sum(map(str.isupper, line)) < 0.8 * letters:
        return False
    return not any(map(str.isdigit, line))


def _is_sentence_like(line: str) -> bool:
    return line.endswith(_TERMINAL) or len(line.split()) >= _MIN_WORDS_WITHOUT_PUNCT


def _is_label(line: str) -> bool:
    return len(line) <= _MAX_LABEL_CHARS and len(line.split()) <= _MAX_LABEL_WORDS


def _placeholder_runs(lines: list[str]) -> set[int]:
    """Indices of runs of one label at least `_MIN_PLACEHOLDER_RUN` times in a row (lines without
    letters, such as "-" or blanks, between them belong to the run): empty ad slots that say what
    they are for ("Espacio publicitario") and boxes a script fills in later ("Obteniendo...").
    A heading repeated before each section of an article is never three times in a row.
    `lines` are stripped."""
    found: set[int] = set()
    i = 0
    while i < len(lines):
        label = lines[i]
        if not _is_label(label) or not any(map(str.isalpha, label)):
            i += 1
            continue
        copies, j = [i], i + 1
        while j < len(lines) and (lines[j] == label or not any(map(str.isalpha, lines[j]))):
            if lines[j] == label:
                copies.append(j)
            j += 1
        if len(copies) >= _MIN_PLACEHOLDER_RUN:
            found.update(range(i, copies[-1] + 1))
        i = copies[-1] + 1
    return found


def drop_placeholders(text: str) -> str:
    """`text` without its placeholder runs (see `_placeholder_runs`); other lines are left as they are.

    Trafilatura's own answer to repeated lines, `deduplicate`, is a cache shared by all the pages
    a process reads (see `html.trafilatura_extract`); this looks at one page only."""
    raw = text.split("\n")
    drop = _placeholder_runs([s.strip() for s in raw])
    return "\n".join(s for i, s in enumerate(raw) if i not in drop) if drop else text


def _is_cut(line: str) -> bool:
    """A summary the site cut at a fixed length: an ellipsis in the middle of a sentence (after a
    word or a comma, not after a full stop), on a line of at least `_MIN_TEASER_WORDS` words."""
    for ellipsis in _ELLIPSES:
        if line.endswith(ellipsis):
            body = line[: -len(ellipsis)].rstrip()
            return bool(body) and not body.endswith(_SENTENCE_STOPS) and len(body.split()) >= _MIN_TEASER_WORDS
    return False


def _teaser_lines(lines: list[str]) -> set[int]:
    """Indices of a list of teasers to other articles ("more news" grids under or beside the
    article): at least `_MIN_TEASERS` cut summaries, the heading right above one ("Deportes",
    a short unpunctuated line), and a whole summary between two cut ones (short enough not to be cut)."""
    cut = {i for i, s in enumerate(lines) if _is_cut(s)}
    if len(cut) < _MIN_TEASERS:
        return set()
    found = set(cut)
    for i in cut:
        if i > 0 and not _is_sentence_like(lines[i - 1]):
            found.add(i - 1)
        if i + 2 in cut:
            found.add(i + 1)
    return found


def clean_lines(text: str) -> str:
    """`text` without call-to-action and shouted lines, placeholders and teaser lists, and without
    the short unpunctuated lines at its start and end. Blank lines are dropped; lines are stripped."""
    lines = [s for s in (raw.strip() for raw in text.split("\n")) if s]
    drop = _placeholder_runs(lines) | _teaser_lines(lines)
    lines = [s for i, s in enumerate(lines) if i not in drop and not _is_call_to_action(s) and not _is_shouted(s)]
    start, end = 0, len(lines)
    while start < end and not _is_sentence_like(lines[start]):
        start += 1
    while end > start and not _is_sentence_like(lines[end - 1]):
        end -= 1
    return "\n".join(lines[start:end])
