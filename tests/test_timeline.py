from __future__ import annotations

import pandas as pd
import pytest

from analysis.data import io
from analysis.report import timeline


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return timeline.prepare_events(io.load_table("reform_events"))


def test_plot_dates_never_claim_more_precision(events: pd.DataFrame) -> None:
    year_only = events[events["date_precision"] == "year"]
    assert (year_only["plot_date"].dt.strftime("%m-%d") == "07-01").all()
    days = events[events["date_precision"] == "day"]
    assert (days["plot_date"].dt.strftime("%Y-%m-%d") == days["date"]).all()


def test_events_are_sorted_and_never_share_a_row_of_their_column(events: pd.DataFrame) -> None:
    assert events["plot_date"].is_monotonic_increasing
    rows, years, gaps = timeline.timeline_rows(events)
    assert not rows.duplicated(["row", "column"]).any()
    # a year's events sit in its own band of rows, in date order within each column
    for _, year in rows.groupby("year"):
        band = years[years["year"] == str(year["year"].iloc[0])].iloc[0]
        assert year["row"].between(band["row"], band["row"] + band["height"] - 1).all()
        for _, column in year.groupby("column"):
            assert column["row"].is_monotonic_increasing
    # the years with no event between the first two are named, not drawn as empty space
    assert gaps["text"].tolist() == ["2006–2014 年：来源研究没有记载事件"]


def test_event_labels_name_the_place_only_where_the_title_does_not() -> None:
    assert timeline.event_label("E18", "X局设行政服务中心", "L市", "local") == "E18 〔L市〕X局设行政服务中心"
    assert timeline.event_label("E13", "L市全面启动", "L市", "local") == "E13 L市全面启动"
    assert timeline.event_label("E34", "组建国家数据局", "全国", "national") == "E34 组建国家数据局"


def test_summary_counts_add_up(events: pd.DataFrame) -> None:
    s = timeline.event_summary(events)
    assert s["n_national"] + s["n_regional"] + s["n_local"] == s["n_events"] == len(events)
    assert all(isinstance(v, int) for v in s.values())


@pytest.mark.parametrize(
    ("date", "text"), [("2019", "2019年"), ("2019-03", "2019年3月"), ("2021-04-21", "2021年4月21日")]
)
def test_date_zh(date: str, text: str) -> None:
    assert timeline.date_zh(date) == text


def test_unknown_event_id(events: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="E99"):
        timeline.event_date_zh(events, "E99")


def test_toy_events_chart() -> None:
    toy = pd.DataFrame(
        {
            "event_id": ["E01", "E02", "E03"],
            "date": ["2019", "2019", "2020-09"],
            "date_precision": ["year", "year", "month"],
            "date_source": ["stated"] * 3,
            "title_zh": ["甲", "乙", "丙"],
            "level": ["regional", "regional", "national"],
            "region": ["长三角", "长三角", "全国"],
            "seed_id": ["003"] * 3,
            "line_from": [10, 12, 20],
            "line_to": [10, 12, 21],
            "certainty": ["high"] * 3,
        }
    )
    prepared = timeline.prepare_events(toy)
    rows, years, gaps = timeline.timeline_rows(prepared)
    assert rows["row"].tolist() == [0, 1, 2] and years["height"].tolist() == [2, 1] and gaps.empty
    assert timeline.timeline_chart(prepared).png()[:4] == b"\x89PNG"
