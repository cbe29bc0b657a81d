"""Paste a page's results into the book: :func:`glue_page` glues one :class:`PageOutput`.

A page's code is one import of its :mod:`analysis.chapters` module and one call::

    glue_page(frameworks.build())

The values are checked when they enter the :class:`~analysis.report.page.PageOutput`; here they are
handed to MyST-NB (``display=False``), to be pasted with ``{glue:text}``, ``{glue:md}`` (tables,
``:format: myst``) and ``{glue:figure}`` (charts).
"""

from __future__ import annotations

from analysis.report.page import PageOutput

__all__ = ["glue_page"]


def glue_page(output: PageOutput) -> None:
    """Glue every value, table and chart of ``output``, in key order."""
    from myst_nb import glue as _myst_glue

    if not isinstance(output, PageOutput):
        raise TypeError(f"glue_page takes a PageOutput, got {type(output).__name__}")
    for key in sorted(output.values):
        _myst_glue(key, output.values[key], display=False)
    for key in sorted(output.tables):
        _myst_glue(key, output.tables[key], display=False)
    for key in sorted(output.charts):
        _myst_glue(key, output.charts[key], display=False)
