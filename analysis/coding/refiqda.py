r"""REFI-QDA interchange: the codebook as ``.qdc``, the coded project as ``.qdpx``, and back.

The REFI-QDA standard (QDA-XML 1.0) is what ATLAS.ti, MAXQDA, NVivo, QualCoder and others read
and write. This module writes the integrated codebook, the source studies' own framework codes,
the seeds, the coded segments and both coders' codings in that format, and reads them back
unchanged: ``import(export(x)) == x`` field for field (the tests compare dataclasses and frames
exactly). Everything is a pure function of its inputs: GUIDs are :func:`uuid.uuid5` of the ids,
no timestamps are written, and the zip's member order and dates are fixed, so two exports of the
same input are byte-identical.

Mapping (documented here once; the book's methods chapter cites it)
-------------------------------------------------------------------
Code tree (``<CodeBook><Codes>``, the same in ``.qdc`` and ``.qdpx``), top-level nodes in order:

1. one non-codable *codebook record* (name ``编码表：<name_zh> v<version>``) whose Description
   holds the codebook's name, version and change log: QDA-XML has no element for them;
2. the integrated codes: each top-level code (non-codable: segments are coded with second-level
   codes only) with its second-level codes nested inside it (codable);
3. one non-codable *framework group* per source study (name ``框架 <study>：<name_zh>``), holding
   that study's own framework codes, nested by their ``parent`` (codable).

A code's ``name`` attribute is ``<id> <name_zh>`` (what a QDA program shows). Every field the
dataclasses hold goes into the code's ``<Description>``, one field per line as ``key: <JSON>``
(JSON with non-ASCII kept, so Chinese stays readable in a QDA program, and no value can contain
a raw line break). The first line is ``kind: "codebook" | "integrated" | "framework" |
"framework_code"``. Parents are not written: they are the XML nesting. ``position`` is the code's
index in its list (``Codebook.codes`` or ``Framework.codes``), so the order survives even where
nesting would reorder it.

Project (``.qdpx``: a zip with ``project.qde`` and ``Sources/<guid>.txt``):

- Users: one ``User`` per coder (``A`` first coding, ``B`` second coding), ``name`` = ``id`` =
  the coder letter.
- Sources: each seed is a ``TextSource`` named ``seed <id>``, its UTF-8 text stored verbatim as
  ``Sources/<guid>.txt`` and referenced as ``plainTextPath="internal://<guid>.txt"`` (the
  standard's convention for files inside the archive).
- Each segment is a ``PlainTextSelection`` of its seed, named by its segment id. Positions: QDA-XML
  positions here count Unicode characters (code points, as Python indexes a ``str``), start at 0,
  and the end is exclusive; the selection covers whole lines, ``text[start:end] ==
  "\n".join(lines[line_from - 1 : line_to])`` with lines split on ``"\n"`` only (as
  :func:`analysis.data.io.read_seed_lines`). Import turns positions back into line numbers and refuses
  a selection that does not start and end on a line boundary. (NVivo counts UTF-16 code units
  instead; seed 003 has characters outside the BMP, so NVivo may show those selections shifted.)
- The selection's Description holds the segment's remaining fields (case, source type,
  quotation, note, coding round, row order) as ``key: <JSON>`` lines.
- Each code of a segment is a ``Coding`` (``creatingUser`` = the coder's User) with a
  ``CodeRef`` to the code; coder A's integrated codes come first, then A's framework codes, then
  coder B's codes, each in the order of the CSV cell, so the ``;``-joined cells come back equal.
"""

from __future__ import annotations

import bisect
import csv
import io
import json
import re
import uuid
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import pandas as pd

from analysis.coding.codebook import (
    Change,
    Code,
    Codebook,
    Example,
    Framework,
    FrameworkCode,
    load_book_codebook,
)
from analysis.coding.segments import split_codes
from analysis.data import io as data_io
from analysis.data.errors import DataError
from analysis.data.schemas.coding import CODED_SEGMENTS, SECOND_CODING

__all__ = [
    "CODEBOOK_NS",
    "PROJECT_NS",
    "PROJECT_XSD",
    "QdpxContent",
    "codebook_to_qdc",
    "codebook_to_taguette_csv",
    "export_qdpx",
    "import_qdpx",
    "line_span_to_positions",
    "positions_to_line_span",
    "qdc_to_codebook",
    "qdpx_bytes",
    "read_qdpx",
    "validate_qdc",
    "validate_qde",
    "write_exports",
]

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
#: The official QDA-XML 1.0 Project schema, vendored (provenance in resources/refi_qda/README.md).
PROJECT_XSD = Path(__file__).parent / "resources" / "refi_qda" / "Project.xsd"

_ORIGIN = "zhengti-zhizhi-book analysis.coding.refiqda"
#: Root of every GUID this module writes (uuid5 of the ids below it): fixed, so GUIDs are stable.
_GUID_ROOT = uuid.uuid5(uuid.NAMESPACE_URL, "urn:zhengti-zhizhi-book:refi-qda")
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_QDE = "project.qde"
#: Okabe-Ito colours for the eight integrated top-level codes (cycled), grey for framework groups.
_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
_GREY = "#999999"

