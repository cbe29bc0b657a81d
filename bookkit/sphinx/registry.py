"""The glue registry (``build-finished``, HTML only).

After a successful HTML build, writes ``_build/glue.json`` from the glue records in
``_build/jupyter_execute`` with :mod:`bookkit.registry`.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from bookkit.registry import registry_from_dir, write_registry
from bookkit.sphinx.build import build_root

__all__ = ["write_glue_registry"]


def write_glue_registry(app: Sphinx, exception: BaseException | None) -> None:
    """Write ``_build/glue.json`` (empty when nothing was executed)."""
    if exception is not None or app.builder.format != "html":
        return
    root = build_root(app)
    execute_dir = root / "jupyter_execute"
    rows = registry_from_dir(execute_dir) if execute_dir.is_dir() else []
    write_registry(rows, root / "glue.json")
