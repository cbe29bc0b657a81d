"""Glue discipline: only plain Python scalars and strings reach ``{glue:text}``.

Under NumPy 2 a glued ``np.float64`` has the text/plain ``np.float64(0.1)``, on which a format
spec such as ``:.2f`` fails and the inline value renders empty (MyST-NB #610). :func:`glue`
converts NumPy scalars to their Python equivalents and refuses everything else, so a chapter
cannot glue a value that renders wrongly. Tables and charts have their own explicit helpers.
"""

from __future__ import annotations

import math
import numbers
import re
from typing import Any

import numpy as np

__all__ = ["GlueError", "as_glue_value", "glue", "glue_chart", "glue_table"]

_KEY = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)+$")


class GlueError(TypeError):
    """A value or key that must not be glued."""


def _check_key(key: str) -> None:
    if not isinstance(key, str) or not _KEY.match(key):
        raise GlueError(f"glue key {key!r} is not snake_case with a chapter prefix (e.g. 'intro_n_events')")


def as_glue_value(key: str, value: Any) -> int | float | str:
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
        The value as a built-in type. Booleans are refused (they would print ``True``).
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
        return out
    if isinstance(value, numbers.Number):
        raise GlueError(f"glue {key!r}: refusing a {type(value).__name__}; convert it first")
    raise GlueError(
        f"glue {key!r}: refusing a {type(value).__module__}.{type(value).__name__}; "
        "glue() takes a Python/NumPy scalar or a str; use glue_table() or glue_chart()"
    )


def glue(key: str, value: Any) -> int | float | str:
    """Glue one scalar or string for ``{glue:text}`` and return the value that was glued."""
    from myst_nb import glue as _myst_glue

    plain = as_glue_value(key, value)
    _myst_glue(key, plain, display=False)
    return plain


def glue_table(key: str, table: Any) -> None:
    """Glue a :class:`analysis.tables.BookTable` for a ``{glue:md}`` directive (``:format: myst``)."""
    from myst_nb import glue as _myst_glue

    from analysis.tables import BookTable

    _check_key(key)
    if not isinstance(table, BookTable):
        raise GlueError(f"glue_table {key!r}: expected a BookTable, got {type(table).__name__}")
    _myst_glue(key, table, display=False)


def glue_chart(key: str, chart: Any) -> None:
    """Glue an :class:`analysis.charts.OfflineChart` for a ``{glue:figure}`` directive."""
    from myst_nb import glue as _myst_glue

    from analysis.charts import OfflineChart

    _check_key(key)
    if not isinstance(chart, OfflineChart):
        raise GlueError(f"glue_chart {key!r}: expected an OfflineChart, got {type(chart).__name__}")
    _myst_glue(key, chart, display=False)
