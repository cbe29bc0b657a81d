"""Shared fixtures: the project paths and the built site."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data import io, paths


@pytest.fixture(scope="session")
def html_dir() -> Path:
    """The built HTML site; the suite expects `make book` (or `make test`) to have built it."""
    if not (paths.HTML_DIR / "index.html").is_file():
        pytest.fail("no built site in _build/html: run `make test` (or `make book` first)")
    return paths.HTML_DIR


@pytest.fixture(scope="session")
def manifest() -> io.Manifest:
    """The data manifest."""
    return io.load_manifest()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The seeds folder; provenance tests skip, visibly, only where it is absent."""
    folder = paths.seeds_dir()
    if not folder.is_dir():
        pytest.skip(f"seeds folder {folder} is absent (set SEEDS_DIR): quotations not checked")
    return folder
