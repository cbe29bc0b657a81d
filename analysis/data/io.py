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

Every failure is a :class:`DataError` listing problems by file, line, field, value and rule. The
parsers of the bytes (CSV, YAML, the schema checks) are in :mod:`analysis.data.parse`; this module
re-exports them.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import pandas as pd
import pandera.pandas as pa
import yaml

from analysis.data import paths
from analysis.data.errors import DataError, Problem
from analysis.data.parse import (
    YamlList,
    YamlMap,
    decode,
    line_of,
    locate,
    parse_csv,
    parse_yaml,
    row_place,
    validate_table,
    yaml_line,
)
from analysis.data.schemas.common import SCHEMAS

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
    "files_read",
    "line_of",
    "load_manifest",
    "load_table",
    "locate",
    "manifest_digest",
    "manifest_entry",
    "opened_files",
    "parse_csv",
    "parse_yaml",
    "read_csv_validated",
    "read_input",
    "read_seed_lines",
    "read_yaml",
    "seed_lines",
    "sha256_file",
    "sources",
    "sources_state",
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
#: A text input's lines by (resolved path, SHA-256): the provenance check reads a source study's
#: lines once per quotation, about 1,100 times per build, and decoding and splitting dominated it.
_LINES: dict[tuple[str, str], tuple[str, ...]] = {}


def clear_caches() -> None:
    """Forget every file read, table validated and source folder checked in this process."""
    for cache in (_READ, _TABLES, _MANIFESTS, _SOURCES, _LINES):
        cache.clear()


def _lines(source: Input) -> tuple[str, ...]:
    """The input's text split on newlines only (as sed counts), decoded once per content."""
    key = (os.path.abspath(source.path), source.sha256)
    if key not in _LINES:
        _LINES[key] = tuple(decode(source.data, source.where).split("\n"))
    return _LINES[key]


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
        raise DataError(Problem.of_file(where, f"cannot be read ({exc.strerror or exc})")) from None
    if not stat.S_ISREG(st.st_mode):
        raise DataError(Problem.of_file(where, "is not a regular file"))
    key = os.path.abspath(path)
    signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    cached = _READ.get(key)
    if cached is None or cached.signature != signature:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError(Problem.of_file(where, f"cannot be read ({exc.strerror or exc})")) from None
        cached = _Cached(signature, hashlib.sha256(data).hexdigest(), data)
        _READ[key] = cached
    _OPENED.setdefault(str(path.resolve()), cached.sha256)
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


#: Every file read in this process: resolved path -> SHA-256 of the bytes first read (opened_files).
_OPENED: dict[str, str] = {}


def opened_files() -> dict[str, str]:
    """Every file read through :func:`read_input` in this process: resolved path -> SHA-256.

    The book's build keeps this record per page to decide when a page must be executed again.
    """
    return dict(_OPENED)


def files_read() -> dict[str, str]:
    """The same record by name, in first-read order: name -> SHA-256.

    A page executes in a kernel of its own, so after its chapter module's ``build()`` this lists
    the data files (and source studies) the page's results were computed from. Source studies are
    named ``seeds/<file>``, project files by their path from the project root.
    """
    named: dict[str, str] = {}
    roots = ((paths.PROJECT_ROOT.resolve(), ""), (paths.seeds_dir().resolve(), "seeds/"))
    for resolved, sha in _OPENED.items():
        name = resolved
        for root, prefix in roots:
            try:
                name = prefix + Path(resolved).relative_to(root).as_posix()
                break
            except ValueError:
                continue
        named.setdefault(name, sha)
    return named


@functools.lru_cache(maxsize=2)
def _parsed_manifest(text: str) -> object:
    """The manifest's YAML parsed once per text (the staleness check asks for it for every page)."""
    return yaml.safe_load(text)


def manifest_digest(path: str, read: set[str]) -> str | None:
    """For the build's staleness check: the manifest's digest without the checksums a page did not read.

    ``path`` is a file a page read; unless it is ``data/MANIFEST.yaml`` this returns ``None``.
    ``read`` holds the resolved paths the page read; the ``sha256`` of every data file and source
    study outside it is left out, so that a page depends on a file's checksum only where it read
    the file. ``None`` also when the manifest cannot be read or parsed (the page then depends on
    the whole file).
    """
    if Path(path) != paths.MANIFEST.resolve():
        return None
    try:
        raw = copy.deepcopy(_parsed_manifest(paths.MANIFEST.read_text(encoding="utf-8")))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(raw, dict):
        return None
    for section, folder, key in (("files", paths.DATA_DIR, "path"), ("seeds", paths.seeds_dir(), "file")):
        entries = raw.get(section)
        if not isinstance(entries, dict):
            continue
        for entry in entries.values():
            if isinstance(entry, dict) and str((folder / str(entry.get(key, ""))).resolve()) not in read:
                entry.pop("sha256", None)
    text = json.dumps(raw, sort_keys=True, ensure_ascii=False, default=str)
    return "manifest:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def sources_state() -> str:
    """Where the source studies are looked for, and whether that folder exists (a build context)."""
    folder = paths.seeds_dir()
    return f"{folder.resolve()} ({'present' if folder.is_dir() else 'absent'})"


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
                Problem.of_file(
                    display(full),
                    f"{display(node)} is a symbolic link; data files must be regular files in data/",
                )
            )
    root = paths.PROJECT_ROOT.resolve()
    resolved_data = data_dir.resolve()
    if not _inside(resolved_data, root) or (full.exists() and not _inside(full.resolve(), resolved_data)):
        raise DataError(Problem.of_file(display(full), "resolves outside the repository's data/"))
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
                    Problem.of_file(
                        display(node),
                        "is a symbolic link; data files must be regular files",
                    )
                )
        for name in files:
            rel = (base / name).relative_to(paths.DATA_DIR).as_posix()
            found.add(rel)
            if rel != "MANIFEST.yaml" and rel not in listed:
                problems.append(Problem.of_file(display(base / name), "is not listed in data/MANIFEST.yaml"))
    for rel in sorted(listed - found):
        problems.append(Problem.of_file(f"data/{rel}", "is listed in data/MANIFEST.yaml but missing"))
    return problems


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
        raise DataError(Problem.of_file(display(path), "is not listed in data/MANIFEST.yaml"))
    if absolute.parent == Path(os.path.abspath(paths.seeds_dir())):
        for info in load_manifest().seeds.values():
            if info["file"] == absolute.name:
                return str(info["sha256"])
    return None


# --- CSV tables --------------------------------------------------------------------------------


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
            line, place = row_place(label, frame.attrs.get("source", {}).get("lines"), where)
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
                line, place = row_place(label, lines, where)
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
            raise DataError(Problem.of_file(entry.where, "refers to itself through other tables"))
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
    return list(_lines(source))


def read_seed_lines(seed_file: Path, line_from: int, line_to: int) -> list[str]:
    """Lines ``line_from``..``line_to`` (1-based, inclusive) of a seed file, read through the gate."""
    # split on "\n" only, as sed and the extractions count lines (not on U+2028 or form feeds)
    source = read_input(seed_file, _expected_sha256(seed_file))
    lines = _lines(source)
    if not 1 <= line_from <= line_to <= len(lines):
        raise DataError(
            Problem(
                source.where, None, "line_from/line_to", f"{line_from}-{line_to}", f"outside 1-{len(lines)}"
            )
        )
    return list(lines[line_from - 1 : line_to])
