"""The gate: the only code that reads ``data/`` and the source studies.

Every byte read from an input passes through one function, :func:`read_input`. It reads a file
once per process while the file is unchanged, hashes it, and compares the hash with the one the
manifest records: a data file's (``data/MANIFEST.yaml`` ``files``) or a source study's
(``seeds``). A file under ``data/`` that the manifest does not list is refused; so is a path that
leaves the repository (``..``, an absolute path, a symbolic link). Only the manifest itself, and
files outside ``data/`` and the source-study folder (test inputs), are read without a hash.

On top of it:

- tables (:func:`load_table`, :func:`read_csv_validated`, :func:`parse_csv`): the CSV is read
  with the :mod:`csv` module, so every record keeps the line an editor shows (the header is
  line 1); a malformed record, a repeated header line or a duplicated row fails before any
  schema check; then the pandera schema (types, ranges, allowed values), its table rules
  (:mod:`analysis.data.schemas.rules`), the cited lines against each study's length and the
  references to other tables (a column whose metadata says ``refers_to``);
- YAML (:func:`read_yaml`, :func:`parse_yaml`): duplicate keys and aliases are refused, and
  every mapping and list remembers its lines (:func:`yaml_line`);
- the source studies (:func:`sources`, :func:`seed_lines`): ``$SEEDS_DIR``, else
  ``../shared/seeds``; absent, the build says so; present but incomplete or changed, or
  ``SEEDS_DIR`` set to something that is not the folder, it is an error.

Every failure is a :class:`DataError` listing problems by file, line, field, value and rule.
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import os
import re
import stat
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
import yaml

from analysis.data import paths
from analysis.data.errors import MAX_LISTED, DataError, Problem
from analysis.data.schemas.common import SCHEMAS
from analysis.data.schemas.rules import plain, rules_of

__all__ = [
    "DataError",
    "Input",
    "Manifest",
    "ManifestFile",
    "Problem",
    "Sources",
    "YamlList",
    "YamlMap",
    "check_data_dir",
    "cited_line_problems",
    "clear_caches",
    "data_path",
    "display",
    "line_of",
    "load_manifest",
    "load_table",
    "locate",
    "manifest_entry",
    "parse_csv",
    "parse_yaml",
    "read_csv_validated",
    "read_input",
    "read_seed_lines",
    "read_yaml",
    "seed_lines",
    "sha256_file",
    "sources",
    "validate_table",
    "yaml_line",
]

# --- the one read ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Input:
    """The verified bytes of one input file."""

    path: Path
    where: str
    sha256: str
    data: bytes = field(repr=False)


@dataclass(frozen=True)
class _Cached:
    signature: tuple[int, int, int, int]
    sha256: str
    data: bytes


_READ: dict[str, _Cached] = {}
_TABLES: dict[tuple[str, str, str, str], pd.DataFrame] = {}
_MANIFESTS: dict[str, Manifest] = {}
_SOURCES: dict[tuple[str, str, str], Sources] = {}
_LOADING: set[str] = set()


def clear_caches() -> None:
    """Forget every file read, table validated and source folder checked in this process."""
    for cache in (_READ, _TABLES, _MANIFESTS, _SOURCES):
        cache.clear()


def display(path: Path) -> str:
    """How messages name a file: relative to the repository, else as given."""
    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def read_input(path: Path, expected_sha256: str | None, where: str | None = None) -> Input:
    """Read one input file: the single function every read of ``data/`` and the sources passes.

    The file is read and hashed once per process while it is unchanged (same device, inode, size
    and modification time); every call compares the hash with ``expected_sha256`` (``None``: the
    manifest itself, or a file that is not a project input).

    Raises
    ------
    DataError
        If the file is missing or not a regular file, or its SHA-256 is not the expected one.
    """
    where = where or display(path)
    try:
        st = path.stat()
    except OSError as exc:
        raise DataError(Problem(where, None, None, None, f"cannot be read ({exc.strerror or exc})")) from None
    if not stat.S_ISREG(st.st_mode):
        raise DataError(Problem(where, None, None, None, "is not a regular file"))
    key = os.path.abspath(path)
    signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    cached = _READ.get(key)
    if cached is None or cached.signature != signature:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError(
                Problem(where, None, None, None, f"cannot be read ({exc.strerror or exc})")
            ) from None
        cached = _Cached(signature, hashlib.sha256(data).hexdigest(), data)
        _READ[key] = cached
    if expected_sha256 is not None and cached.sha256 != expected_sha256:
        raise DataError(
            Problem(
                where,
                None,
                None,
                None,
                f"sha256 {cached.sha256[:12]}… is not the {expected_sha256[:12]}… that data/MANIFEST.yaml "
                "records: the file changed; review the change and record its new sha256",
            )
        )
    return Input(path, where, cached.sha256, cached.data)


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (read through :func:`read_input`)."""
    return read_input(path, None).sha256


