"""The page ``book/codebook.md``: 编码表."""

from __future__ import annotations

from analysis.coding import actors, consensus
from analysis.coding.segments import load_codebook_data
from analysis.report import codebook_views
from analysis.report.actors import actor_codebook_tables
from analysis.report.format import line_spec, study_name
from analysis.report.page import PageOutput
from analysis.report.table import BookTable


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    out.value("cb_version", cb.version)
    segments = consensus.final_segments(cb)
    coding = actors.load_actor_coding(segments)
    general, types, roles = actor_codebook_tables(coding, segments)
    out.value("cb_actor_general", general)
    missing = [
        coding.type_zh[t] for t, sid in actors.agreed_examples(coding, segments).items() if sid is None
    ]
    out.value(
        "cb_actor_no_example",
        f"{'、'.join(missing)}在双编样本中没有两位编码员都记录的片段，因此没有例证"
        if missing
        else "每一类型都有这样的例证",
    )
    out.value("cb_actor_min_chars", actors.MIN_EXAMPLE_CHARS)
    out.table(
        "cb_tbl_actor_types", BookTable(types, "行动者类型：定义、纳入与排除规则、例证", "tbl-cb-actor-types")
    )
    out.table("cb_tbl_actor_roles", BookTable(roles, "行动者的角色（价值共创的阶段）", "tbl-cb-actor-roles"))
    out.value("cb_n_top", len(cb.top_ids))
    out.value("cb_n_leaf", len(cb.leaf_ids))
    out.value("cb_n_changes", len(cb.changelog))
    out.value("cb_n_frameworks", len(cb.frameworks))
    out.value("cb_n_framework_codes", len(cb.framework_code_ids))
    out.table(
        "cb_tbl_changelog",
        BookTable(
            codebook_views.changelog_table(cb),
            "编码表的修订记录（读取自 data/raw/codebook.yaml）",
            "tbl-cb-changelog",
        ),
    )
    for top in cb.top_ids:
        code = cb.code(top)
        out.table(
            f"cb_tbl_{top.lower()}",
            BookTable(
                codebook_views.family_table(cb, top),
                f"一级代码“{code.name_zh}”（{top}）：{codebook_views.reader_text(code.definition_zh)}",
                f"tbl-cb-{top.lower()}",
            ),
        )
    for fw in cb.frameworks:
        key = fw.study.lower()
        out.table(
            f"cb_tbl_fw_{key}",
            BookTable(
                codebook_views.framework_codes_table(cb, fw.study),
                f"{study_name(fw.study)}的分析框架：{fw.name_zh}（原文{line_spec(fw.source_lines)}）",
                f"tbl-cb-fw-{key}",
            ),
        )
    return out
