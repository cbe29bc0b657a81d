"""The colophon: the exact code and environment that built this copy of the book."""

from __future__ import annotations

import platform
import subprocess
import tomllib
from importlib import metadata

import pandas as pd

from analysis import __version__
from analysis.data import paths

__all__ = ["KEY_PACKAGES", "git_state", "package_versions", "python_version", "required_python"]


def required_python() -> str:
    """The Python minor version the project requires (from ``pyproject.toml``), e.g. ``3.11``."""
    with (paths.PROJECT_ROOT / "pyproject.toml").open("rb") as handle:
        spec = tomllib.load(handle)["project"]["requires-python"]
    return str(spec).removeprefix("==").removesuffix(".*")


def python_version() -> str:
    """The interpreter's version, e.g. ``3.11.2``."""
    return platform.python_version()


#: Packages whose versions the colophon lists (all pinned in uv.lock).
KEY_PACKAGES: tuple[str, ...] = (
    "jupyter-book",
    "sphinx",
    "myst-nb",
    "myst-parser",
    "jupytext",
    "sphinxcontrib-bibtex",
    "jieba",
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "pandera",
    "altair",
    "vl-convert-python",
    "semopy",
    "pyfixest",
    "moderndid",
    "krippendorff",
)


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(
            ["git", *args], cwd=paths.PROJECT_ROOT, capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip()


def git_state() -> dict[str, str]:
    """Commit hash, commit date and whether the work tree had uncommitted changes."""
    commit = _git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": "（不在 git 仓库中构建）", "date": "未知", "dirty": "未知"}
    status = _git("status", "--porcelain", "--untracked-files=no") or ""
    return {
        "commit": commit,
        "date": _git("log", "-1", "--format=%cI") or "未知",
        "dirty": "有未提交的改动" if status else "无未提交的改动",
    }


def package_versions(packages: tuple[str, ...] = KEY_PACKAGES) -> pd.DataFrame:
    """Installed version of each key package (all pinned by the lock) and of this package.

    The Python patch version depends on the machine and is reported separately
    (:func:`python_version`), so this table is identical wherever the lock is installed.
    """
    rows = [("analysis（本书代码）", __version__)]
    rows += [(name, metadata.version(name)) for name in packages]
    return pd.DataFrame(rows, columns=["软件包", "版本"])
