"""Replication anchor for the SEM estimates: lavaan's PoliticalDemocracy model refitted with semopy.

The published numbers are data: the table :data:`PD_TABLE` (``data/raw/sem_pd_published.csv``,
source in ``data/MANIFEST.yaml``), read through :func:`analysis.data.io.load_table`. The
tolerances are this book's choice (:data:`TOLERANCE`).
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import semopy
from semopy.examples import political_democracy

from analysis.data import io
from analysis.data.schemas.sem import PD_PARAMETER_STATISTICS
from analysis.sem import fit_audit
from analysis.sem.reconstruction import fit_ml

__all__ = [
    "PD_TABLE",
    "TOLERANCE",
    "Replication",
    "load_published",
    "printed",
    "printed_fit",
    "replicate_political_democracy",
]

#: lavaan's PoliticalDemocracy output (``data/raw/sem_pd_published.csv``).
PD_TABLE = "sem_pd_published"

#: Absolute tolerance by statistic: the last printed digit (three decimals) and the optimiser's
#: stopping rule. Statistics without a tolerance (N, the baseline df) are not compared: they are
#: the printed inputs of the fit audit.
TOLERANCE: dict[str, float] = {
    "chi2": 0.01,
    "df": 0.0,
    "baseline_chi2": 0.01,
    "cfi": 0.001,
    "tli": 0.001,
    "rmsea": 0.001,
    "estimate": 0.002,
    "se": 0.003,
    "std_all": 0.002,
}

_PREFIX = {"estimate": "", "se": "se ", "std_all": "std "}


@dataclass(frozen=True)
class Replication:
    """The reproduced PoliticalDemocracy values and the published-versus-reproduced rows.

    ``values`` maps a label (``chi2``, ``dem60~ind60``, ``se dem60~ind60``, ``x2=~ind60`` ...) to
    the reproduced number. ``table`` has one row per compared number: ``quantity`` (the label),
    ``published``, ``reproduced``, ``diff`` (reproduced minus published), ``tolerance``, ``pass``.
    """

    values: dict[str, float]
    table: pd.DataFrame


def load_published() -> pd.DataFrame:
    """The published numbers (schema ``sem_pd_published``)."""
    return io.load_table(PD_TABLE)


def _label(record: Mapping[Hashable, object]) -> str:
    """A published row's key in :attr:`Replication.values` (semopy's indicator-first order for =~)."""
    statistic = str(record["statistic"])
    if statistic not in PD_PARAMETER_STATISTICS:
        return statistic
    lhs, op, rhs = str(record["lhs"]), str(record["op"]), str(record["rhs"])
    if op == "=~":
        return f"{rhs}=~{lhs}"
    return f"{_PREFIX[statistic]}{lhs}~{rhs}"


def printed(value: float, decimals: int) -> str:
    """A published number as it is printed (``decimals`` decimals)."""
    return f"{value:.{decimals}f}"


def printed_fit(published: pd.DataFrame | None = None) -> dict[str, str]:
    """The model-level numbers as printed: statistic (``chi2``, ``df``, ``n``, ...) -> text."""
    pub = load_published() if published is None else published
    return {
        str(r["statistic"]): printed(float(r["value"]), int(r["decimals"]))
        for r in pub.to_dict("records")
        if str(r["statistic"]) not in PD_PARAMETER_STATISTICS
    }


def _reproduce() -> dict[str, float]:
    data = political_democracy.get_data()
    model = fit_ml(semopy.Model(political_democracy.get_model()), data)
    n = len(data)
    stats_ = semopy.calc_stats(model).T["Value"]
    chi2, df = float(stats_["chi2"]), float(stats_["DoF"])
    cov = np.cov(data[model.vars["observed"]].to_numpy(dtype=float).T, bias=True)
    b_chi2 = n * float(np.log(np.diag(cov)).sum() - np.linalg.slogdet(cov)[1])
    p = cov.shape[0]
    b_df = p * (p - 1) / 2
    est = model.inspect(std_est=True)
    values = {
        "chi2": chi2,
        "df": df,
        "baseline_chi2": b_chi2,
        "cfi": fit_audit.cfi(chi2, df, b_chi2, b_df),
        "tli": fit_audit.tli(chi2, df, b_chi2, b_df),
        "rmsea": fit_audit.rmsea(chi2, df, n),
    }
    for r in est.to_dict("records"):
        if r["op"] != "~":
            continue
        lval, rval = str(r["lval"]), str(r["rval"])
        if lval in ("dem60", "dem65"):
            key = f"{lval}~{rval}"
            values[key] = float(r["Estimate"])
            values[f"se {key}"] = float(r["Std. Err"])
            values[f"std {key}"] = float(r["Est. Std"])
        else:
            values[f"{lval}=~{rval}"] = float(r["Estimate"])
    return values


def replicate_political_democracy(published: pd.DataFrame | None = None) -> Replication:
    """Fit the lavaan tutorial SEM on semopy's bundled PoliticalDemocracy data and compare.

    The data and model come from the installed semopy package (``semopy.examples.
    political_democracy``, semopy 2.3.11 from uv.lock); no download. The fit indices are
    computed by :mod:`analysis.sem.fit_audit` from semopy's chi2 and the independence-model chi2
    (lavaan's conventions: N, not N - 1). ``published`` (schema ``sem_pd_published``) defaults
    to the table :data:`PD_TABLE`; every row whose statistic has a :data:`TOLERANCE` is
    compared, in the table's order.
    """
    pub = load_published() if published is None else published
    values = _reproduce()
    rows = []
    for r in pub.to_dict("records"):
        tol = TOLERANCE.get(str(r["statistic"]))
        if tol is None:
            continue
        label = _label(r)
        value, got = float(r["value"]), values[label]
        rows.append(
            {
                "quantity": label,
                "published": value,
                "reproduced": got,
                "diff": got - value,
                "tolerance": tol,
                "pass": abs(got - value) <= tol + 1e-12,
            }
        )
    return Replication(values, pd.DataFrame(rows))
