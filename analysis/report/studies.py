"""Display tables of the five source studies and of the reform events."""

from __future__ import annotations

import pandas as pd

from analysis.report.timeline import CERTAINTY_ZH, LEVEL_ZH

__all__ = ["DOC_TYPE_ZH", "events_table", "studies_table"]

DOC_TYPE_ZH: dict[str, str] = {
    "journal_article": "期刊论文",
    "phd_thesis": "博士学位论文（OCR）",
    "spliced_texts": "两篇文本拼接",
    "web_reprint": "网络转载",
}


def studies_table(studies: pd.DataFrame) -> pd.DataFrame:
    """The five studies as the introduction shows them (one row per seed)."""
    year = studies["year"].where(studies["year"] != "", "未印出")
    year = year.where(studies["year_source"] != "inferred", year + "（据 DOI 推断）")
    authors = studies["authors_zh"].where(studies["authors_zh"] != "", "未印出")
    return pd.DataFrame(
        {
            "种子": studies["seed_id"],
            "作者": authors,
            "年份": year,
            "题目": studies["title_zh"],
            "类型": studies["doc_type"].map(DOC_TYPE_ZH),
            "案例": studies["cases_zh"],
            "分析框架": studies["framework_zh"],
            "研究设计与资料": studies["design_zh"],
        }
    )


def events_table(prepared: pd.DataFrame) -> pd.DataFrame:
    """The events behind the timeline chart, with their seed and line range."""
    return pd.DataFrame(
        {
            "编号": prepared["event_id"],
            "日期": prepared["date"],
            "事件": prepared["title_zh"],
            "层级": prepared["level"].map(LEVEL_ZH),
            "地区": prepared["region"],
            "出处（种子：行）": prepared["seed_id"]
            + "："
            + prepared["line_from"].astype(str)
            + "–"
            + prepared["line_to"].astype(str),
            "可信度": prepared["certainty"].map(CERTAINTY_ZH),
        }
    )
