"""The page ``book/introduction.md``: 导论：整体智治、跨域通办与价值共创."""

from __future__ import annotations

from analysis.data import io
from analysis.report import studies, timeline
from analysis.report.page import PageOutput
from analysis.report.table import BookTable


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    events = timeline.prepare_events(io.load_table("reform_events"))
    sources = io.load_table("source_studies")
    for key, value in timeline.event_summary(events).items():
        out.value(f"intro_{key}", value)
    for key, event_id in {
        "yrd": "E11",
        "jjj": "E15",
        "national": "E16",
        "sw": "E26",
        "gx": "E31",
        "extend": "E32",
        "ppd": "E20",
        "data_bureau": "E34",
    }.items():
        out.value(f"intro_date_{key}", timeline.event_date_zh(events, event_id))
    out.chart("intro_fig_timeline", timeline.timeline_chart(events))
    out.table(
        "intro_tbl_events",
        BookTable(
            studies.events_table(events), "时间线中的事件及其出处（种子文件与行号）", "tbl-intro-events"
        ),
    )
    out.value("intro_n_studies", len(sources))
    out.value("intro_n_year_missing", int((sources["year_source"] != "stated").sum()))
    out.value("intro_n_author_missing", int((sources["authors_zh"] == "").sum()))
    out.table(
        "intro_tbl_studies",
        BookTable(
            studies.studies_table(sources),
            "本书综合的五份源文献（由 data/raw/source_studies.csv 生成）",
            "tbl-intro-studies",
        ),
    )
    return out
