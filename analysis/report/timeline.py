"""The dated policy timeline of the reform, from the provenance-checked event table."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.report.chart import OfflineChart

__all__ = [
    "CERTAINTY_ZH",
    "LEVEL_ZH",
    "PRECISION_ZH",
    "date_zh",
    "event_date_zh",
    "event_summary",
    "lane_order",
    "prepare_events",
    "timeline_chart",
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


def prepare_events(events: pd.DataFrame, min_gap_days: int = 300) -> pd.DataFrame:
    """Events with a plotting date, Chinese labels, a lane and a label offset.

    Parameters
    ----------
    events : pd.DataFrame
        The validated ``reform_events`` table.
    min_gap_days : int, default 300
        Minimum distance between two marks drawn in the same sub-row of a lane.

    Returns
    -------
    pd.DataFrame
        The input columns plus ``plot_date``, ``year``, ``level_zh``, ``precision_zh``,
        ``certainty_zh``, ``lane`` (the region) and ``slot`` (the sub-row within the lane: two
        events of one lane less than ``min_gap_days`` apart never share one), sorted by date.
    """
    out = events.assign(
        plot_date=[_plot_date(d, p) for d, p in zip(events["date"], events["date_precision"], strict=True)],
        year=events["date"].str[:4].astype(int),
        level_zh=events["level"].map(LEVEL_ZH),
        precision_zh=events["date_precision"].map(PRECISION_ZH),
        certainty_zh=events["certainty"].map(CERTAINTY_ZH),
    ).sort_values(["plot_date", "event_id"], ignore_index=True)
    out["lane"] = out["region"]
    out["slot"] = _slots(out, min_gap_days)
    return out


def _slots(events: pd.DataFrame, min_gap_days: int) -> list[int]:
    # Greedy interval colouring per lane: an event takes the lowest sub-row whose previous mark
    # lies at least min_gap_days earlier, so neither marks nor their labels collide.
    slots: list[int] = []
    last: dict[tuple[str, int], pd.Timestamp] = {}
    for lane, date in zip(events["lane"], events["plot_date"], strict=True):
        slot = 0
        while (lane, slot) in last and (date - last[(lane, slot)]).days < min_gap_days:
            slot += 1
        last[(lane, slot)] = date
        slots.append(slot)
    return slots


def lane_order(prepared: pd.DataFrame) -> list[str]:
    """Lanes ordered national first, then regional, then local, each by first event."""
    rank = {"national": 0, "regional": 1, "local": 2}
    first = prepared.groupby("lane").agg(level=("level", "first"), first=("plot_date", "min"))
    first["rank"] = first["level"].map(rank)
    return list(first.sort_values(["rank", "first"]).index)


def timeline_chart(prepared: pd.DataFrame) -> OfflineChart:
    """A lane chart of the events: one row per region, one mark per event, its id beside it."""
    lanes = lane_order(prepared)
    data = prepared.assign(date_label=prepared["date"])[
        [
            "event_id",
            "date_label",
            "plot_date",
            "title_zh",
            "lane",
            "level_zh",
            "precision_zh",
            "certainty_zh",
            "slot",
            "seed_id",
        ]
    ].assign(plot_date=lambda d: d["plot_date"].dt.strftime("%Y-%m-%d"))
    x = alt.X("plot_date:T", title="时间", axis=alt.Axis(format="%Y", tickCount="year", labelAngle=0))
    y = alt.Y("lane:N", sort=lanes, title=None, axis=alt.Axis(labelLimit=160))
    color = alt.Color(
        "level_zh:N",
        title="层级",
        sort=list(LEVEL_ZH.values()),
        scale=alt.Scale(domain=list(LEVEL_ZH.values())),
    )
    tooltip = [
        alt.Tooltip("event_id:N", title="编号"),
        alt.Tooltip("date_label:N", title="日期"),
        alt.Tooltip("title_zh:N", title="事件"),
        alt.Tooltip("precision_zh:N", title="日期精度"),
        alt.Tooltip("certainty_zh:N", title="可信度"),
        alt.Tooltip("seed_id:N", title="来源种子"),
    ]
    # Events close in time within a lane are spread over sub-rows (slot), so no marks coincide.
    y_offset = alt.YOffset("slot:O", title=None)
    base = alt.Chart(data).encode(x=x, y=y, yOffset=y_offset, tooltip=tooltip)
    points = base.mark_point(size=80, filled=True, opacity=0.9).encode(
        color=color,
        shape=alt.Shape(
            "precision_zh:N",
            title="日期精度",
            sort=list(PRECISION_ZH.values()),
            scale=alt.Scale(domain=list(PRECISION_ZH.values()), range=["circle", "square", "diamond"]),
        ),
    )
    labels = base.mark_text(align="left", dx=7, fontSize=10, baseline="middle").encode(text="event_id:N")
    chart = (points + labels).properties(width=640, height=alt.Step(14))
    return OfflineChart(
        chart,
        description=(
            "政策与改革事件年表：横轴为时间，纵轴按全国、区域、地方分行，每个点是一个有出处的事件，"
            "旁注事件编号；圆点表示只知年份（画在年中），方块表示精确到月，菱形表示精确到日。"
        ),
    )


def event_summary(prepared: pd.DataFrame) -> dict[str, int | str]:
    """Counts and bounds quoted in the introduction's prose."""
    return {
        "n_events": len(prepared),
        "n_national": int((prepared["level"] == "national").sum()),
        "n_regional": int((prepared["level"] == "regional").sum()),
        "n_local": int((prepared["level"] == "local").sum()),
        "n_lanes": int(prepared["lane"].nunique()),
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
