"""The page ``book/zhejiang_red_education.md``: 浙江“红色教学一点通”：整体智治如何进入价值共创的各个阶段."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.matrices import cross_table
from analysis.coding.segments import load_codebook_data, split_codes
from analysis.report import actors as actor_views
from analysis.report import case_tables, casebook, fidelity_views
from analysis.report.format import line_ref, line_span
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

CASE = "ZJ-HS"
ROWS = ["000:HS.D", "000:HS.I", "000:HS.A"]
COLS = ["000:HS.VP.CD", "000:HS.VP.CP", "000:HS.VU.CE", "000:HS.VU.CC"]


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    case = segments[segments["case_id"] == CASE]
    out.update(casebook.case_profile(segments, cb, CASE), prefix="zj_")
    matrix = cross_table(segments, ROWS, COLS)
    out.value("zj_cells_total", int(matrix.size))
    filled, total = int((matrix > 0).to_numpy().sum()), int(matrix.size)
    out.value("zj_cells_filled", filled)
    out.value(
        "zj_cells_phrase",
        f"全部 {total} 个单元格都有证据"
        if filled == total
        else f"{total} 个单元格中有 {filled} 个有证据"
        if filled
        else "没有一个单元格有证据",
    )
    n_interview = int((segments[segments["case_id"] == CASE]["source_type"] == "interview").sum())
    out.value(
        "zj_interview_phrase",
        "，没有访谈。换言之，本案例的全部证据都经过作者的转述：论文没有说明资料来源，也没有直接引用"
        "用户或工作人员的话，而两位作者的作者简介显示，他们任职于牵头建设该场景的学院"
        if n_interview == 0
        else f"、访谈 {n_interview} 段。两位作者的作者简介显示，他们任职于牵头建设该场景的学院",
    )
    cells_max = int(matrix.to_numpy().max())
    out.value("zj_cells_max", cells_max)
    out.value("zj_cell_support", "只有一句话" if cells_max == 1 else f"至多只有 {cells_max} 个片段")
    out.value(
        "zj_cell_statement", "只有作者的一句陈述" if cells_max == 1 else f"至多只有作者的 {cells_max} 段陈述"
    )
    in_matrix = case[
        [
            any(r in codes and c in codes for r in ROWS for c in COLS)
            for codes in map(split_codes, case["framework_codes"])
        ]
    ]
    out.value("zj_n_matrix_segments", len(in_matrix))
    record = fidelity_views.load_fidelity(segments)
    stated = record.cells[record.cells["table"] == "tbl-zj-matrix"]
    lo, hi = int(stated["line_from"].astype(int).min()), int(stated["line_to"].astype(int).max())
    inside = bool(((in_matrix["line_from"] >= lo) & (in_matrix["line_to"] <= hi)).all())
    out.value(
        "zj_matrix_source_phrase",
        f"全部来自论文逐格陈述这一矩阵的同一段论述（原文{line_span(in_matrix)}）"
        if inside and len(in_matrix)
        else f"并不都来自论文逐格陈述这一矩阵的那段论述（{line_ref(lo, hi)}），"
        f"而是分布在原文{line_span(in_matrix)}"
        if len(in_matrix)
        else "一个也没有",
    )
    features = ["000:HS.PF1", "000:HS.PF2", "000:HS.PF3", "000:HS.PF4"]
    with_features = [c for c in features if len(case_tables.segments_with_any(case, [c]))]
    out.value(
        "zj_pf_phrase",
        f"浙江整体智治的全部 {len(features)} 项实践特征"
        if len(with_features) == len(features)
        else f"浙江整体智治 {len(features)} 项实践特征中的 {len(with_features)} 项",
    )
    out.table(
        "zj_tbl_matrix",
        BookTable(
            casebook.named_cross_table(segments, cb, ROWS, COLS, "整体智治要素"),
            "从编码片段重建的“整体智治要素 × 价值共创阶段”矩阵（王子琦、林晨（2022）的框架；"
            "单元格为同时带有行、列两个框架代码的片段数）",
            "tbl-zj-matrix",
        ),
    )
    out.table(
        "zj_tbl_matrix_quotes",
        BookTable(
            casebook.case_quotes(in_matrix, cb, CASE, ROWS),
            "矩阵各单元格所依据的原文（按整体智治要素排列）",
            "tbl-zj-matrix-quotes",
        ),
    )
    out.table(
        "zj_tbl_tensions",
        BookTable(
            casebook.case_quotes(segments, cb, CASE, ["000:HS.TEN1", "000:HS.TEN2", "000:HS.TEN3"]),
            "红色教育数字化面临的三组张力：原文片段",
            "tbl-zj-tensions",
        ),
    )
    out.table(
        "zj_tbl_framework",
        BookTable(
            casebook.framework_table(segments, cb, "000"),
            "王子琦、林晨（2022）自身框架中每个概念的编码片段数（0 表示编码文本中没有相应证据）",
            "tbl-zj-framework",
        ),
    )
    out.table("zj_tbl_families", casebook.family_book_table(segments, cb, CASE, "tbl-zj-families"))
    out.merge(actor_views.case_actor_output(segments, ["ZJ-HS"], "zj"))
    out.merge(
        fidelity_views.chapter_output(
            record,
            "zhejiang_red_education",
            "zj",
            {"tbl-zj-matrix": "要素 × 阶段矩阵", "tbl-zj-framework": "框架概念的片段数"},
        ),
        fidelity_views.arguments_output(["000"], "zj"),
    )
    return out
