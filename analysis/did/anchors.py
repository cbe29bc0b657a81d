"""Replication anchors for the DID estimators, computed with the chapter's own wrappers.

``mpdta`` (shipped offline by moderndid): the twelve ATT(g,t) and the dynamic and group
aggregations printed in the R ``did`` README. Organ donations (shipped offline by causaldata):
the TWFE estimate with one treated state, and its inference by CRVE, exact randomization
inference over the 27 states and the wild cluster bootstrap. Medicaid expansion (``ehec``,
shipped offline by moderndid): the Δ^RM intervals printed in the R HonestDiD README.

The reference numbers are data: each ``*_rows`` function reads its table through
:func:`analysis.data.io.load_table` (sources in ``data/MANIFEST.yaml``) or takes it as an
argument, so a changed reference value shows up as a failed row. The tolerances are this book's
choice.
"""

from __future__ import annotations

import diff_diff as dd
import moderndid as md
import numpy as np
import pandas as pd
import pyfixest as pf
from causaldata import organ_donations

from analysis.data import io
from analysis.did.estimators import CSResult, _quiet, callaway_santanna, honest_rm, twfe, wild_bootstrap

__all__ = [
    "HONEST_TABLE",
    "HONEST_TOLERANCE",
    "MPDTA_TABLE",
    "ORGAN_TABLE",
    "TOLERANCE",
    "honest_rows",
    "load_mpdta",
    "load_organ",
    "mpdta_fit",
    "mpdta_rows",
    "organ_inference",
    "organ_rows",
]

#: Absolute tolerance of the mpdta and organ-donation rows (the references have four decimals).
TOLERANCE = 1e-4
#: Absolute tolerance of the HonestDiD rows.
HONEST_TOLERANCE = 1e-3

#: The R ``did`` README's mpdta numbers (``data/raw/did_mpdta_published.csv``).
MPDTA_TABLE = "did_mpdta_published"
#: The R HonestDiD README's Δ^RM bounds by M-bar (``data/raw/did_honest_published.csv``).
HONEST_TABLE = "did_honest_published"
#: The organ-donation reference (``data/raw/did_organ_reference.csv``): the project's earlier,
#: independent computation (stack notes §4.2, pyfixest 0.60.0 in a separate environment), not a
#: number printed by Kessler and Roth.
ORGAN_TABLE = "did_organ_reference"

_ORGAN_LABELS = {"twfe_coefficient": "TWFE coefficient", "crv1_se": "CRV1 standard error"}
_BOUND_LABELS = {"lb": "下限", "ub": "上限"}


def load_mpdta() -> pd.DataFrame:
    """``mpdta`` with the chapter's column names (unit, year, cohort, lemp)."""
    raw = md.load_mpdta().to_pandas()
    return pd.DataFrame(
        {
            "unit": raw["countyreal"].astype(int),
            "year": raw["year"].astype(int),
            "cohort": raw["first.treat"].astype(int),
            "lemp": raw["lemp"].astype(float),
        }
    ).sort_values(["unit", "year"], ignore_index=True)


def _row(quantity: str, published: float, reproduced: float, tolerance: float) -> dict[str, object]:
    diff = abs(published - reproduced)
    return {
        "quantity": quantity,
        "published": published,
        "reproduced": reproduced,
        "abs_diff": diff,
        "pass": bool(diff <= tolerance),
    }


def mpdta_fit() -> CSResult:
    """Callaway-Sant'Anna on mpdta with never-treated controls, via :func:`callaway_santanna`."""
    return callaway_santanna(load_mpdta(), "lemp", "nevertreated")


def mpdta_rows(published: pd.DataFrame | None = None, result: CSResult | None = None) -> pd.DataFrame:
    """Published versus reproduced mpdta numbers, one row per row of the reference table.

    Parameters
    ----------
    published : pd.DataFrame, optional
        The reference numbers (schema ``did_mpdta_published``); default the table
        :data:`MPDTA_TABLE`.
    result : CSResult, optional
        The fit to compare; default :func:`mpdta_fit`.
    """
    pub = io.load_table(MPDTA_TABLE) if published is None else published
    res = mpdta_fit() if result is None else result
    att = res.att_gt.set_index(["group", "time"])["att"]
    by_event = res.by_event.set_index("e")["att"]
    by_group = res.by_group.set_index("group")["att"]
    rows = []
    for r in pub.to_dict("records"):
        kind = str(r["aggregation"])
        if kind == "att_gt":
            g, t = int(r["group"]), int(r["time"])
            label, reproduced = f"ATT({g},{t})", float(att.loc[(g, t)])
        elif kind == "dynamic":
            e = int(r["event_time"])
            label, reproduced = f"dynamic e={e}", float(by_event.loc[e])
        elif kind == "group":
            g = int(r["group"])
            label, reproduced = f"group g={g}", float(by_group.loc[g])
        elif kind == "dynamic_overall":
            label, reproduced = "dynamic overall", res.dynamic.estimate
        elif kind == "group_overall":
            label, reproduced = "group overall", res.group.estimate
        else:
            raise ValueError(f"{MPDTA_TABLE}: unknown aggregation {kind!r}")
        rows.append(_row(label, float(r["value"]), reproduced, TOLERANCE))
    return pd.DataFrame(rows)


