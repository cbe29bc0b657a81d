"""Parsing the bytes of an input: CSV tables and YAML documents, checked, with their editor lines.

Nothing here opens a file: :mod:`analysis.data.io` reads the bytes (hash-checked) and hands them
over. A CSV is read with the :mod:`csv` module so that every record keeps the line an editor
shows (the header is line 1); a malformed record, a repeated header line or a duplicated row
fails before any schema check; then the pandera schema and its table rules
(:mod:`analysis.data.schemas.rules`). YAML is parsed by a safe loader that refuses duplicate keys
and aliases and remembers the line of every mapping, key, list and item (:func:`yaml_line`).
Every failure is a :class:`~analysis.data.errors.DataError` listing problems by file, line,
field, value and rule.
"""

from __future__ import annotations

import csv
import io as _io
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
import yaml

from analysis.data.errors import MAX_LISTED, DataError, Problem
from analysis.data.schemas.rules import plain, rules_of

__all__ = [
    "YamlList",
    "YamlMap",
    "decode",
    "line_of",
    "locate",
    "parse_csv",
    "parse_yaml",
    "row_place",
    "validate_table",
    "yaml_line",
]


# --- YAML --------------------------------------------------------------------------------------


class YamlMap(dict):  # type: ignore[type-arg]
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[object, int]


class YamlList(list):  # type: ignore[type-arg]
    """A YAML list that remembers its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


def yaml_line(obj: object, key: object = None) -> int | None:
    """The line of a parsed YAML mapping or list, or of one of its keys or items."""
    if isinstance(obj, YamlMap):
        return obj.key_lines.get(key, obj.line) if key is not None else obj.line
    if isinstance(obj, YamlList):
        if isinstance(key, int) and 0 <= key < len(obj.item_lines):
            return obj.item_lines[key]
        return obj.line
    return None


class _Fault(Exception):
    def __init__(self, line: int, field: str | None, value: object, rule: str) -> None:
        super().__init__(rule)
        self.line, self.field, self.value, self.rule = line, field, value, rule


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses aliases and duplicate keys and records lines."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]
            raise _Fault(
                event.start_mark.line + 1, None, None, "aliases (*name) are not allowed in data files"
            )
        return super().compose_node(parent, index)


def _construct_map(loader: _Loader, node: yaml.MappingNode) -> Iterable[YamlMap]:
    data = YamlMap()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise _Fault(line, None, None, "a mapping key must be a plain value") from None
        if key in data.key_lines:
            raise _Fault(line, str(key), None, f"duplicate key (first at line {data.key_lines[key]})")
        data.key_lines[key] = line
        data[key] = loader.construct_object(value_node, deep=True)


def _construct_list(loader: _Loader, node: yaml.SequenceNode) -> Iterable[YamlList]:
    data = YamlList()
    data.line = node.start_mark.line + 1
    data.item_lines = [item.start_mark.line + 1 for item in node.value]
    yield data
    data.extend(loader.construct_object(item, deep=True) for item in node.value)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_list)


def decode(data: bytes, where: str) -> str:
    """UTF-8 text of ``data``; a byte-order mark, a NUL or an invalid byte is a DataError naming its line."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(Problem(where, line, None, data[exc.start : exc.start + 4], "is not UTF-8")) from None
    if text.startswith("\ufeff"):
        raise DataError(
            Problem(where, 1, None, None, "starts with a byte-order mark; save as UTF-8 without BOM")
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise DataError(Problem(where, line, None, None, "contains a NUL character"))
    return text


def parse_yaml(data: bytes, where: str) -> object:
    """Parse YAML bytes (a safe subset: no aliases, no duplicate keys); mappings and lists keep lines.

    Raises
    ------
    DataError
        On bytes that are not UTF-8, malformed YAML, a duplicate key or an alias, naming the line.
    """
    text = decode(data, where)
    try:
        return yaml.load(text, Loader=_Loader)
    except _Fault as fault:
        raise DataError(Problem(where, fault.line, fault.field, fault.value, fault.rule)) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        rule = f"malformed YAML: {exc.problem or exc.context}"
        raise DataError(Problem(where, line, None, None, rule)) from None
    except yaml.YAMLError as exc:
        raise DataError(Problem.of_file(where, f"malformed YAML: {str(exc)[:200]}")) from None
    except RecursionError:
        raise DataError(Problem.of_file(where, "malformed YAML: nested too deeply")) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's value (2019-02-30)
        raise DataError(Problem.of_file(where, f"malformed YAML value: {str(exc)[:200]}")) from None


# --- CSV tables ---------------------------------------------------------------------------------


class _Collector:
    """Problems found so far: the first ones kept, the rest counted."""

    def __init__(self, keep: int = 10 * MAX_LISTED) -> None:
        self.kept: list[Problem] = []
        self.more = 0
        self.keep = keep

    def add(self, problem: Problem) -> None:
        if len(self.kept) < self.keep:
            self.kept.append(problem)
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.kept)

    def raise_if_any(self) -> None:
        if self.kept:
            ordered: list[Problem] = sorted(self.kept, key=_order)
            raise DataError(ordered, omitted=self.more)


