"""The only module that reads data files. Every table is validated on load.

A bad file never yields a silently wrong table: a malformed CSV, a missing or unexpected
column, or a value that fails its schema raises :class:`DataError`, whose message names the
file, the row (and its line in the file) and the column.
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

from analysis.coding.codebook import codebook_frame, load_codebook
from analysis.data import paths
from analysis.data.errors import DataError
from analysis.data.schemas.common import SCHEMAS

__all__ = [
    "DataError",
    "Manifest",
    "ManifestFile",
    "load_manifest",
    "load_table",
    "read_csv_validated",
    "read_seed_lines",
    "sha256_file",
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
    try:
        return schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise DataError(_describe_failures(where, exc)) from exc


def load_table(name: str, manifest: Manifest | None = None) -> pd.DataFrame:
    """Load a table listed in the manifest, validated against its schema."""
    manifest = manifest or load_manifest()
    if name not in manifest.files:
        raise DataError(f"{_where(paths.MANIFEST)}: no table named {name!r}")
    entry = manifest.files[name]
    if entry.schema not in SCHEMAS:
        raise DataError(f"{_where(paths.MANIFEST)}: {name!r} names unknown schema {entry.schema!r}")
    if entry.path.endswith((".yaml", ".yml")):
        return _load_yaml_table(entry.full_path, SCHEMAS[entry.schema])
    return read_csv_validated(entry.full_path, SCHEMAS[entry.schema])


def _load_yaml_table(path: Path, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """A YAML data file as its flattened table (only the codebook is YAML), validated."""
    if schema.name != "codebook":
        raise DataError(f"{_where(path)}: no YAML reader for schema {schema.name!r}")
    frame = codebook_frame(load_codebook(path))
    try:
        return schema.validate(frame, lazy=True)
    except pa_errors.SchemaErrors as exc:
        raise DataError(_describe_failures(_where(path), exc)) from exc


def read_seed_lines(seed_file: Path, line_from: int, line_to: int) -> list[str]:
    """Lines ``line_from``..``line_to`` (1-based, inclusive) of a seed file."""
    # split on "\n" only, as sed and the extractions count lines (not on U+2028 or form feeds)
    lines = seed_file.read_text(encoding="utf-8").split("\n")
    if not 1 <= line_from <= line_to <= len(lines):
        raise DataError(f"{seed_file.name}: line range {line_from}-{line_to} outside 1-{len(lines)}")
    return lines[line_from - 1 : line_to]
