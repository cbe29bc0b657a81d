"""The PDF's tables (``doctree-resolved``, LaTeX only).

Every table becomes a longtable (it may break across pages) with columns sized by content
(:mod:`bookkit.latex`).
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from bookkit.latex import allow_breaks_in_paths, column_weights, natural_widths

__all__ = ["latex_tables"]


def latex_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Every table as a longtable (it may break across pages) with columns sized by content."""
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        allow_breaks_in_paths(table)
        for tgroup in table.findall(nodes.tgroup):
            widest, longest = natural_widths(tgroup)
            colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
            for colspec, weight in zip(
                colspecs, column_weights([max(w, 4) for w in widest], longest), strict=True
            ):
                colspec["colwidth"] = weight
        for cls in ("longtable", "colwidths-given"):
            if cls not in table["classes"]:
                table["classes"].append(cls)
