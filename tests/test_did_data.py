"""The DID data: schemas, cohorts and the clear errors on bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data import io, paths
from analysis.data.schemas.did import ALLIANCE_MEMBERSHIP, ALLIANCE_SOURCES, PROVINCE_PANEL
from analysis.did.panel import (
    VARIANTS,
    analysis_panel,
    check_alliances,
    cohorts,
    compare_with_dissertation,
    load_panel,
    validate_panel,
)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return load_panel()


def test_panel_is_balanced_with_the_dissertation_cohorts(panel: pd.DataFrame) -> None:
    assert len(panel) == 31 * 12
    sizes = panel.groupby("cohort")["unit"].nunique().to_dict()
    assert sizes == {0: 18, 2019: 4, 2020: 3, 2021: 5, 2022: 1}
    variant = load_panel(variant="ppd")
    assert variant.groupby("cohort")["unit"].nunique().to_dict() == {0: 13, 2019: 4, 2020: 3, 2021: 11}
    # every compact found in public sources: five provinces stay untreated
    everything = load_panel(variant="all")
    never = everything.groupby("province_en")["cohort"].first()
    assert sorted(never[never == 0].index) == ["Inner Mongolia", "Jilin", "Liaoning", "Shandong", "Shanxi"]


def test_cohort_is_the_first_compact() -> None:
    sources = io.load_table("did_alliance_sources")
    assert cohorts(sources, VARIANTS["main"])["Guangxi"] == 2022
    assert cohorts(sources, VARIANTS["ppd"])["Guangxi"] == 2021
    assert cohorts(sources, VARIANTS["cy"])["Sichuan"] == 2020
    assert cohorts(sources, VARIANTS["main"])["Shanghai"] == 2019
    with pytest.raises(io.DataError, match=r"no row for compact\(s\) \['nowhere'\]"):
        cohorts(sources, ("yrd", "nowhere"))


def test_public_sources_agree_with_the_dissertation() -> None:
    sources = io.load_table("did_alliance_sources")
    membership = io.load_table("did_alliance_membership")
    assert compare_with_dissertation(sources, membership) == []
    moved = sources.copy()
    moved.loc[moved["compact_id"] == "sw", "first_year"] = 2020
    assert compare_with_dissertation(moved, membership) == ["compact 'sw': first year [2021] vs 2020"]
    fewer = membership[membership["province_en"] != "Tibet"]
    assert compare_with_dissertation(sources, fewer) == ["compact 'sw': members differ (['Tibet'])"]


def test_a_bad_source_row_is_named(tmp_path: Path) -> None:
    raw = pd.read_csv(paths.RAW_DIR / "did_alliance_sources.csv", dtype=str, keep_default_na=False)
    bad = raw.copy()
    bad.loc[4, "url"] = "sc.people.com.cn/no-scheme"
    with pytest.raises(io.DataError, match=r"bad\.csv, line 6, field 'url'"):
        io.read_csv_validated(_write(tmp_path, bad), ALLIANCE_SOURCES)
    bad = raw.copy()
    bad.loc[1, "used_as"] = "variant"
    with pytest.raises(
        io.DataError, match=r"line 3, field 'used_as/compact_id'.*used_as must be the compact's role"
    ):
        io.read_csv_validated(_write(tmp_path, bad), ALLIANCE_SOURCES)


def _write(tmp_path: Path, frame: pd.DataFrame) -> Path:
    path = tmp_path / "bad.csv"
    frame.to_csv(path, index=False)
    return path


def test_unbalanced_raw_panel_is_named(tmp_path: Path) -> None:
    raw = pd.read_csv(paths.RAW_DIR / "did_province_panel.csv", dtype=str, keep_default_na=False)
    path = _write(tmp_path, raw.drop(index=5))
    with pytest.raises(
        io.DataError, match=r"bad\.csv, line 6, field 'year', value 2005: .*Shanghai has no row"
    ):
        io.read_csv_validated(path, PROVINCE_PANEL)


def test_duplicate_province_year_is_named(tmp_path: Path) -> None:
    raw = pd.read_csv(paths.RAW_DIR / "did_province_panel.csv", dtype=str, keep_default_na=False)
    path = _write(tmp_path, pd.concat([raw, raw.iloc[[3]]]))
    with pytest.raises(io.DataError, match=r"bad\.csv, line 746: repeats line 5 exactly"):
        io.read_csv_validated(path, PROVINCE_PANEL)


def test_unbalanced_analysis_panel(panel: pd.DataFrame) -> None:
    with pytest.raises(io.DataError, match=r"test panel, row 1, field 'unit/year', .*panel must be balanced"):
        validate_panel(panel.iloc[1:], "test panel")


def test_unit_treated_twice(panel: pd.DataFrame) -> None:
    bad = panel.copy()
    row = bad.index[bad["cohort"] == 2019][0]
    bad.loc[row, "cohort"] = 2021
    with pytest.raises(
        io.DataError, match=r"test panel, row 1, field 'unit/cohort', .*a unit is treated twice"
    ):
        validate_panel(bad, "test panel")


def test_cohort_after_the_last_year(panel: pd.DataFrame) -> None:
    bad = panel.copy()
    bad.loc[bad["unit"] == 0, "cohort"] = 2025
    with pytest.raises(io.DataError, match=r"cohort must be 0 .* not after the last year"):
        validate_panel(bad, "test panel")


def test_alliance_year_must_match_its_date(tmp_path: Path) -> None:
    raw = pd.read_csv(paths.RAW_DIR / "did_alliance_membership.csv", dtype=str, keep_default_na=False)
    raw.loc[2, "first_year"] = "2018"
    path = _write(tmp_path, raw)
    with pytest.raises(
        io.DataError,
        match=r"bad\.csv, line 4, field 'event_date/first_year', .*first_year is the year of event_date",
    ):
        io.read_csv_validated(path, ALLIANCE_MEMBERSHIP)


def test_unknown_province_in_sources() -> None:
    sources = io.load_table("did_alliance_sources")
    bad = sources.copy()
    bad.loc[1, "provinces_en"] = "Shanghai;Atlantis"
    with pytest.raises(io.DataError, match=r"\['Atlantis'\] are not in the province panel"):
        analysis_panel(io.load_table("did_province_panel"), bad)
    with pytest.raises(io.DataError, match="unknown design variant 'other'"):
        analysis_panel(io.load_table("did_province_panel"), sources, variant="other")


def test_alliance_dates_are_in_their_seed_lines(manifest: io.Manifest, seeds_dir: Path) -> None:
    alliances = io.load_table("did_alliance_membership")
    assert check_alliances(alliances, manifest, seeds_dir) == []
    bad = alliances.copy()
    bad.loc[4, "first_year"] = 2017
    problems = check_alliances(bad, manifest, seeds_dir)
    assert problems == [
        "data/raw/did_alliance_membership.csv, line 6 (Beijing, jjj), field 'evidence_zh': "
        "stated year 2017 is not in evidence_zh"
    ]
    bad.loc[4, ["line_from", "line_to"]] = [1, 2]
    assert any("not found in lines 1-2" in p for p in check_alliances(bad, manifest, seeds_dir))
