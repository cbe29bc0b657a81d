"""The fit-table audit against published fit tables, and its flags on inconsistent ones.

Published tables (lavaan output; lavaan's RMSEA uses N, its EQS mimic and AMOS use N - 1):

* HS: Holzinger-Swineford three-factor CFA, the lavaan tutorial model (N = 301); chi2, df,
  baseline, CFI, TLI and the RMSEA interval as lavaan prints them, NFI, RFI, PNFI and IFI as
  the easystats ``performance`` test suite records lavaan's ``fitMeasures``.
* PD: PoliticalDemocracy, the lavaan tutorial SEM (N = 75): chi2 38.125 on 35 df, baseline
  730.654 on 55 df, CFI 0.995, TLI 0.993, RMSEA 0.035.
* PD-EQS: the same model fitted with ``mimic = "EQS"``, whose full ``fitMeasures`` include
  GFI 0.923, AGFI 0.854 and PGFI 0.489 for 11 observed variables.
"""

from __future__ import annotations

import dataclasses

import pytest

from analysis.sem import fit_audit as fa

HS = fa.FitTable(
    chi2="85.306",
    df="24",
    n="301",
    baseline_chi2="918.852",
    baseline_df="36",
    reported={
        "cfi": "0.931",
        "tli": "0.896",
        "rmsea": "0.092",
        "rmsea_ci_low": "0.071",
        "rmsea_ci_high": "0.114",
        "nfi": "0.907",
        "rfi": "0.861",
        "pnfi": "0.605",
        "ifi": "0.931",
    },
    rmsea_n_minus_one=False,
)
PD = fa.FitTable(
    "38.125",
    "35",
    "75",
    "730.654",
    "55",
    reported={"cfi": "0.995", "tli": "0.993", "rmsea": "0.035"},
    rmsea_n_minus_one=False,
)
PD_EQS = fa.FitTable(
    chi2="37.617",
    df="35",
    n="75",
    baseline_chi2="720.912",
    baseline_df="55",
    n_observed=11,
    reported={
        "cfi": "0.996",
        "tli": "0.994",
        "rfi": "0.918",
        "nfi": "0.948",
        "pnfi": "0.603",
        "ifi": "0.996",
        "rmsea": "0.032",
        "rmsea_ci_low": "0.000",
        "rmsea_ci_high": "0.091",
        "gfi": "0.923",
        "agfi": "0.854",
        "pgfi": "0.489",
    },
)


@pytest.mark.parametrize(("table", "n_checks"), [(HS, 9), (PD, 3), (PD_EQS, 12)])
def test_published_tables_pass_every_check(table: fa.FitTable, n_checks: int) -> None:
    result = fa.audit(table)
    assert len(result) == n_checks
    assert result["consistent"].all(), result[~result["consistent"]]


def test_recomputed_values_match_lavaan_to_the_printed_digit() -> None:
    result = fa.audit(HS).set_index("index")["recomputed"]
    assert result["rmsea"] == pytest.approx(0.092, abs=5e-4)
    assert result["rmsea_ci_low"] == pytest.approx(0.071, abs=5e-4)
    assert result["rmsea_ci_high"] == pytest.approx(0.114, abs=5e-4)
    assert result["cfi"] == pytest.approx(0.931, abs=5e-4)
    assert result["tli"] == pytest.approx(0.896, abs=5e-4)


@pytest.mark.parametrize(
    ("index", "wrong"),
    [("cfi", "0.941"), ("tli", "0.886"), ("rmsea", "0.082"), ("rmsea_ci_high", "0.124"), ("nfi", "0.917")],
)
def test_a_misprinted_index_is_flagged(index: str, wrong: str) -> None:
    bad = dataclasses.replace(HS, reported={**HS.reported, index: wrong})
    result = fa.audit(bad).set_index("index")
    assert not result.loc[index, "consistent"]
    assert result.drop(index)["consistent"].all()


def test_last_digit_rounding_is_not_flagged() -> None:
    # CFI recomputes to 0.93055-0.93056 over the inputs' rounding: 0.931 is right, and a
    # printed 0.932 (interval 0.9315-0.9325) cannot come from these inputs.
    ok = dataclasses.replace(HS, reported={"cfi": "0.931"})
    off = dataclasses.replace(HS, reported={"cfi": "0.932"})
    assert fa.audit(ok)["consistent"].all()
    assert not fa.audit(off)["consistent"].any()


def test_gfi_triad_flags_a_wrong_pgfi() -> None:
    bad = dataclasses.replace(PD_EQS, reported={**PD_EQS.reported, "pgfi": "0.420"})
    result = fa.audit(bad)
    pgfi = result[result["index"] == "pgfi"]
    assert len(pgfi) == 2 and not pgfi["consistent"].any()
    assert result[result["index"] == "agfi"]["consistent"].all()


def test_chi2_df_ratio_is_checked() -> None:
    right = dataclasses.replace(PD, reported={"chi2_df": "1.089"})
    wrong = dataclasses.replace(PD, reported={"chi2_df": "1.189"})
    assert fa.audit(right)["consistent"].all()
    assert not fa.audit(wrong)["consistent"].any()
    assert fa.df_implied_by_ratio(38.125, 1.089) == pytest.approx(35.0, abs=0.02)


def test_rmsea_ci_edge_cases() -> None:
    low, high = fa.rmsea_ci(20.0, 35.0, 74.0)  # chi2 far below df: both ends at zero or tiny
    assert low == 0.0 and 0.0 <= high < 0.05
    assert fa.rmsea(20.0, 35.0, 74.0) == 0.0


def test_baseline_from_ecvi_and_nfi() -> None:
    base = fa.baseline_chi2_from_ecvi("43.346", 457, 30)
    assert base.value == pytest.approx(43.346 * 456 - 60)
    assert base.half_width == pytest.approx(0.0005 * 456)
    from_nfi = fa.baseline_chi2_from_nfi("85.306", "0.907")
    assert from_nfi.low <= 918.852 <= from_nfi.high


def test_printed_parses_rounding() -> None:
    assert fa.Printed.parse("0.933").half_width == pytest.approx(0.0005)
    assert fa.Printed.parse("390").half_width == 0.0
    assert fa.Printed.parse("1673.579").low == pytest.approx(1673.5785)
