"""The dated policy timeline of the reform, from the provenance-checked event table."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.report.chart import OfflineChart
from analysis.report.format import seed_ref

__all__ = [
    "CERTAINTY_ZH",
    "LEVEL_ZH",
    "PRECISION_ZH",
    "date_zh",
    "event_date_zh",
    "event_label",
    "event_summary",
    "prepare_events",
    "timeline_chart",
    "timeline_rows",
]

LEVEL_ZH: dict[str, str] = {"national": "全国", "regional": "区域", "local": "地方"}
PRECISION_ZH: dict[str, str] = {"year": "仅知年份", "month": "精确到月", "day": "精确到日"}
CERTAINTY_ZH: dict[str, str] = {"high": "高", "medium": "中", "low": "低"}


def _plot_date(date: str, precision: str) -> pd.Timestamp:
    # A year-only date is drawn at mid-year and a month-only date mid-month, with its own mark
    # shape, so the chart never claims more precision than the source gives.
    if precision == "year":
        return pd.Timestamp(f"{date}-07-01")
    if precision == "month":
        return pd.Timestamp(f"{date}-15")
    return pd.Timestamp(date)


def prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    """Events with a sorting date and Chinese labels.

    Parameters
    ----------
    events : pd.DataFrame
        The validated ``reform_events`` table.

    Returns
    -------
    pd.DataFrame
        The input columns plus ``plot_date`` (a year-only date at mid-year, a month-only date at
        mid-month, so nothing claims more precision than the source gives), ``year``,
        ``level_zh``, ``precision_zh`` and ``certainty_zh``, sorted by date.
    """
    return events.assign(
        plot_date=[_plot_date(d, p) for d, p in zip(events["date"], events["date_precision"], strict=True)],
        year=events["date"].str[:4].astype(int),
        level_zh=events["level"].map(LEVEL_ZH),
        precision_zh=events["date_precision"].map(PRECISION_ZH),
        certainty_zh=events["certainty"].map(CERTAINTY_ZH),
    ).sort_values(["plot_date", "event_id"], ignore_index=True)


def event_label(event_id: str, title: str, region: str, level: str) -> str:
    """An event's id and title, with its place in brackets where the title does not name it.

    ``E26 西南五省“跨省通办”合作协议``; ``E18 〔L市〕X局设行政服务中心``.
    """
    place = "" if level == "national" or region in title else f"〔{region}〕"
    return f"{event_id} {place}{title}"


#: Layout of the timeline (px): year column, width of each level's column, height of a row.
_YEAR_W, _COL_W, _ROW_H = 52, 250, 18


def timeline_rows(prepared: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Events with a row, the year labels, and the gaps between years with no event.

    A year takes as many rows as its busiest level has events; the events of one year and level
    fill consecutive rows in date order. Between two years more than one year apart a row names
    the gap.
    """
    levels = list(LEVEL_ZH)
    events = prepared.assign(
        label=[
            event_label(e, t, r, lv)
            for e, t, r, lv in zip(
                prepared["event_id"], prepared["title_zh"], prepared["region"], prepared["level"], strict=True
            )
        ],
        column=[levels.index(lv) for lv in prepared["level"]],
    )
    events["within"] = events.groupby(["year", "level"]).cumcount()
    row = 0
    rows: dict[int, int] = {}
    years: list[dict[str, object]] = []
    gaps: list[dict[str, object]] = []
    previous: int | None = None
    for year in sorted(set(events["year"].astype(int))):
        group = events[events["year"] == year]
        if previous is not None and year - previous > 1:
            gaps.append({"row": row, "text": f"{previous + 1}–{year - 1} 年：来源研究没有记载事件"})
            row += 1
        years.append({"row": row, "year": f"{year}", "height": int(group["within"].max()) + 1})
        for index, within in zip(group.index, group["within"], strict=True):
            rows[int(index)] = row + int(within)
        row += int(group["within"].max()) + 1
        previous = year
    events["row"] = pd.Series(rows)
    return events, pd.DataFrame(years), pd.DataFrame(gaps, columns=["row", "text"])


