"""The record of what a page used, and what counts as a change (:mod:`bookkit.sphinx.inputs`)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from analysis.data import io, paths
from bookkit.sphinx.inputs import Inputs, Snapshot, changes


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of data/ that paths point at, so the tests can edit it."""
    data = tmp_path / "data"
    shutil.copytree(paths.DATA_DIR, data)
    monkeypatch.setattr(paths, "DATA_DIR", data)
    monkeypatch.setattr(paths, "MANIFEST", data / "MANIFEST.yaml")
    return data


def _edit_with_manifest(data: Path, name: str) -> None:
    path = data / name
    old = _sha(path)
    path.write_bytes(path.read_bytes() + b"\n")
    manifest = data / "MANIFEST.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(old, _sha(path)), encoding="utf-8")


def test_io_records_each_file_it_reads_with_the_hash_of_its_bytes() -> None:
    io.load_table("did_regions")
    path = paths.RAW_DIR / "did_regions.csv"
    opened = io.opened_files()
    assert opened[str(path.resolve())] == _sha(path)
    assert opened[str(paths.MANIFEST.resolve())] == _sha(paths.MANIFEST)


def test_project_modules_only(tmp_path: Path) -> None:
    now = Snapshot([paths.PROJECT_ROOT], tmp_path / "_config.yml")
    assert now.is_module(str(paths.PROJECT_ROOT / "analysis" / "data" / "io.py"))
    assert now.is_module(str(paths.PROJECT_ROOT / "checks" / "site.py"))
    assert not now.is_module(str(Path(pytest.__file__)))
    assert not now.is_module(
        str(paths.PROJECT_ROOT / ".venv" / "lib" / "python3.11" / "site-packages" / "x.py")
    )


def _record(data: Path, read: list[str], modules: list[str]) -> tuple[Inputs, Snapshot]:
    now = Snapshot([data.parent], data.parent / "_config.yml")
    files = {str((data / name).resolve()): _sha(data / name) for name in read}
    return now.record(modules, files), now


def test_a_file_the_page_read_is_a_change(data_copy: Path) -> None:
    record, _ = _record(data_copy, ["MANIFEST.yaml", "raw/did_regions.csv"], [])
    _edit_with_manifest(data_copy, "raw/did_regions.csv")
    found = changes(record, Snapshot([data_copy.parent], data_copy.parent / "_config.yml"), data_copy.parent)
    assert "data/raw/did_regions.csv changed" in found
    assert "data/MANIFEST.yaml changed" in found


def test_the_checksum_of_a_file_the_page_did_not_read_is_not_a_change(data_copy: Path) -> None:
    record, _ = _record(data_copy, ["MANIFEST.yaml", "raw/did_regions.csv"], [])
    _edit_with_manifest(data_copy, "raw/source_studies.csv")
    now = Snapshot([data_copy.parent], data_copy.parent / "_config.yml")
    assert changes(record, now, data_copy.parent) == []


def test_any_other_field_of_the_manifest_is_a_change(data_copy: Path) -> None:
    record, _ = _record(data_copy, ["MANIFEST.yaml", "raw/did_regions.csv"], [])
    manifest = data_copy / "MANIFEST.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("title_zh: ", "title_zh: 新", 1), encoding="utf-8")
    now = Snapshot([data_copy.parent], data_copy.parent / "_config.yml")
    assert changes(record, now, data_copy.parent) == ["data/MANIFEST.yaml changed"]


def test_modules_the_page_imported_and_no_others(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    package.mkdir()
    used, unused = package / "used.py", package / "unused.py"
    used.write_text("X = 1\n", encoding="utf-8")
    unused.write_text("Y = 1\n", encoding="utf-8")
    now = Snapshot([tmp_path], tmp_path / "_config.yml")
    record = now.record([str(used), str(Path(pytest.__file__))], {})
    assert list(record.modules) == [str(used.resolve())]
    unused.write_text("Y = 2\n", encoding="utf-8")
    assert changes(record, Snapshot([tmp_path], tmp_path / "_config.yml"), tmp_path) == []
    used.write_text("X = 2\n", encoding="utf-8")
    assert changes(record, Snapshot([tmp_path], tmp_path / "_config.yml"), tmp_path) == [
        "pkg/used.py changed"
    ]


def test_lock_and_configuration_are_changes_for_every_page(tmp_path: Path) -> None:
    config = tmp_path / "_config.yml"
    config.write_text("title: a\n", encoding="utf-8")
    record = Snapshot([tmp_path], config).record([], {})
    config.write_text("title: b\n", encoding="utf-8")
    assert changes(record, Snapshot([tmp_path], config), tmp_path) == ["_config.yml changed"]


def test_a_file_changed_while_the_page_ran_keeps_the_hash_the_kernel_read(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a\n1\n", encoding="utf-8")
    read_hash = _sha(path)
    path.write_text("a\n2\n", encoding="utf-8")
    now = Snapshot([tmp_path], tmp_path / "_config.yml")
    record = now.record([], {str(path): read_hash})
    assert changes(record, Snapshot([tmp_path], tmp_path / "_config.yml"), tmp_path) == ["x.csv changed"]


def test_records_round_trip_and_other_versions_are_stale(tmp_path: Path) -> None:
    record = Snapshot([tmp_path], tmp_path / "_config.yml").record([], {})
    assert Inputs.from_json(record.to_json()) == record
    assert Inputs.from_json({**record.to_json(), "version": 0}) is None
    assert Inputs.from_json(None) is None
