"""Shared fixtures: the project paths, the built site, the source studies and a data sandbox."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from analysis.data import io, paths
from tests.datafaults import sandbox  # noqa: F401 - a fixture for the data tests

#: Set to 1 to run the suite without the source studies: their checks are then skipped, visibly.
SKIP_SOURCES = "SKIP_SOURCES"


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
    """The source studies' folder, each study hash-checked.

    Without them the tests that need them fail, unless ``SKIP_SOURCES=1`` says to skip them; the
    skip is listed with its reason and announced at the end of the run. A ``SEEDS_DIR`` that is
    set but wrong is an error either way.
    """
    found = io.sources()
    if not found.available:
        if os.environ.get(SKIP_SOURCES) == "1":
            pytest.skip(
                f"source studies absent ({found.reason}) and {SKIP_SOURCES}=1: quotations not checked"
            )
        pytest.fail(
            f"source studies absent ({found.reason}): set SEEDS_DIR to their folder, "
            f"or {SKIP_SOURCES}=1 to skip their checks explicitly"
        )
    return found.folder


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say it loudly when this run did not check the quotations against the source studies."""
    if os.environ.get(SKIP_SOURCES) == "1" and not paths.seeds_dir().is_dir():
        terminalreporter.write_sep(
            "!", f"{SKIP_SOURCES}=1: the source studies were absent; no quotation was checked", red=True
        )
