"""DID wrappers, the fast path against the library estimators, RI, power and the replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.did import estimators
from analysis.did.fast import LinearDesign, ramp_effect
from analysis.did.panel import load_panel
from analysis.did.simulation import (
    minimum_detectable_effect,
    placebo_panel,
    power_draws,
    power_table,
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
    es = estimators.event_study(panel, "ln_gdp")
    assert es.loc[es["e"] == -1, "att"].item() == 0.0
    twfe, bacon = estimators.bacon(panel, "ln_gdp")
    assert twfe == pytest.approx(estimators.twfe(panel, "ln_gdp").estimate, abs=1e-8)
    assert bacon["weight"].sum() == pytest.approx(1.0)
    honest = estimators.honest_bounds(panel, "credit_gdp", (0.0, 0.5, 1.0, 2.0))
    widths = (honest.grid["ci_high"] - honest.grid["ci_low"]).to_numpy()
    assert np.all(np.diff(widths) > 0)


def test_regional_placebo_draws_within_one_region() -> None:
    regions = np.array(["a", "a", "a", "b", "b", "c"])
    rng = np.random.default_rng(0)
    for _ in range(50):
        cohort = regional_placebo_cohorts({2019: 3, 2020: 2}, regions, rng)
        assert sorted(cohort.tolist()).count(2019) == 3 and sorted(cohort.tolist()).count(2020) == 2
        assert len(set(regions[cohort == 2019])) == 1 and len(set(regions[cohort == 2020])) == 1
    with pytest.raises(ValueError, match="no region has 4"):
        regional_placebo_cohorts({2019: 4}, regions, rng)


def test_design_section_matches_the_seed_table() -> None:
    from analysis.report.did import design_section

    section = design_section()
    assert section.values["did_n_treated"] == 13 and section.values["did_n_never"] == 18
    table = section.tables["did_tbl_alliances"].frame
    assert list(table["首年"]) == [2019, 2020, 2021, 2021, 2022]
    assert (table.loc[table["本章用法"] == "仅稳健性", "可信度"] == "低").all()


def test_glued_floats_drop_last_bit_noise() -> None:
    from analysis.report.page import PageOutput

    section, other = PageOutput(), PageOutput()
    section.update({"did_a": 0.021268081373139243, "did_b": 3, "did_c": "x"})
    other.update({"did_a": 0.021268081373139236, "did_b": 3, "did_c": "x"})
    assert section.values == other.values
    assert section.values["did_a"] == pytest.approx(0.021268081373139243, rel=1e-11)