_SEGMENT_COLUMNS = list(CODED_SEGMENTS.columns)
_SECOND_COLUMNS = list(SECOND_CODING.columns)

_FIELDS: dict[str, tuple[str, ...]] = {
    "codebook": ("kind", "name_zh", "version", "changelog"),
    "integrated": (
        "kind",
        "id",
        "position",
        "name_zh",
        "name_en",
        "definition_zh",
        "include_zh",
        "exclude_zh",
        "example",
        "crosswalk",
    ),
    "framework": ("kind", "study", "name_zh", "source_lines"),
    "framework_code": ("kind", "id", "position", "name_zh", "name_en", "definition_zh", "source_lines"),
    "segment": (
        "kind",
        "segment_id",
        "row",
        "case_id",
        "source_type",
        "evidence_zh",
        "note_en",
        "round",
        "second_row",
        "second_round",
    ),
    "source": ("kind", "seed_id"),
}


def _guid(*parts: str) -> str:
    return str(uuid.uuid5(_GUID_ROOT, "\x1f".join(parts)))


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


# ---------------------------------------------------------------------------------------------
# Description blocks: one ``key: <JSON>`` line per field
# ---------------------------------------------------------------------------------------------


def _describe(kind: str, values: Mapping[str, Any]) -> str:
    fields = _FIELDS[kind]
    record = {"kind": kind, **values}
    if list(record) != list(fields):
        raise AssertionError(f"{kind}: fields {list(record)} != {list(fields)}")
    return "\n".join(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in record.items())


def _parse_description(where: str, element: ET.Element, ns: str) -> dict[str, Any]:
    node = element.find(_q(ns, "Description"))
    if node is None or not (node.text or "").strip():
        raise DataError(f"{where}: has no <Description> with this module's fields")
    record: dict[str, Any] = {}
    for n, line in enumerate((node.text or "").strip().split("\n"), 1):
        key, sep, value = line.partition(": ")
        if not sep or not re.fullmatch(r"[a-z_]+", key):
            raise DataError(f"{where}: <Description> line {n} is not 'key: <JSON>': {line[:60]!r}")
        try:
            record[key] = json.loads(value)
        except json.JSONDecodeError as exc:
            raise DataError(f"{where}: <Description> field '{key}': not valid JSON ({exc})") from exc
    kind = record.get("kind")
    if kind not in _FIELDS:
        raise DataError(f"{where}: <Description> field 'kind': unknown kind {kind!r}")
    missing = [f for f in _FIELDS[kind] if f not in record]
    extra = [f for f in record if f not in _FIELDS[kind]]
    if missing or extra:
        raise DataError(f"{where}: <Description> ({kind}): missing fields {missing}, unknown fields {extra}")
    return record


def _get(where: str, record: Mapping[str, Any], key: str, kind: type) -> Any:
    value = record[key]
    ok = isinstance(value, kind) and not (kind is int and isinstance(value, bool))
    if not ok:
        raise DataError(f"{where}: <Description> field '{key}' must be {kind.__name__}, found {value!r}")
    return value


# ---------------------------------------------------------------------------------------------
# The code tree
# ---------------------------------------------------------------------------------------------


def _code_element(guid: str, name: str, codable: bool, colour: str, description: str) -> ET.Element:
    element = ET.Element(
        "Code",
        {"guid": guid, "name": name, "isCodable": "true" if codable else "false", "color": colour},
    )
    ET.SubElement(element, "Description").text = description
    return element


def _codes_element(codebook: Codebook) -> tuple[ET.Element, dict[str, str]]:
    """The ``<Codes>`` tree and a map code id -> GUID of every codable code."""
    codes = ET.Element("Codes")
    guids: dict[str, str] = {}
    info = {
        "name_zh": codebook.name_zh,
        "version": codebook.version,
        "changelog": [
            {"version": c.version, "date": c.date, "changes_zh": c.changes_zh, "changes_en": c.changes_en}
            for c in codebook.changelog
        ],
    }
    codes.append(
        _code_element(
            _guid("codebook"),
            f"编码表：{codebook.name_zh} v{codebook.version}",
            False,
            _GREY,
            _describe("codebook", info),
        )
    )
    tops: dict[str, ET.Element] = {}
    for position, code in enumerate(codebook.codes):
        if code.parent is not None:
            continue
        colour = _COLOURS[len(tops) % len(_COLOURS)]
        tops[code.id] = _code_element(
            _guid("code", code.id),
            f"{code.id} {code.name_zh}",
            False,
            colour,
            _integrated(code, position),
        )
        codes.append(tops[code.id])
    for position, code in enumerate(codebook.codes):
        if code.parent is None:
            continue
        parent = tops[code.parent]
        element = _code_element(
            _guid("code", code.id),
            f"{code.id} {code.name_zh}",
            True,
            parent.attrib["color"],
            _integrated(code, position),
        )
        parent.append(element)
        guids[code.id] = element.attrib["guid"]
    for framework in codebook.frameworks:
        group = _code_element(
            _guid("framework", framework.study),
            f"框架 {framework.study}：{framework.name_zh}",
            False,
            _GREY,
            _describe(
                "framework",
                {
                    "study": framework.study,
                    "name_zh": framework.name_zh,
                    "source_lines": framework.source_lines,
                },
            ),
        )
        codes.append(group)
        _nest_framework(framework, group, guids)
    return codes, guids


