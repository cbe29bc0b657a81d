"""The integrated two-level codebook and the source studies' own frameworks (``codebook.yaml``).

The YAML file is the human-edited source of truth. :func:`parse_codebook` turns it into frozen
dataclasses and refuses anything malformed with a :class:`DataError` naming the file, the code
(its position and id) and the field. :func:`codebook_frame` flattens it into one row per code,
which is what the manifest, the schema and the data-sources appendix see.

The file is read by :func:`analysis.data.io.read_yaml`; :func:`load_codebook_table` returns the
flattened codebook checked against its schema (what the data-sources appendix shows).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data import io
from analysis.data.errors import DataError
from analysis.data.schemas.common import SCHEMAS

__all__ = [
    "STUDIES",
    "Change",
    "Code",
    "Codebook",
    "Example",
    "Framework",
    "FrameworkCode",
    "codebook_frame",
    "codebook_table",
    "load_codebook",
    "load_codebook_table",
    "parse_codebook",
]

#: The source studies' frameworks: seed 004 holds two different papers (A: C市 abstract, B: S市A区).
STUDIES: tuple[str, ...] = ("000", "001", "002", "003", "004A", "004B")

_TOP_RE = re.compile(r"^[A-Z]{3}$")
_LEAF_RE = re.compile(r"^[A-Z]{3}\.[A-Z]{2,3}$")
_VERSION_RE = re.compile(r"^\d+\.\d+\.\d+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Example:
    """A verbatim example quotation of a code, with the seed lines it comes from."""

    seed_id: str
    line_from: int
    line_to: int
    quote_zh: str


@dataclass(frozen=True)
class Code:
    """One integrated code. Top-level codes have ``parent is None``; leaves name their parent."""

    id: str
    parent: str | None
    name_zh: str
    name_en: str
    definition_zh: str
    include_zh: str
    exclude_zh: str
    example: Example | None
    crosswalk: tuple[tuple[str, tuple[str, ...]], ...]

    @property
    def is_top(self) -> bool:
        """Whether this is a top-level code."""
        return self.parent is None


@dataclass(frozen=True)
class FrameworkCode:
    """A code of one source study's own framework (id ``<study>:<code>``)."""

    id: str
    parent: str | None
    name_zh: str
    name_en: str
    definition_zh: str
    source_lines: str


@dataclass(frozen=True)
class Framework:
    """One source study's own analytical framework."""

    study: str
    name_zh: str
    source_lines: str
    codes: tuple[FrameworkCode, ...]

    def depth(self, code_id: str) -> int:
        """How many ancestors a code has in this framework (0 for a root concept)."""
        parents = {c.id: c.parent for c in self.codes}
        depth, node = 0, parents[code_id]
        while node is not None:
            depth, node = depth + 1, parents[node]
        return depth


@dataclass(frozen=True)
class Change:
    """One entry of the codebook's change log."""

    version: str
    date: str
    changes_zh: str
    changes_en: str


@dataclass(frozen=True)
class Codebook:
    """The integrated codebook with its change log and the studies' own frameworks."""

    name_zh: str
    version: str
    changelog: tuple[Change, ...]
    codes: tuple[Code, ...]
    frameworks: tuple[Framework, ...]

    def code(self, code_id: str) -> Code:
        """The integrated code with this id."""
        for code in self.codes:
            if code.id == code_id:
                return code
        raise KeyError(code_id)

    @property
    def top_ids(self) -> tuple[str, ...]:
        """Top-level code ids, in codebook order."""
        return tuple(c.id for c in self.codes if c.is_top)

    @property
    def leaf_ids(self) -> tuple[str, ...]:
        """Second-level code ids, in codebook order (segments are coded with these)."""
        return tuple(c.id for c in self.codes if not c.is_top)

    def top_of(self, code_id: str) -> str:
        """The top-level code a second-level code belongs to."""
        parent = self.code(code_id).parent
        return code_id if parent is None else parent

    @property
    def framework_code_ids(self) -> frozenset[str]:
        """Every framework code id of every study."""
        return frozenset(c.id for f in self.frameworks for c in f.codes)

    def framework_code(self, code_id: str) -> FrameworkCode:
        """The framework code with this id, in whichever study's framework."""
        for framework in self.frameworks:
            for code in framework.codes:
                if code.id == code_id:
                    return code
        raise KeyError(code_id)

    def framework(self, study: str) -> Framework:
        """The framework of one study."""
        for framework in self.frameworks:
            if framework.study == study:
                return framework
        raise KeyError(study)


