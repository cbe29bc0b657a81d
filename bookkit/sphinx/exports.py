"""The coding's exports (``builder-inited``).

Writes them to ``_build/exports`` with :func:`analysis.coding.refiqda.write_exports`: the codebook
as ``codebook.qdc`` and a Taguette CSV (both linked from the codebook appendix), and, when the seeds
are available, the whole project as ``project.qdpx``. The project embeds the full seed texts,
whose copyright stays with their authors, so it is built locally and never published with the site.

With them go the consensus coding and its codebook as CSV files
(:func:`analysis.report.segment_browser.write_downloads`), offered by the segment browser.
"""

from __future__ import annotations

from sphinx.application import Sphinx

from analysis.coding import consensus, refiqda
from analysis.coding.segments import load_codebook_data
from analysis.report import segment_browser
from bookkit.sphinx.build import build_root

__all__ = ["write_exports"]


def write_exports(app: Sphinx) -> None:
    """Write the REFI-QDA exports and the coding's CSV files into ``_build/exports``."""
    folder = build_root(app) / "exports"
    refiqda.write_exports(folder)
    codebook = load_codebook_data()
    segment_browser.write_downloads(folder, consensus.final_segments(codebook), codebook)
