"""Thin, typed wrappers over field-standard difference-in-differences estimators.

Every estimate here comes from a validated library: TWFE and the wild cluster bootstrap from
pyfixest (and wildboottest), Callaway-Sant'Anna ATT(g,t) and its aggregations from moderndid,
the event study, Sun-Abraham, the Goodman-Bacon decomposition, HonestDiD relative-magnitude
bounds and the pre-trend power of Roth (2022) from diff-diff. The functions take a balanced
panel with columns ``unit`` (integer), ``year``, ``cohort`` (first treated year, 0 = never)
and an outcome, and return plain dataclasses or frames.

Randomization inference and the power simulation need thousands of fits of the same design;
they use the linear fast path of :mod:`analysis.did.fast`, which is checked against these
library calls.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import diff_diff as dd
import moderndid as md
import numpy as np
import pandas as pd
import pyfixest as pf
from scipy import stats

__all__ = [
    "CSResult",
    "Estimate",
    "HonestResult",
    "PreTrendPower",
    "bacon",
    "callaway_santanna",
    "event_study",
    "honest_bounds",
    "honest_rm",
    "pretrend_power",
    "sun_abraham",
    "treatment_indicator",
    "twfe",
    "wild_bootstrap",
]

Control = Literal["nevertreated", "notyettreated"]


@dataclass(frozen=True)
class Estimate:
    """A point estimate with its standard error, p-value and 95 % interval."""

    estimate: float
    se: float
    p_value: float
    ci_low: float
    ci_high: float

    @classmethod
    def normal(cls, estimate: float, se: float) -> Estimate:
        """An estimate with a normal-approximation p-value and interval."""
        z = estimate / se if se > 0 else float("nan")
        p = float(2 * stats.norm.sf(abs(z)))
        half = float(stats.norm.ppf(0.975)) * se
        return cls(float(estimate), float(se), p, float(estimate - half), float(estimate + half))


@contextmanager
def _quiet() -> Iterator[None]:
    """Silence the libraries' small-group and convergence warnings (the prose states the limits)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def treatment_indicator(panel: pd.DataFrame) -> pd.Series:
    """1 for a unit-year at or after its cohort year, else 0."""
    return ((panel["cohort"] > 0) & (panel["year"] >= panel["cohort"])).astype(int)


def _with_treat(panel: pd.DataFrame) -> pd.DataFrame:
    out = panel.copy()
    out["treat"] = treatment_indicator(out)
    out["unit"] = pd.factorize(out["unit"], sort=True)[0].astype(int)  # integer clusters (numba)
    return out


def twfe(panel: pd.DataFrame, outcome: str, unit: str = "unit", time: str = "year") -> Estimate:
    """Static TWFE ``y ~ treat | unit + year`` with standard errors clustered by unit (pyfixest)."""
    data = _with_treat(panel.rename(columns={unit: "unit", time: "year"}))
    with _quiet():
        fit = pf.feols(f"{outcome} ~ treat | unit + year", data=data, vcov={"CRV1": "unit"})
    row = fit.tidy().loc["treat"]
    return Estimate(
        float(row["Estimate"]),
        float(row["Std. Error"]),
        float(row["Pr(>|t|)"]),
        float(row["2.5%"]),
        float(row["97.5%"]),
    )


def wild_bootstrap(
    panel: pd.DataFrame, outcome: str, reps: int = 9999, seed: int = 20261122, unit: str = "unit"
) -> float:
    """Wild cluster bootstrap p-value (WCR, Rademacher) of the TWFE coefficient (pyfixest)."""
    data = _with_treat(panel.rename(columns={unit: "unit"}))
    with _quiet():
        fit = pf.feols(f"{outcome} ~ treat | unit + year", data=data, vcov={"CRV1": "unit"})
        res = fit.wildboottest(param="treat", reps=reps, seed=seed, cluster="unit")
    return float(res["Pr(>|t|)"])


@dataclass(frozen=True)
class CSResult:
    """Callaway-Sant'Anna group-time effects and their three aggregations (moderndid)."""

    att_gt: pd.DataFrame
    simple: Estimate
    dynamic: Estimate
    group: Estimate
    by_event: pd.DataFrame
    by_group: pd.DataFrame