def _integrated(code: Code, position: int) -> str:
    ex = code.example
    example = (
        None
        if ex is None
        else {
            "seed_id": ex.seed_id,
            "line_from": ex.line_from,
            "line_to": ex.line_to,
            "quote_zh": ex.quote_zh,
        }
    )
    return _describe(
        "integrated",
        {
            "id": code.id,
            "position": position,
            "name_zh": code.name_zh,
            "name_en": code.name_en,
            "definition_zh": code.definition_zh,
            "include_zh": code.include_zh,
            "exclude_zh": code.exclude_zh,
            "example": example,
            "crosswalk": {study: list(targets) for study, targets in code.crosswalk},
        },
    )


def _nest_framework(framework: Framework, group: ET.Element, guids: dict[str, str]) -> None:
    elements: dict[str | None, ET.Element] = {None: group}
    pending = list(enumerate(framework.codes))
    while pending:
        placed = [(i, c) for i, c in pending if c.parent in elements]
        if not placed:
            ids = [c.id for _, c in pending]
            raise DataError(f"framework {framework.study}: codes {ids} have a cycle in their parents")
        for position, fc in placed:
            element = _code_element(
                _guid("code", fc.id),
                f"{fc.id} {fc.name_zh}",
                True,
                _GREY,
                _describe(
                    "framework_code",
                    {
                        "id": fc.id,
                        "position": position,
                        "name_zh": fc.name_zh,
                        "name_en": fc.name_en,
                        "definition_zh": fc.definition_zh,
                        "source_lines": fc.source_lines,
                    },
                ),
            )
            elements[fc.parent].append(element)
            elements[fc.id] = element
            guids[fc.id] = element.attrib["guid"]
        pending = [(i, c) for i, c in pending if c.id not in elements]


def _code_where(member: str, element: ET.Element) -> str:
    return f"{member}: <Code name={element.attrib.get('name', '?')!r} guid={element.attrib.get('guid', '?')}>"


def _check_name(where: str, element: ET.Element, expected: str) -> None:
    if element.attrib.get("name") != expected:
        raise DataError(
            f"{where}: attribute 'name' does not match its <Description> (expected {expected!r}); "
            "rename codes in the codebook YAML, not in a QDA program"
        )


def _read_codes(codes: ET.Element, ns: str, member: str) -> tuple[Codebook, dict[str, str]]:
    """Rebuild the :class:`Codebook` from a ``<Codes>`` tree; also the map GUID -> code id."""
    guid_to_id: dict[str, str] = {}
    info: dict[str, Any] | None = None
    integrated: list[tuple[int, Code]] = []
    frameworks: list[Framework] = []
    for top in codes.findall(_q(ns, "Code")):
        where = _code_where(member, top)
        record = _parse_description(where, top, ns)
        kind = record["kind"]
        if kind == "codebook":
            if info is not None:
                raise DataError(f"{where}: a second codebook record")
            info = record
            _check_name(where, top, f"编码表：{record['name_zh']} v{record['version']}")
        elif kind == "integrated":
            integrated.append(_read_integrated(where, top, record, None, ns))
            for child in top.findall(_q(ns, "Code")):
                child_where = _code_where(member, child)
                child_record = _parse_description(child_where, child, ns)
                if child_record["kind"] != "integrated":
                    raise DataError(f"{child_where}: expected an integrated second-level code")
                position, code = _read_integrated(child_where, child, child_record, record["id"], ns)
                if child.find(_q(ns, "Code")) is not None:
                    raise DataError(f"{child_where}: integrated codes have two levels only")
                integrated.append((position, code))
                guid_to_id[child.attrib["guid"]] = code.id
        elif kind == "framework":
            frameworks.append(_read_framework(member, top, record, ns, guid_to_id))
        else:
            raise DataError(f"{where}: a {kind} code cannot be at the top level")
    if info is None:
        raise DataError(
            f"{member}: <Codes> has no codebook record (a Code whose Description kind is 'codebook')"
        )
    positions = sorted(p for p, _ in integrated)
    if positions != list(range(len(integrated))):
        raise DataError(f"{member}: integrated code positions {positions} are not 0..{len(integrated) - 1}")
    where = f"{member}: codebook record"
    changelog = _get(where, info, "changelog", list)
    try:
        changes = tuple(Change(c["version"], c["date"], c["changes_zh"], c["changes_en"]) for c in changelog)
    except (TypeError, KeyError) as exc:
        raise DataError(f"{where}: <Description> field 'changelog' is malformed ({exc!r})") from exc
    codebook = Codebook(
        name_zh=_get(where, info, "name_zh", str),
        version=_get(where, info, "version", str),
        changelog=changes,
        codes=tuple(code for _, code in sorted(integrated, key=lambda pc: pc[0])),
        frameworks=tuple(frameworks),
    )
    return codebook, guid_to_id


