"""A copy of ``data/`` to break: edit a file, re-hash it in the manifest, and load it as the book does.

:class:`Sandbox` copies the repository's ``data/`` into a temporary project root and points
:mod:`analysis.data.paths` at it. Its edits work on the text of a file as an editor sees it
(lines counted from 1, the header is line 1) and, unless told otherwise, record the new
SHA-256 in the copy's ``MANIFEST.yaml``, so what catches a fault is the content check, not the
hash.
"""

from __future__ import annotations

import csv
import hashlib
import io as _io
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from analysis.data import io, paths


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Sandbox:
    """A copy of ``data/`` under ``root`` that the project's paths point to."""

    root: Path

    @property
    def manifest_path(self) -> Path:
        return self.root / "data" / "MANIFEST.yaml"

    def path(self, name: str) -> Path:
        """The copy of the data file the manifest calls ``name``."""
        return self.root / "data" / io.load_manifest().files[name].path

    def where(self, name: str) -> str:
        return f"data/{io.load_manifest().files[name].path}"

    def text(self, name: str) -> str:
        return self.path(name).read_text(encoding="utf-8")

    def write(self, name: str, text: str, *, rehash: bool = True) -> None:
        """Replace a data file's text; record its new hash in the manifest unless ``rehash`` is false."""
        path = self.path(name)
        old = _sha(path.read_bytes())
        path.write_bytes(text.encode("utf-8"))
        if rehash:
            self.rehash(old, _sha(text.encode("utf-8")))
        io.clear_caches()

    def rehash(self, old: str, new: str) -> None:
        manifest = self.manifest_path.read_text(encoding="utf-8")
        assert manifest.count(old) == 1, "each file's hash occurs once in the manifest"
        self.manifest_path.write_text(manifest.replace(old, new), encoding="utf-8")
        io.clear_caches()

    def edit_manifest(self, edit: Callable[[str], str]) -> None:
        self.manifest_path.write_text(edit(self.manifest_path.read_text(encoding="utf-8")), encoding="utf-8")
        io.clear_caches()

    def lines(self, name: str) -> list[str]:
        return self.text(name).split("\n")

    def edit_lines(self, name: str, edit: Callable[[list[str]], list[str]]) -> None:
        self.write(name, "\n".join(edit(self.lines(name))))

    def replace(self, name: str, old: str, new: str, count: int = 1, *, rehash: bool = True) -> None:
        text = self.text(name)
        assert old in text, f"{old!r} not in {name}"
        self.write(name, text.replace(old, new, count), rehash=rehash)

    # --- CSV ---------------------------------------------------------------------------------

    def rows(self, name: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
        """Header and (line, record) pairs of a CSV copy."""
        reader = csv.reader(_io.StringIO(self.text(name), newline=""))
        header: list[str] = []
        out: list[tuple[int, list[str]]] = []
        start = 1
        for row in reader:
            line, start = start, reader.line_num + 1
            if not row:
                continue
            if not header:
                header = row
            else:
                out.append((line, row))
        return header, out

    def line_of(self, name: str, **match: str) -> int:
        """The line of the first record whose columns have the given values."""
        header, rows = self.rows(name)
        for line, row in rows:
            record = dict(zip(header, row, strict=True))
            if all(record[k] == v for k, v in match.items()):
                return line
        raise AssertionError(f"no row of {name} with {match}")

    def cell(self, name: str, line: int, column: str) -> str:
        header, rows = self.rows(name)
        return dict(rows)[line][header.index(column)]

    def set_cells(self, name: str, line: int, **values: str) -> None:
        """Set cells of the record at ``line`` (the other lines keep their text)."""
        header, rows = self.rows(name)
        record = dict(rows)[line]
        for column, value in values.items():
            record[header.index(column)] = value
        buffer = _io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(record)
        lines = self.lines(name)
        assert "\n" not in buffer.getvalue()
        lines[line - 1] = buffer.getvalue()
        self.write(name, "\n".join(lines))


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """The project's data copied into ``tmp_path``, with :mod:`analysis.data.paths` pointing there."""
    root = tmp_path / "project"
    shutil.copytree(paths.DATA_DIR, root / "data", symlinks=True)
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "DATA_DIR", root / "data")
    monkeypatch.setattr(paths, "RAW_DIR", root / "data" / "raw")
    monkeypatch.setattr(paths, "MANIFEST", root / "data" / "MANIFEST.yaml")
    io.clear_caches()
    yield Sandbox(root)
    io.clear_caches()


def problem_lines(message: str) -> list[str]:
    return message.split("\n")


def names(message: str, where: str, line: int | None, field: str | None) -> bool:
    """Whether one problem of ``message`` names ``where``, ``line`` and ``field``."""
    for text in problem_lines(message):
        if not text.startswith(where):
            continue
        if line is not None and not re.search(rf"\bline {line}\b", text):
            continue
        if field is not None and f"field '{field}'" not in text:
            continue
        return True
    return False
