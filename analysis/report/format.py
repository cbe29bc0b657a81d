"""How numbers, p-values, intervals, counts and sources are written in the book: one place for each.

Every display module and chapter module formats through these functions, so that the same
quantity is written the same way on every page.

The five source studies are named as a Chinese reader names a reference: by author and year
(王子琦、林晨（2022）), from ``data/raw/source_studies.csv``. The file ``004`` holds two spliced
texts without authors: its abstract (lines :data:`~analysis.coding.segments.ABSTRACT_004`) is the
C市 paper, its body the S市A区 paper; each is named by its case. Random seeds are 随机数初值
in the prose, never 种子 (the project's check reads 种子 as a source file).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from urllib.parse import urlencode

import pandas as pd

from analysis.coding.segments import ABSTRACT_004
from analysis.data import io

__all__ = [
    "NO_YEAR",
    "SPLICED_004",
    "fixed",
    "interval",
    "line_ref",
    "line_span",
    "line_spec",
    "lines_list",
    "p_value",
    "seed_ref",
    "segment_link",
    "source_name",
    "study_name",
]

#: The two texts spliced in file 004, which prints no author for either: (full name, short name).
#: The full names are the ``shorthand`` of their entries in ``book/references.bib``, so a
#: citation and a table name them alike.
SPLICED_004: dict[str, tuple[str, str]] = {
    "004A": ("C市智慧应急论文摘要", "C市摘要"),
    "004B": ("S市A区场景论文", "S市A区论文"),
}
#: Written where a study prints no year, as the book's citations write it.
NO_YEAR = "年份不详"


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


@functools.cache
def _authors_and_years() -> dict[str, tuple[str, str]]:
    studies = io.load_table("source_studies")
    return {str(r["seed_id"]): (str(r["authors_zh"]), str(r["year"])) for r in studies.to_dict("records")}


def study_name(study: str, short: bool = False) -> str:
    """A source study as a reader names it: ``王子琦、林晨（2022）``, or ``王子琦、林晨 2022`` if short.

    ``study`` is a file id (``000`` … ``003``) or one of the two texts of file 004 (``004A``,
    ``004B``). A study whose year is not printed is named by its author alone, with
    :data:`NO_YEAR` in the full form.
    """
    if study in SPLICED_004:
        full, brief = SPLICED_004[study]
        return brief if short else full
    try:
        authors, year = _authors_and_years()[study]
    except KeyError:
        raise KeyError(f"source_studies has no study {study!r}") from None
    if short:
        return f"{authors} {year}" if year else authors
    return f"{authors}（{year or NO_YEAR}）"


def source_name(seed_id: str, line: int | None = None, short: bool = False) -> str:
    """The study a line of source file ``seed_id`` belongs to (file 004: abstract or body)."""
    if seed_id == "004":
        if line is None:
            raise ValueError("file 004 holds two texts: give the line to name the one cited")
        return study_name("004A" if line <= ABSTRACT_004[1] else "004B", short)
    return study_name(seed_id, short)


def seed_ref(seed_id: str, line_from: int, line_to: int, short: bool = False) -> str:
    """A source study and the lines cited: ``王子琦、林晨（2022），第 12–15 行``.

    The short form, for a table column, is ``王子琦、林晨 2022，12–15 行``.
    """
    name = source_name(seed_id, line_from, short)
    if short:
        lines = str(line_from) if line_from == line_to else f"{line_from}–{line_to}"
        return f"{name}，{lines} 行"
    return f"{name}，{line_ref(line_from, line_to)}"


def line_spec(spec: str, bare: bool = False) -> str:
    """A ``;``-separated line specification (``53;63-69``) as ``第 53、63–69 行`` (``53、63–69`` if bare)."""
    parts = [p.strip().replace("-", "–") for p in str(spec).split(";") if p.strip()]
    if not parts:
        raise ValueError("an empty line specification")
    lines = "、".join(parts)
    return lines if bare else f"第 {lines} 行"


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
