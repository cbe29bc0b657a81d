"""``environment.yml`` for conda users, generated from ``uv.lock`` so the two never disagree.

``python -m tools.envfile`` rewrites the file; ``tests/test_environment.py`` fails when the
committed file differs from what the lock implies.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

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


def locked_packages(lock: Path | None = None, *, groups: tuple[str, ...] = ("dev",)) -> dict[str, str]:
    """Name -> version of every package the project installs from the lock (Linux, Python 3.11)."""
    data = tomllib.loads((lock or paths.PROJECT_ROOT / "uv.lock").read_text(encoding="utf-8"))
    packages = {p["name"]: p for p in data["package"]}
    root = next(p for p in data["package"] if p.get("source", {}).get("editable") == ".")
    wanted: dict[str, str] = {}
    stack = [d["name"] for d in root.get("dependencies", [])]
    for group in groups:
        stack += [d["name"] for d in root.get("dev-dependencies", {}).get(group, [])]
    while stack:
        name = stack.pop()
        if name in wanted:
            continue
        package = packages[name]
        deps = package.get("dependencies", [])
        wanted[name] = str(package["version"])
        stack += [d["name"] for d in deps if _applies(str(d.get("marker", "")))]
    return dict(sorted(wanted.items()))


def _applies(marker: str) -> bool:
    """Whether an environment marker holds on Linux x86_64 with CPython 3.11."""
    if not marker:
        return True
    from packaging.markers import Marker

    env = {
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "python_version": "3.11",
        "python_full_version": "3.11.2",
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
