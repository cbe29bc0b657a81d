"""The coding's REFI-QDA exports (``builder-inited``).

Writes them to ``_build/exports`` with :func:`analysis.coding.refiqda.write_exports`: the codebook
as ``codebook.qdc`` and a Taguette CSV (both linked from the codebook appendix), and, when the seeds
are available, the whole project as ``project.qdpx``. The project embeds the full seed texts,
whose copyright stays with their authors, so it is built locally and never published with the site.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from analysis.coding import refiqda
from bookkit.sphinx.build import build_root

__all__ = ["write_exports"]


def write_exports(app: Sphinx) -> None:
    """Write the REFI-QDA exports into ``_build/exports``."""
    refiqda.write_exports(build_root(app) / "exports")