# --- paths inside the repository --------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True


def data_path(relative: str, where: str = "data/MANIFEST.yaml") -> Path:
    """The file ``relative`` names inside ``data/``; only a plain relative path, never a link.

    Raises
    ------
    DataError
        For an absolute path, a ``..`` part, a backslash, a symbolic link anywhere below
        ``data/``, or a path that resolves outside ``data/`` or the repository.
    """
    pure = PurePosixPath(relative)
    if not relative or "\\" in relative or pure.is_absolute() or any(p in ("..", ".") for p in pure.parts):
        raise DataError(
            Problem(where, None, "path", relative, "must be a relative path inside data/ without '..'")
        )
    data_dir = paths.DATA_DIR
    full = data_dir.joinpath(*pure.parts)
    node = data_dir
    for part in pure.parts:
        node = node / part
        if node.is_symlink():
            raise DataError(
                Problem(
                    display(full),
                    None,
                    None,
                    None,
                    f"{display(node)} is a symbolic link; data files must be regular files in data/",
                )
            )
    root = paths.PROJECT_ROOT.resolve()
    resolved_data = data_dir.resolve()
    if not _inside(resolved_data, root) or (full.exists() and not _inside(full.resolve(), resolved_data)):
        raise DataError(Problem(display(full), None, None, None, "resolves outside the repository's data/"))
    return full


def check_data_dir(manifest: Manifest) -> list[Problem]:
    """Files in ``data/`` the manifest does not list, symbolic links, and listed files that are missing."""
    problems: list[Problem] = []
    listed = {PurePosixPath(e.path).as_posix() for e in manifest.files.values()}
    found = set()
    for folder, dirs, files in os.walk(paths.DATA_DIR):
        base = Path(folder)
        for name in sorted(dirs + files):
            node = base / name
            if node.is_symlink():
                problems.append(
                    Problem(
                        display(node),
                        None,
                        None,
                        None,
                        "is a symbolic link; data files must be regular files",
                    )
                )
        for name in files:
            rel = (base / name).relative_to(paths.DATA_DIR).as_posix()
            found.add(rel)
            if rel != "MANIFEST.yaml" and rel not in listed:
                problems.append(
                    Problem(display(base / name), None, None, None, "is not listed in data/MANIFEST.yaml")
                )
    for rel in sorted(listed - found):
        problems.append(
            Problem(f"data/{rel}", None, None, None, "is listed in data/MANIFEST.yaml but missing")
        )
    return problems


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


def _decode(data: bytes, where: str) -> str:
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
    text = _decode(data, where)
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
        raise DataError(Problem(where, None, None, None, f"malformed YAML: {str(exc)[:200]}")) from None
    except RecursionError:
        raise DataError(Problem(where, None, None, None, "malformed YAML: nested too deeply")) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor's value (2019-02-30)
        raise DataError(Problem(where, None, None, None, f"malformed YAML value: {str(exc)[:200]}")) from None


def read_yaml(path: Path, where: str | None = None) -> object:
    """A YAML file, read through the gate and parsed by :func:`parse_yaml`."""
    source = read_input(path, _expected_sha256(path), where)
    return parse_yaml(source.data, source.where)


