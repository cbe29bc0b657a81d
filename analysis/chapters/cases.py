"""The page ``book/cases.md``: 案例索引.

For each of the nine cases: its name, its segments in the consensus coding, and the events of
the reform timeline that concern its place (:data:`CASE_REGIONS`, matched to the events'
``region``), as the years they span.
"""

from __future__ import annotations

import pandas as pd

from analysis.coding import consensus
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report.page import PageOutput

#: Case -> the timeline's regions that are its place (none for C市, whose study is an abstract).
CASE_REGIONS: dict[str, tuple[str, ...]] = {
    "ZJ-HS": ("浙江",),
    "LX": ("L市",),
    "HZ": ("杭州",),
    "SZ": ("苏州",),
    "C-YJ": (),
    "S-A": ("S市", "S市A区"),
    "QWJ": ("长三角",),
    "JJJ": ("京津冀",),
    "XN": ("西南",),
}


def case_key(case: str) -> str:
    """The case id as it stands in a glue key (``S-A`` -> ``s_a``)."""
    return case.lower().replace("-", "_")


def events_span(events: pd.DataFrame) -> str:
    """The years a set of events spans and how many there are, as the index writes it."""
    if events.empty:
        return "时间线未收录"
    years = sorted({int(str(d)[:4]) for d in events["date"]})
    span = f"{years[0]} 年" if len(years) == 1 else f"{years[0]}—{years[-1]} 年"
    return f"{span}（{len(events)} 项事件）"


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    events = io.load_table("reform_events")
    final = consensus.final_segments()
    counts = final["case_id"].value_counts()
    for case, (_seed, name) in CASES.items():
        key = case_key(case)
        out.value(f"cases_{key}_name", name)
        out.value(f"cases_{key}_n", int(counts.get(case, 0)))
        out.value(f"cases_{key}_events", events_span(events[events["region"].isin(CASE_REGIONS[case])]))
    out.value("cases_n_cases", len(CASES))
    out.value("cases_n_studies", len(io.load_table("source_studies")))
    out.value("cases_n_segments", len(final))
    return out
