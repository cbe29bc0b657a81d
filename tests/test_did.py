"""DID wrappers, the fast path against the library estimators, RI, power and the replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf

from analysis.did import anchors, estimators
from analysis.did.fast import LinearDesign, ramp_effect
from analysis.did.panel import load_panel
from analysis.did.simulation import (
    minimum_detectable_effect,
    placebo_panel,
    power_draws,
    power_table,
    pretrend_slope,
    randomization_inference,
    regional_placebo_cohorts,
)


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return load_panel()


@pytest.mark.parametrize("control", ["nevertreated", "notyettreated"])
def test_fast_path_equals_library_on_sampled_draws(panel: pd.DataFrame, control: str) -> None:
    design, y, _ = power_draws(panel, "ln_gdp", 0.02, n_draws=40, seed=3)
    design = LinearDesign.from_panel(panel, control)  # type: ignore[arg-type]
    fast = {k: design.aggregate(y, k) for k in ("simple", "dynamic", "group")}
    att = design.att_gt(y)
    twfe, twfe_se, se = design.twfe(y), design.twfe_se(y), design.simple_se(y)
    for r in (0, 17, 39):
        frame = panel.assign(sim=y[:, r])
        lib = estimators.callaway_santanna(frame, "sim", control)  # type: ignore[arg-type]
        cells = lib.att_gt.set_index(["group", "time"])["att"]
        mine = dict(zip([(g, t) for g, t, _ in design.cells], att[:, r], strict=True))
        assert max(abs(cells[k] - mine[k]) for k in cells.index) < 1e-8
        for kind, value in fast.items():
            assert abs(getattr(lib, kind).estimate - value[r]) < 1e-8
        assert abs(lib.simple.se - se[r]) < 1e-8
        tw = estimators.twfe(frame, "sim")
        assert abs(tw.estimate - twfe[r]) < 1e-8
        assert abs(tw.se - twfe_se[r]) < 1e-8


def test_ri_is_seeded_and_exact_in_size(panel: pd.DataFrame) -> None:
    a = randomization_inference(panel, "ln_gdp", n_perm=199, seed=1)
    b = randomization_inference(panel, "ln_gdp", n_perm=199, seed=1)
    assert a == b and a.n_perm == 199
    assert 1 / 200 <= a.p_cs <= 1 and (a.p_twfe * 200) == pytest.approx(round(a.p_twfe * 200))
    assert a.twfe == pytest.approx(estimators.twfe(panel, "ln_gdp").estimate, abs=1e-10)


def test_power_detects_a_large_effect_and_holds_size(panel: pd.DataFrame) -> None:
    table = power_table(panel, "ln_gdp", (0.0, 0.2), n_draws=200, n_perm=199)
    cs = table[table["estimator"] == "CS"].set_index("size")
    assert cs.loc[0.0, "reject_ri"] < 0.15
    assert cs.loc[0.2, "reject_ri"] > 0.95
    assert abs(cs.loc[0.2, "bias"]) < 0.01


def test_ramp_and_mde() -> None:
    assert list(ramp_effect(np.array([-2, 0, 1, 2, 5]), 0.03)) == pytest.approx([0, 0.01, 0.02, 0.03, 0.03])
    curve = pd.DataFrame({"size": [0.0, 0.01, 0.02], "p": [0.05, 0.5, 0.9]})
    assert minimum_detectable_effect(curve, "p") == pytest.approx(0.01 + 0.3 / 0.4 * 0.01)
    assert minimum_detectable_effect(curve.assign(p=0.1), "p") is None


def test_placebo_panel_moves_cohorts(panel: pd.DataFrame) -> None:
    placebo = placebo_panel(panel, 3)
    assert placebo["year"].max() == 2018
    assert sorted(placebo["cohort"].unique()) == [0, 2016, 2017, 2018]


def test_fast_path_rejects_wrong_shapes(panel: pd.DataFrame) -> None:
    design = LinearDesign.from_panel(panel)
    with pytest.raises(ValueError, match="outcome has 3 rows"):
        design.twfe(np.zeros(3))
    with pytest.raises(ValueError, match="sorted by unit"):
        LinearDesign.from_panel(panel.iloc[::-1])


def test_library_wrappers_run(panel: pd.DataFrame) -> None:
    es = estimators.cs_event_study(panel, "ln_gdp")
    frame = es.frame()
    assert frame.loc[frame["e"] == -1, "att"].item() == 0.0
    assert -1 not in es.event_times and es.n_pre == 9 and es.n_post == 5
    assert es.window(-5, 0).event_times.tolist() == [-5, -4, -3, -2, 0]
    twfe, bacon = estimators.bacon(panel, "ln_gdp")
    assert twfe == pytest.approx(estimators.twfe(panel, "ln_gdp").estimate, abs=1e-8)
    assert bacon["weight"].sum() == pytest.approx(1.0)
    dyn = estimators.twfe_event_study(panel, "ln_gdp")
    assert dyn.event_times.tolist() == es.event_times.tolist()
    assert np.allclose(np.diag(dyn.sigma), dyn.sigma.diagonal()) and (np.diag(dyn.sigma) > 0).all()


def test_weights_against_weighted_least_squares(panel: pd.DataFrame) -> None:
    # TWFE with unit weights equals statsmodels WLS with unit and year dummies
    data = panel.assign(
        w=panel["unit"].map(lambda u: 1.0 + (u % 5)), treat=estimators.treatment_indicator(panel)
    )
    ours = estimators.twfe(data, "ln_gdp", weights="w")
    wls = smf.wls("ln_gdp ~ treat + C(unit) + C(year)", data=data, weights=data["w"]).fit()
    assert ours.estimate == pytest.approx(wls.params["treat"], abs=1e-10)
    assert ours.estimate != pytest.approx(estimators.twfe(data, "ln_gdp").estimate, abs=1e-6)
    # constant weights change nothing
    flat = estimators.callaway_santanna(data.assign(w=3.0), "ln_gdp", weights="w")
    assert flat.simple.estimate == pytest.approx(estimators.callaway_santanna(data, "ln_gdp").simple.estimate)


def test_weighted_two_by_two_equals_weighted_group_means() -> None:
    data = anchors.load_jel()
    short = data[data["year"].isin([2013, 2014])]
    means = short.groupby(["cohort", "year"]).apply(
        lambda g: np.average(g["rate"], weights=g["weight"]), include_groups=False
    )
    did = (means[(2014, 2014)] - means[(2014, 2013)]) - (means[(0, 2014)] - means[(0, 2013)])
    assert estimators.twfe(short, "rate", weights="weight").estimate == pytest.approx(did, abs=1e-9)
    cs = estimators.callaway_santanna(short, "rate", weights="weight")
    assert cs.simple.estimate == pytest.approx(did, abs=1e-9)


@pytest.mark.parametrize("bad", [0.0, float("nan")])
def test_bad_weights_are_refused(panel: pd.DataFrame, bad: float) -> None:
    data = panel.assign(w=1.0)
    data.loc[0, "w"] = bad
    with pytest.raises(ValueError, match="positive and finite"):
        estimators.twfe(data, "ln_gdp", weights="w")
    data = panel.assign(w=panel["year"].astype(float))
    with pytest.raises(ValueError, match="constant within each unit"):
        estimators.callaway_santanna(data, "ln_gdp", weights="w")


def test_power_with_a_differential_trend(panel: pd.DataFrame) -> None:
    clean = power_table(panel, "ln_gdp", (0.0,), n_draws=200, n_perm=199)
    tilted = power_table(panel, "ln_gdp", (0.0,), n_draws=200, n_perm=199, trend=0.02)
    cs0 = clean.set_index("estimator").loc["CS"]
    cs1 = tilted.set_index("estimator").loc["CS"]
    assert abs(cs0["bias"]) < 0.01 and cs1["bias"] > 0.03
    assert cs1["reject_ri"] > 0.5 > 0.15 > cs0["reject_ri"]
    e = np.array([-4, -3, -2])
    assert pretrend_slope(e, 0.01 * (e + 1)) == pytest.approx(0.01)


def test_regional_placebo_draws_within_one_region() -> None:
    regions = np.array(["a", "a", "a", "b", "b", "c"])
    rng = np.random.default_rng(0)
    for _ in range(50):
        cohort = regional_placebo_cohorts({2019: 3, 2020: 2}, regions, rng)
        assert sorted(cohort.tolist()).count(2019) == 3 and sorted(cohort.tolist()).count(2020) == 2
        assert len(set(regions[cohort == 2019])) == 1 and len(set(regions[cohort == 2020])) == 1
    with pytest.raises(ValueError, match="no region has 4"):
        regional_placebo_cohorts({2019: 4}, regions, rng)


def test_design_section_lists_every_compact() -> None:
    from analysis.report.did import design_section

    section = design_section()
    assert section.values["did_n_treated"] == 13 and section.values["did_n_never"] == 18
    assert section.values["did_n_never_all"] == 5
    assert section.values["did_seed_web_check"] == "成员与首年完全一致"
    table = section.tables["did_tbl_alliances"].frame
    assert len(table) == 10 and not table["公开来源"].str.contains("（").any()
    assert (table.loc[table["本章用法"] == "主设定", "与刘旭然（2023）对照"] != "论文未记").all()
    assert section.values["did_event_silk"] == "2021年4月21日"


def test_glued_floats_drop_last_bit_noise() -> None:
    from analysis.report.page import PageOutput

    section, other = PageOutput(), PageOutput()
    section.update({"did_a": 0.021268081373139243, "did_b": 3, "did_c": "x"})
    other.update({"did_a": 0.021268081373139236, "did_b": 3, "did_c": "x"})
    assert section.values == other.values
    assert section.values["did_a"] == pytest.approx(0.021268081373139243, rel=1e-11)
