"""Columns and rules shared by every table that quotes the source studies (seed lines).

A quoting table has ``seed_id``, ``line_from``, ``line_to`` and ``evidence_zh``: the quotation
must be checkable by a reader in the lines it cites. Two bounds make that so, both judgements:

- :data:`MAX_LINE_SPAN`: a range of at most 150 lines. In the four articles (seeds 000-002 and
  004) a line is a paragraph and no quotation in use spans more than 53 lines; in the OCR of the
  dissertation (seed 003) one paragraph or table cell is scattered over many short lines, and the
  longest range in use is 147 lines. Beyond 150 lines a citation no longer points to one place.
- a minimum length per table (:func:`quoted_lines`), and every fragment at least
  :data:`analysis.data.text.MIN_FRAGMENT` characters: shorter strings prove nothing.

That the cited range lies inside the study (its line count in the manifest) is checked by
:mod:`analysis.data.io` for every table; that the quotation is in those lines, by
:mod:`analysis.data.provenance` when the source studies are available.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pandera.pandas as pa

from analysis.data.schemas.rules import TableRule, quotation, row_rule

__all__ = ["MAX_LINE_SPAN", "SEED_IDS", "line_span", "quoted_lines"]

SEED_IDS: tuple[str, ...] = ("000", "001", "002", "003", "004")

#: The longest line range a quotation may cite (see the module docstring).
MAX_LINE_SPAN = 150


def quoted_lines(seed_ids: Sequence[str], min_chars: int, reason: str) -> dict[str, pa.Column]:
    """The four quotation columns: seed, first and last line, and the verbatim text."""
    return {
        "seed_id": pa.Column(str, pa.Check.isin(list(seed_ids))),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": quotation(min_chars, reason),
    }


def _span_ok(df: pd.DataFrame) -> pd.Series:
    span = df["line_to"] - df["line_from"]
    return (span >= 0) & (span <= MAX_LINE_SPAN)


def line_span() -> TableRule:
    """``line_from <= line_to <= line_from + MAX_LINE_SPAN``."""
    return row_rule(
        ("line_from", "line_to"),
        _span_ok,
        f"line_to - line_from must lie in [0, {MAX_LINE_SPAN}]",
        "a quotation must be checkable in one place of its study (analysis.data.schemas.seeds)",
        judgement=True,
    )