def load_organ() -> pd.DataFrame:
    """Organ donations: state-quarter rates, California active choice from 2011 Q3."""
    raw = organ_donations.load_pandas().data
    quarters = ["Q42010", "Q12011", "Q22011", "Q32011", "Q42011", "Q12012"]
    out = pd.DataFrame(
        {
            "state": raw["State"].astype(str),
            "unit": pd.factorize(raw["State"], sort=True)[0].astype(int),
            "year": raw["Quarter"].map({q: k for k, q in enumerate(quarters)}).astype(int),
            "rate": raw["Rate"].astype(float),
        }
    )
    out["cohort"] = np.where(out["state"] == "California", 3, 0)
    return out.sort_values(["unit", "year"], ignore_index=True)


def organ_rows(reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """TWFE estimate and CRV1 standard error on organ donations against the reference.

    ``reference`` (schema ``did_organ_reference``) defaults to the table :data:`ORGAN_TABLE`:
    the project's earlier run, not a published number.
    """
    ref = io.load_table(ORGAN_TABLE) if reference is None else reference
    est = twfe(load_organ(), "rate")
    reproduced = {"twfe_coefficient": est.estimate, "crv1_se": est.se}
    return pd.DataFrame(
        [
            _row(
                _ORGAN_LABELS[str(r["quantity"])],
                float(r["value"]),
                reproduced[str(r["quantity"])],
                TOLERANCE,
            )
            for r in ref.to_dict("records")
        ]
    )


def organ_inference(reps: int = 9999, seed: int = 20261122) -> dict[str, float]:
    """Three p-values for one treated cluster: CRVE, exact RI over the states, wild bootstrap.

    Randomization inference moves the treatment (2011 Q3 onwards) to each of the 27 states in
    turn, refits TWFE with pyfixest and compares absolute coefficients, so the smallest
    attainable p-value is 1/27.
    """
    data = load_organ()
    est = twfe(data, "rate")
    post = data["year"] >= 3
    stats = []
    for unit in sorted(data["unit"].unique()):
        placebo = data.assign(treat=((data["unit"] == unit) & post).astype(int))
        fit = pf.feols("rate ~ treat | unit + year", data=placebo, vcov="iid")
        stats.append(float(fit.coef()["treat"]))
    ri_p = float(np.mean(np.abs(stats) >= abs(est.estimate) - 1e-12))
    return {
        "estimate": est.estimate,
        "p_crve": est.p_value,
        "p_ri": ri_p,
        "n_states": float(len(stats)),
        "p_wild": wild_bootstrap(data, "rate", reps=reps, seed=seed),
        "reps": float(reps),
    }


def honest_rows(published: pd.DataFrame | None = None) -> pd.DataFrame:
    """diff-diff's Δ^RM intervals on the R HonestDiD README example, against the printed ones.

    The data are ``ehec`` (shipped by moderndid): years before 2016, the 2015 cohort dropped,
    TWFE event study of ``dins`` on year x (first treated in 2014) with state and year effects,
    clustered by state, reference year 2013; the target is the 2014 effect. ``published``
    (schema ``did_honest_published``) defaults to the table :data:`HONEST_TABLE`; the M-bar grid
    is the one it holds.
    """
    pub = io.load_table(HONEST_TABLE) if published is None else published
    raw = md.load_ehec().to_pandas()
    data = raw[(raw["year"] < 2016) & (raw["yexp2"].isna() | (raw["yexp2"] != 2015))].copy()
    data["D"] = (data["yexp2"] == 2014).astype(int)
    with _quiet():
        res = dd.MultiPeriodDiD(cluster="stfips").fit(
            data,
            outcome="dins",
            treatment="D",
            time="year",
            post_periods=[2014, 2015],
            absorb=["stfips"],
            reference_period=2013,
            unit="stfips",
        )
    grid = honest_rm(res, tuple(dict.fromkeys(float(m) for m in pub["mbar"])), l_vec=(1.0, 0.0))
    bounds = {
        float(r["M"]): {"lb": float(r["ci_low"]), "ub": float(r["ci_high"])} for r in grid.to_dict("records")
    }
    rows = []
    for r in pub.to_dict("records"):
        m, bound = float(r["mbar"]), str(r["bound"])
        label = f"M̄ = {m:.1f}，{_BOUND_LABELS[bound]}"
        rows.append(_row(label, float(r["value"]), bounds[m][bound], HONEST_TOLERANCE))
    return pd.DataFrame(rows)