# --- the manifest ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManifestFile:
    """One data file's provenance record from ``data/MANIFEST.yaml``."""

    name: str
    path: str
    title_zh: str
    source: dict[str, Any]
    method: str
    changes: str
    licence: str
    synthetic: bool
    sha256: str
    schema: str

    @property
    def full_path(self) -> Path:
        """Absolute path of the file (inside ``data/``, checked by :func:`data_path`)."""
        return data_path(self.path)

    @property
    def where(self) -> str:
        """How messages name the file."""
        return f"data/{self.path}"


@dataclass(frozen=True)
class Manifest:
    """The data manifest: every data file and every seed, with checksums."""

    files: dict[str, ManifestFile]
    seeds: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: The SHA-256 of the manifest file: it changes whenever any recorded input changes.
    sha256: str = ""


_FILE_KEYS = {"path", "title_zh", "source", "method", "changes", "licence", "synthetic", "sha256", "schema"}
_SEED_KEYS = {"file", "sha256", "lines"}
_SHA = re.compile(r"^[0-9a-f]{64}$")
_SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
_KINDS = {"seed_lines", "repository", "authored", "web_page"}


def _manifest_problems(raw: object, where: str) -> list[Problem]:
    if not isinstance(raw, Mapping) or not isinstance(raw.get("files"), Mapping):
        return [Problem(where, None, "files", None, "expected a mapping with a 'files' mapping")]
    problems = []
    unknown = sorted(set(raw) - {"files", "seeds"}, key=str)
    problems += [Problem(where, yaml_line(raw, k), str(k), None, "unknown top-level key") for k in unknown]
    seeds = raw.get("seeds") or {}
    if not isinstance(seeds, Mapping):
        return [*problems, Problem(where, yaml_line(raw, "seeds"), "seeds", None, "must be a mapping")]
    for seed_id, info in seeds.items():
        line = yaml_line(seeds, seed_id)
        if not isinstance(info, Mapping) or set(info) != _SEED_KEYS:
            problems.append(
                Problem(where, line, f"seeds.{seed_id}", None, f"needs exactly the keys {sorted(_SEED_KEYS)}")
            )
            continue
        if not _SEED_FILE.match(str(info["file"])):
            problems.append(
                Problem(
                    where,
                    yaml_line(info, "file"),
                    "file",
                    info["file"],
                    "must be a bare file name NNN_<16 hex>.txt",
                )
            )
        if not _SHA.match(str(info["sha256"])):
            problems.append(
                Problem(where, yaml_line(info, "sha256"), "sha256", info["sha256"], "must be 64 hex digits")
            )
        if isinstance(info["lines"], bool) or not isinstance(info["lines"], int) or info["lines"] < 1:
            problems.append(
                Problem(where, yaml_line(info, "lines"), "lines", info["lines"], "must be a positive integer")
            )
    files = raw["files"]
    seen_paths: dict[str, str] = {}
    for name, entry in files.items():
        line = yaml_line(files, name)
        if not isinstance(entry, Mapping):
            problems.append(Problem(where, line, str(name), None, "must be a mapping"))
            continue
        missing, unknown_keys = sorted(_FILE_KEYS - set(entry)), sorted(set(entry) - _FILE_KEYS, key=str)
        if missing:
            problems.append(Problem(where, line, str(name), None, f"entry lacks {missing}"))
        if unknown_keys:
            problems.append(Problem(where, line, str(name), None, f"entry has unknown keys {unknown_keys}"))
        if missing or unknown_keys:
            continue
        path = entry["path"]

        def here(key: str, entry: Mapping[str, Any] = entry) -> int | None:
            return yaml_line(entry, key)

        try:
            data_path(str(path), where)
        except DataError as exc:
            problems += [
                Problem(where, here("path"), "path", path, p.rule if isinstance(p, Problem) else p)
                for p in exc.problems
            ]
        if str(path) in seen_paths:
            problems.append(
                Problem(where, here("path"), "path", path, f"also the path of {seen_paths[str(path)]!r}")
            )
        seen_paths[str(path)] = str(name)
        if not _SHA.match(str(entry["sha256"])):
            problems.append(
                Problem(where, here("sha256"), "sha256", entry["sha256"], "must be 64 hex digits")
            )
        if entry["schema"] not in SCHEMAS:
            problems.append(
                Problem(where, here("schema"), "schema", entry["schema"], "is not a known schema")
            )
        if not isinstance(entry["synthetic"], bool):
            problems.append(
                Problem(where, here("synthetic"), "synthetic", entry["synthetic"], "must be true or false")
            )
        source = entry["source"]
        if not isinstance(source, Mapping) or source.get("kind") not in _KINDS:
            problems.append(
                Problem(where, here("source"), "source.kind", None, f"must be one of {sorted(_KINDS)}")
            )
        elif source["kind"] == "seed_lines":
            for seed in source.get("seeds") or []:
                if seed not in seeds:
                    problems.append(
                        Problem(where, here("source"), "source.seeds", seed, "is not a seed of the manifest")
                    )
    return problems


