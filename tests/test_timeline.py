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


def test_events_are_sorted_and_slots_separate_marks(events: pd.DataFrame) -> None:
    assert events["plot_date"].is_monotonic_increasing
    assert not events.duplicated(["lane", "year", "slot"]).any()
    for _, group in events.groupby(["lane", "slot"]):
        gaps = group["plot_date"].diff().dropna().dt.days
        assert (gaps >= 300).all()


def test_lanes_put_national_first(events: pd.DataFrame) -> None:
    lanes = timeline.lane_order(events)
    assert lanes[0] == "全国"
    assert set(lanes) == set(events["lane"])


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
            "certainty": ["high"] * 3,
        }
    )
    prepared = timeline.prepare_events(toy)
    assert prepared["slot"].tolist() == [0, 1, 0]
    assert timeline.lane_order(prepared) == ["全国", "长三角"]
    assert timeline.timeline_chart(prepared).png()[:4] == b"\x89PNG"
