"""The page ``book/frameworks.md``: 五项研究的分析框架与整合编码表."""

from __future__ import annotations

from analysis.coding.segments import load_codebook_data
from analysis.data import io
from analysis.report import codebook_views, coding_charts
from analysis.report.page import PageOutput
from analysis.report.table import BookTable


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    studies = io.load_table("source_studies")
    out.value("fw_n_frameworks", len(cb.frameworks))
    out.value("fw_n_studies", len(studies))
    out.value("fw_n_concepts", len(cb.framework_code_ids))
    out.value("fw_n_top", len(cb.top_ids))
    out.value("fw_n_leaf", len(cb.leaf_ids))
    for key, value in codebook_views.crosswalk_summary(cb).items():
        out.value(f"fw_cw_{key}", value)
    out.table(
        "fw_tbl_side",
        BookTable(
            codebook_views.frameworks_side_by_side(cb, studies),
            "各分析框架并列：本书的命名、来源研究自述的框架、研究设计与资料",
            "tbl-fw-side",
        ),
    )
    out.table(
        "fw_tbl_overview",
        BookTable(
            codebook_views.frameworks_overview(cb),
            "各框架的顶层概念、原文出处以及与整合编码表的对应",
            "tbl-fw-overview",
        ),
    )
    out.chart("fw_fig_crosswalk", coding_charts.crosswalk_chart(cb))
    out.table(
        "fw_tbl_crosswalk",
        BookTable(
            codebook_views.crosswalk_table(cb),
            "整合代码与各研究自身概念的逐一对照（“—”表示该研究没有对应的概念）",
            "tbl-fw-crosswalk",
        ),
    )
    out.table(
        "fw_tbl_families",
        BookTable(codebook_views.families_overview(cb), "整合编码表的一级代码", "tbl-fw-families"),
    )
    return out