def load_manifest(path: Path | None = None) -> Manifest:
    """Read and check ``data/MANIFEST.yaml`` (structure, hashes' form, paths inside ``data/``).

    Raises
    ------
    DataError
        On malformed YAML, a duplicate entry, a missing or unknown key, a path leaving ``data/``,
        an unknown schema or a malformed checksum, each naming its line.
    """
    path = path or paths.MANIFEST
    source = read_input(path, None)
    cache_key = f"{os.path.abspath(path)}:{source.sha256}:{paths.DATA_DIR}"
    if cache_key in _MANIFESTS:
        return _MANIFESTS[cache_key]
    raw = parse_yaml(source.data, source.where)
    problems = _manifest_problems(raw, source.where)
    if problems:
        raise DataError(problems)
    assert isinstance(raw, Mapping)
    files = {
        str(name): ManifestFile(name=str(name), **{k: _plain(v) for k, v in entry.items()})
        for name, entry in raw["files"].items()
    }
    seeds = {str(k): dict(v) for k, v in (raw.get("seeds") or {}).items()}
    manifest = Manifest(files=files, seeds=seeds, sha256=source.sha256)
    _MANIFESTS[cache_key] = manifest
    return manifest


def _plain(value: object) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def manifest_entry(name: str, manifest: Manifest | None = None) -> ManifestFile:
    """The manifest's entry for the data file ``name``."""
    manifest = manifest or load_manifest()
    if name not in manifest.files:
        raise DataError(Problem(display(paths.MANIFEST), None, "files", name, "no such table"))
    return manifest.files[name]


def _expected_sha256(path: Path) -> str | None:
    """The hash a path must have: a data file's or a source study's; ``None`` for other files."""
    absolute = Path(os.path.abspath(path))
    if absolute == Path(os.path.abspath(paths.MANIFEST)):
        return None
    if _inside(absolute, Path(os.path.abspath(paths.DATA_DIR))):
        manifest = load_manifest()
        rel = absolute.relative_to(os.path.abspath(paths.DATA_DIR)).as_posix()
        for entry in manifest.files.values():
            if PurePosixPath(entry.path).as_posix() == rel:
                data_path(entry.path)
                return entry.sha256
        raise DataError(Problem(display(path), None, None, None, "is not listed in data/MANIFEST.yaml"))
    if absolute.parent == Path(os.path.abspath(paths.seeds_dir())):
        for info in load_manifest().seeds.values():
            if info["file"] == absolute.name:
                return str(info["sha256"])
    return None


# --- CSV tables --------------------------------------------------------------------------------


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
    text = _decode(data, where)
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
        line, place = _line(label, lines, where)
        field_name = column if case.schema_context != "DataFrameSchema" or column else "check across columns"
        if len(rule) > 160:
            rule = rule[:159] + "…"
        problems.append(Problem(place, line, field_name, plain(case.failure_case), rule))
    return problems


