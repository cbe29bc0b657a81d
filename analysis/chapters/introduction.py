"""The page ``book/introduction.md``: 导论：整体智治、跨域通办与价值共创."""

from __future__ import annotations

import pandas as pd

from analysis.data import io
from analysis.report import studies, timeline
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

#: Events the prose names, by key: the regional pilots, the national opinions, the data bureau.
NAMED_EVENTS = {
    "yrd": "E11",
    "jjj": "E15",
    "national": "E16",
    "sw": "E26",
    "gx": "E31",
    "extend": "E32",
    "ppd": "E20",
    "data_bureau": "E34",
}


def event_list(events: pd.DataFrame) -> str:
    """Events as ``泛珠三角九省区通办协议（E20）``, joined with the enumeration comma."""
    return "、".join(f"{t}（{e}）" for e, t in zip(events["event_id"], events["title_zh"], strict=True))


def caveat_phrases(events: pd.DataFrame) -> dict[str, str]:
    """The timeline's three caveats as clauses that read well for every count."""
    year_only = int((events["date_precision"] == "year").sum())
    inferred = events[events["date_source"] == "inferred"]
    low = events[events["certainty"] == "low"]
    return {
        "year_only_phrase": (
            "每个事件都有确切的月份或日期"
            if year_only == 0
            else f"有 {year_only} 个事件在来源研究中只给出年份，图中以圆点表示，不应读作确切日期"
        ),
        "inferred_phrase": (
            "没有事件的年份是推断的"
            if inferred.empty
            else f"有 {len(inferred)} 个事件的年份是根据上下文推断的：{event_list(inferred)}"
        ),
        "low_phrase": (
            "没有事件的可信度被标为“低”"
            if low.empty
            else f"可信度被标为“低”的事件有 {len(low)} 个：{event_list(low)}"
            if len(low) > 1
            else f"可信度被标为“低”的只有{event_list(low)}这一个事件"
        ),
    }


def sources_phrase(sources: pd.DataFrame) -> str:
    """Which source studies print no year or no author, for every count."""
    no_year = int((sources["year_source"] != "stated").sum())
    no_author = int((sources["authors_zh"] == "").sum())
    parts = []
    if no_year:
        parts.append(f"{no_year} 份文件没有直接印出出版年份（或只能从 DOI 等处推断）")
    if no_author:
        parts.append(f"{no_author} 份文件没有印出作者")
    return "；".join(parts) if parts else "每份文件都印出了作者与出版年份"


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    events = timeline.prepare_events(io.load_table("reform_events"))
    sources = io.load_table("source_studies")
    for key, value in timeline.event_summary(events).items():
        out.value(f"intro_{key}", value)
    for key, event_id in NAMED_EVENTS.items():
        out.value(f"intro_date_{key}", timeline.event_date_zh(events, event_id))
    out.update(caveat_phrases(events), prefix="intro_")
    out.chart("intro_fig_timeline", timeline.timeline_chart(events))
    out.table(
        "intro_tbl_events",
        BookTable(
            studies.events_table(events), "时间线中的事件及其出处（来源研究与行号）", "tbl-intro-events"
        ),
    )
    out.value("intro_n_studies", len(sources))
    out.value("intro_sources_phrase", sources_phrase(sources))
    shown = studies.studies_table(sources)
    out.value("intro_n_texts", len(shown))
    out.table(
        "intro_tbl_studies",
        BookTable(shown, "本书综合的来源研究：作者、题目、类型与案例", "tbl-intro-studies"),
    )
    return out
