"""Display tables of the codebook for the book (the codebook appendix and the frameworks chapter)."""

from __future__ import annotations

import re

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.report.format import line_spec, seed_ref, study_name
from analysis.report.studies import spliced_part

__all__ = [
    "changelog_table",
    "crosswalk_summary",
    "crosswalk_table",
    "families_overview",
    "family_table",
    "framework_codes_table",
    "frameworks_overview",
    "frameworks_side_by_side",
    "reader_text",
]


_SEED_FILE = re.compile(r"种子\s*(00[0-4])")


def reader_text(text: str) -> str:
    """Codebook prose as the book writes it: the source files are 来源文件, never 种子.

    The codebook's own notes sometimes call a source file a 种子 (its working name), the word
    the book keeps for random seeds.
    """
    return _SEED_FILE.sub(r"来源文件 \1", text).replace("种子", "原文")


def changelog_table(codebook: Codebook) -> pd.DataFrame:
    """The change log, oldest first."""
    return pd.DataFrame(
        [
            {"版本": c.version, "日期": c.date, "修改内容": reader_text(c.changes_zh)}
            for c in codebook.changelog
        ]
    )


def family_table(codebook: Codebook, top: str) -> pd.DataFrame:
    """The second-level codes of one family: id, names, definition, rules and example.

    The English name is the codebook's exchange name (REFI-QDA, Taguette); it stands in a column
    of its own, in the appendix only.
    """
    rows = []
    for code in codebook.codes:
        if code.parent != top:
            continue
        ex = code.example
        rows.append(
            {
                "代码": code.id,
                "名称": code.name_zh,
                "英文名（交换格式）": code.name_en,
                "定义": reader_text(code.definition_zh),
                "纳入规则": reader_text(code.include_zh),
                "排除规则": reader_text(code.exclude_zh),
                "例证": f"“{ex.quote_zh}”（{seed_ref(ex.seed_id, ex.line_from, ex.line_to)}）" if ex else "",
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
            row[study_name(study, short=True)] = (
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
                "定义": reader_text(c.definition_zh),
                "原文行": line_spec(c.source_lines, bare=True),
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
                "研究": study_name(framework.study),
                "框架": framework.name_zh,
                "原文行": line_spec(framework.source_lines, bare=True),
                "顶层概念": "；".join(tops),
                "概念数": len(framework.codes),
                "对应的整合代码数": len(mapped),
            }
        )
    return pd.DataFrame(rows)


def crosswalk_summary(codebook: Codebook) -> dict[str, int | str]:
    """How widely the integrated codes are anchored in the studies' own concepts.

    Besides the counts, three sentences that read well for every count: where the widest codes
    are anchored (``widest_phrase``), which codes rest on one framework or none (``anchoring``),
    and which study concepts no integrated code takes up (``unmapped_phrase``).
    """
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
    parents = {c.parent for f in codebook.frameworks for c in f.codes}
    n_parents = sum(1 for c in unmapped if c.id in parents)
    single = [names[c] for c, k in reach.items() if k == 1]
    unanchored = [names[c] for c, k in reach.items() if k == 0]
    widest_codes = "、".join(names[c] for c, k in reach.items() if k == widest)
    if widest == n_studies:
        widest_phrase = f"在全部 {n_studies} 个框架中都有对应的概念：{widest_codes}"
    else:
        widest_phrase = f"在 {n_studies} 个框架中的 {widest} 个里有对应的概念：{widest_codes}"
    weak = [f"{len(unanchored)} 个代码没有任何框架与之对应（{'、'.join(unanchored)}）"] if unanchored else []
    weak += [f"{len(single)} 个代码只对应一个框架（{'、'.join(single)}）"] if single else []
    anchoring = (
        "；".join(weak) + "，它们的依据只来自本书的归纳或单项研究"
        if weak
        else "没有只对应一个框架、更没有无框架对应的代码：编码表中的每个二级代码都至少扎根于两项研究的概念"
    )
    n_all, n_own = len(codebook.framework_code_ids), len(unmapped) - n_parents
    if not unmapped:
        unmapped_phrase = f"反过来，全部 {n_all} 个研究概念都有整合代码与之对应"
    else:
        head = f"反过来，{n_all} 个研究概念中有 {len(unmapped)} 个没有整合代码与之对应"
        subject = "它" if len(unmapped) == 1 else "它们都"
        if n_parents and n_own:
            tail = f"：其中 {n_parents} 个是统领下位概念的上位概念，{n_own} 个是某项研究独有的概念"
        elif n_parents:
            tail = f"，{subject}是统领下位概念的上位概念"
        else:
            tail = f"，{subject}是某项研究独有的概念"
        unmapped_phrase = head + tail
    return {
        "n_concepts_unmapped": len(unmapped),
        "n_concepts": len(codebook.framework_code_ids),
        "n_studies": n_studies,
        "widest": widest,
        "widest_phrase": widest_phrase,
        "n_single": len(single),
        "n_unanchored": len(unanchored),
        "anchoring": anchoring,
        "unmapped_phrase": unmapped_phrase,
        "mean_reach": f"{sum(reach.values()) / len(reach):.1f}",
    }


def frameworks_side_by_side(codebook: Codebook, studies: pd.DataFrame) -> pd.DataFrame:
    """The six frameworks with each study's own statement of framework and design.

    File 004 splices two texts; each of its two frameworks gets the part of the description that
    concerns its own text.
    """
    by_seed = studies.set_index("seed_id")
    rows = []
    for framework in codebook.frameworks:
        seed, part = framework.study[:3], framework.study[3:]

        def own(column: str, seed: str = seed, part: str = part) -> str:
            text = str(by_seed.at[seed, column])
            return spliced_part(text, part) if part else text

        rows.append(
            {
                "研究": study_name(framework.study),
                "框架（本书命名）": framework.name_zh,
                "来源研究自述的框架": own("framework_zh"),
                "研究设计与资料": own("design_zh"),
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
                "名称": top.name_zh,
                "定义": reader_text(top.definition_zh),
                "二级代码": "、".join(c.name_zh for c in codebook.codes if c.parent == top.id),
            }
            for top in codebook.codes
            if top.is_top
        ]
    )
