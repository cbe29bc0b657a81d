"""The actor coding: its sample, its checks and its reliability."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.coding import actors, consensus
from analysis.coding.reliability import second_coding_sample
from analysis.coding.segments import first_cut
from analysis.data.errors import DataError


@pytest.fixture(scope="module")
def segments():  # type: ignore[no-untyped-def]
    return consensus.final_segments()


@pytest.fixture(scope="module")
def coding(segments):  # type: ignore[no-untyped-def]
    return actors.load_actor_coding(segments)


def test_coder_b_coded_the_stated_sample(segments, coding) -> None:  # type: ignore[no-untyped-def]
    assert sorted(coding.second["segment_id"]) == second_coding_sample(first_cut(segments), 0.25, 20261206)


def test_a_segment_without_coder_a_is_named(segments, coding) -> None:  # type: ignore[no-untyped-def]
    extra = segments.iloc[:1].assign(segment_id="SEG-LX-999")
    with pytest.raises(DataError, match="SEG-LX-999"):
        actors.load_actor_coding(pd.concat([segments, extra]))


def test_reliability_moves_with_one_disagreement(coding) -> None:  # type: ignore[no-untyped-def]
    base = actors.actor_reliability(coding, n_boot=50)
    second = coding.second.copy()
    row = second.index[second["actors"] != ""][0]
    second.loc[row, "actors"] = ""
    changed = actors.actor_reliability(dataclasses.replace(coding, second=second), n_boot=50)
    pooled = base.table.set_index("level").loc["pooled_type", "alpha"]
    assert changed.table.set_index("level").loc["pooled_type", "alpha"] < pooled


def test_case_roles_keeps_every_entry(segments, coding) -> None:  # type: ignore[no-untyped-def]
    roles = actors.case_roles(segments, coding)
    n_entries = sum(len([e for e in cell.split(";") if e]) for cell in coding.first["actors"])
    assert len(roles) == n_entries
    assert set(roles["case_id"]) <= set(segments["case_id"])