class _Reader:
    """Typed access to one YAML mapping, with errors that say where the bad field is."""

    def __init__(self, where: str, obj: object) -> None:
        if not isinstance(obj, Mapping):
            raise DataError(f"{where}: expected a mapping, found {type(obj).__name__}")
        self.where = where
        self.obj: Mapping[str, Any] = obj

    def _get(self, key: str) -> object:
        if key not in self.obj:
            raise DataError(f"{self.where}: field '{key}' is missing")
        return self.obj[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise DataError(f"{self.where}: field '{key}' must be a non-empty string, found {value!r}")
        return value.strip()

    def lines(self, key: str) -> str:
        """A line reference such as ``43``, ``43-47`` or ``19;57``."""
        value = self._get(key)
        text = str(value).strip() if isinstance(value, (str, int)) else ""
        if not re.fullmatch(r"\d+(-\d+)?(;\s*\d+(-\d+)?)*", text):
            raise DataError(
                f"{self.where}: field '{key}' must be line numbers like 43-47;50, found {value!r}"
            )
        return text

    def optional_text(self, key: str) -> str | None:
        value = self._get(key)
        if value is None:
            return None
        return self.text(key)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise DataError(f"{self.where}: field '{key}' must be an integer, found {value!r}")
        return value

    def items(self, key: str) -> list[object]:
        value = self._get(key)
        if not isinstance(value, list) or not value:
            raise DataError(f"{self.where}: field '{key}' must be a non-empty list")
        return value

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self._get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise DataError(f"{self.where}: field '{key}' must be a mapping, found {value!r}")
        return value

    def unknown(self, allowed: set[str]) -> None:
        extra = sorted(set(self.obj) - allowed)
        if extra:
            raise DataError(f"{self.where}: unknown field(s) {extra}")


_CODE_FIELDS = {
    "id",
    "parent",
    "name_zh",
    "name_en",
    "definition_zh",
    "include_zh",
    "exclude_zh",
    "example",
    "crosswalk",
}


def _example(where: str, obj: object) -> Example:
    r = _Reader(f"{where} example", obj)
    r.unknown({"seed_id", "line_from", "line_to", "quote_zh"})
    seed = r.text("seed_id")
    if seed not in {"000", "001", "002", "003", "004"}:
        raise DataError(f"{r.where}: field 'seed_id' names unknown seed {seed!r}")
    a, b = r.integer("line_from"), r.integer("line_to")
    if not 1 <= a <= b or b - a > 150:
        raise DataError(f"{r.where}: bad line range {a}-{b} (need 1 <= from <= to, span <= 150)")
    return Example(seed, a, b, r.text("quote_zh"))


def _code(where: str, obj: object) -> Code:
    r = _Reader(where, obj)
    code_id = r.text("id")
    r.where = f"{where} ({code_id})"
    r.unknown(_CODE_FIELDS)
    parent = r.optional_text("parent")
    pattern = _TOP_RE if parent is None else _LEAF_RE
    if not pattern.match(code_id):
        level = "top-level" if parent is None else "second-level"
        raise DataError(f"{r.where}: field 'id': {code_id!r} is not a valid {level} id")
    if parent is not None and not code_id.startswith(parent + "."):
        raise DataError(f"{r.where}: field 'parent': {code_id!r} does not belong to {parent!r}")
    raw_example = r.obj.get("example")
    example = None if raw_example is None else _example(r.where, raw_example)
    if parent is not None and example is None:
        raise DataError(f"{r.where}: field 'example': a second-level code needs an example")
    crosswalk = []
    for study, targets in r.mapping("crosswalk").items():
        if str(study) not in STUDIES:
            raise DataError(f"{r.where}: field 'crosswalk' names unknown study {study!r}")
        if not isinstance(targets, list) or not all(isinstance(t, str) and t for t in targets):
            raise DataError(f"{r.where}: field 'crosswalk'.{study} must be a list of code ids")
        crosswalk.append((str(study), tuple(targets)))
    return Code(
        id=code_id,
        parent=parent,
        name_zh=r.text("name_zh"),
        name_en=r.text("name_en"),
        definition_zh=r.text("definition_zh"),
        include_zh=r.text("include_zh"),
        exclude_zh=r.text("exclude_zh"),
        example=example,
        crosswalk=tuple(sorted(crosswalk)),
    )


def _framework(where: str, obj: object) -> Framework:
    r = _Reader(where, obj)
    study = r.text("study")
    r.where = f"{where} (study {study})"
    r.unknown({"study", "name_zh", "source_lines", "codes"})
    if study not in STUDIES:
        raise DataError(f"{r.where}: field 'study': unknown study {study!r}, expected one of {STUDIES}")
    codes = []
    for i, raw in enumerate(r.items("codes")):
        c = _Reader(f"{r.where} codes[{i}]", raw)
        code_id = c.text("id")
        c.where = f"{c.where} ({code_id})"
        c.unknown({"id", "parent", "name_zh", "name_en", "definition_zh", "source_lines"})
        if not code_id.startswith(f"{study}:") or len(code_id) <= len(study) + 1:
            raise DataError(f"{c.where}: field 'id' must start with '{study}:'")
        codes.append(
            FrameworkCode(
                id=code_id,
                parent=c.optional_text("parent"),
                name_zh=c.text("name_zh"),
                name_en=c.text("name_en"),
                definition_zh=c.text("definition_zh"),
                source_lines=c.lines("source_lines"),
            )
        )
    ids = [c.id for c in codes]
    for code in codes:
        if code.parent is not None and code.parent not in ids:
            raise DataError(f"{r.where}: code {code.id}: parent {code.parent!r} is not in this framework")
    return Framework(study, r.text("name_zh"), r.lines("source_lines"), tuple(codes))


def parse_codebook(obj: object, where: str) -> Codebook:
    """Build and check a :class:`Codebook` from the parsed YAML ``obj`` (``where`` names the file).

    Raises
    ------
    DataError
        On a missing or empty field, an unknown field, a malformed or duplicate id, a second-level
        code whose parent is missing, a top-level code without children, a crosswalk to an unknown
        framework code, or a change log whose last version is not the codebook's version.
    """
    r = _Reader(where, obj)
    r.unknown({"name_zh", "version", "changelog", "codes", "frameworks"})
    version = r.text("version")
    if not _VERSION_RE.match(version):
        raise DataError(f"{where}: field 'version': {version!r} is not MAJOR.MINOR.PATCH")
    changelog = []
    for i, raw in enumerate(r.items("changelog")):
        c = _Reader(f"{where}: changelog[{i}]", raw)
        c.unknown({"version", "date", "changes_zh", "changes_en"})
        change = Change(c.text("version"), c.text("date"), c.text("changes_zh"), c.text("changes_en"))
        if not _VERSION_RE.match(change.version) or not _DATE_RE.match(change.date):
            raise DataError(f"{c.where}: bad version {change.version!r} or date {change.date!r}")
        changelog.append(change)
    if changelog[-1].version != version:
        raise DataError(
            f"{where}: field 'changelog': the last entry is {changelog[-1].version}, "
            f"but the codebook's version is {version}"
        )
    codes = [_code(f"{where}: codes[{i}]", raw) for i, raw in enumerate(r.items("codes"))]
    frameworks = [_framework(f"{where}: frameworks[{i}]", raw) for i, raw in enumerate(r.items("frameworks"))]
    seen: dict[str, str] = {}
    for i, code in enumerate(codes):
        here = f"{where}: codes[{i}] ({code.id})"
        if code.id in seen:
            raise DataError(f"{here}: field 'id': duplicate of {seen[code.id]}")
        seen[code.id] = f"codes[{i}]"
    tops = {c.id for c in codes if c.is_top}
    for i, code in enumerate(codes):
        if code.parent is not None and code.parent not in tops:
            raise DataError(
                f"{where}: codes[{i}] ({code.id}): field 'parent': {code.parent!r} is not a top-level code"
            )
    childless = sorted(tops - {c.parent for c in codes})
    if childless:
        raise DataError(f"{where}: top-level code(s) {childless} have no second-level codes")
    studies = [f.study for f in frameworks]
    if len(set(studies)) != len(studies):
        raise DataError(f"{where}: field 'frameworks': a study appears twice ({studies})")
    fw_ids = [c.id for f in frameworks for c in f.codes]
    dupes = sorted({x for x in fw_ids if fw_ids.count(x) > 1})
    if dupes:
        raise DataError(f"{where}: duplicate framework code id(s) {dupes}")
    for i, code in enumerate(codes):
        for study, targets in code.crosswalk:
            for target in targets:
                if target not in fw_ids:
                    raise DataError(
                        f"{where}: codes[{i}] ({code.id}): field 'crosswalk'.{study}: "
                        f"unknown framework code {target!r}"
                    )
                if not target.startswith(f"{study}:"):
                    raise DataError(
                        f"{where}: codes[{i}] ({code.id}): field 'crosswalk'.{study}: "
                        f"{target!r} belongs to another study"
                    )
    return Codebook(r.text("name_zh"), version, tuple(changelog), tuple(codes), tuple(frameworks))


def load_codebook(path: Path) -> Codebook:
    """Read and check a codebook YAML file."""
    where = path.name
    return parse_codebook(io.read_yaml(path, where), where)


def codebook_frame(codebook: Codebook) -> pd.DataFrame:
    """One row per code (integrated codes, then each framework's codes), as text columns."""
    rows: list[dict[str, str]] = []
    for code in codebook.codes:
        ex = code.example
        rows.append(
            {
                "kind": "integrated",
                "study": "",
                "code_id": code.id,
                "parent_id": code.parent or "",
                "name_zh": code.name_zh,
                "name_en": code.name_en,
                "definition_zh": code.definition_zh,
                "include_zh": code.include_zh,
                "exclude_zh": code.exclude_zh,
                "crosswalk": "; ".join(t for _, targets in code.crosswalk for t in targets),
                "seed_id": ex.seed_id if ex else "",
                "line_from": str(ex.line_from) if ex else "",
                "line_to": str(ex.line_to) if ex else "",
                "evidence_zh": ex.quote_zh if ex else "",
            }
        )
    for framework in codebook.frameworks:
        for fc in framework.codes:
            rows.append(
                {
                    "kind": "framework",
                    "study": framework.study,
                    "code_id": fc.id,
                    "parent_id": fc.parent or "",
                    "name_zh": fc.name_zh,
                    "name_en": fc.name_en,
                    "definition_zh": fc.definition_zh,
                    "include_zh": "",
                    "exclude_zh": "",
                    "crosswalk": "",
                    "seed_id": "",
                    "line_from": "",
                    "line_to": "",
                    "evidence_zh": "",
                }
            )
    return pd.DataFrame(rows)


def codebook_table(path: Path) -> pd.DataFrame:
    """The codebook file at ``path``, read, checked and flattened by :func:`codebook_frame`."""
    return codebook_frame(load_codebook(path))


def load_codebook_table(manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The manifest's codebook file, flattened and checked against its schema."""
    entry = io.manifest_entry("codebook", manifest)
    return io.validate_table(codebook_table(entry.full_path), SCHEMAS[entry.schema], entry.full_path)
