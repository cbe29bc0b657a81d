"""The transcribed SEM statistics: schema rules and their digits against the seed lines."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data import io
from analysis.data.schemas.sem import SEM_REPORTED
from analysis.sem.reported import SEM_TABLES, check_reported, load_reported, number, reported_value

RAW = "data/raw/sem_measurement.csv"


def _table(name: str = "sem_measurement") -> pd.DataFrame:
    return io.load_table(name)


def test_every_sem_value_is_in_its_cited_lines(manifest: io.Manifest, seeds_dir: Path) -> None:
    for name in SEM_TABLES:
        assert check_reported(_table(name), manifest, seeds_dir, name) == []


def test_key_statistics_are_transcribed() -> None:
    rep = load_reported()
    assert reported_value(rep, "text_n") == 457
    assert reported_value(rep, "t69_chi2") == pytest.approx(1673.579)
    assert reported_value(rep, "t612_chi2") == pytest.approx(1319.002)
    assert reported_value(rep, "t69_chi2_df") == pytest.approx(3.991)
    assert reported_value(rep, "t612_chi2_df") == pytest.approx(2.708)
    betas = rep[(rep["quantity"] == "beta")]
    assert len(betas[betas["model"] == "M0"]) == 12 and len(betas[betas["model"] == "M1"]) == 7
    corr = rep[(rep["model"] == "CFA6") & (rep["quantity"].isin(["corr", "sqrt_ave"]))]
    assert len(corr) == 21
    assert len(rep[(rep["model"] == "CFA6") & (rep["quantity"] == "loading")]) == 30


def test_every_value_has_a_certainty_and_inferred_ones_say_how() -> None:
    rep = load_reported()
    assert set(rep["certainty"]) <= {"high", "medium", "uncertain", "inferred", "missing"}
    inferred = rep[rep["certainty"] == "inferred"]
    assert set(inferred["stat_id"]) == {"t67_df", "t69_df", "t612_df"}
    assert all("NCP" in n or "ECVI" in n or "moments" in n for n in inferred["note_en"])


def test_a_digit_not_in_the_quotation_is_caught(manifest: io.Manifest, seeds_dir: Path) -> None:
    bad = _table()
    row = bad.index[bad["stat_id"] == "t65_load_DK1"][0]
    bad.loc[row, "legible"] = "0851"
    problems = check_reported(bad, manifest, seeds_dir, RAW)
    assert len(problems) == 1 and "(t65_load_DK1), field 'legible', value '0851'" in problems[0]


def test_a_value_cited_at_the_wrong_lines_is_caught(manifest: io.Manifest, seeds_dir: Path) -> None:
    bad = _table()
    bad.loc[0, ["line_from", "line_to"]] = [100, 101]
    problems = check_reported(bad, manifest, seeds_dir, RAW)
    assert len(problems) == 1 and "not found in lines 100-101" in problems[0]


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("value", ""),  # a 'high' row without a value
        ("legible", "999"),  # legible digits that are not part of the value
        ("low", "0.9"),  # low above the value
        ("certainty", "certain"),  # not a certainty flag
    ],
)
def test_schema_rejects_inconsistent_rows(tmp_path: Path, column: str, value: str) -> None:
    frame = pd.read_csv(io.paths.DATA_DIR / "raw/sem_measurement.csv", dtype=str, keep_default_na=False)
    row = frame.index[frame["stat_id"] == "t65_load_DK1"][0]
    frame.loc[row, column] = value
    path = tmp_path / "sem_measurement.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(io.DataError, match=rf"sem_measurement\.csv, line {row + 2}, field '[a-z/]*{column}"):
        io.read_csv_validated(path, SEM_REPORTED)


def test_number_parses_empty_cells_as_nan() -> None:
    assert number("") != number("")  # nan
    assert number("-0.03") == -0.03