def _read_integrated(
    where: str, element: ET.Element, record: Mapping[str, Any], parent: str | None, ns: str
) -> tuple[int, Code]:
    code_id = _get(where, record, "id", str)
    _check_name(where, element, f"{code_id} {record['name_zh']}")
    ex = record["example"]
    example = None
    if ex is not None:
        if not isinstance(ex, dict) or sorted(ex) != ["line_from", "line_to", "quote_zh", "seed_id"]:
            raise DataError(f"{where}: <Description> field 'example' is malformed: {ex!r}")
        example = Example(
            _get(where, ex, "seed_id", str),
            _get(where, ex, "line_from", int),
            _get(where, ex, "line_to", int),
            _get(where, ex, "quote_zh", str),
        )
    crosswalk = _get(where, record, "crosswalk", dict)
    if not all(isinstance(v, list) and all(isinstance(t, str) for t in v) for v in crosswalk.values()):
        raise DataError(f"{where}: <Description> field 'crosswalk' must map studies to lists of ids")
    code = Code(
        id=code_id,
        parent=parent,
        name_zh=_get(where, record, "name_zh", str),
        name_en=_get(where, record, "name_en", str),
        definition_zh=_get(where, record, "definition_zh", str),
        include_zh=_get(where, record, "include_zh", str),
        exclude_zh=_get(where, record, "exclude_zh", str),
        example=example,
        crosswalk=tuple((study, tuple(targets)) for study, targets in crosswalk.items()),
    )
    return _get(where, record, "position", int), code


def _read_framework(
    member: str, group: ET.Element, record: Mapping[str, Any], ns: str, guid_to_id: dict[str, str]
) -> Framework:
    where = _code_where(member, group)
    study = _get(where, record, "study", str)
    _check_name(where, group, f"框架 {study}：{record['name_zh']}")
    found: list[tuple[int, FrameworkCode]] = []

    def walk(element: ET.Element, parent: str | None) -> None:
        for child in element.findall(_q(ns, "Code")):
            child_where = _code_where(member, child)
            r = _parse_description(child_where, child, ns)
            if r["kind"] != "framework_code":
                raise DataError(f"{child_where}: expected a framework code inside framework {study}")
            code_id = _get(child_where, r, "id", str)
            _check_name(child_where, child, f"{code_id} {r['name_zh']}")
            fc = FrameworkCode(
                id=code_id,
                parent=parent,
                name_zh=_get(child_where, r, "name_zh", str),
                name_en=_get(child_where, r, "name_en", str),
                definition_zh=_get(child_where, r, "definition_zh", str),
                source_lines=_get(child_where, r, "source_lines", str),
            )
            found.append((_get(child_where, r, "position", int), fc))
            guid_to_id[child.attrib["guid"]] = code_id
            walk(child, code_id)

    walk(group, None)
    positions = sorted(p for p, _ in found)
    if positions != list(range(len(found))):
        raise DataError(f"{where}: framework code positions {positions} are not 0..{len(found) - 1}")
    return Framework(
        study=study,
        name_zh=_get(where, record, "name_zh", str),
        source_lines=_get(where, record, "source_lines", str),
        codes=tuple(fc for _, fc in sorted(found, key=lambda pc: pc[0])),
    )


def _serialise(root: ET.Element, ns: str) -> bytes:
    root.set("xmlns", ns)
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def _parse_xml(member: str, data: bytes) -> ET.Element:
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise DataError(f"{member}: malformed XML ({exc})") from exc


def codebook_to_qdc(codebook: Codebook) -> bytes:
    """The codebook as a REFI-QDA codebook file (``.qdc``, namespace ``urn:QDA-XML:codebook:1.0``).

    Parameters
    ----------
    codebook
        The integrated codebook with its frameworks.

    Returns
    -------
    bytes
        UTF-8 XML; byte-identical for equal inputs. The mapping is described in the module docstring.
    """
    root = ET.Element("CodeBook", {"origin": _ORIGIN})
    codes, _ = _codes_element(codebook)
    root.append(codes)
    return _serialise(root, CODEBOOK_NS)


def qdc_to_codebook(data: bytes) -> Codebook:
    """Read a ``.qdc`` written by :func:`codebook_to_qdc` back into a :class:`Codebook`.

    Raises
    ------
    DataError
        On malformed XML, a missing element or Description field, or an inconsistent code tree;
        the message names the code (name and GUID) and the field.
    """
    member = "codebook.qdc"
    root = _parse_xml(member, data)
    if root.tag != _q(CODEBOOK_NS, "CodeBook"):
        raise DataError(f"{member}: root element is {root.tag}, expected {{{CODEBOOK_NS}}}CodeBook")
    codes = root.find(_q(CODEBOOK_NS, "Codes"))
    if codes is None:
        raise DataError(f"{member}: <CodeBook> has no <Codes>")
    return _read_codes(codes, CODEBOOK_NS, member)[0]


# ---------------------------------------------------------------------------------------------
# Line ranges <-> character positions
# ---------------------------------------------------------------------------------------------


def _line_starts(text: str) -> list[int]:
    starts = [0]
    for i, ch in enumerate(text):
        if ch == "\n":
            starts.append(i + 1)
    return starts


def _span_to_positions(starts: list[int], length: int, line_from: int, line_to: int) -> tuple[int, int]:
    if not 1 <= line_from <= line_to <= len(starts):
        raise ValueError(f"line range {line_from}-{line_to} outside 1-{len(starts)}")
    end = starts[line_to] - 1 if line_to < len(starts) else length
    return starts[line_from - 1], end


