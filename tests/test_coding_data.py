"""The book's coding data meet the design: enough segments, cases and code uses; the second
coding covers exactly the drawn samples; the consensus coding is well formed."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding import consensus, reliability
from analysis.coding.codebook import Codebook
from analysis.coding.matrices import code_counts
from analysis.coding.segments import CASE_STUDY, load_codebook_data, load_segments, split_codes
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
    assert list(second["segment_id"]) == reliability.second_coding_sample(first, 0.25, 20261122)
    assert len(second) >= 0.25 * len(first)


def test_consensus_coding(first: pd.DataFrame, codebook: Codebook) -> None:
    final = consensus.final_segments(codebook)
    assert list(final["segment_id"]) == list(first["segment_id"])
    assert (final["codes"] != "").all()
    coded = ["codes", "framework_codes"]
    assert (final.drop(columns=coded) == first.drop(columns=coded)).all().all()
    # framework codes change only where a revision names one, and exactly as it says
    revisions = io.load_table("coding_revisions")
    framework = revisions[revisions["code_id"].str.contains(":", regex=False)]
    changed = final[final["framework_codes"] != first["framework_codes"]]["segment_id"]
    assert set(changed) == set(framework["segment_id"])
    by_id = final.set_index("segment_id")
    for sid, code, action in zip(
        framework["segment_id"], framework["code_id"], framework["action"], strict=True
    ):
        assert (code in split_codes(str(by_id.at[sid, "framework_codes"]))) == (action == "add")


def test_a_framework_revision_is_applied_to_double_coded_segments(
    first: pd.DataFrame, codebook: Codebook
) -> None:
    """Framework codes were coded once; the adjudication log does not settle them."""
    rec = first[first["framework_codes"] != ""].iloc[0]
    sid, code = str(rec["segment_id"]), split_codes(str(rec["framework_codes"]))[0]
    rev = pd.DataFrame(
        [(sid, code, "remove", "理由")], columns=["segment_id", "code_id", "action", "rationale_zh"]
    )
    out = consensus.apply_revisions(first, rev, codebook, {sid}, "rev.csv").set_index("segment_id")
    assert code not in split_codes(str(out.at[sid, "framework_codes"]))
    assert set(split_codes(str(out.at[sid, "codes"]))) == set(split_codes(str(rec["codes"])))
    leaf = split_codes(str(rec["codes"]))[0]
    rev.loc[0, "code_id"] = leaf
    with pytest.raises(DataError, match="double-coded"):
        consensus.apply_revisions(first, rev, codebook, {sid}, "rev.csv")


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
    with pytest.raises(DataError, match="double-coded"):
        consensus.apply_revisions(first, bad.iloc[:1], codebook, {sid}, "rev.csv")


def test_later_rounds_exclude_earlier_segments(first: pd.DataFrame) -> None:
    one = reliability.second_coding_sample(first, 0.25, 1)
    two = reliability.second_coding_sample(first, 0.15, 2, exclude=frozenset(one))
    assert not set(one) & set(two)
    assert reliability.second_coding_sample(first, 0.25, 1) == one
