"""The page ``book/how_to_cite.md``: 如何引用本书."""

from __future__ import annotations

from analysis import __version__
from analysis.data import io
from analysis.report import colophon
from analysis.report.page import PageOutput


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    state = colophon.git_state()
    out.value("cite_version", __version__)
    out.value("cite_n_studies", len(io.load_table("source_studies")))
    out.value("cite_commit", state["commit"][:12] if len(state["commit"]) == 40 else state["commit"])
    out.value("cite_date", state["date"][:10])
    return out
