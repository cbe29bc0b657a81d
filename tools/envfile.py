"""``environment.yml`` for conda users, generated from ``uv.lock`` so the two never disagree.

``python -m tools.envfile`` rewrites the file; ``tests/test_environment.py`` fails when the
committed file differs from what the lock implies.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path
from typing import Any

from analysis.data import paths

__all__ = ["locked_packages", "render_environment"]

_HEADER = """\
# Generated from uv.lock by `python -m tools.envfile`; do not edit by hand.
# The same pins as the lock (which also carries every file's hash). With conda:
#   conda env create -f environment.yml && conda activate zhengti-zhizhi-book
name: zhengti-zhizhi-book
channels:
  - conda-forge
dependencies:
  - python=3.11
  - pip
  - pip:
"""


def locked_packages(
    lock: Path | None = None, *, groups: tuple[str, ...] = ("dev",), python_full_version: str = "3.11.2"
) -> dict[str, str]:
    """Name -> version of every package the project installs from the lock (Linux, CPython 3.11).

    Where the lock holds two versions of a package for different Pythons (a dependency entry then
    names its version and marker), the one for ``python_full_version`` is taken: Debian 12's 3.11.2
    by default.
    """
    data = tomllib.loads((lock or paths.PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    versions: dict[str, dict[str, dict[str, Any]]] = {}
    for package in data["package"]:
        versions.setdefault(package["name"], {})[str(package["version"])] = package
    root = next(p for p in data["package"] if p.get("source", {}).get("editable") == ".")
    wanted: dict[str, str] = {}
    stack = list(root.get("dependencies", []))
    for group in groups:
        stack += root.get("dev-dependencies", {}).get(group, [])
    while stack:
        dep = stack.pop()
        name = dep["name"]
        if name in wanted or not _applies(str(dep.get("marker", "")), python_full_version):
            continue
        candidates = versions[name]
        package = candidates[str(dep["version"])] if "version" in dep else next(iter(candidates.values()))
        wanted[name] = str(package["version"])
        stack += package.get("dependencies", [])
    return dict(sorted(wanted.items()))


def _applies(marker: str, python_full_version: str = "3.11.2") -> bool:
    """Whether an environment marker holds on Linux x86_64 with that CPython 3.11."""
    if not marker:
        return True
    from packaging.markers import Marker

    env = {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "python_version": "3.11",
        "python_full_version": python_full_version,
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "extra": "",
    }
    return bool(Marker(marker).evaluate(env))


def render_environment(lock: Path | None = None) -> str:
    """The text of ``environment.yml`` for the given lock."""
    lines = [f"      - {name}=={version}" for name, version in locked_packages(lock).items()]
    # the book's own package, editable, so chapters can `import analysis`
    return _HEADER + "\n".join(lines) + "\n      - -e .\n"


if __name__ == "__main__":
    target = paths.PROJECT_ROOT / "environment.yml"
    target.write_text(render_environment(), encoding="utf-8")
    print(f"wrote {target.relative_to(paths.PROJECT_ROOT)}", file=sys.stderr)
