"""Further display tables for the case chapters of Part II (LX, 杭州/苏州, 跨省通办, S市A区).

These complement :mod:`analysis.report.casebook`: grouped framework tables (a cell counts segments that
bear any of several framework codes), quotation grids (framework codes x cases, each cell with
its quotations and their seed and line range), subsets of a study's framework table, the empty
cells of a rebuilt table, and a small chart comparing two cases' integrated-code profiles.

Counts are numbers of coded segments; a 0 means "not evidenced in the coded text", never
"absent from the case".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from analysis.coding import quotecheck
from analysis.coding.codebook import Codebook
from analysis.coding.matrices import segments_matching
from analysis.coding.segments import long_codes
from analysis.data.schemas.coding import CASES
from analysis.report.casebook import framework_table
from analysis.report.chart import OfflineChart
from analysis.report.format import line_ref, seed_ref

__all__ = [
    "case_code_profiles",
    "code_profile_chart",
    "empty_cells",
    "framework_rows",
    "framework_source_span",
    "grouped_count_table",
    "grouped_cross_table",
    "quote_grid",
    "segments_with_any",
    "splice_phrase",
    "splice_table",
]


def segments_with_any(
    segments: pd.DataFrame, codes: Sequence[str], column: str = "framework_codes"
) -> pd.DataFrame:
    """The segments whose ``column`` holds at least one of ``codes`` (exact code match).

    Codes are compared as whole ids, so ``001:LX.A.L1`` does not match ``001:LX.A.L``.
    """
    return segments_matching(segments, [codes], column) if codes else segments.iloc[:0]


def grouped_count_table(
    segments: pd.DataFrame, groups: Mapping[str, Mapping[str, Sequence[str]]], corner: str
) -> pd.DataFrame:
    """A rows x columns table whose cell counts the segments bearing any of the cell's framework codes.

    Parameters
    ----------
    segments : pd.DataFrame
        Coded segments (``framework_codes`` column, ``;``-joined).
    groups : Mapping[str, Mapping[str, Sequence[str]]]
        Row label -> (column label -> framework codes of that cell). Every row must name the same
        columns in the same order; a cell with an empty code list is shown as ``"—"`` (the study
        defines no concept there), unlike 0 (a concept with no evidence).
    corner : str
        The name of the first column (the row labels).

    Returns
    -------
    pd.DataFrame
        One row per row label: the label, then one column per column label.

    Raises
    ------
    ValueError
        If ``groups`` is empty or its rows do not share the same columns.
    """
    if not groups:
        raise ValueError("groups is empty")
    columns = list(next(iter(groups.values())))
    rows = []
    for label, cells in groups.items():
        if list(cells) != columns:
            raise ValueError(f"row {label!r} has columns {list(cells)}, expected {columns}")
        row: dict[str, object] = {corner: label}
        for column, codes in cells.items():
            row[column] = len(segments_with_any(segments, codes)) if codes else "—"
        rows.append(row)
    return pd.DataFrame(rows, columns=[corner, *columns])


def _quote_cell(hits: pd.DataFrame, max_chars: int) -> str:
    if hits.empty:
        return "—"
    parts = []
    for rec in hits.sort_values("segment_id").to_dict("records"):
        quote = str(rec["evidence_zh"])
        quote = quote if len(quote) <= max_chars else quote[: max_chars - 1] + "…"
        quote = quotecheck.marked(rec, quote)
        parts.append(f"“{quote}”〔{seed_ref(rec['seed_id'], rec['line_from'], rec['line_to'])}〕")
    return f"（{len(parts)} 段）" + "；".join(parts)


def quote_grid(
    segments: pd.DataFrame,
    codebook: Codebook,
    codes: Sequence[str],
    cases: Sequence[str],
    corner: str,
    max_chars: int = 48,
) -> pd.DataFrame:
    """Framework codes (rows) x cases (columns): each cell lists the quotations bearing that code.

    Each quotation is cut to ``max_chars`` characters and carries its seed and line range; the
    cell begins with the number of segments, or is ``"—"`` where the coded text has none.
    """
    if max_chars < 2:
        raise ValueError("max_chars must be at least 2")
    rows = []
    for code in codes:
        row: dict[str, str] = {corner: f"{codebook.framework_code(code).name_zh}（{code.split(':', 1)[1]}）"}
        for case in cases:
            sub = segments[segments["case_id"] == case]
            row[CASES[case][1]] = _quote_cell(segments_with_any(sub, [code]), max_chars)
        rows.append(row)
    return pd.DataFrame(rows, columns=[corner, *[CASES[c][1] for c in cases]])


def framework_rows(
    segments: pd.DataFrame,
    codebook: Codebook,
    study: str,
    roots: Sequence[str],
    cases: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The rows of :func:`analysis.report.casebook.framework_table` for ``roots`` and all their descendants.

    Rows keep the framework's order and indentation.

    Raises
    ------
    ValueError
        If a root is not a code of the framework.
    """
    codes = [c.id for c in codebook.framework(study).codes]
    unknown = [r for r in roots if r not in codes]
    if unknown:
        raise ValueError(f"not codes of framework {study}: {unknown}")
    wanted = set(codebook.with_subconcepts(roots))
    keep = [i for i, code in enumerate(codes) if code in wanted]
    table = framework_table(segments, codebook, study, cases)
    return table.iloc[keep].reset_index(drop=True)


