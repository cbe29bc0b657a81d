"""The one-way rule between the packages, as import-linter contracts (pyproject.toml).

The real tree keeps every contract; a copy of it with one forbidden import added breaks one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.data import paths

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PACKAGES = ("analysis", "bookkit", "checks")


def _lint(root: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(root / "pyproject.toml"), "--no-cache"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_tree_keeps_the_import_contracts() -> None:
    done = _lint(paths.PROJECT_ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken"),
    [
        ("analysis/data/errors.py", "from analysis.report import format", "analysis: chapters -> report"),
        ("analysis/did/fast.py", "from analysis.chapters import index", "analysis: chapters -> report"),
        ("analysis/coding/matrices.py", "from analysis.did import fast", "analysis: chapters -> report"),
        ("bookkit/toc.py", "from checks import links", "checks -> bookkit -> analysis"),
        ("analysis/report/format.py", "import bs4", "never imports the book machinery"),
        ("analysis/report/table.py", "import sphinx", "never imports the book machinery"),
    ],
)
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, module: str, line: str, broken: str) -> None:
    for package in PACKAGES:
        shutil.copytree(
            paths.PROJECT_ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(paths.PROJECT_ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    target = tmp_path / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    done = _lint(tmp_path)
    assert done.returncode != 0
    assert f"{broken}" in done.stdout and "BROKEN" in done.stdout, done.stdout