def _line(label: Hashable | None, lines: Sequence[int] | None, where: str) -> tuple[int | None, str]:
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
    where: str | Path,
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
    where = display(where) if isinstance(where, Path) else where
    frame = frame.reset_index(drop=True)
    try:
        out = schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise DataError(_pandera_problems(exc, schema, where, lines)) from None
    except pa_errors.SchemaError as exc:  # a schema-wide failure that lazy mode does not collect
        raise DataError(Problem(where, None, None, None, str(exc).split("\n")[0][:200])) from None
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
            line, place = _line(v.index, lines, where)
            text = rule.rule + (f": {v.detail}" if v.detail else "")
            if v.same_as is not None:
                other, _ = _line(v.same_as, lines, where)
                text += f" (same as line {other})" if other is not None else f" (same as row {v.same_as})"
            found.add(Problem(place, line, v.field, v.value, text))
    found.raise_if_any()
    out.attrs["source"] = {"where": where, "lines": tuple(lines) if lines is not None else None}
    return out


def locate(frame: pd.DataFrame, label: Hashable, where: str) -> tuple[str, int | None]:
    """``(where, line)`` for a row of a table as loaded; ``(where + ", row n", None)`` for another frame."""
    line = line_of(frame, label)
    if line is not None:
        return where, line
    return _line(label, None, where)[1], None


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


