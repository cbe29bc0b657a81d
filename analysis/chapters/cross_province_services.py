"""The page ``book/cross_province_services.md``: 跨省通办：三种治理结构与一条价值链."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.segments import load_codebook_data
from analysis.report import actors as actor_views
from analysis.report import case_tables, casebook, fidelity_views
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

CASES = ["QWJ", "JJJ", "XN"]
TYPES = ["003:ST.VERT", "003:ST.ENDO", "003:ST.GSE"]
DIMS = ["003:T31.POW", "003:T31.ORG", "003:T31.FORCE", "003:T31.PART", "003:T31.PLAT"]
STAGES = {"resources": "003:VC.RES", "capability": "003:VC.CAP", "output": "003:VC.OUT"}


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    thesis = segments[segments["case_id"].isin(CASES)]
    fw_ids = [c.id for c in cb.framework("003").codes]
    out.value("cps_segments", len(thesis))
    for case_id in CASES:
        sub = thesis[thesis["case_id"] == case_id]
        key = case_id.lower()
        out.value(f"cps_{key}_segments", len(sub))
        out.value(f"cps_{key}_interview", int((sub["source_type"] == "interview").sum()))
        out.value(f"cps_{key}_types", len({c for c in TYPES if len(case_tables.segments_with_any(sub, [c]))}))
        for stage, stem in STAGES.items():
            codes = [c for c in fw_ids if c.startswith(stem + ".")]
            out.value(f"cps_{key}_{stage}", len(case_tables.segments_with_any(sub, codes)))
    out.value("cps_n_interview", int((thesis["source_type"] == "interview").sum()))
    out.value("cps_n_joined", int(thesis["evidence_zh"].str.contains("…", regex=False).sum()))
    out.value("cps_median_span", int((thesis["line_to"] - thesis["line_from"] + 1).median()))
    out.value("cps_max_span", int((thesis["line_to"] - thesis["line_from"] + 1).max()))
    cross = casebook.named_cross_table(segments, cb, TYPES, DIMS, "结构类型")
    empty = case_tables.empty_cells(cross)
    out.value("cps_cells_total", len(TYPES) * len(DIMS))
    out.value(
        "cps_empty_phrase",
        f"有 {len(empty)} 格没有片段：{'、'.join(empty)}" if empty else "每一格都有片段",
    )
    out.value("cps_cells_max", int(cross.iloc[:, 1:].to_numpy().max()))
    typed = case_tables.segments_with_any(thesis, TYPES)
    in_cross = case_tables.segments_with_any(typed, DIMS)
    out.value("cps_n_cross", len(in_cross))
    out.value("cps_n_dims_untyped", len(case_tables.segments_with_any(thesis, DIMS)) - len(in_cross))
    out.value("cps_n_typed", len(typed))
    n_het = len(case_tables.segments_with_any(thesis, ["003:DIL.HET"]))
    out.value("cps_n_dil_het", n_het)
    out.value(
        "cps_dil_het_phrase",
        f"有 {n_het} 个片段"
        if n_het
        else "在编码片段中没有出现。这不说明异质性困境不存在，只说明论文在三个主要案例的文本中没有用"
        "可编码的陈述写到它，它的论证主要在理论章节",
    )
    out.value("cps_n_dil_frag", len(case_tables.segments_with_any(thesis, ["003:DIL.FRAG"])))
    out.value("cps_n_stratv", len(case_tables.segments_with_any(thesis, ["003:VC.OUT.STRATV"])))
    out.table(
        "cps_tbl_sources",
        BookTable(casebook.source_type_table(segments, CASES), "三个区域片段的来源类型", "tbl-cps-sources"),
    )
    out.table(
        "cps_tbl_types",
        BookTable(
            case_tables.framework_rows(segments, cb, "003", ["003:ST", "003:FEAT"]),
            "三种结构类型与三项治理特征：各区域片段数",
            "tbl-cps-types",
        ),
    )
    out.table(
        "cps_tbl_cross",
        BookTable(
            cross,
            "从编码片段重建的表 3-1："
            "同时带有某一结构类型代码和某一比较维度代码的片段数（0 表示编码文本中没有相应证据）",
            "tbl-cps-cross",
        ),
    )
    out.table(
        "cps_tbl_cross_quotes",
        BookTable(
            case_tables.quote_grid(typed, cb, DIMS, CASES, "比较维度", max_chars=40),
            "重建的表 3-1 各单元格所依据的片段（只含带结构类型代码的片段；"
            "引文为以省略号连接的 OCR 碎片，截短）",
            "tbl-cps-cross-quotes",
        ),
    )
    out.table(
        "cps_tbl_chain",
        BookTable(
            case_tables.framework_rows(segments, cb, "003", ["003:VC"]),
            "表 4-2 的价值链构念：各区域带有该构念代码的片段数",
            "tbl-cps-chain",
        ),
    )
    out.table(
        "cps_tbl_modes",
        BookTable(
            case_tables.framework_rows(segments, cb, "003", ["003:MODE", "003:DIL"]),
            "跨省通办的业务模式与治理困境：各区域片段数",
            "tbl-cps-modes",
        ),
    )
    out.table(
        "cps_tbl_dil_quotes",
        BookTable(
            case_tables.quote_grid(
                segments, cb, ["003:DIL.HET", "003:DIL.FRAG"], CASES, "治理困境", max_chars=60
            ),
            "治理困境所依据的片段（OCR 碎片，截短）",
            "tbl-cps-dil-quotes",
        ),
    )
    out.merge(actor_views.case_actor_output(segments, ["QWJ", "JJJ", "XN"], "cps"))
    out.merge(
        fidelity_views.chapter_output(
            fidelity_views.load_fidelity(segments),
            "cross_province_services",
            "cps",
            {
                "tbl-cps-types": "结构类型与治理特征",
                "tbl-cps-cross": "表 3-1 的重建",
                "tbl-cps-cross-quotes": "表 3-1 的引文",
                "tbl-cps-chain": "表 4-2 的价值链构念",
                "tbl-cps-modes": "业务模式与治理困境",
                "tbl-cps-dil-quotes": "治理困境的引文",
            },
        ),
        fidelity_views.arguments_output(["003"], "cps"),
    )
    return out
