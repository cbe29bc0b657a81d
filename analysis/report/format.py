"""How numbers, p-values, intervals and source lines are written in the book: one place for each.

Every display module and chapter module formats through these functions, so that the same
quantity is written the same way on every page.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd

__all__ = ["fixed", "interval", "line_ref", "line_span", "lines_list", "p_value", "seed_ref", "segment_link"]


def fixed(x: float | None, digits: int = 3, missing: str = "") -> str:
    """``x`` with ``digits`` decimals; ``missing`` for ``None`` or NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return missing
    return f"{x:.{digits}f}"


def p_value(p: float) -> str:
    """A p value with three decimals, or ``<0.001``."""
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def interval(low: float, high: float, digits: int = 3) -> str:
    """A confidence interval, ``[low, high]``."""
    return f"[{fixed(low, digits)}, {fixed(high, digits)}]"


def line_ref(line_from: int, line_to: int) -> str:
    """``第 a–b 行``, or ``第 a 行`` for a single line."""
    return f"第 {line_from} 行" if line_from == line_to else f"第 {line_from}–{line_to} 行"


def line_span(segments: pd.DataFrame) -> str:
    """The lines a set of segments spans, from its first ``line_from`` to its last ``line_to``."""
    return line_ref(int(segments["line_from"].min()), int(segments["line_to"].max()))


def seed_ref(seed_id: str, line_from: int, line_to: int) -> str:
    """``种子 000，第 a–b 行``: a source study and the lines cited."""
    return f"种子 {seed_id}，{line_ref(line_from, line_to)}"


def lines_list(lines: Sequence[int]) -> str:
    """Single lines joined with the Chinese enumeration comma, ``第 12 行、第 40 行``."""
    return "、".join(f"第 {n} 行" for n in lines)


def segment_link(segment_id: str = "", **filters: str) -> str:
    """Where the segment browser shows a segment, or the segments that match ``filters``.

    ``segments.html#seg-lx-001`` for one segment; ``segments.html?case=杭州&code=CAP.AGL`` for a
    filtered view (a case by its name, a code by its id; the keys are the browser's filters:
    ``case``, ``type``, ``code``, ``actor``, ``q``). Relative to a chapter page, e.g. a chart's
    ``href`` channel (a heat-map cell leading to its quotations).
    """
    if segment_id:
        return "segments.html#seg-" + segment_id.removeprefix("SEG-").lower()
    return "segments.html" + ("?" + urlencode(filters) if filters else "")
