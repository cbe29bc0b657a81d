"""Replication anchors for the DID estimators, computed with the chapter's own functions.

``mpdta`` (shipped offline by moderndid): the twelve ATT(g,t) and the dynamic and group
aggregations printed in the R ``did`` README. Medicaid expansion (``ehec``, shipped offline by
moderndid): the Δ^RM (C-LF) and Δ^SD (FLCI) intervals printed in the R HonestDiD README.
Medicaid and adult mortality (the county panel of Baker et al.'s JEL guide, ``data/raw``): the
population-weighted TWFE and Callaway-Sant'Anna estimates, printed in the guide and recorded to
ten decimals by R ``did``'s tests. Organ donations (shipped offline by causaldata): the TWFE
estimate with one treated state, against the value pyfixest's documentation prints, and its
inference by CRVE, exact randomization inference over the 27 states and the wild cluster
bootstrap.

The reference numbers are data: each ``*_rows`` function reads its table through
:func:`analysis.data.io.load_table` (sources in ``data/MANIFEST.yaml``) or takes it as an
argument, so a changed reference value shows up as a failed row. The tolerances are this book's
choice: half a unit in the last printed decimal where a table prints few decimals.
"""

from __future__ import annotations

import moderndid as md
import numpy as np
import pandas as pd
import pyfixest as pf
from causaldata import organ_donations

from analysis import cores
from analysis.data import io
from analysis.did import honest
from analysis.did.estimators import (
    CSResult,
    EventStudy,
    _quiet,
    callaway_santanna,
    twfe,
    wild_bootstrap,
)

__all__ = [
    "HONEST_TABLE",
    "HONEST_TOLERANCE",
    "JEL_ATTGT_TABLE",
    "JEL_ATTGT_TOLERANCE",
    "JEL_TABLE3",
    "JEL_TABLE3_TOLERANCE",
    "MPDTA_TABLE",
    "ORGAN_TABLE",
    "ORGAN_TOLERANCE",
    "TOLERANCE",
    "ehec_event_study",
    "honest_rows",
    "jel_rows",
    "load_jel",
    "load_mpdta",
    "load_organ",
    "mpdta_fit",
    "mpdta_rows",
    "organ_inference",
    "organ_rows",
    "short_path_gap",
]

#: Absolute tolerance of the mpdta rows (the README prints four decimals).
TOLERANCE = 1e-4
#: Absolute tolerance of the HonestDiD rows (the README prints three significant digits).
HONEST_TOLERANCE = 1e-3
#: The organ-donation coefficient is printed with three decimals: half a unit in the third.
ORGAN_TOLERANCE = 5e-4
#: The JEL guide's Table 3 prints one decimal: half a unit in the first.
JEL_TABLE3_TOLERANCE = 0.05
#: R did's JEL test records ten decimals and checks them to 1e-6; so does this book.
JEL_ATTGT_TOLERANCE = 1e-6

#: The R ``did`` README's mpdta numbers (``data/raw/did_mpdta_published.csv``).
MPDTA_TABLE = "did_mpdta_published"
#: The R HonestDiD README's Δ^RM and Δ^SD bounds (``data/raw/did_honest_published.csv``).
HONEST_TABLE = "did_honest_published"
#: The organ-donation coefficient printed in pyfixest's documentation (not an independent
#: implementation; no independent printed value was found).
ORGAN_TABLE = "did_organ_reference"
#: The JEL guide's Table 3, unweighted and weighted 2 x 2 TWFE (``did_jel_table3``).
JEL_TABLE3 = "did_jel_table3"
#: R did's JEL test: weighted ATT(2014, t) and the dynamic overall ATT (``did_jel_attgt``).
JEL_ATTGT_TABLE = "did_jel_attgt"

