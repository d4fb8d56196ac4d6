"""JSON Lines -> Arrow batches of documents, every line decided on its own.

A line must be UTF-8 (else `error:undecodable`), a JSON object (else `error:bad_json`) and
hold fields whose types fit their columns (else `error:bad_type`). A bad line becomes one
error row (`source` = ``file:line``, `error_detail` = what was wrong) and the lines after it
are read. A file that stops reading (a truncated .gz) ends with `error:unreadable_file`.

Column types are fixed per file, by the first line that gives a field a non-null value, so
every batch of a file has one schema and a line's fate never depends on its neighbours in
a batch:
- a string, boolean, integer or float gives string, bool, int64 or float64. A later integer
  is accepted in a float column (JSON writers print 1.0 as 1); any other mismatch is
  `error:bad_type` (a 2.5 in an integer column is not truncated to 2, an integer past
  int64 is not wrapped);
- a list or object is kept as its JSON text (a string column) whatever it holds, so
  metadata whose keys vary from line to line is kept whole;
- the contract columns (`schema.TYPES`: url, title, lang_score, ...) have their declared
  type; `id` is a string, or an integer kept as its decimal string; `text` is a string.
  A null or missing id or text is `ingest:missing_id` / `ingest:missing_text`.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from corpusforge import schema
from corpusforge.ingest.docs import RUNTIME_COLUMNS, check_required, input_name

_KINDS = {str: "str", bool: "bool", int: "int", float: "float", list: "json", dict: "json"}
_ARROW = {"str": pa.string(), "bool": pa.bool_(), "int": pa.int64(), "float": pa.float64(), "json": pa.string()}
_WANTS = {"str": "a string", "bool": "a boolean", "int": "an integer", "float": "a number", "json": "any JSON"}
_INT64 = (-(1 << 63), 1 << 63)
_JSON = json.JSONEncoder(ensure_ascii=False)  # one encoder: json.dumps builds a new one per call
_SURROGATE = "a lone surrogate escape (\\ud800-\\udfff) is not text"


@dataclass(frozen=True)
class Column:
    """The type a field must have in one file: `kind` ("str", "int", ... or "arrow" for a
    declared nested type) and where it was fixed ("declared" or "line N")."""

    kind: str
    type: pa.DataType
    origin: str

    @classmethod
    def declared(cls, arrow_type: pa.DataType) -> Column:
        kinds = (
            (pa.types.is_string, "str"),
            (pa.types.is_integer, "int"),
            (pa.types.is_floating, "float"),
            (pa.types.is_boolean, "bool"),
        )
        kind = next((k for test, k in kinds if test(arrow_type)), "arrow")
        return cls(kind, arrow_type, "declared")

    def fits(self, value: Any) -> bool:
        t, kind = type(value), self.kind
        if kind == "str":
            return t is str
        if kind == "int":
            bits = self.type.bit_width
            return t is int and -(1 << (bits - 1)) <= value < (1 << (bits - 1))
        if kind == "float":
            return t is float or (t is int and _INT64[0] <= value < _INT64[1])
        if kind == "bool":
            return t is bool
        if kind == "json":
            return True
        try:  # a declared nested type (lang_mix): rare in JSONL input, checked by Arrow itself
            pa.array([value], self.type)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            return False
        return True

    def wants(self) -> str:
        what = _WANTS.get(self.kind, str(self.type))
        return f"expected {what} ({'the declared type' if self.origin == 'declared' else 'as on ' + self.origin})"


def _error(source: str, reason: str, detail: str) -> dict[str, Any]:
    return {
        schema.SOURCE: source,
        schema.DROP_REASON: schema.reason(schema.ERROR_FAMILY, reason),
        schema.ERROR_DETAIL: detail[:1000],
    }


def _lines(path: str) -> Iterator[tuple[int, bytes | Exception]]:
    """(line number, bytes) of every line; a read that fails ends with (next number, the error)."""
    import fsspec

    lineno = 0
    try:
        with fsspec.open(path, "rb", compression="infer") as fh:
            for lineno, line in enumerate(fh, start=1):
                yield lineno, line
    except Exception as exc:  # noqa: BLE001 - whatever the filesystem or decompressor raises is this file's fault
        yield lineno + 1, exc


class JsonlReader:
    """Reads one JSON Lines file (any fsspec URL, .gz/.zst inferred) into batches of `batch_size` rows."""

    def __init__(self, path: str, *, batch_size: int) -> None:
        self.path = path
        self.batch_size = batch_size
        core = (schema.ID, schema.TEXT, schema.SOURCE)
        self.columns: dict[str, Column] = {c: Column.declared(schema.TYPES[c]) for c in core}

    def batches(self) -> Iterator[pa.Table]:
        rows: list[dict[str, Any]] = []
        lines: list[int] = []
        for lineno, line in _lines(self.path):
            if isinstance(line, Exception):
                detail = f"reading stopped at line {lineno}: {type(line).__name__}: {line}"
                rows.append(_error(f"{self.path}:{lineno}", "unreadable_file", detail))
            elif line.isspace():
                continue
            else:
                rows.append(self.row(line, lineno))
            lines.append(lineno)
            if len(rows) >= self.batch_size:
                yield self.table(rows, lines)
                rows, lines = [], []
        if rows:
            yield self.table(rows, lines)

    def row(self, line: bytes, lineno: int) -> dict[str, Any]:
        """The document of one line, or an error row saying why it is not one."""
        where = f"{self.path}:{lineno}"
        if lineno == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _error(where, "undecodable", f"byte 0x{line[exc.start]:02x} at column {exc.start + 1} is not UTF-8")
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:  # RecursionError: nested deeper than Python recurses
            return _error(where, "bad_json", str(exc))
        if type(doc) is not dict:
            return _error(where, "bad_json", f"a JSON {type(doc).__name__}, not an object")
        for name in RUNTIME_COLUMNS:
            if name in doc:
                doc[input_name(name, doc)] = doc.pop(name)
        if type(doc.get(schema.ID)) is int:
            doc[schema.ID] = str(doc[schema.ID])
        problem = self._check_types(doc, lineno)
        if problem:
            return _error(where, "bad_type", problem)
        if doc.get(schema.SOURCE) is None:
            doc[schema.SOURCE] = where
        return doc

    def _check_types(self, doc: dict[str, Any], lineno: int) -> str | None:
        """What does not fit, or None; fields seen for the first time fix their column's type
        only when the whole line is good."""
        new: dict[str, Column] = {}
        for name, value in doc.items():
            if value is None:
                continue
            col = self.columns.get(name)
            if col is None:
                declared = schema.TYPES.get(name)
                kind = _KINDS[type(value)]
                col = new[name] = (
                    Column.declared(declared) if declared else Column(kind, _ARROW[kind], f"line {lineno}")
                )
            if not col.fits(value):
                return f"'{name}' is {_describe(value)}, {col.wants()}"
        self.columns.update(new)
        return None

    def table(self, rows: list[dict[str, Any]], lines: list[int]) -> pa.Table:
        """Rows (documents and error rows) of the given line numbers as one table with every
        column known so far."""
        try:
            return self._build(rows)
        except UnicodeEncodeError:  # a lone surrogate escape ("\\udc80") decodes to a str UTF-8 cannot hold
            pass
        checked = [
            r if _encodable(r) else _error(f"{self.path}:{n}", "undecodable", _SURROGATE)
            for r, n in zip(rows, lines, strict=True)
        ]
        return self._build(checked)

    def _build(self, rows: list[dict[str, Any]]) -> pa.Table:
        arrays: dict[str, pa.Array] = {}
        for name, col in self.columns.items():
            values = [r.get(name) for r in rows]
            if col.kind == "json":
                values = [None if v is None else _JSON.encode(v) for v in values]
            arrays[name] = pa.array(values, col.type)
        if any(schema.DROP_REASON in r for r in rows):
            for name in (schema.DROP_REASON, schema.ERROR_DETAIL):
                arrays[name] = pa.array([r.get(name) for r in rows], pa.string())
        return check_required(pa.table(arrays))


def _encodable(doc: dict[str, Any]) -> bool:
    try:
        _JSON.encode(doc).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


_NAMES = {str: "a string", bool: "a boolean", int: "an integer", float: "a float", list: "a list", dict: "an object"}


def _describe(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return f"{_NAMES[type(value)]} {shown[:40]}{'...' if len(shown) > 40 else ''}"