def empty_cells(table: pd.DataFrame) -> list[str]:
    """The cells of a labelled count table (first column = row labels) that hold 0, as "行 × 列".

    Cells holding text (such as ``"—"``) are not counted as empty.
    """
    corner = table.columns[0]
    out = []
    for rec in table.to_dict("records"):
        for column in table.columns[1:]:
            value = rec[column]
            if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
                out.append(f"{rec[corner]} × {column}")
    return out


def case_code_profiles(segments: pd.DataFrame, codebook: Codebook, cases: Sequence[str]) -> pd.DataFrame:
    """Integrated second-level codes evidenced in any of ``cases``: segment counts per case (long form).

    Columns: ``code_id``, ``label`` (name and id), ``family`` (top-level name), ``case`` (the
    case's Chinese name), ``n`` (segments; 0 where the other case has evidence and this one not).
    Codes appear in codebook order.
    """
    long = long_codes(segments[segments["case_id"].isin(list(cases))])
    counts = pd.crosstab(long["code_id"], long["case_id"]).reindex(columns=list(cases), fill_value=0)
    table: dict[str, dict[str, int]] = {
        str(code): {str(case): int(n) for case, n in row.items()} for code, row in counts.iterrows()
    }
    rows = []
    for code in codebook.leaf_ids:
        if code not in table:
            continue
        for case in cases:
            rows.append(
                {
                    "code_id": code,
                    "label": f"{codebook.code(code).name_zh}（{code}）",
                    "family": codebook.code(codebook.top_of(code)).name_zh,
                    "case": CASES[case][1],
                    "n": table[code][case],
                }
            )
    return pd.DataFrame(rows, columns=["code_id", "label", "family", "case", "n"])


def code_profile_chart(profiles: pd.DataFrame, description: str) -> OfflineChart:
    """Grouped horizontal bars: for each integrated code, the segment count of each case.

    ``profiles`` is the output of :func:`case_code_profiles`; codes keep their codebook order.
    """
    order = list(dict.fromkeys(profiles["label"]))
    cases = list(dict.fromkeys(profiles["case"]))
    chart = (
        alt.Chart(profiles)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
            yOffset=alt.YOffset("case:N", sort=cases),
            x=alt.X("n:Q", title="编码片段数", axis=alt.Axis(tickMinStep=1)),
            color=alt.Color("case:N", title="案例", sort=cases),
            tooltip=[
                alt.Tooltip("label:N", title="整合代码"),
                alt.Tooltip("family:N", title="一级代码"),
                alt.Tooltip("case:N", title="案例"),
                alt.Tooltip("n:Q", title="片段数"),
            ],
        )
        .properties(width=420, height=alt.Step(9))
    )
    return OfflineChart(chart, description=description)


def framework_source_span(codebook: Codebook, codes: Sequence[str]) -> str:
    """The seed line span ("第 a–b 行") from which the codebook derived ``codes``.

    Each framework code records the lines of its study where the concept is defined
    (``source_lines``: ``"39"`` or ``"95-97"``); this joins them into one span.

    Raises
    ------
    ValueError
        If ``codes`` is empty or a code records no source lines.
    """
    lines: list[int] = []
    for code in codes:
        text = codebook.framework_code(code).source_lines.strip()
        if not text:
            raise ValueError(f"framework code {code!r} records no source lines")
        lines.extend(int(part) for part in text.replace("–", "-").split("-"))
    if not lines:
        raise ValueError("no codes given")
    return line_ref(min(lines), max(lines))


def grouped_cross_table(
    segments: pd.DataFrame,
    rows: Mapping[str, Sequence[str]],
    columns: Mapping[str, Sequence[str]],
    corner: str,
) -> pd.DataFrame:
    """Segments bearing any framework code of a row group and any of a column group.

    Like :func:`analysis.coding.segments.cross_table`, but each row and column stands for a set of codes
    (for example a process stage and its sub-steps). Returns the row labels in a first column
    named ``corner``, then one integer column per column label.

    Raises
    ------
    ValueError
        If a row or column group has no codes.
    """
    for label, codes in [*rows.items(), *columns.items()]:
        if not codes:
            raise ValueError(f"group {label!r} has no codes")
    out = []
    for label, row_codes in rows.items():
        record: dict[str, object] = {corner: label}
        for col_label, col_codes in columns.items():
            record[col_label] = len(segments_matching(segments, [row_codes, col_codes]))
        out.append(record)
    return pd.DataFrame(out, columns=[corner, *columns])


#: Chinese labels of a section's status in seed 004 (``seed004_sections``).
SECTION_STATUS_ZH = {"present": "完整", "partial": "残缺", "lost": "丢失"}


def splice_table(sections: pd.DataFrame, paper: str) -> pd.DataFrame:
    """The sections of one paper of seed 004: what survives the splice, with its lines."""
    sub = sections[sections["paper"] == paper]
    return pd.DataFrame(
        {
            "部分": sub["section_zh"],
            "存留": [SECTION_STATUS_ZH[s] for s in sub["status"]],
            "所在行": [
                line_ref(int(a), int(b)) for a, b in zip(sub["line_from"], sub["line_to"], strict=True)
            ],
            "说明": [n or "—" for n in sub["note_zh"]],
        }
    ).reset_index(drop=True)


def splice_phrase(sections: pd.DataFrame, paper: str) -> str:
    """The lost and cut sections of one paper, joined: ``五、……（丢失）；……``; or a statement of none."""
    sub = sections[(sections["paper"] == paper) & (sections["status"] != "present")]
    if sub.empty:
        return "没有丢失任何部分"
    parts = [f"{s}（{SECTION_STATUS_ZH[t]}）" for s, t in zip(sub["section_zh"], sub["status"], strict=True)]
    return "丢失或残缺的部分有：" + "；".join(parts)
