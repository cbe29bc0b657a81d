"""Display tables for the case chapters: each study's own tables rebuilt from the coded segments.

Counts are numbers of coded segments. They say where the coded text gives evidence, not how
strong a phenomenon is; a 0 means "not evidenced in the coded text".
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from analysis.coding import quotecheck
from analysis.coding.codebook import Codebook
from analysis.coding.matrices import cross_table, segments_matching
from analysis.coding.segments import CASE_STUDY, long_codes, split_codes
from analysis.data.schemas.coding import CASES, SOURCE_TYPES
from analysis.report.format import seed_ref
from analysis.report.table import BookTable

__all__ = [
    "SOURCE_TYPE_ZH",
    "case_profile",
    "case_quotes",
    "case_segments_table",
    "family_book_table",
    "family_table",
    "framework_table",
    "named_cross_table",
    "source_type_table",
]

#: Source type -> the short name in glue keys (``zj_n_narrative`` …).
_SOURCE_KEY = {
    "interview": "interview",
    "policy_document": "policy",
    "author_narrative": "narrative",
    "news": "news",
}

SOURCE_TYPE_ZH = {
    "interview": "访谈",
    "policy_document": "政策文件",
    "author_narrative": "作者叙述",
    "news": "新闻报道",
}


def framework_table(
    segments: pd.DataFrame, codebook: Codebook, study: str, cases: Sequence[str] | None = None
) -> pd.DataFrame:
    """A study's own framework codes (hierarchy shown by indentation) x its cases: segment counts.

    Every code of the framework is listed. A concept with sub-concepts (a parent) counts the
    segments bearing it or any of its descendants, each segment once, and its label says so
    ("含下位概念"): parents are seldom coded directly, and a row of zeros above evidenced
    sub-concepts would misread as "no evidence". A leaf with no evidence shows 0. The members of
    a row are :meth:`Codebook.with_subconcepts`, its cells counted by
    :func:`analysis.coding.matrices.segments_matching`, as the fidelity record counts them.
    """
    cases = list(cases or [c for c, s in CASE_STUDY.items() if s == study])
    framework = codebook.framework(study)
    codes = [c.id for c in framework.codes]
    members = {code: codebook.with_subconcepts([code]) for code in codes}
    by_case = {case: segments[segments["case_id"] == case] for case in cases}
    counts = pd.DataFrame(
        [[len(segments_matching(by_case[case], [members[code]])) for case in cases] for code in codes],
        index=codes,
        columns=cases,
    )
    labels = [
        "\u3000" * framework.depth(c)
        + f"{codebook.framework_code(c).name_zh}（{c.split(':', 1)[1]}"
        + ("，含下位概念）" if len(members[c]) > 1 else "）")
        for c in codes
    ]
    table = counts.copy()
    table.index = pd.Index(labels, name="框架概念（代码）")
    table.columns = [CASES[c][1] for c in cases]
    if len(cases) > 1:
        table["合计"] = counts.sum(axis=1).to_numpy()
    return table.reset_index()


def named_cross_table(
    segments: pd.DataFrame,
    codebook: Codebook,
    rows: Sequence[str],
    columns: Sequence[str],
    corner: str,
) -> pd.DataFrame:
    """:func:`analysis.coding.segments.cross_table` with the framework codes' Chinese names as labels."""
    table = cross_table(segments, rows, columns)
    table.index = pd.Index([codebook.framework_code(r).name_zh for r in rows], name=corner)
    table.columns = [codebook.framework_code(c).name_zh for c in columns]
    return table.reset_index()


def family_table(segments: pd.DataFrame, codebook: Codebook, case: str) -> pd.DataFrame:
    """One case: for each integrated second-level code with evidence, its family, name and count."""
    long = long_codes(segments[segments["case_id"] == case])
    counts = long["code_id"].value_counts()
    rows = [
        {
            "一级代码": codebook.code(codebook.top_of(c)).name_zh,
            "二级代码": f"{codebook.code(c).name_zh}（{c}）",
            "片段数": int(counts[c]),
        }
        for c in codebook.leaf_ids
        if c in counts.index
    ]
    return pd.DataFrame(rows)


