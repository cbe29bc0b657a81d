"""The glue registry: every glued value of a build, as ``(page, key, value)`` rows.

After each HTML build, :mod:`bookkit.sphinx` reads the ``<page>.glue.json`` files that
MyST-NB writes to ``_build/jupyter_execute/`` and writes ``_build/glue.json``: sorted, canonical JSON.
Scalars keep their value; tables and charts are recorded by the SHA-256 of their content. Tests
compare the registry with a committed golden file and between two clean executions. A page's
provenance record (:data:`bookkit.glue.PROVENANCE_KEY`) is not a result and is left out.
"""

from __future__ import annotations

import ast
import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from analysis.data import paths
from bookkit.glue import PROVENANCE_KEY

__all__ = [
    "VOLATILE_KEYS",
    "GlueEntry",
    "compare_registries",
    "extract_glue",
    "notebook_glue",
    "read_registry",
    "registry_from_dir",
    "write_registry",
]

GlueEntry = dict[str, Any]

#: Keys whose value legitimately changes with every commit or machine (the Python patch
#: version differs between Debian's 3.11.2 and other builds); the golden comparison skips them.
VOLATILE_KEYS: frozenset[str] = frozenset(
    {"col_git_commit", "col_git_dirty", "col_commit_date", "col_python", "cite_commit", "cite_date"}
)


def _value(data: Mapping[str, Any]) -> Any:
    if "text/markdown" in data:
        digest = hashlib.sha256(str(data["text/markdown"]).encode()).hexdigest()
        return f"table:sha256:{digest}"
    if "text/html" in data:
        digest = hashlib.sha256(str(data["text/html"]).encode()).hexdigest()
        return f"chart:sha256:{digest}"
    text = str(data.get("text/plain", ""))
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return f"repr:{text}"


def extract_glue(glue_file: Path, page: str) -> list[GlueEntry]:
    """Glued values recorded by MyST-NB for one page (its ``<page>.glue.json``)."""
    outputs: dict[str, Any] = json.loads(glue_file.read_text(encoding="utf-8"))
    return [
        {"page": page, "key": key, "value": _value(output.get("data", {}))}
        for key, output in outputs.items()
        if key != PROVENANCE_KEY
    ]


def registry_from_dir(execute_dir: Path) -> list[GlueEntry]:
    """All glue entries under a ``jupyter_execute`` folder, sorted by page and key."""
    rows: list[GlueEntry] = []
    for glue_file in sorted(execute_dir.rglob("*.glue.json")):
        page = glue_file.relative_to(execute_dir).as_posix().removesuffix(".glue.json")
        rows.extend(extract_glue(glue_file, page))
    return sorted(rows, key=lambda r: (r["page"], r["key"]))


def write_registry(rows: Iterable[GlueEntry], path: Path) -> None:
    """Write the registry as canonical JSON (sorted keys, UTF-8, trailing newline)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(list(rows), ensure_ascii=False, indent=1, sort_keys=True)
    path.write_text(text + "\n", encoding="utf-8")


def read_registry(path: Path) -> list[GlueEntry]:
    """Read a registry written by :func:`write_registry`."""
    rows: list[GlueEntry] = json.loads(path.read_text(encoding="utf-8"))
    return rows


def _same(a: Any, b: Any, rel_tol: float, abs_tol: float) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return bool(a == b)
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=rel_tol, abs_tol=abs_tol)
    return bool(a == b)


def compare_registries(
    actual: list[GlueEntry],
    expected: list[GlueEntry],
    *,
    rel_tol: float = 1e-6,
    abs_tol: float = 1e-9,
    skip: frozenset[str] = frozenset(),
) -> list[str]:
    """Differences between two registries, one readable line each (empty when they agree).

    Numbers agree within ``rel_tol`` (relative) or ``abs_tol`` (absolute); strings, table and
    chart digests must be identical. Keys in ``skip`` are ignored.
    """

    def index(rows: list[GlueEntry]) -> dict[tuple[str, str], Any]:
        return {(r["page"], r["key"]): r["value"] for r in rows if r["key"] not in skip}

    got, want = index(actual), index(expected)
    problems = [f"missing: {p}::{k}" for p, k in sorted(want.keys() - got.keys())]
    problems += [f"unexpected: {p}::{k} = {got[(p, k)]!r}" for p, k in sorted(got.keys() - want.keys())]
    for ident in sorted(got.keys() & want.keys()):
        if not _same(got[ident], want[ident], rel_tol, abs_tol):
            problems.append(f"changed: {ident[0]}::{ident[1]}: {want[ident]!r} -> {got[ident]!r}")
    return problems


#: The committed golden registry and the tolerance the comparison uses.
GOLDEN = paths.GOLDEN_GLUE
GOLDEN_REL_TOL = 1e-6


def notebook_glue(notebook: Any, page: str) -> list[GlueEntry]:
    """The glue entries of an executed notebook (outside Sphinx), sorted by key.

    Used to check that a second, independent execution glues exactly the same values.
    """
    rows = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get("scrapbook")
            if meta and meta["name"] != PROVENANCE_KEY:
                prefix = meta.get("mime_prefix", "")
                data = {k.removeprefix(prefix): v for k, v in output.get("data", {}).items()}
                rows.append({"page": page, "key": meta["name"], "value": _value(data)})
    return sorted(rows, key=lambda r: (r["page"], r["key"]))


if __name__ == "__main__":
    import sys

    if "--write-golden" in sys.argv:
        rows = [r for r in read_registry(paths.GLUE_REGISTRY) if r["key"] not in VOLATILE_KEYS]
        write_registry(rows, GOLDEN)
        print(f"wrote {GOLDEN} ({len(rows)} entries); review the diff before committing")