def read_csv_validated(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A CSV file, read through the gate (hash-checked if it is a data file), checked by :func:`parse_csv`."""
    source = read_input(path, _expected_sha256(path))
    return parse_csv(source.data, schema, source.where)


def cited_line_problems(frame: pd.DataFrame, manifest: Manifest, where: str) -> list[Problem]:
    """Rows citing a line past the end of their source study (its line count in the manifest)."""
    if not {"seed_id", "line_to"} <= set(frame.columns):
        return []
    problems = []
    for label, seed, last in zip(frame.index, frame["seed_id"], frame["line_to"], strict=True):
        info = manifest.seeds.get(str(seed))
        if info is None or not str(last).isdigit():
            continue
        if int(last) > int(info["lines"]):
            line, place = _line(label, frame.attrs.get("source", {}).get("lines"), where)
            problems.append(
                Problem(
                    place,
                    line,
                    "line_to",
                    last,
                    f"past the last line ({info['lines']}) of source study {seed}",
                )
            )
    return problems


def _reference_problems(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, name: str, manifest: Manifest, where: str
) -> list[Problem]:
    problems = []
    lines = frame.attrs.get("source", {}).get("lines")
    for column, spec in schema.columns.items():
        meta = spec.metadata or {}
        if "refers_to" not in meta:
            continue
        table, key = meta["refers_to"]
        other = frame if table == name else load_table(table, manifest)
        other_where = manifest.files[table].where
        by_key = {k: i for i, k in zip(other.index, other[key], strict=True)}
        agrees: Mapping[str, str] = meta.get("agrees", {})
        for label, value in zip(frame.index, frame[column], strict=True):
            items = [v for v in str(value).split(";") if v] if meta.get("list") else [value]
            for item in items:
                line, place = _line(label, lines, where)
                if item not in by_key:
                    problems.append(Problem(place, line, column, item, f"is not a {key} of {other_where}"))
                    continue
                for mine, theirs in agrees.items():
                    want = other.at[by_key[item], theirs]
                    if str(frame.at[label, mine]) != str(want):
                        problems.append(
                            Problem(
                                place,
                                line,
                                mine,
                                frame.at[label, mine],
                                f"{other_where} gives {item} the {theirs} {want!r}",
                            )
                        )
    return problems


def load_table(name: str, manifest: Manifest | None = None) -> pd.DataFrame:
    """A table listed in the manifest: hash-checked, parsed, validated, its references resolved.

    Validated tables are kept for the process (by the file's and the manifest's content: a table's
    references and cited lines depend on the others) and returned as copies. A YAML
    file has a structure of its own and is read by the module that owns it (the codebook:
    :func:`analysis.coding.codebook.load_codebook_table`).
    """
    manifest = manifest or load_manifest()
    entry = manifest_entry(name, manifest)
    schema = SCHEMAS[entry.schema]
    if entry.path.endswith((".yaml", ".yml")):
        raise DataError(
            Problem(
                entry.where,
                None,
                None,
                None,
                "a YAML data file is read by the module that owns its structure "
                "(the codebook: analysis.coding.codebook.load_codebook_table), not as a table",
            )
        )
    source = read_input(entry.full_path, entry.sha256, entry.where)
    key = (entry.where, source.sha256, entry.schema, manifest.sha256)
    if key not in _TABLES:
        if name in _LOADING:
            raise DataError(Problem(entry.where, None, None, None, "refers to itself through other tables"))
        _LOADING.add(name)
        try:
            frame = parse_csv(source.data, schema, entry.where)
            problems = cited_line_problems(frame, manifest, entry.where)
            problems += _reference_problems(frame, schema, name, manifest, entry.where)
        finally:
            _LOADING.discard(name)
        if problems:
            raise DataError(problems)
        _TABLES[key] = frame
    return _TABLES[key].copy()


# --- the source studies ------------------------------------------------------------------------


@dataclass(frozen=True)
class Sources:
    """The folder of the source studies and whether this build has them (each hash-checked)."""

    folder: Path
    available: bool
    reason: str = ""


def sources(manifest: Manifest | None = None) -> Sources:
    """The source studies: ``$SEEDS_DIR`` or ``../shared/seeds``, every file checked once.

    Returns ``available=False`` only when ``SEEDS_DIR`` is unset and the default folder does not
    exist: then the quotations cannot be checked, and the build says so.

    Raises
    ------
    DataError
        If ``SEEDS_DIR`` is set but is not a folder, or the folder lacks a study or holds a study
        whose SHA-256 is not the manifest's.
    """
    manifest = manifest or load_manifest()
    env = os.environ.get("SEEDS_DIR")
    folder = paths.seeds_dir()
    key = (str(env), str(folder), repr(sorted((k, v["sha256"]) for k, v in manifest.seeds.items())))
    if key in _SOURCES:
        return _SOURCES[key]
    if not folder.is_dir():
        if env is not None:
            raise DataError(
                Problem(
                    "SEEDS_DIR",
                    None,
                    None,
                    env,
                    "is set but is not a folder: set it to the folder of the five source studies, "
                    "or unset it to use ../shared/seeds",
                )
            )
        found = Sources(folder, False, f"{folder} does not exist")
    else:
        problems: list[Problem | str] = []
        for seed_id, info in sorted(manifest.seeds.items()):
            path = folder / str(info["file"])
            try:
                read_input(path, str(info["sha256"]), f"source study {seed_id} ({path})")
            except DataError as exc:
                problems += exc.problems
        if problems:
            hint = "SEEDS_DIR" if env is not None else "the default folder ../shared/seeds"
            problems.append(
                f"{hint} must hold the five source studies exactly as data/MANIFEST.yaml records them"
            )
            raise DataError(problems)
        found = Sources(folder, True)
    _SOURCES[key] = found
    return found


def seed_lines(seed_id: str, manifest: Manifest | None = None) -> list[str] | None:
    """Every line of one source study (split on newlines only, as sed counts); ``None`` without them."""
    manifest = manifest or load_manifest()
    if seed_id not in manifest.seeds:
        raise DataError(Problem("data/MANIFEST.yaml", None, "seeds", seed_id, "no such source study"))
    found = sources(manifest)
    if not found.available:
        return None
    info = manifest.seeds[seed_id]
    source = read_input(found.folder / str(info["file"]), str(info["sha256"]), f"source study {seed_id}")
    return _decode(source.data, source.where).split("\n")


def read_seed_lines(seed_file: Path, line_from: int, line_to: int) -> list[str]:
    """Lines ``line_from``..``line_to`` (1-based, inclusive) of a seed file, read through the gate."""
    # split on "\n" only, as sed and the extractions count lines (not on U+2028 or form feeds)
    source = read_input(seed_file, _expected_sha256(seed_file))
    lines = _decode(source.data, source.where).split("\n")
    if not 1 <= line_from <= line_to <= len(lines):
        raise DataError(
            Problem(
                source.where, None, "line_from/line_to", f"{line_from}-{line_to}", f"outside 1-{len(lines)}"
            )
        )
    return lines[line_from - 1 : line_to]