_ORGAN_LABELS = {"twfe_coefficient": "TWFE 系数"}
_BOUND_LABELS = {"lb": "下限", "ub": "上限"}
_DELTA_LABELS = {"rm": ("Δ^RM", "M̄"), "sd": ("Δ^SD", "M")}


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
            label, reproduced = f"动态汇总 e={e}", float(by_event.loc[e])
        elif kind == "group":
            g = int(r["group"])
            label, reproduced = f"按组汇总 g={g}", float(by_group.loc[g])
        elif kind == "dynamic_overall":
            label, reproduced = "动态汇总（总体）", res.dynamic.estimate
        elif kind == "group_overall":
            label, reproduced = "按组汇总（总体）", res.group.estimate
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
    """The TWFE coefficient on organ donations against the printed reference.

    ``reference`` (schema ``did_organ_reference``) defaults to the table :data:`ORGAN_TABLE`.
    """
    ref = io.load_table(ORGAN_TABLE) if reference is None else reference
    reproduced = {"twfe_coefficient": twfe(load_organ(), "rate").estimate}
    return pd.DataFrame(
        [
            _row(
                _ORGAN_LABELS[str(r["quantity"])],
                float(r["value"]),
                reproduced[str(r["quantity"])],
                ORGAN_TOLERANCE,
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


def ehec_event_study() -> EventStudy:
    """The README's TWFE event study on ``ehec`` (pyfixest; reference year 2013).

    Years before 2016, the 2015 cohort dropped, ``dins ~ i(year, D, ref = 2013) | stfips + year``
    clustered by state: five pre-period and two post-period coefficients (event times -6 to 1
    relative to the 2014 expansion).
    """
    raw = md.load_ehec().to_pandas()
    data = raw[(raw["year"] < 2016) & (raw["yexp2"].isna() | (raw["yexp2"] != 2015))].copy()
    data["D"] = (data["yexp2"] == 2014).astype(int)
    with _quiet():
        fit = pf.feols("dins ~ i(year, D, ref=2013) | stfips + year", data=data, vcov={"CRV1": "stfips"})
    years = np.array([int(str(n).split("::")[1].split(":")[0]) for n in fit.coef().index], dtype=np.int64)
    return EventStudy(
        "TWFE",
        years - 2014,
        fit.coef().to_numpy(dtype=float),
        np.asarray(fit._vcov, dtype=float),
        np.ones(len(years), dtype=np.int64),
    )


Intervals = dict[tuple[str, float], honest.SensitivityRow]


def readme_intervals(published: pd.DataFrame, es: EventStudy | None = None) -> Intervals:
    """The book's Δ^RM (C-LF) and Δ^SD (FLCI) intervals on the README example, one per parameter.

    The target is the 2014 effect (``l_vec = (1, 0)``) with both post periods in the event study,
    as the README computes it; the parameters are those of ``published``. The C-LF tests (ten
    polyhedra per M̄, each with its own least-favourable critical value) run in as many
    processes as the page may use (:func:`analysis.cores.processes`).
    """
    es = ehec_event_study() if es is None else es
    target = np.array([1.0, 0.0])
    params = list(dict.fromkeys(zip(published["delta"], published["parameter"].astype(float), strict=True)))
    mbars = [float(p) for d, p in params if d == "rm"]
    out: Intervals = {
        ("rm", row.parameter): row
        for row in honest.rm_intervals(es, mbars, target, workers=cores.processes())
    }
    for delta, param in params:
        if delta == "sd":
            out[("sd", float(param))] = honest.sd_interval(es, float(param), target)
    return out


def honest_rows(published: pd.DataFrame | None = None, intervals: Intervals | None = None) -> pd.DataFrame:
    """Published versus reproduced HonestDiD bounds, one row per printed bound.

    ``published`` (schema ``did_honest_published``) defaults to the table :data:`HONEST_TABLE`;
    ``intervals`` to :func:`readme_intervals` of it.
    """
    pub = io.load_table(HONEST_TABLE) if published is None else published
    bounds = readme_intervals(pub) if intervals is None else intervals
    rows = []
    for r in pub.to_dict("records"):
        key = (str(r["delta"]), float(r["parameter"]))
        name, symbol = _DELTA_LABELS[key[0]]
        label = f"{name}，{symbol} = {key[1]:g}，{_BOUND_LABELS[str(r['bound'])]}"
        rows.append(_row(label, float(r["value"]), getattr(bounds[key], str(r["bound"])), HONEST_TOLERANCE))
    return pd.DataFrame(rows)


def short_path_gap(intervals: Intervals, es: EventStudy | None = None) -> float:
    """Largest distance between the Δ^RM bounds with both post periods and with the first only.

    The chapter passes event studies up to ``e = 0`` (the first post period is its target); this
    measures, on the README example, how far that moves the C-LF bounds of ``intervals``.
    """
    es = ehec_event_study() if es is None else es
    short = es.window(int(es.event_times.min()), 0)
    gaps = []
    for (delta, m), full in intervals.items():
        if delta == "rm":
            first = honest.rm_interval(short, m)
            gaps += [abs(full.lb - first.lb), abs(full.ub - first.ub)]
    return float(max(gaps))


def load_jel() -> pd.DataFrame:
    """The JEL guide's county panel with the crude mortality rate, the 2013 weight and cohorts.

    ``rate`` is deaths per 100,000 adults aged 20-64 (recomputed from the counts, as the authors
    do); ``weight`` the county's 2013 population aged 20-64; ``cohort`` 2014 for counties in 2014
    expansion states, 0 for the never-expanders.
    """
    raw = io.load_table("did_jel_county_panel")
    w2013 = raw.loc[raw["year"] == 2013].set_index("county_code")["population_20_64"].astype(float)
    out = pd.DataFrame(
        {
            "unit": raw["county_code"].astype(int),
            "year": raw["year"].astype(int),
            "rate": raw["deaths"] / raw["population_20_64"] * 100_000,
            "weight": raw["county_code"].map(w2013),
            "cohort": np.where(raw["expansion_year"] == "2014", 2014, 0),
        }
    )
    return out.sort_values(["unit", "year"], ignore_index=True)


def jel_rows(
    table3: pd.DataFrame | None = None, attgt: pd.DataFrame | None = None, data: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Weighted TWFE and Callaway-Sant'Anna on the JEL county panel, against the published values.

    The references are the guide's printed Table 3 and R did's recorded weighted ATT(2014, t).
    TWFE on 2013-2014 (county and year effects, clustered by county); Callaway-Sant'Anna on
    2009-2019 (never-treated controls, universal base period, regression adjustment without
    covariates), weighted by the 2013 population, with its dynamic aggregation over event times
    0 to 5.
    """
    t3 = io.load_table(JEL_TABLE3) if table3 is None else table3
    ref = io.load_table(JEL_ATTGT_TABLE) if attgt is None else attgt
    data = load_jel() if data is None else data
    short = data[data["year"].isin([2013, 2014])]
    fits = {"no": twfe(short, "rate"), "yes": twfe(short, "rate", weights="weight")}
    cs = callaway_santanna(data, "rate", weights="weight", base_period="universal")
    att = cs.att_gt.set_index("time")["att"]
    overall = cs.dynamic.estimate  # event times 0 to 5: every post period of the 2014 cohort
    names = {"no": "不加权", "yes": "按人口加权"}
    rows = []
    for r in t3.to_dict("records"):
        fit = fits[str(r["weighted"])]
        stat = "系数" if r["statistic"] == "estimate" else "聚类标准误"
        value = fit.estimate if r["statistic"] == "estimate" else fit.se
        rows.append(
            _row(
                f"TWFE {stat}（{names[str(r['weighted'])]}）", float(r["value"]), value, JEL_TABLE3_TOLERANCE
            )
        )
    for r in ref.to_dict("records"):
        if r["aggregation"] == "att_gt":
            t = int(r["time"])
            rows.append(
                _row(f"ATT(2014,{t})（加权）", float(r["value"]), float(att.loc[t]), JEL_ATTGT_TOLERANCE)
            )
        else:
            rows.append(_row("事件时间 0—5 的平均（加权）", float(r["value"]), overall, JEL_ATTGT_TOLERANCE))
    return pd.DataFrame(rows)