def _positions_to_span(starts: list[int], length: int, start: int, end: int) -> tuple[int, int] | None:
    if not 0 <= start <= end <= length:
        return None
    i = bisect.bisect_right(starts, start) - 1
    if starts[i] != start:
        return None
    j = bisect.bisect_right(starts, end) - 1
    line_end = starts[j + 1] - 1 if j + 1 < len(starts) else length
    if j < i or end != line_end:
        return None
    return i + 1, j + 1


def line_span_to_positions(text: str, line_from: int, line_to: int) -> tuple[int, int]:
    r"""Character positions ``(start, end)`` of lines ``line_from..line_to`` (1-based) of ``text``.

    Positions count Unicode code points from 0 and the end is exclusive, so ``text[start:end]``
    is ``"\n".join(text.split("\n")[line_from - 1 : line_to])``.

    Raises
    ------
    ValueError
        If the line range is not inside the text.
    """
    return _span_to_positions(_line_starts(text), len(text), line_from, line_to)


def positions_to_line_span(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The inverse of :func:`line_span_to_positions`; ``None`` unless ``start``/``end`` are line bounds."""
    return _positions_to_span(_line_starts(text), len(text), start, end)


# ---------------------------------------------------------------------------------------------
# The project (.qdpx)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QdpxContent:
    """Everything :func:`read_qdpx` recovers from a ``.qdpx``."""

    codebook: Codebook
    segments: pd.DataFrame
    second_coding: pd.DataFrame | None
    seeds: dict[str, str]


def _ensure_frame(frame: pd.DataFrame, columns: list[str], what: str) -> None:
    if list(frame.columns) != columns:
        raise DataError(f"{what}: columns {list(frame.columns)} are not {columns}")


def qdpx_bytes(
    codebook: Codebook,
    segments: pd.DataFrame,
    second_coding: pd.DataFrame | None,
    seeds: Mapping[str, str],
) -> bytes:
    """The ``.qdpx`` archive as bytes (see :func:`export_qdpx`)."""
    _ensure_frame(segments, _SEGMENT_COLUMNS, "segments")
    if second_coding is not None:
        _ensure_frame(second_coding, _SECOND_COLUMNS, "second coding")
    ns = PROJECT_NS
    root = ET.Element("Project", {"name": codebook.name_zh, "origin": _ORIGIN})
    coders = sorted(set(segments["coder"]) | set([] if second_coding is None else second_coding["coder"]))
    users = ET.SubElement(root, "Users")
    user_guid = {c: _guid("user", c) for c in coders}
    for coder in coders:
        ET.SubElement(users, "User", {"guid": user_guid[coder], "name": coder, "id": coder})
    book = ET.SubElement(root, "CodeBook")
    codes, code_guid = _codes_element(codebook)
    book.append(codes)
    integrated = set(codebook.leaf_ids)

    second: dict[str, tuple[int, Any]] = {}
    if second_coding is not None:
        for row, rec in enumerate(second_coding.itertuples(index=False)):
            second[str(rec.segment_id)] = (row, rec)
        unknown = sorted(set(second) - set(segments["segment_id"]))
        if unknown:
            raise DataError(f"second coding: segment(s) {unknown[:5]} are not in the segments")

    sources = ET.SubElement(root, "Sources")
    members: list[tuple[str, bytes]] = []
    by_seed: dict[str, list[tuple[int, Any]]] = {}
    for row, rec in enumerate(segments.itertuples(index=False)):
        by_seed.setdefault(str(rec.seed_id), []).append((row, rec))
    missing = sorted(set(by_seed) - set(seeds))
    if missing:
        raise DataError(f"segments cite seed(s) {missing} but no text was given for them")
    for seed_id in sorted(seeds):
        text = seeds[seed_id]
        guid = _guid("source", seed_id)
        source = ET.SubElement(
            sources,
            "TextSource",
            {"guid": guid, "name": f"seed {seed_id}", "plainTextPath": f"internal://{guid}.txt"},
        )
        ET.SubElement(source, "Description").text = _describe("source", {"seed_id": seed_id})
        members.append((f"Sources/{guid}.txt", text.encode("utf-8")))
        starts = _line_starts(text)
        for row, rec in by_seed.get(seed_id, []):
            _selection(
                source,
                rec,
                row,
                second.get(str(rec.segment_id)),
                starts,
                len(text),
                user_guid,
                code_guid,
                integrated,
            )
    xml = _serialise(root, ns)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, data in [(_QDE, xml), *members]:
            info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            zf.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def _selection(
    source: ET.Element,
    rec: Any,
    row: int,
    second: tuple[int, Any] | None,
    starts: list[int],
    length: int,
    user_guid: Mapping[str, str],
    code_guid: Mapping[str, str],
    integrated: set[str],
) -> None:
    sid = str(rec.segment_id)
    where = f"segments row {row + 1} ({sid})"
    try:
        start, end = _span_to_positions(starts, length, int(rec.line_from), int(rec.line_to))
    except ValueError as exc:
        raise DataError(f"{where}: {exc} of seed {rec.seed_id}") from exc
    selection = ET.SubElement(
        source,
        "PlainTextSelection",
        {
            "guid": _guid("segment", sid),
            "name": sid,
            "startPosition": str(start),
            "endPosition": str(end),
            "creatingUser": user_guid[str(rec.coder)],
        },
    )
    ET.SubElement(selection, "Description").text = _describe(
        "segment",
        {
            "segment_id": sid,
            "row": row,
            "case_id": str(rec.case_id),
            "source_type": str(rec.source_type),
            "evidence_zh": str(rec.evidence_zh),
            "note_en": str(rec.note_en),
            "round": int(rec.round),
            "second_row": None if second is None else second[0],
            "second_round": None if second is None else int(second[1].round),
        },
    )
    codings: list[tuple[str, str, str]] = [(str(rec.coder), "codes", c) for c in split_codes(str(rec.codes))]
    codings += [(str(rec.coder), "framework_codes", c) for c in split_codes(str(rec.framework_codes))]
    if second is not None:
        codings += [(str(second[1].coder), "codes", c) for c in split_codes(str(second[1].codes))]
    seen: set[tuple[str, str]] = set()
    for coder, column, code in codings:
        if (column == "codes") != (code in integrated) or code not in code_guid:
            kind = "second-level integrated" if column == "codes" else "framework"
            raise DataError(f"{where}: coder {coder}, column '{column}': {code!r} is not a {kind} code")
        if (coder, code) in seen:
            raise DataError(f"{where}: coder {coder} gives code {code!r} twice")
        seen.add((coder, code))
        coding = ET.SubElement(
            selection, "Coding", {"guid": _guid("coding", sid, coder, code), "creatingUser": user_guid[coder]}
        )
        ET.SubElement(coding, "CodeRef", {"targetGUID": code_guid[code]})


def export_qdpx(
    codebook: Codebook,
    segments: pd.DataFrame,
    second_coding: pd.DataFrame | None,
    seeds: Mapping[str, str],
    path: Path,
) -> Path:
    """Write the whole coded project as a REFI-QDA project archive (``.qdpx``).

    Parameters
    ----------
    codebook
        The integrated codebook with its frameworks.
    segments
        Coded segments in the ``coded_segments`` schema (coder A).
    second_coding
        Coder B's codes in the ``coded_segments_b`` schema, or ``None``. An empty frame is
        written as no second coding (and so reads back as ``None``).
    seeds
        Seed id -> full text of the seed (as :func:`analysis.data.io.read_seed_lines` reads it).
    path
        Where to write the archive.

    Returns
    -------
    Path
        ``path``. Its bytes are identical for equal inputs.

    Raises
    ------
    DataError
        If a segment cites a seed without text or lines outside it, a code is unknown or in the
        wrong column, or the second coding names a segment that does not exist.
    """
    if second_coding is not None and second_coding.empty:
        second_coding = None
    path.write_bytes(qdpx_bytes(codebook, segments, second_coding, seeds))
    return path


def read_qdpx(path: Path) -> QdpxContent:
    """Read a ``.qdpx`` written by :func:`export_qdpx`: codebook, segments, second coding, seeds.

    Raises
    ------
    DataError
        If the file is not a zip, ``project.qde`` or a source member is missing, the XML is
        malformed, or an element lacks what this module writes; the message names the member and
        the element (segment id or code name and GUID) and the field.
    """
    where = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(f"{where}: not a readable .qdpx (zip) file ({exc})") from exc
    with zf:
        names = set(zf.namelist())
        if _QDE not in names:
            raise DataError(f"{where}: member '{_QDE}' is missing")
        member = f"{where}:{_QDE}"
        root = _parse_xml(member, zf.read(_QDE))
        ns = PROJECT_NS
        if root.tag != _q(ns, "Project"):
            raise DataError(f"{member}: root element is {root.tag}, expected {{{ns}}}Project")
        users = {u.attrib.get("guid", ""): u.attrib.get("name", "") for u in root.iter(_q(ns, "User"))}
        codes = root.find(f"{_q(ns, 'CodeBook')}/{_q(ns, 'Codes')}")
        if codes is None:
            raise DataError(f"{member}: <Project> has no <CodeBook><Codes>")
        codebook, guid_to_id = _read_codes(codes, ns, member)
        integrated = set(codebook.leaf_ids)
        seeds: dict[str, str] = {}
        first: list[tuple[int, dict[str, Any]]] = []
        second: list[tuple[int, dict[str, Any]]] = []
        for source in root.iter(_q(ns, "TextSource")):
            src_where = f"{member}: <TextSource name={source.attrib.get('name', '?')!r}>"
            seed_id = _get(src_where, _parse_description(src_where, source, ns), "seed_id", str)
            text_path = source.attrib.get("plainTextPath", "")
            if not text_path.startswith("internal://"):
                raise DataError(f"{src_where}: plainTextPath {text_path!r} is not internal://<file>")
            text_member = "Sources/" + text_path.removeprefix("internal://")
            if text_member not in names:
                raise DataError(f"{where}: member '{text_member}' (the text of seed {seed_id}) is missing")
            try:
                text = zf.read(text_member).decode("utf-8")
            except UnicodeDecodeError as exc:
                raise DataError(f"{where}: member '{text_member}' is not UTF-8 ({exc})") from exc
            seeds[seed_id] = text
            starts = _line_starts(text)
            for selection in source.findall(_q(ns, "PlainTextSelection")):
                a, b = _read_selection(
                    member, selection, ns, seed_id, starts, len(text), users, guid_to_id, integrated
                )
                first.append(a)
                if b is not None:
                    second.append(b)
    segments = _frame(first, _SEGMENT_COLUMNS, CODED_SEGMENTS, f"{member} (segments)")
    second_frame = (
        _frame(second, _SECOND_COLUMNS, SECOND_CODING, f"{member} (second coding)") if second else None
    )
    return QdpxContent(codebook, segments, second_frame, seeds)


def _read_selection(
    member: str,
    selection: ET.Element,
    ns: str,
    seed_id: str,
    starts: list[int],
    length: int,
    users: Mapping[str, str],
    guid_to_id: Mapping[str, str],
    integrated: set[str],
) -> tuple[tuple[int, dict[str, Any]], tuple[int, dict[str, Any]] | None]:
    where = f"{member}: <PlainTextSelection name={selection.attrib.get('name', '?')!r}>"
    r = _parse_description(where, selection, ns)
    sid = _get(where, r, "segment_id", str)
    if selection.attrib.get("name") != sid:
        raise DataError(f"{where}: attribute 'name' is not its segment id {sid!r}")
    try:
        start, end = int(selection.attrib["startPosition"]), int(selection.attrib["endPosition"])
    except (KeyError, ValueError) as exc:
        raise DataError(f"{where}: bad startPosition/endPosition ({exc!r})") from exc
    span = _positions_to_span(starts, length, start, end)
    if span is None:
        raise DataError(f"{where}: positions {start}-{end} are not whole lines of seed {seed_id}")
    first_coder = users.get(selection.attrib.get("creatingUser", ""))
    if not first_coder:
        raise DataError(f"{where}: attribute 'creatingUser' is not a <User>")
    cells: dict[tuple[str, str], list[str]] = {}
    for coding in selection.findall(_q(ns, "Coding")):
        coder = users.get(coding.attrib.get("creatingUser", ""))
        ref = coding.find(_q(ns, "CodeRef"))
        code = guid_to_id.get("" if ref is None else ref.attrib.get("targetGUID", ""))
        if not coder or code is None:
            raise DataError(
                f"{where}: <Coding guid={coding.attrib.get('guid')}>: unknown creatingUser or CodeRef target"
            )
        column = "codes" if code in integrated else "framework_codes"
        cells.setdefault((coder, column), []).append(code)
    others = sorted({c for c, _ in cells} - {first_coder})
    if len(others) > 1 or (others and r["second_row"] is None):
        raise DataError(f"{where}: codings by unexpected coder(s) {others}")
    first = {
        "segment_id": sid,
        "case_id": _get(where, r, "case_id", str),
        "seed_id": seed_id,
        "line_from": span[0],
        "line_to": span[1],
        "source_type": _get(where, r, "source_type", str),
        "evidence_zh": _get(where, r, "evidence_zh", str),
        "codes": ";".join(cells.get((first_coder, "codes"), [])),
        "framework_codes": ";".join(cells.get((first_coder, "framework_codes"), [])),
        "coder": first_coder,
        "round": _get(where, r, "round", int),
        "note_en": _get(where, r, "note_en", str),
    }
    second = None
    if r["second_row"] is not None:
        if not others:
            raise DataError(f"{where}: <Description> announces a second coding but no second coder's Coding")
        coder_b = others[0]
        if (coder_b, "framework_codes") in cells:
            raise DataError(f"{where}: the second coder ({coder_b}) gives framework codes")
        second = (
            _get(where, r, "second_row", int),
            {
                "segment_id": sid,
                "codes": ";".join(cells.get((coder_b, "codes"), [])),
                "coder": coder_b,
                "round": _get(where, r, "second_round", int),
            },
        )
    return (_get(where, r, "row", int), first), second


def _frame(
    rows: list[tuple[int, dict[str, Any]]], columns: list[str], schema: Any, where: str
) -> pd.DataFrame:
    order = sorted(r for r, _ in rows)
    if order != list(range(len(rows))):
        raise DataError(f"{where}: row numbers in the Descriptions are not 0..{len(rows) - 1}")
    frame = pd.DataFrame([rec for _, rec in sorted(rows, key=lambda rr: rr[0])], columns=columns)
    frame = frame.astype({c: str for c in columns if c not in ("line_from", "line_to", "round")})
    return data_io.validate_table(frame, schema, f"{where}: the imported table")


def import_qdpx(path: Path) -> tuple[Codebook, pd.DataFrame, pd.DataFrame | None]:
    """Read a ``.qdpx`` written by :func:`export_qdpx` back into codebook, segments, second coding.

    The seeds' texts are read too (and used to turn positions into lines); :func:`read_qdpx`
    also returns them.

    Raises
    ------
    DataError
        As :func:`read_qdpx`.
    """
    content = read_qdpx(path)
    return content.codebook, content.segments, content.second_coding


# ---------------------------------------------------------------------------------------------
# Schema validation (the vendored official schema) and Taguette
# ---------------------------------------------------------------------------------------------


@cache
def _project_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema(str(PROJECT_XSD))


def _errors(schema: Any, root: ET.Element) -> list[str]:
    return [f"{e.path}: {e.reason}" for e in schema.iter_errors(root)]


def validate_qde(xml: bytes) -> list[str]:
    """Problems of a ``project.qde`` against the official QDA-XML 1.0 Project schema (empty = valid)."""
    return _errors(_project_schema(), _parse_xml(_QDE, xml))


def validate_qdc(xml: bytes) -> list[str]:
    """Problems of a ``.qdc`` against the official schema's ``CodeBookType`` (empty = valid).

    Only the Project schema is vendored (the package that ships it has no Codebook.xsd). The
    codebook schema's ``CodeBook`` has the same ``Codes`` content as the Project schema's
    ``CodeBookType`` (plus optional ``Sets``, which we do not write), so the ``.qdc`` is checked
    by moving its elements into the project namespace inside an otherwise empty ``<Project>``. The
    root's own namespace and ``origin`` attribute are checked here directly.
    """
    root = _parse_xml("codebook.qdc", xml)
    problems = []
    if root.tag != _q(CODEBOOK_NS, "CodeBook"):
        problems.append(f"root element is {root.tag}, expected {{{CODEBOOK_NS}}}CodeBook")
    if set(root.attrib) - {"origin"}:
        problems.append(f"unexpected attributes on <CodeBook>: {sorted(set(root.attrib) - {'origin'})}")
    project = ET.Element(_q(PROJECT_NS, "Project"), {"name": "codebook"})
    project.append(_renamespace(root, CODEBOOK_NS, PROJECT_NS))
    return problems + _errors(_project_schema(), project)


def _renamespace(element: ET.Element, old: str, new: str) -> ET.Element:
    tag = element.tag.replace(f"{{{old}}}", f"{{{new}}}", 1)
    copy = ET.Element(tag, {k: v for k, v in element.attrib.items() if k != "origin"})
    copy.text, copy.tail = element.text, element.tail
    for child in element:
        copy.append(_renamespace(child, old, new))
    return copy


def codebook_to_taguette_csv(codebook: Codebook) -> str:
    """The codebook as a CSV that Taguette 1.5.2 imports ("Import codebook").

    Taguette 1.5.2 (``taguette/import_codebook.py``, ``list_tags_csv``) reads a CSV whose header
    has exactly one of ``tag``/``name``/``path`` (the tag) and optionally ``description``; other
    columns are ignored. Taguette's tags are flat names: our ids are used as they are
    (``CTX.POL``, ``000:HS.DF``), so the two levels stay readable in the name, and the
    description carries the Chinese name, the English name, the definition and, for second-level
    codes, when to apply the code and when not. The file is UTF-8 without a byte-order mark
    (Taguette guesses the encoding with chardet and would read a mark into the first column name).
    tests/test_refiqda.py runs Taguette's own importer on it.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["tag", "description"])
    for code in codebook.codes:
        parts = [f"{code.name_zh}（{code.name_en}）：{code.definition_zh}"]
        if code.parent is not None:
            parts += [f"适用：{code.include_zh}", f"不适用：{code.exclude_zh}"]
        writer.writerow([code.id, " ".join(parts)])
    for framework in codebook.frameworks:
        for fc in framework.codes:
            desc = f"［研究 {framework.study} 自身框架］{fc.name_zh}（{fc.name_en}）：{fc.definition_zh}"
            writer.writerow([fc.id, desc])
    return out.getvalue()


# ---------------------------------------------------------------------------------------------
# The book's exports from the real data files
# ---------------------------------------------------------------------------------------------


def write_exports(out_dir: Path) -> dict[str, Path]:
    """Write the book's REFI-QDA exports from ``data/raw`` into the folder ``out_dir``.

    Always ``codebook.qdc`` and ``codebook_taguette.csv`` (from ``codebook.yaml``); and, when the
    seeds are available (:func:`analysis.data.io.sources`), the whole project as
    ``project.qdpx`` from ``coded_segments.csv``, ``coded_segments_b.csv`` where present (all
    validated) and the seeds. The project embeds the seeds' full texts.

    Returns
    -------
    dict[str, Path]
        ``{"qdc": ..., "taguette_csv": ...}``, and ``"qdpx"`` when the project was written.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = data_io.load_manifest()
    codebook = load_book_codebook(manifest)
    written = {"qdc": out_dir / "codebook.qdc", "taguette_csv": out_dir / "codebook_taguette.csv"}
    written["qdc"].write_bytes(codebook_to_qdc(codebook))
    written["taguette_csv"].write_text(codebook_to_taguette_csv(codebook), encoding="utf-8")
    if not data_io.sources(manifest).available:
        return written
    segments = data_io.load_table("coded_segments", manifest)
    second = (
        data_io.load_table("coded_segments_b", manifest) if "coded_segments_b" in manifest.files else None
    )
    seeds = {}
    for seed_id in sorted(set(segments["seed_id"])):
        # as analysis.data.io.read_seed_lines reads them, so line numbers agree
        seeds[seed_id] = "\n".join(data_io.seed_lines(seed_id, manifest) or [])
    written["qdpx"] = out_dir / "project.qdpx"
    export_qdpx(codebook, segments, second, seeds, written["qdpx"])
    return written
