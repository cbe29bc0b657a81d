from __future__ import annotations

import platform
import tomllib
from importlib import metadata

from analysis.data import paths
from tools import envfile


def test_environment_yml_matches_the_lock() -> None:
    committed = (paths.PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8")
    assert committed == envfile.render_environment(), "run `python -m tools.envfile`"


def test_installed_versions_are_the_locked_ones() -> None:
    # the lock may pin another version for another 3.11 patch release (soupsieve: < or >= 3.11.5)
    locked = envfile.locked_packages(python_full_version=platform.python_version())
    for name, version in locked.items():
        assert metadata.version(name) == version, name


def test_jupyter_book_is_v1() -> None:
    assert envfile.locked_packages()["jupyter-book"].startswith("1.")
    project = tomllib.loads((paths.PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("jupyter-book") and "<2" in d for d in project["project"]["dependencies"])


def test_a_drifted_pin_is_caught(tmp_path) -> None:  # type: ignore[no-untyped-def]
    lock = (paths.PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8")
    drifted = tmp_path / "uv.lock"
    drifted.write_text(lock.replace('name = "altair"\nversion = "', 'name = "altair"\nversion = "0.', 1))
    assert envfile.render_environment(drifted) != envfile.render_environment()
