"""The page ``book/lx_one_network_management.md``: L市X局“一网统管”：价值—结构—行动框架的证据在哪里."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.segments import load_codebook_data
from analysis.report import actors as actor_views
from analysis.report import case_tables, casebook, fidelity_views
from analysis.report.format import line_span
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

CASE = "LX"
DIMS = {"价值维度": "001:LX.V", "结构维度": "001:LX.S", "行动维度": "001:LX.A"}
KINDS = {"理论内核": ".T", "实践路径": ".P", "现实局限": ".L", "优化建议": ".R"}
OUTCOMES = ["001:LX.OUT", "001:LX.OUT1", "001:LX.OUT2", "001:LX.OUT3", "001:LX.CYC.N", "001:LX.CYC.P"]


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    case = segments[segments["case_id"] == CASE]
    fw_ids = [c.id for c in cb.framework("001").codes]
    GROUPS = {
        d: {k: [c for c in fw_ids if c.startswith(stem + suffix)] for k, suffix in KINDS.items()}
        for d, stem in DIMS.items()
    }
    THEORY = [c for cells in GROUPS.values() for c in cells["理论内核"]]
    PRACTICE = [c for cells in GROUPS.values() for c in cells["实践路径"]]
    LIMITS = [c for cells in GROUPS.values() for c in cells["现实局限"]]
    ADVICE = [c for cells in GROUPS.values() for c in cells["优化建议"]]
    out.update(casebook.case_profile(segments, cb, CASE), prefix="lx_")
    grid = case_tables.grouped_count_table(case, GROUPS, "维度")
    out.value("lx_cells_total", int(len(GROUPS) * len(KINDS)))
    out.value("lx_cells_empty", len(case_tables.empty_cells(grid)))
    out.value("lx_empty_list", "、".join(case_tables.empty_cells(grid)))
    in_grid = case_tables.segments_with_any(case, THEORY + PRACTICE + LIMITS + ADVICE)
    out.value("lx_n_grid", len(in_grid))
    out.value("lx_n_theory", len(case_tables.segments_with_any(case, THEORY)))
    out.value("lx_n_practice", len(case_tables.segments_with_any(case, PRACTICE)))
    limits = case_tables.segments_with_any(case, LIMITS)
    out.value("lx_n_limits", len(limits))
    n_limit_interviews = int((limits["source_type"] == "interview").sum())
    out.value("lx_n_limits_interview", n_limit_interviews)
    n_interviews = int((case["source_type"] == "interview").sum())
    out.value(
        "lx_limits_interview_phrase",
        f"本案例全部 {n_interviews} 段访谈"
        if n_limit_interviews == n_interviews
        else f"本案例 {n_interviews} 段访谈中的 {n_limit_interviews} 段",
    )
    practice = case_tables.segments_with_any(case, PRACTICE)
    out.value("lx_n_practice_narrative", int((practice["source_type"] == "author_narrative").sum()))
    n_theory = len(case_tables.segments_with_any(case, THEORY))
    n_advice = len(case_tables.segments_with_any(case, ADVICE))
    out.value("lx_n_advice", n_advice)
    out.value(
        "lx_two_columns_phrase",
        "这两列都没有片段" if n_theory + n_advice == 0 else "这两列几乎是空的",
    )
    out.value("lx_theory_lines", case_tables.framework_source_span(cb, THEORY))
    out.value("lx_advice_lines", case_tables.framework_source_span(cb, ADVICE))
    out.value("lx_grid_lines", line_span(in_grid))
    out.value("lx_limit_lines", line_span(limits))
    outcome = case_tables.segments_with_any(case, OUTCOMES[:4])
    out.value("lx_n_outcome", len(outcome))
    out.value("lx_n_cycle_neg", len(case_tables.segments_with_any(case, ["001:LX.CYC.N"])))
    n_pos = len(case_tables.segments_with_any(case, ["001:LX.CYC.P"]))
    out.value("lx_n_cycle_pos", n_pos)
    out.value(
        "lx_cycle_pos_phrase",
        f"有 {n_pos} 个片段" if n_pos else "在编码文本中没有案例证据，它只出现在论文的理论与结语部分",
    )
    out.table(
        "lx_tbl_grid",
        BookTable(
            grid,
            "从编码片段重建的“价值—结构—行动”表（詹国辉的框架；"
            "单元格为带有该维度、该类框架代码之一的片段数，0 表示编码文本中没有相应证据）",
            "tbl-lx-grid",
        ),
    )
    out.table(
        "lx_tbl_practice_quotes",
        BookTable(
            casebook.case_quotes(segments, cb, CASE, THEORY + PRACTICE),
            "“理论内核”与“实践路径”两列所依据的原文",
            "tbl-lx-practice-quotes",
        ),
    )
    out.table(
        "lx_tbl_limit_quotes",
        BookTable(
            casebook.case_quotes(segments, cb, CASE, LIMITS),
            "“现实局限”一列所依据的原文（含全部访谈片段）",
            "tbl-lx-limit-quotes",
        ),
    )
    out.table(
        "lx_tbl_outcomes",
        BookTable(
            case_tables.framework_rows(segments, cb, "001", ["001:LX.OUT", "001:LX.CYC"]),
            "治理成效与三维互动循环：框架概念的片段数",
            "tbl-lx-outcomes",
        ),
    )
    out.table(
        "lx_tbl_outcome_quotes",
        BookTable(
            casebook.case_quotes(segments, cb, CASE, OUTCOMES),
            "治理成效与负向循环所依据的原文",
            "tbl-lx-outcome-quotes",
        ),
    )
    out.table("lx_tbl_families", casebook.family_book_table(segments, cb, CASE, "tbl-lx-families"))
    out.merge(actor_views.case_actor_output(segments, ["LX"], "lx"))
    out.merge(
        fidelity_views.chapter_output(
            fidelity_views.load_fidelity(segments),
            "lx_one_network_management",
            "lx",
            {"tbl-lx-grid": "价值—结构—行动表", "tbl-lx-outcomes": "治理成效与互动循环"},
        ),
        fidelity_views.arguments_output(["001"], "lx"),
    )
    return out