def callaway_santanna(
    panel: pd.DataFrame,
    outcome: str,
    control: Control = "nevertreated",
    unit: str = "unit",
    time: str = "year",
    cohort: str = "cohort",
) -> CSResult:
    """Unconditional Callaway-Sant'Anna ATT(g,t) (``est_method="reg"``, varying base period).

    Parameters
    ----------
    panel : pd.DataFrame
        Balanced panel.
    outcome : str
        Outcome column.
    control : {"nevertreated", "notyettreated"}
        Comparison group.
    unit, time, cohort : str
        Column names.

    Returns
    -------
    CSResult
        ATT(g,t) with analytic standard errors, and the simple, dynamic and group aggregations.
    """
    data = panel[[unit, time, cohort, outcome]].copy()
    with _quiet():
        res = md.att_gt(
            data,
            yname=outcome,
            tname=time,
            idname=unit,
            gname=cohort,
            est_method="reg",
            control_group=control,
            cband=False,
            base_period="varying",
        )
        aggs = {k: md.aggte(res, type=k, cband=False) for k in ("simple", "dynamic", "group")}
    att = pd.DataFrame(
        {
            "group": np.asarray(res.groups, dtype=int),
            "time": np.asarray(res.times, dtype=int),
            "att": np.asarray(res.att_gt, dtype=float),
            "se": np.asarray(res.se_gt, dtype=float),
        }
    )

    def _by(agg: Any, name: str) -> pd.DataFrame:
        return pd.DataFrame(
            {
                name: np.asarray(agg.event_times, dtype=np.int64),
                "att": np.asarray(agg.att_by_event, dtype=np.float64),
                "se": np.asarray(agg.se_by_event, dtype=np.float64),
            }
        )

    est = {k: Estimate.normal(float(a.overall_att), float(a.overall_se)) for k, a in aggs.items()}
    return CSResult(
        att,
        est["simple"],
        est["dynamic"],
        est["group"],
        _by(aggs["dynamic"], "e"),
        _by(aggs["group"], "group"),
    )


def _dd_cs(panel: pd.DataFrame, outcome: str) -> dd.CallawaySantAnnaResults:
    cs = dd.CallawaySantAnna(
        control_group="never_treated", estimation_method="reg", base_period="universal", cband=False
    )
    with _quiet():
        return cs.fit(
            panel, outcome=outcome, unit="unit", time="year", first_treat="cohort", aggregate="event_study"
        )


