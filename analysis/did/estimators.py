"""Thin, typed wrappers over field-standard difference-in-differences estimators.

Every estimate here comes from a validated library: TWFE, its event study and the wild cluster
bootstrap from pyfixest (and wildboottest); Callaway-Sant'Anna ATT(g,t), its aggregations and
its event study (with the covariance of the event-time estimates from the influence functions)
from moderndid; Sun-Abraham, the Goodman-Bacon decomposition and the pre-trend power of Roth
(2022) from diff-diff. The functions take a balanced panel with columns ``unit`` (integer),
``year``, ``cohort`` (first treated year, 0 = never) and an outcome, and return plain
dataclasses or frames. TWFE and Callaway-Sant'Anna take unit weights (a column constant within
each unit, e.g. a population), passed to the libraries as analytic weights. The sensitivity
analysis of Rambachan and Roth (2023) is in :mod:`analysis.did.honest`.

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
import numpy.typing as npt
import pandas as pd
import pyfixest as pf
from scipy import stats

__all__ = [
    "CSResult",
    "Estimate",
    "EventStudy",
    "PreTrendPower",
    "bacon",
    "callaway_santanna",
    "cs_event_study",
    "pretrend_power",
    "sun_abraham",
    "treatment_indicator",
    "twfe",
    "twfe_event_study",
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


def _check_weights(panel: pd.DataFrame, weights: str | None, unit: str = "unit") -> None:
    """A weight column must be positive, finite and constant within each unit."""
    if weights is None:
        return
    w = panel[weights].astype(float)
    if not (np.isfinite(w).all() and (w > 0).all()):
        raise ValueError(f"weights {weights!r}: every weight must be positive and finite")
    if (panel.assign(_w=w).groupby(unit)["_w"].nunique() > 1).any():
        raise ValueError(f"weights {weights!r}: a unit weight must be constant within each unit")


def twfe(
    panel: pd.DataFrame, outcome: str, unit: str = "unit", time: str = "year", weights: str | None = None
) -> Estimate:
    """Static TWFE ``y ~ treat | unit + year`` with standard errors clustered by unit (pyfixest).

    ``weights`` names a unit-weight column (analytic weights, e.g. a population); ``None`` for
    an unweighted fit.
    """
    data = _with_treat(panel.rename(columns={unit: "unit", time: "year"}))
    _check_weights(data, weights)
    with _quiet():
        fit = pf.feols(f"{outcome} ~ treat | unit + year", data=data, vcov={"CRV1": "unit"}, weights=weights)
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
    weights: str | None = None,
    base_period: Literal["varying", "universal"] = "varying",
) -> CSResult:
    """Unconditional Callaway-Sant'Anna ATT(g,t) (``est_method="reg"``).

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
    weights : str, optional
        A unit-weight column (e.g. a population), moderndid's ``weightsname``.
    base_period : {"varying", "universal"}
        The base period of pre-treatment cells (post-treatment cells always use ``g - 1``).

    Returns
    -------
    CSResult
        ATT(g,t) with analytic standard errors, and the simple, dynamic and group aggregations.
    """
    _check_weights(panel, weights, unit)
    data = panel[[unit, time, cohort, outcome] + ([weights] if weights else [])].copy()
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
            base_period=base_period,
            weightsname=weights,
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


@dataclass(frozen=True)
class EventStudy:
    """Event-time estimates with their covariance; the reference period ``e = -1`` is left out.

    ``event_times`` are sorted and consecutive apart from the missing ``-1``; ``beta`` and
    ``sigma`` follow that order, pre-periods (``e <= -2``) first.
    """

    label: str
    event_times: npt.NDArray[np.int64]
    beta: npt.NDArray[np.float64]
    sigma: npt.NDArray[np.float64]
    n_cohorts: npt.NDArray[np.int64]

    @property
    def n_pre(self) -> int:
        """Number of pre-period coefficients (``e <= -2``)."""
        return int((self.event_times < -1).sum())

    @property
    def n_post(self) -> int:
        """Number of post-period coefficients (``e >= 0``)."""
        return int((self.event_times >= 0).sum())

    def window(self, min_e: int, max_e: int) -> EventStudy:
        """The sub-vector for ``min_e <= e <= max_e`` with its covariance block."""
        keep = (self.event_times >= min_e) & (self.event_times <= max_e)
        idx = np.nonzero(keep)[0]
        return EventStudy(
            self.label,
            self.event_times[idx],
            self.beta[idx],
            self.sigma[np.ix_(idx, idx)],
            self.n_cohorts[idx],
        )

    def frame(self) -> pd.DataFrame:
        """One row per event time (with the reference ``e = -1`` as zero) and a normal 95 % interval."""
        se = np.sqrt(np.diag(self.sigma))
        z = float(stats.norm.ppf(0.975))
        rows = [
            {
                "e": int(e),
                "att": float(b),
                "se": float(s),
                "ci_low": float(b - z * s),
                "ci_high": float(b + z * s),
                "n_groups": int(n),
            }
            for e, b, s, n in zip(self.event_times, self.beta, se, self.n_cohorts, strict=True)
        ]
        rows.append({"e": -1, "att": 0.0, "se": 0.0, "ci_low": 0.0, "ci_high": 0.0, "n_groups": 0})
        return pd.DataFrame(rows).sort_values("e", ignore_index=True)


def _cohorts_at(panel: pd.DataFrame, event_times: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """How many treated cohorts are observed at each event time."""
    years = panel["year"].unique()
    groups = [int(g) for g in panel["cohort"].unique() if g > 0]
    return np.array([sum(int(g + e in years) for g in groups) for e in event_times], dtype=np.int64)


def cs_event_study(panel: pd.DataFrame, outcome: str, weights: str | None = None) -> EventStudy:
    """Callaway-Sant'Anna event study, never-treated control, universal base period (moderndid).

    The covariance of the event-time estimates is the one moderndid's dynamic aggregation gives,
    ``IF' IF / n^2`` from the influence functions (as moderndid's ``honest_did`` and R's
    ``honest_did.AGGTEobj`` build it).
    """
    _check_weights(panel, weights)
    data = panel[["unit", "year", "cohort", outcome] + ([weights] if weights else [])].copy()
    with _quiet():
        res = md.att_gt(
            data,
            yname=outcome,
            tname="year",
            idname="unit",
            gname="cohort",
            est_method="reg",
            control_group="nevertreated",
            cband=False,
            base_period="universal",
            weightsname=weights,
        )
        agg = md.aggte(res, type="dynamic", cband=False)
    e = np.asarray(agg.event_times, dtype=np.int64)
    keep = e != -1
    inf = np.asarray(agg.influence_func, dtype=float)[:, keep]
    n = inf.shape[0]
    return EventStudy(
        "CS",
        e[keep],
        np.asarray(agg.att_by_event, dtype=float)[keep],
        inf.T @ inf / (n * n),
        _cohorts_at(panel, e[keep]),
    )


def twfe_event_study(panel: pd.DataFrame, outcome: str) -> EventStudy:
    """Dynamic TWFE ``y ~ i(e, ref = -1) | unit + year``, clustered by unit (pyfixest).

    Never-treated units are the comparison (coded to the reference year); every relative year of
    the treated units has its own coefficient (no binning).
    """
    data = panel.copy()
    data["rel"] = np.where(data["cohort"] > 0, data["year"] - data["cohort"], -1).astype(int)
    with _quiet():
        fit = pf.feols(f"{outcome} ~ i(rel, ref=-1) | unit + year", data=data, vcov={"CRV1": "unit"})
    names = list(fit.coef().index)
    e = np.array([int(str(n).split("::")[1]) for n in names], dtype=np.int64)
    order = np.argsort(e)
    sigma = np.asarray(fit._vcov, dtype=float)[np.ix_(order, order)]
    return EventStudy(
        "TWFE", e[order], fit.coef().to_numpy(dtype=float)[order], sigma, _cohorts_at(panel, e[order])
    )


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