def _order(problem: Problem) -> tuple[int, str]:
    """By line; a problem without a line (a missing row) after those with one."""
    return (problem.line if problem.line is not None else 1 << 62), problem.field or ""


def _records(text: str, where: str) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, records and each record's first line; structural faults raise."""
    reader = csv.reader(_io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    records: list[list[str]] = []
    lines: list[int] = []
    found = _Collector()
    seen: dict[tuple[str, ...], int] = {}
    start = 1
    try:
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue
            if header is None:
                header = row
                continue
            if len(row) != len(header):
                found.add(
                    Problem(
                        where,
                        line,
                        None,
                        None,
                        f"has {len(row)} fields, the header (line 1) has {len(header)}",
                    )
                )
                continue
            if row == header:
                found.add(Problem(where, line, None, None, "repeats the header (line 1)"))
                continue
            key = tuple(row)
            if key in seen:
                found.add(Problem(where, line, None, None, f"repeats line {seen[key]} exactly"))
                continue
            seen[key] = line
            records.append(row)
            lines.append(line)
    except csv.Error as exc:
        found.add(Problem(where, reader.line_num or start, None, None, f"malformed CSV: {exc}"))
    if header is None:
        raise DataError(Problem(where, 1, None, None, "is empty: expected a header line"))
    found.raise_if_any()
    return header, records, lines


def _header_problems(header: list[str], schema: pa.DataFrameSchema, where: str) -> list[Problem]:
    expected = list(schema.columns)
    problems = []
    repeated = sorted({c for c in header if header.count(c) > 1})
    if repeated:
        problems.append(Problem(where, 1, "/".join(repeated), None, "column named twice in the header"))
    missing = [c for c in expected if c not in header]
    extra = [c for c in header if c not in expected]
    if missing:
        problems.append(
            Problem(where, 1, "/".join(missing), None, f"missing from the header (schema '{schema.name}')")
        )
    if extra:
        problems.append(Problem(where, 1, "/".join(extra), None, f"not a column of schema '{schema.name}'"))
    if not problems and schema.ordered and header != expected:
        problems.append(
            Problem(where, 1, None, ",".join(header), f"columns must be in the order {','.join(expected)}")
        )
    return problems


def parse_csv(data: bytes, schema: pa.DataFrameSchema, where: str) -> pd.DataFrame:
    """A UTF-8 CSV's bytes as a table checked against ``schema`` (all but the cross-file rules).

    Raises
    ------
    DataError
        On bytes that are not UTF-8, a malformed record, a record with the wrong number of
        fields, a repeated header, a duplicated row, a header that does not match, a value that
        fails its column, or a row that breaks a table rule; naming file, line, field and value.
    """
    text = decode(data, where)
    header, records, lines = _records(text, where)
    problems = _header_problems(header, schema, where)
    if problems:
        raise DataError(problems)
    if not records:
        raise DataError(Problem(where, 2, None, None, "has a header but no rows"))
    frame = pd.DataFrame(records, columns=header, dtype=str)
    return validate_table(frame, schema, where, lines)


def _check_rule(check: pa.Check | None) -> str:
    if check is None:
        return ""
    error = getattr(check, "error", None)
    return str(error) if error else ""


def _pandera_problems(
    exc: pa_errors.SchemaErrors, schema: pa.DataFrameSchema, where: str, lines: Sequence[int] | None
) -> list[Problem]:
    cases = exc.failure_cases
    coerce_failed = set(cases.loc[cases["check"].astype(str).str.startswith("coerce_dtype"), "column"])
    problems = []
    for case in cases.itertuples(index=False):
        check = str(case.check)
        column = case.column if isinstance(case.column, str) else None
        if column in coerce_failed and not check.startswith("coerce_dtype"):
            continue  # the column's other checks fail only because its values are not numbers
        if check.startswith("dtype("):
            continue  # a failed coercion says it better
        column_schema = schema.columns.get(column) if column else None
        rule_check = None
        if column_schema is not None and case.check_number is not None and not pd.isna(case.check_number):
            number = int(case.check_number)
            if number < len(column_schema.checks):
                rule_check = column_schema.checks[number]
        rule = _check_rule(rule_check) or check
        if check.startswith("coerce_dtype"):
            rule = "must be an integer" if "int" in check else "must be a number"
        elif check == "not_nullable":
            rule = "must be a number (not empty or NaN)"
        elif case.schema_context == "DataFrameSchema":
            column = None if column == schema.name else column
        label = None if pd.isna(case.index) else case.index
        line, place = row_place(label, lines, where)
        field_name = column if case.schema_context != "DataFrameSchema" or column else "check across columns"
        if len(rule) > 160:
            rule = rule[:159] + "…"
        problems.append(Problem(place, line, field_name, plain(case.failure_case), rule))
    return problems


def row_place(label: Hashable | None, lines: Sequence[int] | None, where: str) -> tuple[int | None, str]:
    """The editor line of a row label (``lines`` from the parse), or the row for a derived table."""
    if label is None:
        return None, where
    if lines is not None:
        try:
            return lines[int(label)], where  # type: ignore[call-overload]
        except (IndexError, TypeError, ValueError):
            return None, f"{where}, row {label}"
    return None, f"{where}, row {int(label) + 1}" if isinstance(label, int) else f"{where}, row {label}"


def validate_table(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    where: str,
    lines: Sequence[int] | None = None,
) -> pd.DataFrame:
    """``frame`` checked against ``schema``: its columns, then its table rules.

    ``lines`` gives the editor line of each row (by position); without it a problem names the
    row of ``where`` (a derived table). The returned frame carries the lines for
    :func:`line_of`.

    Raises
    ------
    DataError
        Listing every failed check by file, line, field, value and rule.
    """
    frame = frame.reset_index(drop=True)
    try:
        out = schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise DataError(_pandera_problems(exc, schema, where, lines)) from None
    except pa_errors.SchemaError as exc:  # a schema-wide failure that lazy mode does not collect
        raise DataError(Problem.of_file(where, str(exc).split("\n")[0][:200])) from None
    found = _Collector()
    for rule in rules_of(schema):
        try:
            violations = list(rule.find(out))
        except Exception as exc:  # a rule that cannot run on this table is a failed rule, not a crash
            found.add(
                Problem(
                    where,
                    None,
                    "/".join(rule.fields),
                    None,
                    f"{rule.rule}: could not be checked ({exc!r:.120})",
                )
            )
            continue
        for v in violations:
            line, place = row_place(v.index, lines, where)
            text = rule.rule + (f": {v.detail}" if v.detail else "")
            if v.same_as is not None:
                other, _ = row_place(v.same_as, lines, where)
                text += f" (same as line {other})" if other is not None else f" (same as row {v.same_as})"
            found.add(Problem(place, line, v.field, v.value, text))
    found.raise_if_any()
    out.attrs["source"] = SourceRows(where=where, lines=tuple(lines) if lines is not None else None)
    return out


class SourceRows(dict[str, Any]):
    """Where a loaded table's rows come from (``where`` and each row's line), kept in ``attrs``.

    pandas deep-copies ``attrs`` into every frame derived from the table (each selection, each
    column): with a line per row that cost seconds per build. The record is never changed after
    loading (a string and a tuple), so a copy shares it.
    """

    def __deepcopy__(self, memo: dict[int, object]) -> SourceRows:
        return self


def locate(frame: pd.DataFrame, label: Hashable, where: str) -> tuple[str, int | None]:
    """``(where, line)`` for a row of a table as loaded; ``(where + ", row n", None)`` for another frame."""
    line = line_of(frame, label)
    if line is not None:
        return where, line
    return row_place(label, None, where)[1], None


def line_of(frame: pd.DataFrame, label: Hashable) -> int | None:
    """The editor line of a row of a table as loaded (filtering keeps labels; re-indexing does not)."""
    source = frame.attrs.get("source") or {}
    lines = source.get("lines")
    if lines is None:
        return None
    try:
        return int(lines[int(label)])  # type: ignore[call-overload]
    except (IndexError, TypeError, ValueError):
        return None