def timeline_chart(prepared: pd.DataFrame) -> OfflineChart:
    """The events by year (rows) and level (columns), each with its id and title.

    Years without events are not drawn; a gap between two years is named in its own row. The
    mark's shape gives the precision of the date, its colour the certainty of the record.
    """
    events, years, gaps = timeline_rows(prepared)
    n_rows = int(events["row"].max()) + 1
    height = (n_rows + 1) * _ROW_H
    width = _YEAR_W + len(LEVEL_ZH) * _COL_W
    data = events.assign(
        x=_YEAR_W + events["column"] * _COL_W + 8,
        y=(events["row"] + 1.5) * _ROW_H,
        date_label=events["date"],
        source=[
            seed_ref(str(s), int(a), int(b))
            for s, a, b in zip(events["seed_id"], events["line_from"], events["line_to"], strict=True)
        ],
    )[["x", "y", "label", "date_label", "title_zh", "region", "precision_zh", "certainty_zh", "source"]]
    xs = alt.Scale(domain=[0, width], nice=False)
    ys = alt.Scale(domain=[0, height], nice=False, reverse=True)

    def xy(chart: alt.Chart) -> alt.Chart:
        return chart.encode(x=alt.X("x:Q", scale=xs, axis=None), y=alt.Y("y:Q", scale=ys, axis=None))

    tooltip = [
        alt.Tooltip("label:N", title="事件"),
        alt.Tooltip("date_label:N", title="日期"),
        alt.Tooltip("region:N", title="地区"),
        alt.Tooltip("precision_zh:N", title="日期精度"),
        alt.Tooltip("certainty_zh:N", title="可信度"),
        alt.Tooltip("source:N", title="出处（文件与行）"),
    ]
    base = alt.Chart(data).encode(tooltip=tooltip)
    points = xy(
        base.mark_point(size=70, filled=True, opacity=1).encode(
            shape=alt.Shape(
                "precision_zh:N",
                title="日期精度",
                scale=alt.Scale(domain=list(PRECISION_ZH.values()), range=["circle", "square", "diamond"]),
                legend=alt.Legend(orient="bottom"),
            ),
            color=alt.Color(
                "certainty_zh:N",
                title="记载的可信度",
                scale=alt.Scale(domain=list(CERTAINTY_ZH.values()), range=["#0072B2", "#56B4E9", "#D55E00"]),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )
    labels = xy(base.mark_text(align="left", baseline="middle", dx=8, fontSize=11).encode(text="label:N"))
    headers = pd.DataFrame(
        {
            "x": [_YEAR_W + i * _COL_W + 8 for i in range(len(LEVEL_ZH))],
            "y": [_ROW_H * 0.5] * len(LEVEL_ZH),
            "text": [f"{v}层面" for v in LEVEL_ZH.values()],
        }
    )
    header_marks = xy(
        alt.Chart(headers)
        .mark_text(align="left", baseline="middle", fontSize=12, fontWeight="bold")
        .encode(text="text:N")
    )
    year_marks = xy(
        alt.Chart(years.assign(x=_YEAR_W - 10, y=(years["row"] + 1.5) * _ROW_H))
        .mark_text(align="right", baseline="middle", fontSize=12)
        .encode(text="year:N")
    )
    starts = pd.concat([years["row"], gaps["row"]], ignore_index=True)
    separators = (
        alt.Chart(pd.DataFrame({"x": 0, "x2": width, "y": (starts + 1) * _ROW_H}))
        .mark_rule(color="#e0e0e0")
        .encode(x=alt.X("x:Q", scale=xs, axis=None), x2="x2:Q", y=alt.Y("y:Q", scale=ys, axis=None))
    )
    layers = [separators, points, labels, header_marks, year_marks]
    if not gaps.empty:
        layers.append(
            xy(
                alt.Chart(gaps.assign(x=_YEAR_W + 8, y=(gaps["row"] + 1.5) * _ROW_H))
                .mark_text(align="left", baseline="middle", fontSize=11, fontStyle="italic", color="#777777")
                .encode(text="text:N")
            )
        )
    chart = alt.layer(*layers).properties(width=width, height=height)
    return OfflineChart(
        chart,
        description=(
            "政策与改革事件年表：每行是一个年份，三栏分别为全国、区域与地方层面的事件，每个事件标有编号与"
            "简称；圆点表示只知年份，方块表示精确到月，菱形表示精确到日，颜色表示记载的可信度。"
        ),
    )


def event_summary(prepared: pd.DataFrame) -> dict[str, int | str]:
    """Counts and bounds quoted in the introduction's prose."""
    return {
        "n_events": len(prepared),
        "n_national": int((prepared["level"] == "national").sum()),
        "n_regional": int((prepared["level"] == "regional").sum()),
        "n_local": int((prepared["level"] == "local").sum()),
        "n_seeds": int(prepared["seed_id"].nunique()),
        "first_year": int(prepared["year"].min()),
        "last_year": int(prepared["year"].max()),
        "n_year_only": int((prepared["date_precision"] == "year").sum()),
        "n_inferred": int((prepared["date_source"] == "inferred").sum()),
        "n_low_certainty": int((prepared["certainty"] == "low").sum()),
    }


def date_zh(date: str) -> str:
    """An ISO partial date in Chinese: ``2019`` -> 2019年, ``2019-03`` -> 2019年3月, … 日."""
    parts = [int(p) for p in date.split("-")]
    return "".join(f"{v}{u}" for v, u in zip(parts, ("年", "月", "日"), strict=False))


def event_date_zh(prepared: pd.DataFrame, event_id: str) -> str:
    """The Chinese date of one event, looked up by id (a clear error if the id is unknown)."""
    match = prepared.loc[prepared["event_id"] == event_id, "date"]
    if len(match) != 1:
        raise KeyError(f"reform_events has no single event {event_id!r}")
    return date_zh(str(match.iloc[0]))
