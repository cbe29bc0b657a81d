"""The book's coding data meet the design: enough segments, cases and code uses; the second
coding covers exactly the drawn samples; the consensus coding is well formed."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding import consensus, reliability
from analysis.coding.codebook import Codebook
from analysis.coding.matrices import code_counts
from analysis.coding.segments import CASE_STUDY, first_cut, load_codebook_data, load_segments, split_codes
from analysis.data import io
from analysis.data.errors import DataError


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook_data()


@pytest.fixture(scope="module")
def first(codebook: Codebook) -> pd.DataFrame:
    return load_segments(codebook=codebook)


def test_design_targets(first: pd.DataFrame, codebook: Codebook) -> None:
    assert len(first) >= 250
    per_case = first["case_id"].value_counts()
    assert set(per_case.index) == set(CASE_STUDY)
    assert per_case.drop("C-YJ").min() >= 15
    assert code_counts(first, codebook).min() >= 3
    assert (first["coder"] == "A").all()


def test_round_one_covers_the_drawn_sample(first: pd.DataFrame) -> None:
    manifest = io.load_manifest()
    second = consensus.load_second_coding(first, manifest, 1)
    cut = first_cut(first)
    assert list(second["segment_id"]) == reliability.second_coding_sample(cut, 0.25, 20261122)
    assert len(second) >= 0.25 * len(cut)


def test_consensus_coding(first: pd.DataFrame, codebook: Codebook) -> None:
    final = consensus.final_segments(codebook)
    assert list(final["segment_id"]) == list(first["segment_id"])
    assert (final["codes"] != "").all()
    kept = ["codes", "framework_codes"]
    assert (final.drop(columns=kept) == first.drop(columns=kept)).all().all()


def test_revisions_are_checked(first: pd.DataFrame, codebook: Codebook) -> None:
    sid, code = str(first.iloc[0]["segment_id"]), split_codes(str(first.iloc[0]["codes"]))[0]
    bad = pd.DataFrame(
        [(sid, code, "add", "理由"), ("SEG-LX-999", "DAT.SHR", "remove", "理由")],
        columns=["segment_id", "code_id", "action", "rationale_zh"],
    )
    with pytest.raises(DataError) as err:
        consensus.apply_revisions(first, bad, codebook, set(), "rev.csv")
    message = str(err.value)
    assert f"rev.csv, row 1, field 'action', value 'add {code}': {sid} already has this code" in message
    assert "rev.csv, row 2, field 'segment_id', value 'SEG-LX-999': unknown segment" in message
    with pytest.raises(DataError, match="the adjudication log settles it"):
        consensus.apply_revisions(first, bad.iloc[:1], codebook, {(sid, code)}, "rev.csv")


def test_later_rounds_exclude_earlier_segments(first: pd.DataFrame) -> None:
    one = reliability.second_coding_sample(first, 0.25, 1)
    two = reliability.second_coding_sample(first, 0.15, 2, exclude=frozenset(one))
    assert not set(one) & set(two)
    assert reliability.second_coding_sample(first, 0.25, 1) == one