def event_study(panel: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """Callaway-Sant'Anna event study with a universal base period (e = -1), diff-diff.

    Returns
    -------
    pd.DataFrame
        One row per event time ``e`` with ``att``, ``se``, ``ci_low``, ``ci_high`` and the number
        of cohorts; ``e = -1`` is the reference (zero).
    """
    res = _dd_cs(panel, outcome)
    rows = []
    for e, v in sorted(res.event_study_effects.items()):
        att, se = float(v["effect"]), float(v["se"])
        rows.append(
            {
                "e": int(e),
                "att": att,
                "se": se if np.isfinite(se) else 0.0,
                "ci_low": float(v["conf_int"][0]) if np.isfinite(se) else att,
                "ci_high": float(v["conf_int"][1]) if np.isfinite(se) else att,
                "n_groups": int(v["n_groups"]),
            }
        )
    return pd.DataFrame(rows)


def sun_abraham(panel: pd.DataFrame, outcome: str) -> tuple[Estimate, pd.DataFrame]:
    """Sun-Abraham interaction-weighted estimator, never-treated control (diff-diff).

    Returns
    -------
    tuple[Estimate, pd.DataFrame]
        The overall ATT and the event-time effects (``e``, ``att``, ``se``).
    """
    sa = dd.SunAbraham(control_group="never_treated", cluster="unit")
    with _quiet():
        res = sa.fit(panel, outcome=outcome, unit="unit", time="year", first_treat="cohort")
    es = pd.DataFrame(
        [
            {"e": int(e), "att": float(v["effect"]), "se": float(v["se"])}
            for e, v in sorted(res.event_study_effects.items())
        ]
    )
    return Estimate.normal(float(res.overall_att), float(res.overall_se)), es


def bacon(panel: pd.DataFrame, outcome: str) -> tuple[float, pd.DataFrame]:
    """Goodman-Bacon decomposition of the TWFE coefficient (diff-diff).

    Returns
    -------
    tuple[float, pd.DataFrame]
        The TWFE estimate and, per comparison type, its total weight and weighted mean estimate.
    """
    with _quiet():
        res = dd.BaconDecomposition().fit(
            panel, outcome=outcome, unit="unit", time="year", first_treat="cohort"
        )
    comp = res.to_dataframe()
    by_type = (
        comp.assign(wx=comp["estimate"] * comp["weight"])
        .groupby("comparison_type", sort=True)
        .agg(weight=("weight", "sum"), wx=("wx", "sum"), n=("weight", "size"))
    )
    by_type["estimate"] = by_type["wx"] / by_type["weight"]
    return float(res.twfe_estimate), by_type[["n", "weight", "estimate"]].reset_index()


@dataclass(frozen=True)
class HonestResult:
    """HonestDiD relative-magnitude robust intervals over a grid of M-bar, and the breakdown value."""

    grid: pd.DataFrame
    breakdown: float | None
    original: Estimate


def honest_rm(
    results: Any, m_grid: tuple[float, ...], l_vec: tuple[float, ...] | None = None
) -> pd.DataFrame:
    """Δ^RM robust 95 % intervals from a diff-diff event-study result, over a grid of M-bar.

    diff-diff 3.13 builds the interval as the identified set widened by a normal critical value
    times the standard error ("naive FLCI"), not with the conditional/hybrid tests of R
    ``HonestDiD``; the replication appendix shows how far the two differ on the R README example.

    Returns
    -------
    pd.DataFrame
        Columns ``M``, ``lb``, ``ub`` (identified set), ``ci_low``, ``ci_high``.
    """
    rows = []
    for m in m_grid:
        est = dd.HonestDiD(method="relative_magnitude", M=m, l_vec=None if l_vec is None else np.array(l_vec))
        with _quiet():
            fit = est.fit(results)
        rows.append(
            {
                "M": float(m),
                "lb": float(fit.lb),
                "ub": float(fit.ub),
                "ci_low": float(fit.ci_lb),
                "ci_high": float(fit.ci_ub),
            }
        )
    return pd.DataFrame(rows)


def honest_bounds(panel: pd.DataFrame, outcome: str, m_grid: tuple[float, ...]) -> HonestResult:
    """Rambachan-Roth (2023) Δ^RM robust 95 % intervals for the average post-period effect.

    The event study is Callaway-Sant'Anna with a universal base period; the target is the equal
    average of the post-period event-time effects (diff-diff's HonestDiD, see :func:`honest_rm`).

    Returns
    -------
    HonestResult
        ``grid`` has columns ``M``, ``ci_low``, ``ci_high``; ``breakdown`` is the smallest M-bar on
        the grid at which the robust interval contains zero (0.0 if it already does at M-bar = 0,
        ``None`` if it never does on the grid).
    """
    res = _dd_cs(panel, outcome)
    grid = honest_rm(res, m_grid)[["M", "ci_low", "ci_high"]]
    covers = (grid["ci_low"] <= 0) & (grid["ci_high"] >= 0)
    breakdown = float(grid.loc[covers, "M"].min()) if covers.any() else None
    with _quiet():
        original = dd.HonestDiD(method="relative_magnitude", M=0.0).fit(res)
    estimate = Estimate.normal(float(original.original_estimate), float(original.original_se))
    return HonestResult(grid, breakdown, estimate)


@dataclass(frozen=True)
class PreTrendPower:
    """Roth (2022) power of the joint pre-trend test against a linear violation."""

    mdv: float
    n_pre: int
    power_at: dict[float, float]


def pretrend_power(panel: pd.DataFrame, outcome: str, slopes: tuple[float, ...]) -> PreTrendPower:
    """Minimum detectable linear pre-trend slope at 80 % power and power at given slopes (diff-diff).

    Uses the Wald form of the pre-test on the universal-base event study.
    """
    res = _dd_cs(panel, outcome)
    est = dd.PreTrendsPower(alpha=0.05, power=0.8, violation_type="linear", pretest_form="wald")
    with _quiet():
        fit = est.fit(res)
        power = {s: float(est.power_at(res, s)) for s in slopes}
    return PreTrendPower(float(fit.mdv), int(fit.n_pre_periods), power)
