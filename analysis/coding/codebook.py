"""The integrated two-level codebook and the source studies' own frameworks (``codebook.yaml``).

The YAML file is the human-edited source of truth. :func:`parse_codebook` turns it into frozen
dataclasses and refuses anything malformed with a :class:`DataError` naming the file, the code
(its position and id) and the field. :func:`codebook_frame` flattens it into one row per code,
which is what the manifest, the schema and the data-sources appendix see.

The file is read by :func:`analysis.data.io.read_yaml`; :func:`load_codebook_table` returns the
flattened codebook checked against its schema (what the data-sources appendix shows).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.data import io
from analysis.data.errors import DataError, Problem
from analysis.data.schemas.common import SCHEMAS
from analysis.data.schemas.seeds import MAX_LINE_SPAN
from analysis.data.text import MIN_FRAGMENT, fragments, normalise

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
    "load_book_codebook",
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
#: An example quotation must show the code at work: at least a clause, which in Chinese takes
#: about eight characters, a predicate with its object (用好用活红色资源). A judgement; the
#: shortest example in use has 14 characters.
MIN_EXAMPLE = 8


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
        """How many ancestors a code has in this framework (0 for a root concept).

        :func:`parse_codebook` refuses a cycle of parents; a framework built otherwise with one
        raises here instead of looping.
        """
        parents = {c.id: c.parent for c in self.codes}
        depth, node = 0, parents[code_id]
        while node is not None:
            depth, node = depth + 1, parents[node]
            if depth > len(parents):
                raise DataError(f"framework {self.study}: the parents of {code_id} form a cycle")
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

    def with_subconcepts(self, codes: Iterable[str]) -> list[str]:
        """Framework codes with all their sub-concepts: each code, then its descendants, each once.

        A concept holds its parts: a parent concept stands for the segments bearing it or any of
        its sub-concepts, at any depth. The framework tables of the case chapters count a parent's
        row this way and the fidelity record matches a cell's codes this way, so a cell recorded
        on a parent row matches the number shown. Order: depth first, children in framework order.
        """
        children: dict[str, list[str]] = {}
        for framework in self.frameworks:
            for concept in framework.codes:
                if concept.parent is not None:
                    children.setdefault(concept.parent, []).append(concept.id)
        found: dict[str, None] = {}
        stack = list(reversed(list(codes)))
        while stack:
            code = stack.pop()
            if code not in found:
                found[code] = None
                stack.extend(reversed(children.get(code, [])))
        return list(found)


class _Reader:
    """Typed access to one YAML mapping; an error names the file, the line, the field and the value.

    ``context`` is the mapping's place in the file (``codes[3]``), ``label`` what it is
    (``code CTX.POL``); both go into messages.
    """

    def __init__(
        self, where: str, context: str, obj: object, parent: object = None, key: object = None
    ) -> None:
        self.where, self.context, self.label = where, context, ""
        if not isinstance(obj, Mapping):
            raise DataError(
                Problem(where, io.yaml_line(parent, key), context or None, obj, "expected a mapping")
            )
        self.obj: Mapping[str, Any] = obj

    def fail(self, key: str | None, value: object, rule: str) -> DataError:
        """The error for ``key`` of this mapping (``None``: the mapping itself)."""
        line = io.yaml_line(self.obj, key) if key is not None else io.yaml_line(self.obj)
        name = ".".join(p for p in (self.context, key) if p) or None
        suffix = f" ({self.label})" if self.label else ""
        return DataError(Problem(self.where, line, name, value, rule + suffix))

    def _get(self, key: str) -> object:
        if key not in self.obj:
            raise self.fail(key, None, "is missing")
        return self.obj[key]

    def text(self, key: str) -> str:
        value = self._get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(key, value, "must be a non-empty string")
        return value.strip()

    def lines(self, key: str) -> str:
        """A line reference such as ``43``, ``43-47`` or ``19;57``."""
        value = self._get(key)
        text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
        if not re.fullmatch(r"\d+(-\d+)?(;\s*\d+(-\d+)?)*", text):
            raise self.fail(key, value, "must be line numbers like 43-47;50")
        return text

    def optional_text(self, key: str) -> str | None:
        value = self._get(key)
        if value is None:
            return None
        return self.text(key)

    def integer(self, key: str) -> int:
        value = self._get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(key, value, "must be an integer")
        return value

    def items(self, key: str) -> list[object]:
        value = self._get(key)
        if not isinstance(value, list) or not value:
            raise self.fail(key, None, "must be a non-empty list")
        return value

    def mapping(self, key: str) -> Mapping[str, Any]:
        value = self._get(key)
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise self.fail(key, value, "must be a mapping")
        return value

    def unknown(self, allowed: set[str]) -> None:
        extra = sorted(set(self.obj) - allowed, key=str)
        if extra:
            raise self.fail(str(extra[0]), None, f"unknown field(s) {extra}")


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


def _example(code: _Reader) -> Example:
    r = _Reader(code.where, f"{code.context}.example", code.obj["example"], code.obj, "example")
    r.label = code.label
    r.unknown({"seed_id", "line_from", "line_to", "quote_zh"})
    seed = r.text("seed_id")
    if seed not in {"000", "001", "002", "003", "004"}:
        raise r.fail("seed_id", seed, "names an unknown seed")
    a, b = r.integer("line_from"), r.integer("line_to")
    if not 1 <= a <= b or b - a > MAX_LINE_SPAN:
        raise r.fail("line_to", f"{a}-{b}", f"bad line range (need 1 <= from <= to, span <= {MAX_LINE_SPAN})")
    quote = r.text("quote_zh")
    parts = fragments(quote)
    if len(normalise(quote)) < MIN_EXAMPLE or min(map(len, parts), default=0) < MIN_FRAGMENT:
        raise r.fail(
            "quote_zh",
            quote,
            f"an example needs at least {MIN_EXAMPLE} characters and fragments of {MIN_FRAGMENT} or more",
        )
    return Example(seed, a, b, quote)


def _code(where: str, index: int, obj: object, parent_list: object) -> Code:
    r = _Reader(where, f"codes[{index}]", obj, parent_list, index)
    code_id = r.text("id")
    r.label = f"code {code_id}"
    r.unknown(_CODE_FIELDS)
    parent = r.optional_text("parent")
    pattern = _TOP_RE if parent is None else _LEAF_RE
    if not pattern.match(code_id):
        level = "top-level" if parent is None else "second-level"
        raise r.fail("id", code_id, f"is not a valid {level} id")
    if parent is not None and not code_id.startswith(parent + "."):
        raise r.fail("parent", parent, f"{code_id!r} does not belong to it")
    example = None if r.obj.get("example") is None else _example(r)
    if parent is not None and example is None:
        raise r.fail("example", None, "a second-level code needs an example")
    crosswalk = []
    for study, targets in r.mapping("crosswalk").items():
        if str(study) not in STUDIES:
            raise r.fail("crosswalk", study, "names an unknown study")
        if not isinstance(targets, list) or not all(isinstance(t, str) and t for t in targets):
            raise r.fail("crosswalk", targets, f"{study} must be a list of code ids")
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


def _check_acyclic(r: _Reader, codes: list[FrameworkCode], raw: list[object]) -> None:
    """Every chain of parents ends at a root concept: checked once, when the file is read."""
    parents = {c.id: c.parent for c in codes}
    settled: set[str] = set()
    for index, code in enumerate(codes):
        chain: list[str] = []
        node: str | None = code.id
        while node is not None and node not in settled:
            if node in chain:
                cycle = " -> ".join([*chain[chain.index(node) :], node])
                c = _Reader(r.where, f"{r.context}.codes[{index}]", raw[index])
                c.label = r.label
                raise c.fail("parent", code.parent, f"the parents form a cycle: {cycle}")
            chain.append(node)
            node = parents[node]
        settled.update(chain)


def _framework(where: str, index: int, obj: object, parent_list: object) -> Framework:
    r = _Reader(where, f"frameworks[{index}]", obj, parent_list, index)
    study = r.text("study")
    r.label = f"study {study}"
    r.unknown({"study", "name_zh", "source_lines", "codes"})
    if study not in STUDIES:
        raise r.fail("study", study, f"is not one of {STUDIES}")
    codes = []
    raw_codes = r.items("codes")
    for i, raw in enumerate(raw_codes):
        c = _Reader(where, f"{r.context}.codes[{i}]", raw, raw_codes, i)
        code_id = c.text("id")
        c.label = f"study {study}, code {code_id}"
        c.unknown({"id", "parent", "name_zh", "name_en", "definition_zh", "source_lines"})
        if not code_id.startswith(f"{study}:") or len(code_id) <= len(study) + 1:
            raise c.fail("id", code_id, f"must start with '{study}:'")
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
    for i, code in enumerate(codes):
        if code.parent is not None and code.parent not in ids:
            c = _Reader(where, f"{r.context}.codes[{i}]", raw_codes[i])
            c.label = f"study {study}, code {code.id}"
            raise c.fail("parent", code.parent, "is not a code of this framework")
    _check_acyclic(r, codes, raw_codes)
    return Framework(study, r.text("name_zh"), r.lines("source_lines"), tuple(codes))


def _real_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return bool(_DATE_RE.match(text))


def parse_codebook(obj: object, where: str) -> Codebook:
    """Build and check a :class:`Codebook` from the parsed YAML ``obj`` (``where`` names the file).

    Raises
    ------
    DataError
        On a missing or empty field, an unknown field, a malformed or duplicate id, a second-level
        code whose parent is missing, a top-level code without children, a framework whose parents
        form a cycle, a crosswalk to an unknown framework code, a change-log date that is not a
        real date, or a change log whose last version is not the codebook's version; each naming
        the file, the line, the field and the value.
    """
    r = _Reader(where, "", obj)
    r.unknown({"name_zh", "version", "changelog", "codes", "frameworks"})
    version = r.text("version")
    if not _VERSION_RE.match(version):
        raise r.fail("version", version, "is not MAJOR.MINOR.PATCH")
    changelog = []
    raw_log = r.items("changelog")
    for i, raw in enumerate(raw_log):
        c = _Reader(where, f"changelog[{i}]", raw, raw_log, i)
        c.unknown({"version", "date", "changes_zh", "changes_en"})
        change = Change(c.text("version"), c.text("date"), c.text("changes_zh"), c.text("changes_en"))
        if not _VERSION_RE.match(change.version):
            raise c.fail("version", change.version, "is not MAJOR.MINOR.PATCH")
        if not _real_date(change.date):
            raise c.fail("date", change.date, "is not a real calendar date YYYY-MM-DD")
        changelog.append(change)
    if changelog[-1].version != version:
        raise r.fail(
            "changelog",
            changelog[-1].version,
            f"the last entry's version is not the codebook's version {version}",
        )
    raw_codes = r.items("codes")
    codes = [_code(where, i, raw, raw_codes) for i, raw in enumerate(raw_codes)]
    raw_frameworks = r.items("frameworks")
    frameworks = [_framework(where, i, raw, raw_frameworks) for i, raw in enumerate(raw_frameworks)]

    def at(i: int) -> _Reader:
        reader = _Reader(where, f"codes[{i}]", raw_codes[i])
        reader.label = f"code {codes[i].id}"
        return reader

    seen: dict[str, str] = {}
    for i, code in enumerate(codes):
        if code.id in seen:
            raise at(i).fail("id", code.id, f"duplicate of {seen[code.id]}")
        seen[code.id] = f"codes[{i}]"
    tops = {c.id for c in codes if c.is_top}
    for i, code in enumerate(codes):
        if code.parent is not None and code.parent not in tops:
            raise at(i).fail("parent", code.parent, "is not a top-level code")
    childless = sorted(tops - {c.parent for c in codes})
    if childless:
        first = next(i for i, c in enumerate(codes) if c.id == childless[0])
        raise at(first).fail("id", childless[0], f"top-level code(s) {childless} have no second-level codes")
    studies = [f.study for f in frameworks]
    for i, study in enumerate(studies):
        if study in studies[:i]:
            raise _Reader(where, f"frameworks[{i}]", raw_frameworks[i]).fail("study", study, "appears twice")
    fw_ids = [c.id for f in frameworks for c in f.codes]
    dupes = sorted({x for x in fw_ids if fw_ids.count(x) > 1})
    if dupes:
        raise r.fail("frameworks", dupes, "duplicate framework code id(s)")
    for i, code in enumerate(codes):
        for study, targets in code.crosswalk:
            for target in targets:
                if target not in fw_ids:
                    raise at(i).fail("crosswalk", target, f"{study}: unknown framework code")
                if not target.startswith(f"{study}:"):
                    raise at(i).fail("crosswalk", target, f"{study}: belongs to another study")
    return Codebook(r.text("name_zh"), version, tuple(changelog), tuple(codes), tuple(frameworks))


def load_codebook(path: Path) -> Codebook:
    """Read and check a codebook YAML file (through the gate: hash-checked if it is a data file)."""
    where = io.display(path)
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


def _row_lines(raw: object, codebook: Codebook) -> list[int] | None:
    """The YAML line of each row of :func:`codebook_frame` (codes, then each framework's codes)."""
    if not isinstance(raw, Mapping):
        return None
    out: list[int | None] = [io.yaml_line(raw["codes"], i) for i in range(len(codebook.codes))]
    for f, framework in enumerate(codebook.frameworks):
        listed = raw["frameworks"][f]["codes"]
        out += [io.yaml_line(listed, i) for i in range(len(framework.codes))]
    return None if any(line is None for line in out) else [int(line) for line in out if line is not None]


_CHECKED: dict[tuple[str, str, str], tuple[Codebook, pd.DataFrame]] = {}


def _load_checked(manifest: io.Manifest | None) -> tuple[Codebook, pd.DataFrame]:
    manifest = manifest or io.load_manifest()
    entry = io.manifest_entry("codebook", manifest)
    source = io.read_input(entry.full_path, entry.sha256, entry.where)
    key = (source.where, source.sha256, manifest.sha256)
    if key not in _CHECKED:
        raw = io.parse_yaml(source.data, source.where)
        codebook = parse_codebook(raw, source.where)
        lines = _row_lines(raw, codebook)
        frame = io.validate_table(codebook_frame(codebook), SCHEMAS[entry.schema], source.where, lines)
        problems = io.cited_line_problems(frame, manifest, source.where)
        if problems:
            raise DataError(problems)
        _CHECKED[key] = (codebook, frame)
    codebook, frame = _CHECKED[key]
    return codebook, frame.copy()


def load_book_codebook(manifest: io.Manifest | None = None) -> Codebook:
    """The manifest's codebook: hash-checked, parsed, its flattened table checked by the schema."""
    return _load_checked(manifest)[0]


def load_codebook_table(manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The manifest's codebook, flattened and checked against its schema (rows name YAML lines)."""
    return _load_checked(manifest)[1]
