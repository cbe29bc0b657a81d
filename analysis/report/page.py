"""What a page shows: one :class:`PageOutput` of glue values, tables and charts.

Every module in :mod:`analysis.chapters` returns one ``PageOutput``; the page pastes it with
:func:`bookkit.glue.glue_page`. The output checks what it is given as it is given it, so a page
cannot glue a value that renders wrongly: under NumPy 2 a glued ``np.float64`` prints as
``np.float64(0.1)``, on which a format spec fails and the inline value renders empty (MyST-NB
#610). Values are therefore plain ``int``, ``float`` or ``str``; booleans, empty strings,
non-finite numbers and anything else are refused. Floats are rounded to
:data:`GLUE_DIGITS` significant digits, so that refits which differ only in the last bits (a
multi-threaded solver, another BLAS) glue the same value.

Each key also records its :class:`Origin`, the function that added it (its module, qualified
name and line), which the book's provenance panels show beside the value.
"""

from __future__ import annotations

import math
import numbers
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from analysis.report.chart import OfflineChart
from analysis.report.table import BookTable

__all__ = ["GLUE_DIGITS", "GlueError", "GlueValue", "Origin", "PageOutput", "as_glue_value"]

GlueValue = int | float | str

#: Significant digits kept of every glued float.
GLUE_DIGITS = 12

_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


class GlueError(TypeError):
    """A value or key that must not be glued."""


def _check_key(key: str) -> None:
    if not isinstance(key, str) or not _KEY.match(key):
        raise GlueError(f"glue key {key!r} is not snake_case with a chapter prefix (e.g. 'intro_n_events')")


def as_glue_value(key: str, value: Any) -> GlueValue:
    """Return ``value`` as a plain ``int``, ``float`` or ``str``, or raise :class:`GlueError`.

    Parameters
    ----------
    key : str
        The glue key (used in the error message).
    value : Any
        A Python or NumPy scalar, or a string.

    Returns
    -------
    int | float | str
        The value as a built-in type, floats rounded to :data:`GLUE_DIGITS` significant digits.
        Booleans are refused (they would print ``True``).
    """
    _check_key(key)
    if isinstance(value, (bool, np.bool_)):
        raise GlueError(f"glue {key!r}: refusing a boolean; glue a word or a number instead")
    if isinstance(value, str):
        if not value.strip():
            raise GlueError(f"glue {key!r}: refusing an empty string")
        return str(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        out = float(value)
        if not math.isfinite(out):
            raise GlueError(f"glue {key!r}: refusing a non-finite number ({out})")
        return float(f"{out:.{GLUE_DIGITS}g}")
    if isinstance(value, numbers.Number):
        raise GlueError(f"glue {key!r}: refusing a {type(value).__name__}; convert it first")
    raise GlueError(
        f"glue {key!r}: refusing a {type(value).__module__}.{type(value).__name__}; "
        "a value is a Python/NumPy scalar or a str; use PageOutput.table() or PageOutput.chart()"
    )


@dataclass(frozen=True)
class Origin:
    """Where a glue key was added: the calling function's module, qualified name and line."""

    module: str
    function: str
    line: int


def _caller() -> Origin:
    """The first frame outside this module: the function that added a key."""
    frame = sys._getframe(1)
    while frame.f_back is not None and frame.f_code.co_filename == __file__:
        frame = frame.f_back
    return Origin(str(frame.f_globals.get("__name__", "")), frame.f_code.co_qualname, frame.f_lineno)


@dataclass
class PageOutput:
    """The glue values, tables and charts of one page (or of one section of a page).

    Keys carry the page's prefix (``did_``, ``cc_`` …); a key may be given once only.
    """

    values: dict[str, GlueValue] = field(default_factory=dict)
    tables: dict[str, BookTable] = field(default_factory=dict)
    charts: dict[str, OfflineChart] = field(default_factory=dict)
    #: key -> the function that added it (kept from the other output by :meth:`merge`)
    origins: dict[str, Origin] = field(default_factory=dict)

    def _new_key(self, key: str) -> None:
        _check_key(key)
        if key in self.values or key in self.tables or key in self.charts:
            raise GlueError(f"glue key {key!r} is given twice")
        self.origins[key] = _caller()

    def value(self, key: str, value: Any) -> GlueValue:
        """Add one scalar or string for ``{glue:text}``; returns the value as it will be glued."""
        self._new_key(key)
        plain = as_glue_value(key, value)
        self.values[key] = plain
        return plain

    def update(self, values: Mapping[str, Any], prefix: str = "") -> None:
        """Add several values, each key with ``prefix`` before it."""
        for key, value in values.items():
            self.value(prefix + key, value)

    def table(self, key: str, table: BookTable) -> None:
        """Add a table for a ``{glue:md}`` directive (``:format: myst``)."""
        self._new_key(key)
        if not isinstance(table, BookTable):
            raise GlueError(f"table {key!r}: expected a BookTable, got {type(table).__name__}")
        self.tables[key] = table

    def chart(self, key: str, chart: OfflineChart) -> None:
        """Add a chart for a ``{glue:figure}`` directive."""
        self._new_key(key)
        if not isinstance(chart, OfflineChart):
            raise GlueError(f"chart {key!r}: expected an OfflineChart, got {type(chart).__name__}")
        self.charts[key] = chart

    def merge(self, *others: PageOutput) -> PageOutput:
        """Add everything of ``others`` (keys must not repeat); returns ``self``."""
        for other in others:
            for key, value in other.values.items():
                self.value(key, value)
            for key, table in other.tables.items():
                self.table(key, table)
            for key, chart in other.charts.items():
                self.chart(key, chart)
            self.origins.update(other.origins)
        return self

    def keys(self) -> list[str]:
        """Every key, sorted."""
        return sorted([*self.values, *self.tables, *self.charts])
