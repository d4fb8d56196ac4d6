"""Split mixed pages into per-language documents (`langid.filter.v1`, policy "split").

A page is split when two or more of its language groups (by `lang` of its `lang_segments`;
`und` paragraphs form a group too) hold at least `min_chars` characters each. Each such group
becomes a document: its paragraphs joined by a line break, in page order, with id
`<parent id>#<lang>`, `parent_id` = the page's id, its own `lang`, `lang_tag`, `lang_score`
(character-weighted over its paragraphs), `lang_other`, `lang_mix` and `lang_segments` (offsets
into the new text), and every other column copied from the page. Paragraphs of smaller groups
go with the largest group, so nothing of the page is dropped here: the filter then judges each
document, and the runtime counts the page as `split` and its documents as `split_into`.
"""

from __future__ import annotations

from typing import Any

import pyarrow as pa

from corpusforge import schema

# Columns a per-language document gets anew; every other column is the page's.
_NEW_COLUMNS = (schema.ID, schema.PARENT_ID, schema.TEXT, *schema.LANG_COLUMNS)


def _groups(segments: list[dict[str, Any]], min_chars: int) -> dict[str, list[dict[str, Any]]] | None:
    """lang -> the paragraphs of the document to make for it (languages in page order, each
    document's paragraphs in page order); None when the page stays whole."""
    chars: dict[str, int] = {}
    for seg in segments:
        chars[seg["lang"]] = chars.get(seg["lang"], 0) + seg["end"] - seg["start"]
    big = [lang for lang, n in chars.items() if n >= min_chars]
    if len(big) < 2:
        return None
    largest = max(big, key=lambda lang: (chars[lang], lang))
    order = list(dict.fromkeys(seg["lang"] for seg in segments if seg["lang"] in big))
    groups: dict[str, list[dict[str, Any]]] = {lang: [] for lang in order}
    for seg in segments:
        groups[seg["lang"] if seg["lang"] in groups else largest].append(seg)
    return groups


def _document(text: str, segments: list[dict[str, Any]], lang: str) -> dict[str, Any]:
    """The new columns of one per-language document made of `segments` of `text`."""
    pieces, new_segments, offset = [], [], 0
    for seg in segments:
        piece = text[seg["start"] : seg["end"]]
        new_segments.append({**seg, "start": offset, "end": offset + len(piece)})
        pieces.append(piece)
        offset += len(piece) + 1
    own = [s for s in segments if s["lang"] == lang]
    weight = max(sum(s["end"] - s["start"] for s in own), 1)
    chars: dict[str, int] = {}
    for seg in segments:
        chars[seg["tag"]] = chars.get(seg["tag"], 0) + seg["end"] - seg["start"]
    total = sum(chars.values()) or 1
    return {
        schema.TEXT: "\n".join(pieces),
        schema.LANG: lang,
        schema.LANG_TAG: own[0]["tag"],
        schema.LANG_SCORE: sum(s["score"] * (s["end"] - s["start"]) for s in own) / weight,
        schema.LANG_OTHER: sum((s["other"] or 0.0) * (s["end"] - s["start"]) for s in own) / weight,
        schema.LANG_MIX: [(t, round(n / total, 4)) for t, n in sorted(chars.items(), key=lambda kv: (-kv[1], kv[0]))],
        schema.LANG_CODESWITCH: False,
        schema.LANG_SEGMENTS: new_segments,
    }


def split_pages(table: pa.Table, *, min_chars: int) -> pa.Table:
    """`table` with each mixed page replaced, in place, by its per-language documents; a
    `parent_id` column (null for rows left whole) is always added, so every batch of a shard
    has the same schema."""
    segments = table.column(schema.LANG_SEGMENTS).to_pylist()
    plans = [_groups(segs or [], min_chars) for segs in segments]
    if not any(plans):
        parents = pa.nulls(table.num_rows, pa.string())
        return schema.put_columns(table, {schema.PARENT_ID: parents})
    ids = table.column(schema.ID).to_pylist()
    texts = table.column(schema.TEXT).to_pylist()
    take: list[int] = []
    made: list[dict[str, Any] | None] = []
    for row, groups in enumerate(plans):
        if groups is None:
            take.append(row)
            made.append(None)
            continue
        for lang, group in groups.items():
            doc = _document(texts[row], group, lang)
            doc[schema.ID] = f"{ids[row]}#{lang}"
            doc[schema.PARENT_ID] = ids[row]
            take.append(row)
            made.append(doc)
    out = table.take(pa.array(take, pa.int64()))
    columns: dict[str, pa.Array] = {}
    for name in _NEW_COLUMNS:
        original = out.column(name).to_pylist() if name in out.column_names else [None] * out.num_rows
        values = [doc[name] if doc is not None else original[i] for i, doc in enumerate(made)]
        kind = out.schema.field(name).type if name in out.column_names else schema.TYPES[name]
        columns[name] = pa.array(values, kind)
    return schema.put_columns(out, columns)
