"""What an executed page used, and what has changed since: the rules of re-execution.

A page's record (:class:`Inputs`, kept with its cached execution in jupyter-cache) holds the
SHA-256 of

* every project module its kernel had imported when it finished (``sys.modules``: the files under
  the book's folder or the project's code folder, outside hidden folders and ``site-packages``);
* every file it read through :mod:`analysis.data.io` (data files, the manifest, the source studies),
  as the kernel hashed the bytes it read;
* the context every page shares: ``uv.lock``, ``_config.yml``, the Python version, and where the
  source studies are and whether they are there;
* for a page that glues a value describing the checkout (:data:`bookkit.registry.VOLATILE_KEYS`:
  the commit, its date, uncommitted changes), the state of the git work tree.

Its code cells are the key of its jupyter-cache record, so a change there is a cache miss. A page
is executed again when, and only when, its code cells changed or :func:`changes` finds a recorded
input that differs.

The manifest (``data/MANIFEST.yaml``) is read by most pages, and a data edit changes it too (the
file's sha256). For one page its digest leaves out the sha256 of the data files and source studies
that the page did not read: a page depends on the checksum of a file only where it read the file (it
checks it there, as the data appendix checks all of them); every other field counts for every page.
"""

from __future__ import annotations

import hashlib
import json
import platform
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from analysis.data import io, paths

__all__ = ["RECORD_VERSION", "Inputs", "Snapshot", "changes", "describe"]

#: Bumped when the record's meaning changes: every older record is then stale.
RECORD_VERSION = 1


@dataclass(frozen=True)
class Inputs:
    """What one execution of a page used (absolute paths -> SHA-256, and shared context)."""

    context: dict[str, str]
    modules: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    version: int = RECORD_VERSION

    def to_json(self) -> dict[str, Any]:
        """The record as stored in the cache (JSON)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> Inputs | None:
        """A stored record, or ``None`` when there is none (or one of another version)."""
        if not isinstance(data, dict) or data.get("version") != RECORD_VERSION:
            return None
        return cls(
            context=dict(data["context"]),
            modules=dict(data["modules"]),
            files=dict(data["files"]),
            state=dict(data["state"]),
        )


def _sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _git_state() -> str:
    # the colophon's own account of the checkout (commit, date, uncommitted changes)
    from analysis.report.colophon import git_state

    return json.dumps(git_state(), sort_keys=True, ensure_ascii=False)


class Snapshot:
    """The current state of the inputs, each file hashed at most once per build.

    ``roots`` are the folders whose Python files count as the project's modules; ``config`` is the
    book's ``_config.yml``.
    """

    def __init__(self, roots: Iterable[Path], config: Path) -> None:
        self.roots = [r.resolve() for r in roots]
        self.config = config
        self._hashes: dict[str, str | None] = {}
        self._state: dict[str, str] = {}
        self.context = self._context()

    def _context(self) -> dict[str, str]:
        return {
            "uv.lock": self.sha256(str(paths.PROJECT_ROOT / "uv.lock")) or "absent",
            "_config.yml": self.sha256(str(self.config)) or "absent",
            "python": platform.python_version(),
            "source studies": io.sources_state(),
        }

    def sha256(self, path: str) -> str | None:
        """SHA-256 of a file now (``None`` if it cannot be read); memoised."""
        if path not in self._hashes:
            self._hashes[path] = _sha256(Path(path))
        return self._hashes[path]

    def is_module(self, path: str) -> bool:
        """Whether ``path`` is one of the project's modules (not the environment's)."""
        resolved = Path(path).resolve()
        for root in self.roots:
            if resolved.is_relative_to(root):
                parts = resolved.relative_to(root).parts
                return not any(p.startswith(".") or p in {"site-packages", "_build"} for p in parts)
        return False

    def file_digest(self, path: str, read: Iterable[str]) -> str | None:
        """Digest of a file a page read; for the manifest, without the checksums it did not read."""
        digest = self.sha256(path)
        if digest is None:
            return digest
        return io.manifest_digest(path, set(read)) or digest

    def state(self, name: str) -> str:
        """The current value of a non-file input (``git``)."""
        if name not in self._state:
            self._state[name] = _git_state() if name == "git" else ""
        return self._state[name]

    def record(
        self, modules: Iterable[str], files: dict[str, str], state_names: Iterable[str] = ()
    ) -> Inputs:
        """The record of an execution that imported ``modules`` and read ``files`` (path -> SHA-256).

        A file whose content now differs from what the kernel read keeps the kernel's hash, so the
        next build executes the page again.
        """
        recorded_modules = {}
        for module in sorted(set(modules)):
            if self.is_module(module):
                resolved = str(Path(module).resolve())
                recorded_modules[resolved] = self.sha256(resolved) or "absent"
        recorded_files = {}
        for path, read_hash in sorted(files.items()):
            unchanged = self.sha256(path) == read_hash
            recorded_files[path] = (self.file_digest(path, files) or "absent") if unchanged else read_hash
        return Inputs(
            context=dict(self.context),
            modules=recorded_modules,
            files=recorded_files,
            state={name: self.state(name) for name in sorted(state_names)},
        )


def describe(path: str, base: Path) -> str:
    """A path as a reader knows it: relative to ``base`` where it lies inside, else absolute."""
    resolved = Path(path)
    return resolved.relative_to(base).as_posix() if resolved.is_relative_to(base) else path


def changes(record: Inputs, now: Snapshot, base: Path) -> list[str]:
    """Why a page's recorded execution is stale (empty when every recorded input is unchanged)."""
    found = []
    for key in sorted(record.context.keys() | now.context.keys()):
        if record.context.get(key) != now.context.get(key):
            found.append(f"{key} changed")
    for module, digest in record.modules.items():
        if (now.sha256(module) or "absent") != digest:
            found.append(f"{describe(module, base)} changed")
    for path, digest in record.files.items():
        if (now.file_digest(path, record.files) or "absent") != digest:
            found.append(f"{describe(path, base)} changed")
    for name, value in record.state.items():
        if now.state(name) != value:
            found.append(f"the {name} state changed")
    return found
