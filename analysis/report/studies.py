"""Display tables of the five source studies and of the reform events."""

from __future__ import annotations

import re

import pandas as pd

from analysis.report.format import SPLICED_004, seed_ref, study_name
from analysis.report.timeline import CERTAINTY_ZH, LEVEL_ZH

__all__ = ["DOC_TYPE_ZH", "events_table", "spliced_part", "studies_table"]

DOC_TYPE_ZH: dict[str, str] = {
    "journal_article": "期刊论文",
    "phd_thesis": "博士学位论文（OCR 文本）",
    "spliced_texts": "两篇文本拼接",
    "web_reprint": "网络转载",
}

_PART = re.compile(r"文本(?P<part>[AB])[^：]*：(?P<text>[^；]*)")


def spliced_part(text: str, part: str) -> str:
    """The part about text ``A`` or ``B`` of a description of file 004 (``文本A…：…；文本B…：…``)."""
    parts = {m.group("part"): m.group("text").strip() for m in _PART.finditer(text)}
    if part not in parts:
        raise ValueError(f"no 文本{part} in the description {text!r}")
    return parts[part]


def _rows(studies: pd.DataFrame) -> list[tuple[str, dict[str, str]]]:
    """One (study id, fields) per study; file 004 gives two, one per spliced text."""
    rows = []
    for rec in studies.to_dict("records"):
        fields = {str(k): str(v) for k, v in rec.items()}
        if fields["doc_type"] != "spliced_texts":
            rows.append((fields["seed_id"], fields))
            continue
        for study in SPLICED_004:
            part = study[-1]
            rows.append(
                (
                    study,
                    fields
                    | {
                        key: spliced_part(fields[key], part)
                        for key in ("cases_zh", "framework_zh", "design_zh")
                    },
                )
            )
    return rows


def _publication(fields: dict[str, str], study: str) -> str:
    kind = DOC_TYPE_ZH[fields["doc_type"]]
    if study in SPLICED_004:
        return f"{kind}之一（{'仅摘要' if study.endswith('A') else '正文'}；作者与题目均未印出）"
    # a year not printed shows in the study's name (年份不详); an inferred one is said here
    return kind + ("（年份据 DOI 推断）" if fields["year_source"] == "inferred" else "")


def studies_table(studies: pd.DataFrame) -> pd.DataFrame:
    """The source studies as the introduction shows them: who, what kind, which cases.

    File 004 splices two texts and gives two rows. The frameworks and designs are in the
    frameworks chapter's table.
    """
    rows = [
        {
            "文献": study_name(study),
            "题目": fields["title_zh"] or "未印出",
            "类型": _publication(fields, study),
            "案例": fields["cases_zh"],
        }
        for study, fields in _rows(studies)
    ]
    return pd.DataFrame(rows)


def events_table(prepared: pd.DataFrame) -> pd.DataFrame:
    """The events behind the timeline chart, with the study and lines they come from."""
    return pd.DataFrame(
        {
            "编号": prepared["event_id"],
            "日期": prepared["date"],
            "事件": prepared["title_zh"],
            "层级": prepared["level"].map(LEVEL_ZH),
            "地区": prepared["region"],
            "出处": [
                seed_ref(str(s), int(a), int(b), short=True)
                for s, a, b in zip(
                    prepared["seed_id"], prepared["line_from"], prepared["line_to"], strict=True
                )
            ],
            "可信度": prepared["certainty"].map(CERTAINTY_ZH),
        }
    )
