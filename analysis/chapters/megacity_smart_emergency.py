"""The page ``book/megacity_smart_emergency.md``: 超大城市智慧应急与S市A区场景会战."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.matrices import framework_presence
from analysis.coding.segments import ABSTRACT_004, load_codebook_data, seed_004_duplicate
from analysis.data import io
from analysis.report import actors as actor_views
from analysis.report import case_tables, casebook, fidelity_views
from analysis.report.format import line_ref, lines_list
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

#: Whether this build found seed 004's repeated block in the seed itself.
DUP_FOUND = "本次构建在源文件中逐行核对了这一重复"
DUP_NOT_CHECKED = "本次构建时源文件不可用，这一重复未能重新核对，行号取自编码校验规则"
ACTORS = ["004B:CJ.ACT", "004B:CJ.ACT.PLT", "004B:CJ.ACT.DEM", "004B:CJ.ACT.SUP"]
STAGES = {
    "价值共识（准备）": "004B:CJ.CON",
    "价值共生（开发）": "004B:CJ.SYM",
    "价值共赢（评估）": "004B:CJ.WIN",
}


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    manifest = io.load_manifest()
    cyj = segments[segments["case_id"] == "C-YJ"]
    sa = segments[segments["case_id"] == "S-A"]
    fw_a = [c.id for c in cb.framework("004A").codes]
    fw_b = [c.id for c in cb.framework("004B").codes]
    STAGE_CODES = {
        label: [c for c in fw_b if c == stem or c.startswith(stem + ".")] for label, stem in STAGES.items()
    }
    PROCESS = ["004B:CJ.PRC", *[c for codes in STAGE_CODES.values() for c in codes]]
    ENABLE = [c for c in fw_b if c.startswith("004B:CJ.MEC.EN")]
    NETWORK = [c for c in fw_b if c.startswith("004B:CJ.MEC.NW")]
    MECHANISM = ["004B:CJ.MEC", *ENABLE, *NETWORK]
    dup = seed_004_duplicate(manifest)
    out.value("mse_dup_check", DUP_FOUND if dup.found_in_seed else DUP_NOT_CHECKED)
    out.value("mse_dup_first", line_ref(dup.first_from, dup.first_to))
    out.value("mse_dup_copy", line_ref(dup.copy_from, dup.copy_to))
    out.value("mse_dup_n", dup.first_to - dup.first_from + 1)
    abstract_from, abstract_to = ABSTRACT_004
    out.value("mse_abstract_lines", line_ref(abstract_from, abstract_to))
    out.value("mse_body_from", line_ref(abstract_to + 1, abstract_to + 1))
    sections = io.load_table("seed004_sections", manifest)
    out.value("mse_splice_b", case_tables.splice_phrase(sections, "004B"))
    out.value("mse_splice_a", case_tables.splice_phrase(sections, "004A"))
    out.table(
        "mse_tbl_splice",
        BookTable(
            case_tables.splice_table(sections, "004B"),
            "S市A区论文各部分在来源文件中的存留",
            "tbl-mse-splice",
        ),
    )
    out.value("mse_cyj_segments", len(cyj))
    fw_a_counts = framework_presence(cyj, fw_a)["C-YJ"]
    n_evidenced = int((fw_a_counts > 0).sum())
    out.value(
        "mse_cyj_codes_phrase",
        f"全部 {len(fw_a)} 个概念都带有片段"
        if n_evidenced == len(fw_a)
        else f"{len(fw_a)} 个概念中有 {n_evidenced} 个带有片段",
    )
    n_mi = len(case_tables.segments_with_any(cyj, [c for c in fw_a if c.startswith("004A:YJ.MI")]))
    out.value("mse_cyj_mi_segments", n_mi)
    out.value(
        "mse_cyj_mi_phrase",
        f"有 {n_mi} 个片段（摘要只点名，没有展开）"
        if n_mi
        else "没有对应的片段：这是编码的遗漏，不是摘要没有写到",
    )
    out.update(casebook.case_profile(segments, cb, "S-A"), prefix="mse_sa_")
    out.value("mse_sa_n_actors", len(case_tables.segments_with_any(sa, ACTORS)))
    for key, code in [("plt", "004B:CJ.ACT.PLT"), ("dem", "004B:CJ.ACT.DEM"), ("sup", "004B:CJ.ACT.SUP")]:
        out.value(f"mse_sa_actor_{key}", len(case_tables.segments_with_any(sa, [code])))
    for key, label in zip(["con", "sym", "win"], STAGES, strict=True):
        out.value(f"mse_sa_stage_{key}", len(case_tables.segments_with_any(sa, STAGE_CODES[label])))
    steps = [c for codes in STAGE_CODES.values() for c in codes[1:]]
    step_counts = framework_presence(sa, steps)["S-A"]
    empty_steps = [cb.framework_code(c).name_zh for c in steps if step_counts[c] == 0]
    out.value(
        "mse_sa_steps_phrase",
        f"全部 {len(steps)} 个子步骤都带有片段"
        if not empty_steps
        else f"{len(steps)} 个子步骤中有 {len(steps) - len(empty_steps)} 个带有片段；没有片段的是"
        + "、".join(empty_steps),
    )
    design = case_tables.segments_with_any(sa, ["004B:CJ.SYM.DES"])
    in_conclusion = bool(len(design)) and bool((design["line_from"] > dup.copy_to).all())
    out.value(
        "mse_sa_des_phrase",
        "本书因此没有它的片段"
        if design.empty
        else ("它唯一的片段" if len(design) == 1 else f"它的 {len(design)} 个片段都")
        + f"取自结论部分（{lines_list(sorted(set(design['line_from'])))}）"
        if in_conclusion
        else f"它的 {len(design)} 个片段取自{lines_list(sorted(set(design['line_from'])))}",
    )
    enable = case_tables.segments_with_any(sa, ENABLE)
    network = case_tables.segments_with_any(sa, NETWORK)
    mechanism = case_tables.segments_with_any(sa, MECHANISM)
    out.value("mse_sa_n_enable", len(enable))
    out.value("mse_sa_n_network", len(network))
    out.value("mse_sa_n_mechanism", len(mechanism))
    out.value("mse_sa_mech_in_process", len(case_tables.segments_with_any(mechanism, PROCESS)))
    out.value("mse_sa_mech_interview", int((mechanism["source_type"] == "interview").sum()))
    sub_mech = [c for c in ENABLE + NETWORK if c not in ("004B:CJ.MEC.EN", "004B:CJ.MEC.NW")]
    sub_counts = framework_presence(sa, sub_mech)["S-A"]
    out.value("mse_sa_n_mech_sub", len(sub_mech))
    out.value("mse_sa_mech_sub_min", int(sub_counts.min()))
    out.value("mse_sa_mech_sub_max", int(sub_counts.max()))
    conclusion = sa[sa["line_from"] > dup.first_to]
    out.value("mse_sa_n_conclusion", len(conclusion))
    out.value("mse_sa_conclusion_lines", lines_list(sorted(set(conclusion["line_from"]))))
    n_pvf = len(case_tables.segments_with_any(sa, ["004B:CJ.PVF"]))
    out.value(
        "mse_sa_pvf_phrase", f"带有这一概念的A区片段有 {n_pvf} 个" if n_pvf else "A区的片段中没有带这一概念的"
    )
    cross = case_tables.grouped_cross_table(
        sa, {cb.framework_code(c).name_zh: [c] for c in sub_mech}, STAGE_CODES, "实现机制"
    )
    out.value("mse_cross_cells", int(cross.iloc[:, 1:].size))
    out.value("mse_cross_filled", int((cross.iloc[:, 1:] > 0).to_numpy().sum()))
    out.table(
        "mse_tbl_cyj",
        BookTable(
            casebook.framework_table(segments, cb, "004A"),
            "C市智慧应急：论文摘要中的框架概念及其片段数（只有摘要，没有案例正文）",
            "tbl-mse-cyj",
        ),
    )
    out.table(
        "mse_tbl_cyj_quotes",
        BookTable(
            casebook.case_segments_table(segments, cb, "C-YJ"),
            "C市智慧应急摘要的全部编码片段（框架概念一栏只列最上位的概念；“—”表示片段只交代研究背景，不带框架代码）",
            "tbl-mse-cyj-quotes",
        ),
    )
    out.table(
        "mse_tbl_sources",
        BookTable(
            casebook.source_type_table(segments, ["C-YJ", "S-A"]),
            "C市摘要与S市A区论文两部分片段的来源类型",
            "tbl-mse-sources",
        ),
    )
    out.table(
        "mse_tbl_sa",
        BookTable(
            casebook.framework_table(segments, cb, "004B"),
            "S市A区场景会战：“主体—过程—机制”框架概念的片段数（0 表示编码文本中没有相应证据）",
            "tbl-mse-sa",
        ),
    )
    out.table(
        "mse_tbl_actor_quotes",
        BookTable(
            casebook.case_quotes(segments, cb, "S-A", ACTORS),
            "价值共创主体：平台方、需求方、供给方所依据的原文",
            "tbl-mse-actor-quotes",
        ),
    )
    out.table(
        "mse_tbl_process_quotes",
        BookTable(
            casebook.case_quotes(segments, cb, "S-A", PROCESS),
            "价值共创过程：三个阶段及其子步骤所依据的原文",
            "tbl-mse-process-quotes",
        ),
    )
    out.table(
        "mse_tbl_cross",
        BookTable(
            cross,
            "实现机制 × 过程阶段：同时带有某一机制代码和某一阶段（含子步骤）代码的片段数",
            "tbl-mse-cross",
        ),
    )
    out.table(
        "mse_tbl_mechanism_quotes",
        BookTable(
            casebook.case_quotes(segments, cb, "S-A", [*MECHANISM, "004B:CJ.TYPE", "004B:CJ.PVF"]),
            "实现机制（平台赋能—网络协同）以及场景类型区分、公共价值失灵所依据的原文",
            "tbl-mse-mechanism-quotes",
        ),
    )
    out.merge(actor_views.case_actor_output(segments, ["C-YJ", "S-A"], "mse"))
    out.merge(
        fidelity_views.chapter_output(
            fidelity_views.load_fidelity(segments),
            "megacity_smart_emergency",
            "mse",
            {
                "tbl-mse-cyj": "C市摘要的框架概念",
                "tbl-mse-sa": "S市A区的框架概念",
                "tbl-mse-cross": "实现机制 × 过程阶段",
            },
        ),
        fidelity_views.arguments_output(["004A", "004B"], "mse"),
    )
    return out
