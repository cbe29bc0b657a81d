"""Display tables of the codebook for the book (the codebook appendix and the frameworks chapter)."""

from __future__ import annotations

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.report.format import line_ref

__all__ = [
    "STUDY_ZH",
    "changelog_table",
    "crosswalk_summary",
    "crosswalk_table",
    "families_overview",
    "family_table",
    "framework_codes_table",
    "frameworks_overview",
    "frameworks_side_by_side",
]

#: Short Chinese labels of the six frameworks (seed 004 holds two papers).
STUDY_ZH: dict[str, str] = {
    "000": "王子琦、林晨（种子 000）",
    "001": "詹国辉（种子 001）",
    "002": "李慧凤（种子 002）",
    "003": "刘旭然（种子 003）",
    "004A": "C市智慧应急摘要（种子 004，第 1–2 行）",
    "004B": "S市A区场景价值共创（种子 004）",
}


def changelog_table(codebook: Codebook) -> pd.DataFrame:
    """The change log, oldest first."""
    return pd.DataFrame(
        [{"版本": c.version, "日期": c.date, "修改内容": c.changes_zh} for c in codebook.changelog]
    )


def family_table(codebook: Codebook, top: str) -> pd.DataFrame:
    """The second-level codes of one family: id, names, definition, rules and example."""
    rows = []
    for code in codebook.codes:
        if code.parent != top:
            continue
        ex = code.example
        rows.append(
            {
                "代码": code.id,
                "名称": f"{code.name_zh}（{code.name_en}）",
                "定义": code.definition_zh,
                "纳入规则": code.include_zh,
                "排除规则": code.exclude_zh,
                "例证": f"“{ex.quote_zh}”（种子 {ex.seed_id}，{line_ref(ex.line_from, ex.line_to)}）"
                if ex
                else "",
            }
        )
    return pd.DataFrame(rows)


def crosswalk_table(codebook: Codebook) -> pd.DataFrame:
    """Integrated second-level codes x studies: the study concepts each code is mapped to."""
    studies = [f.study for f in codebook.frameworks]
    rows = []
    for code in codebook.codes:
        if code.is_top:
            continue
        mapping = dict(code.crosswalk)
        row = {"整合代码": f"{code.name_zh}（{code.id}）"}
        for study in studies:
            row[STUDY_ZH[study]] = (
                "；".join(codebook.framework_code(t).name_zh for t in mapping.get(study, ())) or "—"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def framework_codes_table(codebook: Codebook, study: str) -> pd.DataFrame:
    """One study's own framework codes, hierarchy by indentation, with definitions and lines."""
    framework = codebook.framework(study)
    return pd.DataFrame(
        [
            {
                "概念": "\u3000" * framework.depth(c.id) + c.name_zh,
                "代码": c.id.split(":", 1)[1],
                "定义": c.definition_zh,
                "原文行": c.source_lines,
            }
            for c in framework.codes
        ]
    )


def frameworks_overview(codebook: Codebook) -> pd.DataFrame:
    """The six frameworks side by side: name, where stated, top-level concepts, size, mapped codes."""
    rows = []
    for framework in codebook.frameworks:
        tops = [c.name_zh for c in framework.codes if c.parent is None]
        mapped = {
            code.id
            for code in codebook.codes
            for study, targets in code.crosswalk
            if study == framework.study and targets
        }
        rows.append(
            {
                "研究": STUDY_ZH[framework.study],
                "框架": framework.name_zh,
                "原文行": framework.source_lines,
                "顶层概念": "；".join(tops),
                "概念数": len(framework.codes),
                "对应的整合代码数": len(mapped),
            }
        )
    return pd.DataFrame(rows)


def crosswalk_summary(codebook: Codebook) -> dict[str, int | str]:
    """How widely the integrated codes are anchored in the studies' own concepts."""
    n_studies = len(codebook.frameworks)
    reach = {
        code.id: sum(1 for _, targets in code.crosswalk if targets)
        for code in codebook.codes
        if not code.is_top
    }
    widest = max(reach.values())
    names = {c.id: f"{c.name_zh}（{c.id}）" for c in codebook.codes}
    mapped = {t for code in codebook.codes for _, targets in code.crosswalk for t in targets}
    unmapped = [c for f in codebook.frameworks for c in f.codes if c.id not in mapped]
    return {
        "n_concepts_unmapped": len(unmapped),
        "n_concepts": len(codebook.framework_code_ids),
        "n_studies": n_studies,
        "widest": widest,
        "widest_codes": "、".join(names[c] for c, k in reach.items() if k == widest),
        "n_single": sum(1 for k in reach.values() if k == 1),
        "single_codes": "、".join(names[c] for c, k in reach.items() if k == 1) or "无",
        "n_unanchored": sum(1 for k in reach.values() if k == 0),
        "mean_reach": f"{sum(reach.values()) / len(reach):.1f}",
    }


def frameworks_side_by_side(codebook: Codebook, studies: pd.DataFrame) -> pd.DataFrame:
    """The six frameworks with each study's own statement of framework and design."""
    by_seed = studies.set_index("seed_id")
    rows = []
    for framework in codebook.frameworks:
        seed = framework.study[:3]
        rows.append(
            {
                "研究": STUDY_ZH[framework.study],
                "框架（本书命名）": framework.name_zh,
                "源文献自述的框架": str(by_seed.at[seed, "framework_zh"]),
                "研究设计与资料": str(by_seed.at[seed, "design_zh"]),
                "概念数": len(framework.codes),
            }
        )
    return pd.DataFrame(rows)


def families_overview(codebook: Codebook) -> pd.DataFrame:
    """The top-level codes: id, names, definition and their second-level codes."""
    return pd.DataFrame(
        [
            {
                "代码": top.id,
                "名称": f"{top.name_zh}（{top.name_en}）",
                "定义": top.definition_zh,
                "二级代码": "、".join(c.name_zh for c in codebook.codes if c.parent == top.id),
            }
            for top in codebook.codes
            if top.is_top
        ]
    )
