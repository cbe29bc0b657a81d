"""Paste a page's results into the book: :func:`glue_page` glues one :class:`PageOutput`.

A page's code is one import of its :mod:`analysis.chapters` module and one call::

    glue_page(frameworks.build())

The values are checked when they enter the :class:`~analysis.report.page.PageOutput`; here they are
handed to MyST-NB (``display=False``), to be pasted with ``{glue:text}``, ``{glue:md}`` (tables,
``:format: myst``) and ``{glue:figure}`` (charts).

With them goes one more entry, :data:`PROVENANCE_KEY`: the page's provenance record
(:func:`provenance`), from which :mod:`bookkit.sphinx.provenance` builds the panel that opens on
every number, table and figure. It is not a result: the glue registry leaves it out.
"""

from __future__ import annotations

import json
from typing import Any

from analysis.data import io
from analysis.report.page import PageOutput

__all__ = ["PROVENANCE_KEY", "glue_page", "provenance"]

#: The glue key of a page's provenance record (a leading underscore: never a result's key).
PROVENANCE_KEY = "_provenance"


def provenance(output: PageOutput) -> dict[str, Any]:
    """The page's provenance record: the files read so far (with sha256) and each key's origin.

    A page executes in a kernel of its own, so the files :func:`analysis.data.io.files_read`
    lists when the page glues are the files its results were computed from.
    """
    kinds = {**dict.fromkeys(output.values, "value"), **dict.fromkeys(output.tables, "table")}
    kinds.update(dict.fromkeys(output.charts, "chart"))
    keys = {}
    for key in sorted(kinds):
        origin = output.origins.get(key)
        keys[key] = {"kind": kinds[key]} | (
            {"module": origin.module, "function": origin.function, "line": origin.line} if origin else {}
        )
    return {"files": io.files_read(), "keys": keys}


class _Record:
    """A provenance record as JSON text (MyST-NB stores it in the page's glue file).

    Text, not a JSON output: a glued output's mime type carries MyST-NB's prefix, and nbformat
    accepts structured data only under a JSON mime type.
    """

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/plain": json.dumps(self.data, ensure_ascii=False, sort_keys=True)}


def glue_page(output: PageOutput) -> None:
    """Glue every value, table and chart of ``output``, in key order, then its provenance record."""
    from myst_nb import glue as _myst_glue

    if not isinstance(output, PageOutput):
        raise TypeError(f"glue_page takes a PageOutput, got {type(output).__name__}")
    for key in sorted(output.values):
        _myst_glue(key, output.values[key], display=False)
    for key in sorted(output.tables):
        _myst_glue(key, output.tables[key], display=False)
    for key in sorted(output.charts):
        _myst_glue(key, output.charts[key], display=False)
    _myst_glue(PROVENANCE_KEY, _Record(provenance(output)), display=False)
