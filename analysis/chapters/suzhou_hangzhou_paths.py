"""The page ``book/suzhou_hangzhou_paths.md``: 杭州与苏州：社会救助数字平台的两条改革路径."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.matrices import framework_presence
from analysis.coding.segments import load_codebook_data
from analysis.report import actors as actor_views
from analysis.report import case_tables, casebook, fidelity_views
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

CASES = ["HZ", "SZ"]
PATHS = ["002:SH.P.WHOLE", "002:SH.P.FUNC", "002:SH.CMP.INST", "002:SH.CMP.ORG", "002:SH.CMP.OPS"]
VC_SR = ["002:SH.VC", "002:SH.SR", "002:SH.M"]

#: The two cities as the profile chart names them, and the integrated codes the text compares.
HZ_NAME, SZ_NAME = "杭州", "苏州"
PROFILE_CODES = ("DAT.SHR", "STR.VER", "STR.INT", "CAP.AGL", "DAT.INT", "STR.NET", "COC.PRO")


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    pair = segments[segments["case_id"].isin(CASES)]
    COMPARE = PATHS[2:]
    fw_leaves = [c.id for c in cb.framework("002").codes if c.parent is not None]
    for case_id, prefix in [("HZ", "sh_hz"), ("SZ", "sh_sz")]:
        out.update(casebook.case_profile(segments, cb, case_id), prefix=f"{prefix}_")
    out.value("sh_segments", len(pair))
    out.value("sh_n_narrative", int((pair["source_type"] == "author_narrative").sum()))
    fw = framework_presence(pair, fw_leaves)
    both = [c for c in fw_leaves if fw.loc[c].get("HZ", 0) > 0 and fw.loc[c].get("SZ", 0) > 0]
    only_hz = [c for c in fw_leaves if fw.loc[c].get("HZ", 0) > 0 and fw.loc[c].get("SZ", 0) == 0]
    only_sz = [c for c in fw_leaves if fw.loc[c].get("SZ", 0) > 0 and fw.loc[c].get("HZ", 0) == 0]
    out.value("sh_fw_both", len(both))
    out.value("sh_fw_both_names", "、".join(cb.framework_code(c).name_zh for c in both))
    out.value("sh_fw_only_hz", len(only_hz))
    out.value("sh_fw_only_sz", len(only_sz))
    out.value("sh_fw_none", len(fw_leaves) - len(both) - len(only_hz) - len(only_sz))
    cmp_segments = case_tables.segments_with_any(pair, COMPARE)
    cmp_cells = framework_presence(pair, COMPARE).reindex(columns=CASES, fill_value=0).to_dict()
    names = {"HZ": HZ_NAME, "SZ": SZ_NAME}
    others = [
        f"{names[case]}的{cb.framework_code(code).name_zh}（{int(cmp_cells[case][code])} 个）"
        for code in COMPARE
        for case in CASES
        if int(cmp_cells[case][code]) != 1
    ]
    out.value(
        "sh_compare_cells_phrase",
        f"的 {len(COMPARE) * len(CASES)} 格中，"
        + (f"除{'、'.join(others)}外每格只有一个片段" if others else "每格都只有一个片段"),
    )
    out.value("sh_n_compare", len(cmp_segments))
    out.value(
        "sh_compare_lines", "第 " + "、".join(str(n) for n in sorted(set(cmp_segments["line_from"]))) + " 行"
    )
    profiles = case_tables.case_code_profiles(segments, cb, CASES)
    wide = profiles.pivot(index="code_id", columns="case", values="n")
    out.value("sh_codes_union", len(wide))
    out.value("sh_codes_shared", int(((wide[HZ_NAME] > 0) & (wide[SZ_NAME] > 0)).sum()))
    out.value("sh_codes_hz_only", int(((wide[HZ_NAME] > 0) & (wide[SZ_NAME] == 0)).sum()))
    out.value("sh_codes_sz_only", int(((wide[SZ_NAME] > 0) & (wide[HZ_NAME] == 0)).sum()))
    for code in PROFILE_CODES:
        key = code.lower().replace(".", "")
        out.value(f"sh_hz_{key}", int(wide[HZ_NAME][code]))
        out.value(f"sh_sz_{key}", int(wide[SZ_NAME][code]))
    out.table(
        "sh_tbl_sources",
        BookTable(casebook.source_type_table(segments, CASES), "两市片段的来源类型", "tbl-sh-sources"),
    )
    out.table(
        "sh_tbl_paths",
        BookTable(
            case_tables.quote_grid(segments, cb, PATHS, CASES, "路径与比较维度", max_chars=60),
            "从编码片段重建的两条路径比较：每格列出带有该框架代码的片段（截短），附出处与行号",
            "tbl-sh-paths",
        ),
    )
    out.table(
        "sh_tbl_vcsr",
        BookTable(
            case_tables.framework_rows(segments, cb, "002", VC_SR),
            "价值创造、结构重塑与机制创新：李慧凤（2022）框架概念在两市的片段数"
            "（0 表示编码文本中没有相应证据）",
            "tbl-sh-vcsr",
        ),
    )
    out.table(
        "sh_tbl_rest",
        BookTable(
            case_tables.framework_rows(
                segments, cb, "002", ["002:SH.COND", "002:SH.BAR", "002:SH.DGC", "002:SH.RISK"]
            ),
            "情境条件、改革瓶颈与“数据主义”困境：框架概念的片段数",
            "tbl-sh-rest",
        ),
    )
    out.chart(
        "sh_fig_profiles",
        case_tables.code_profile_chart(
            profiles,
            "杭州与苏州的整合代码剖面：每个在两市之一有证据的二级代码一行，"
            "两根横条分别是杭州和苏州带有该代码的编码片段数。",
        ),
    )
    out.merge(actor_views.case_actor_output(segments, ["HZ", "SZ"], "sh"))
    out.merge(
        fidelity_views.chapter_output(
            fidelity_views.load_fidelity(segments),
            "suzhou_hangzhou_paths",
            "sh",
            {
                "tbl-sh-paths": "两条路径的比较",
                "tbl-sh-vcsr": "价值创造与结构重塑",
                "tbl-sh-rest": "情境条件与改革瓶颈",
            },
        ),
        fidelity_views.arguments_output(["002"], "sh"),
    )
    return out
