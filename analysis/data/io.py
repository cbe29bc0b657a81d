"""The only module that reads data files. Every table is validated on load.

A bad file never yields a silently wrong table: a malformed CSV, a missing or unexpected
column, or a value that fails its schema raises :class:`DataError`, whose message names the
file, the row (and its line in the file) and the column.

The readers are generic: CSV tables (:func:`read_csv_validated`), YAML files (:func:`read_yaml`),
schema checks of a frame (:func:`validate_table`) and the manifest's entries
(:func:`manifest_entry`). A YAML data file has a structure of its own and is read by the module
that owns it (the codebook: :mod:`analysis.coding.codebook`).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pa
import yaml

from analysis.data import paths
from analysis.data.errors import DataError
from analysis.data.schemas.common import SCHEMAS

__all__ = [
    "DataError",
    "Manifest",
    "ManifestFile",
    "files_read",
    "load_manifest",
    "load_table",
    "manifest_entry",
    "read_csv_validated",
    "read_seed_lines",
    "read_yaml",
    "seed_lines",
    "sha256_file",
    "validate_table",
]


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
        """Absolute path of the file."""
        return paths.DATA_DIR / self.path


@dataclass(frozen=True)
class Manifest:
    """The data manifest: every data file and every seed, with checksums."""

    files: dict[str, ManifestFile]
    seeds: dict[str, dict[str, Any]] = field(default_factory=dict)


_FILE_KEYS = {"path", "title_zh", "source", "method", "changes", "licence", "synthetic", "sha256", "schema"}


def load_manifest(path: Path | None = None) -> Manifest:
    """Read and check the structure of ``data/MANIFEST.yaml``."""
    path = path or paths.MANIFEST
    _record_read(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or "files" not in raw:
        raise DataError(f"{path}: expected a mapping with a 'files' key")
    files: dict[str, ManifestFile] = {}
    for name, entry in raw["files"].items():
        missing = _FILE_KEYS - set(entry)
        if missing:
            raise DataError(f"{path}: entry {name!r} lacks {sorted(missing)}")
        unknown = set(entry) - _FILE_KEYS
        if unknown:
            raise DataError(f"{path}: entry {name!r} has unknown keys {sorted(unknown)}")
        files[name] = ManifestFile(name=name, **entry)
    return Manifest(files=files, seeds=dict(raw.get("seeds", {})))


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: Every file this process has read through this module: its name -> SHA-256 (:func:`files_read`).
_READ: dict[str, str] = {}


def _record_read(path: Path) -> None:
    """Note that ``path`` is being read, with the SHA-256 of its bytes (first read only)."""
    name = str(path)
    for root, prefix in ((paths.PROJECT_ROOT, ""), (paths.seeds_dir(), "seeds/")):
        try:
            name = prefix + path.resolve().relative_to(root.resolve()).as_posix()
            break
        except ValueError:
            continue
    if name not in _READ and path.is_file():
        _READ[name] = sha256_file(path)


def files_read() -> dict[str, str]:
    """The files this process has read through this module, in first-read order: name -> SHA-256.

    A page executes in a kernel of its own, so after its chapter module's ``build()`` this is the
    list of data files (and source studies) the page's results were computed from. Source
    studies are named ``seeds/<file>``, project files by their path from the project root.
    """
    return dict(_READ)


def _where(path: Path) -> str:
    try:
        return path.relative_to(paths.PROJECT_ROOT).as_posix()
    except ValueError:
        return str(path)


def _describe_failures(where: str, err: pa_errors.SchemaErrors) -> str:
    lines = []
    cases = err.failure_cases.sort_values(["index", "column"], na_position="first", kind="stable")
    for case in cases.itertuples(index=False):
        # A table-level check reports the schema's name as its column; name no column for it.
        if case.schema_context == "DataFrameSchema" or not isinstance(case.column, str):
            field = "check across columns"
        else:
            field = f"column '{case.column}'"
        if pd.isna(case.index):
            lines.append(f"{where}: {field}: {case.check} ({case.failure_case!r})")
        else:
            row = int(case.index)
            lines.append(
                f"{where}: row {row + 1} (line {row + 2}), {field}: "
                f"{case.check} failed on {case.failure_case!r}"
            )
    return "\n".join(dict.fromkeys(lines))


def read_csv_validated(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Read a UTF-8 CSV as text and validate it against ``schema``.

    Raises
    ------
    DataError
        On a missing or unreadable file, a malformed CSV, missing or unexpected columns, or any
        value that fails the schema; the message names file, row, line and column.
    """
    where = _where(path)
    if not path.is_file():
        raise DataError(f"{where}: file not found")
    _record_read(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DataError(f"{where}: not UTF-8 ({exc})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(f"{where}: malformed CSV: {exc}") from exc
    expected = list(schema.columns)
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in expected]
    if missing or extra:
        raise DataError(
            f"{where}: header does not match schema '{schema.name}': "
            f"missing columns {missing}, unexpected columns {extra}"
        )
    return validate_table(frame, schema, path)


def validate_table(frame: pd.DataFrame, schema: pa.DataFrameSchema, path: Path) -> pd.DataFrame:
    """``frame`` (read from ``path``) validated against ``schema``.

    Raises
    ------
    DataError
        On any value that fails the schema; the message names file, row, line and column.
    """
    try:
        return schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise DataError(_describe_failures(_where(path), exc)) from exc


def read_yaml(path: Path, where: str | None = None) -> object:
    """A UTF-8 YAML file, parsed (``yaml.safe_load``); ``where`` names it in errors.

    Raises
    ------
    DataError
        On a missing file, a file that is not UTF-8, or malformed YAML.
    """
    where = _where(path) if where is None else where
    if not path.is_file():
        raise DataError(f"{where}: file not found")
    _record_read(path)
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataError(f"{where}: malformed YAML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise DataError(f"{where}: not UTF-8 ({exc})") from exc


def manifest_entry(name: str, manifest: Manifest | None = None) -> ManifestFile:
    """The manifest's entry for the data file ``name``, whose schema must be known."""
    manifest = manifest or load_manifest()
    if name not in manifest.files:
        raise DataError(f"{_where(paths.MANIFEST)}: no table named {name!r}")
    entry = manifest.files[name]
    if entry.schema not in SCHEMAS:
        raise DataError(f"{_where(paths.MANIFEST)}: {name!r} names unknown schema {entry.schema!r}")
    return entry


def load_table(name: str, manifest: Manifest | None = None) -> pd.DataFrame:
    """Load a table listed in the manifest, validated against its schema.

    A CSV file is read by :func:`read_csv_validated`. A YAML file has a structure of its own and
    is read by the module that owns it, through :func:`read_yaml` and :func:`validate_table` (the
    codebook: :func:`analysis.coding.codebook.load_codebook_table`).
    """
    entry = manifest_entry(name, manifest)
    schema = SCHEMAS[entry.schema]
    if entry.path.endswith((".yaml", ".yml")):
        raise DataError(
            f"{_where(entry.full_path)}: a YAML data file is read by the module that owns its structure "
            "(the codebook: analysis.coding.codebook.load_codebook_table), not as a table"
        )
    return read_csv_validated(entry.full_path, schema)


def read_seed_lines(seed_file: Path, line_from: int, line_to: int) -> list[str]:
    """Lines ``line_from``..``line_to`` (1-based, inclusive) of a seed file."""
    # split on "\n" only, as sed and the extractions count lines (not on U+2028 or form feeds)
    _record_read(seed_file)
    lines = seed_file.read_text(encoding="utf-8").split("\n")
    if not 1 <= line_from <= line_to <= len(lines):
        raise DataError(f"{seed_file.name}: line range {line_from}-{line_to} outside 1-{len(lines)}")
    return lines[line_from - 1 : line_to]


def seed_lines(seed_id: str, manifest: Manifest | None = None) -> list[str] | None:
    """Every line of one source study (as :func:`read_seed_lines` counts them); ``None`` without it."""
    manifest = manifest or load_manifest()
    seed_file: Path = paths.seeds_dir() / str(manifest.seeds[seed_id]["file"])
    if not seed_file.is_file():
        return None
    _record_read(seed_file)
    return seed_file.read_text(encoding="utf-8").split("\n")