def family_book_table(segments: pd.DataFrame, codebook: Codebook, case: str, label: str) -> BookTable:
    """:func:`family_table` with the caption every case chapter gives it."""
    return BookTable(family_table(segments, codebook, case), "本案例中出现的整合代码及其片段数", label)


def case_profile(segments: pd.DataFrame, codebook: Codebook, case: str) -> dict[str, int]:
    """Headline counts of one case: segments, codes evidenced and not, families, source types."""
    sub = segments[segments["case_id"] == case]
    used = {c for cell in sub["codes"] for c in split_codes(cell)}
    types = sub["source_type"].value_counts()
    return {
        **{f"n_{_SOURCE_KEY[t]}": int(types.get(t, 0)) for t in SOURCE_TYPES},
        "segments": len(sub),
        "codes_used": len(used),
        "codes_unused": len(codebook.leaf_ids) - len(used),
        "families_used": len({codebook.top_of(c) for c in used}),
        "line_min": int(sub["line_from"].min()),
        "line_max": int(sub["line_to"].max()),
    }


def source_type_table(segments: pd.DataFrame, cases: Sequence[str]) -> pd.DataFrame:
    """Cases x source types: numbers of segments."""
    sub = segments[segments["case_id"].isin(list(cases))]
    table = pd.crosstab(sub["case_id"], sub["source_type"])
    table = table.reindex(index=list(cases), columns=list(SOURCE_TYPES), fill_value=0).astype(int)
    table.index = pd.Index([CASES[c][1] for c in cases], name="案例")
    table.columns = [SOURCE_TYPE_ZH[t] for t in SOURCE_TYPES]
    table["合计"] = table.sum(axis=1)
    return table.reset_index()


def case_quotes(
    segments: pd.DataFrame, codebook: Codebook, case: str, framework_codes: Sequence[str]
) -> pd.DataFrame:
    """Quotations of one case bearing any of ``framework_codes``: the code, the quotation, its lines.

    One row per (framework code, segment), in the order of ``framework_codes`` and then segment id.
    """
    sub = segments[segments["case_id"] == case]
    rows = []
    for code in framework_codes:
        for rec in sub.sort_values("segment_id").to_dict("records"):
            if code in split_codes(str(rec["framework_codes"])):
                rows.append(
                    {
                        "框架概念": codebook.framework_code(code).name_zh,
                        "引文": quotecheck.marked(rec),
                        "出处": seed_ref(str(rec["seed_id"]), int(rec["line_from"]), int(rec["line_to"])),
                        "来源类型": SOURCE_TYPE_ZH[str(rec["source_type"])],
                        "片段": str(rec["segment_id"]),
                    }
                )
    return pd.DataFrame(rows)


def case_segments_table(segments: pd.DataFrame, codebook: Codebook, case: str) -> pd.DataFrame:
    """Every segment of one case: its highest framework concepts ("—" if none), quotation and lines."""
    sub = segments[segments["case_id"] == case].sort_values("segment_id")
    rows = []
    for rec in sub.to_dict("records"):
        codes = split_codes(str(rec["framework_codes"]))
        tops = [c for c in codes if codebook.framework_code(c).parent not in codes]
        rows.append(
            {
                "框架概念": "、".join(codebook.framework_code(c).name_zh for c in tops) or "—",
                "引文": str(rec["evidence_zh"]),
                "出处": seed_ref(str(rec["seed_id"]), int(rec["line_from"]), int(rec["line_to"])),
                "来源类型": SOURCE_TYPE_ZH[str(rec["source_type"])],
                "片段": str(rec["segment_id"]),
            }
        )
    return pd.DataFrame(rows)
