"""Randomization inference, placebo dates and the power simulation on the real province panel.

All three refit one design many times, so they use :class:`analysis.did.fast.LinearDesign`
(checked against the library estimators in ``tests/test_did.py``). Every random draw comes
from a seeded ``numpy.random.Generator``.

Power simulation. The design (which slots are treated, and when) is the real one. In each draw
the 31 provinces' real outcome paths are shuffled over the slots (a placebo assignment in the
spirit of Bertrand, Duflo and Mullainathan), and a known effect with a dynamic ramp is added to
the treated slot-years. Shuffling makes parallel trends hold by construction; the second
scenario breaks them on purpose, adding to every treated slot a linear differential trend
``slope * (e + 1)`` (zero in the base year ``e = -1``, before and after treatment alike), of the
size the real pre-periods show. The outcomes of all draws form one matrix, and every estimator
is evaluated on all columns at once.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from analysis.did.fast import Array, LinearDesign, ramp_effect

__all__ = [
    "RIResult",
    "RegionalPlacebo",
    "minimum_detectable_effect",
    "permutation_matrices",
    "placebo_panel",
    "power_draws",
    "power_table",
    "pretrend_slope",
    "randomization_inference",
    "regional_placebo",
    "regional_placebo_cohorts",
]


def _permutations(n_units: int, n_perm: int, seed: int) -> npt.NDArray[np.int64]:
    rng = np.random.default_rng(seed)
    return np.vstack([rng.permutation(n_units) for _ in range(n_perm)])


_PERM_CACHE: dict[tuple[object, ...], tuple[Array, Array]] = {}


def permutation_matrices(design: LinearDesign, n_perm: int, seed: int) -> tuple[Array, Array]:
    """Linear functionals of TWFE and the simple CS ATT under ``n_perm`` reassigned cohorts.

    The matrices depend only on the design, ``n_perm`` and ``seed``, so they are computed once
    per process and reused (read-only copies).

    Returns
    -------
    tuple[Array, Array]
        Two ``(n_perm, n_units * n_years)`` matrices: row ``j`` applied to an outcome gives the
        estimate under the ``j``-th random reassignment of the cohorts across units.
    """
    key = (
        tuple(design.years.tolist()),
        tuple(design.cohort_of_unit.tolist()),
        design.control,
        n_perm,
        seed,
    )
    if key not in _PERM_CACHE:
        _PERM_CACHE[key] = _permutation_matrices(design, n_perm, seed)
    twfe, cs = _PERM_CACHE[key]
    return twfe.copy(), cs.copy()


def _permutation_matrices(design: LinearDesign, n_perm: int, seed: int) -> tuple[Array, Array]:
    twfe_rows, cs_rows = [], []
    for order in _permutations(design.n_units, n_perm, seed):
        perm = design.permuted(order)
        twfe_rows.append(perm.twfe_weights())
        cs_rows.append(perm.simple_weights_flat())
    return np.vstack(twfe_rows), np.vstack(cs_rows)


def _ri_p(observed: Array, null: Array) -> Array:
    """Two-sided RI p-value ``(1 + #{|T*| >= |T|}) / (1 + n_perm)`` per column."""
    hits = (np.abs(null) >= np.abs(observed)[None, :] - 1e-12).sum(0)
    return np.asarray((1 + hits) / (1 + null.shape[0]), dtype=float)


@dataclass(frozen=True)
class RIResult:
    """Randomization inference for TWFE and the simple Callaway-Sant'Anna ATT."""

    n_perm: int
    twfe: float
    cs_simple: float
    p_twfe: float
    p_cs: float


def randomization_inference(
    panel: pd.DataFrame, outcome: str, n_perm: int = 999, seed: int = 2026
) -> RIResult:
    """Permute the alliance cohorts across provinces ``n_perm`` times (seeded) and compare.

    The cohort sizes are kept; each permutation is an alternative alliance assignment.
    """
    design = LinearDesign.from_panel(panel)
    y = panel[outcome].to_numpy(dtype=float)
    c_twfe, c_cs = permutation_matrices(design, n_perm, seed)
    t_obs, cs_obs = design.twfe(y), design.aggregate(y, "simple")
    return RIResult(
        n_perm,
        float(t_obs[0]),
        float(cs_obs[0]),
        float(_ri_p(t_obs, c_twfe @ y[:, None])[0]),
        float(_ri_p(cs_obs, c_cs @ y[:, None])[0]),
    )


def placebo_panel(panel: pd.DataFrame, shift: int = 3) -> pd.DataFrame:
    """Every cohort moved ``shift`` years earlier, on the years before the first real cohort.

    A placebo cohort that falls after the last kept year is coded 0 (untreated in the window).
    """
    first_real = int(panel.loc[panel["cohort"] > 0, "cohort"].min())
    out = panel[panel["year"] < first_real].copy()
    last = int(out["year"].max())
    moved = np.where(out["cohort"] > 0, out["cohort"] - shift, 0)
    out["cohort"] = np.where(moved > last, 0, moved).astype(int)
    return out.reset_index(drop=True)


def pretrend_slope(event_times: npt.NDArray[np.int64], estimates: Array) -> float:
    """Least-squares slope of the pre-period event-study estimates on event time.

    The base year ``e = -1`` enters as zero, as the estimates are normalised to it.
    """
    e = np.append(np.asarray(event_times, dtype=float), -1.0)
    b = np.append(np.asarray(estimates, dtype=float), 0.0)
    return float(np.polyfit(e, b, 1)[0])


def power_draws(
    panel: pd.DataFrame, outcome: str, size: float, n_draws: int, seed: int, trend: float = 0.0
) -> tuple[LinearDesign, Array, float]:
    """Simulated outcomes: shuffled real paths plus a ramped effect of ``size`` at the real dates.

    ``trend`` adds ``trend * (e + 1)`` to every year of every treated slot (a differential trend
    that violates parallel trends); 0 keeps them by construction.

    Returns
    -------
    tuple[LinearDesign, Array, float]
        The (real) design, the outcome matrix ``(n_units * n_years, n_draws)`` and the true
        simple ATT of the injected effect.
    """
    design = LinearDesign.from_panel(panel)
    cube = panel[outcome].to_numpy(dtype=float).reshape(design.n_units, design.n_years)
    rng = np.random.default_rng(seed)
    orders = np.vstack([rng.permutation(design.n_units) for _ in range(n_draws)])
    e = design.event_time()
    effect = ramp_effect(e, size)
    drift = np.where(e > -999, trend * (e + 1.0), 0.0)
    y = cube[orders].transpose(1, 2, 0).reshape(design.n_units * design.n_years, n_draws)
    y = y + (effect + drift)[:, None]
    true = float(design.simple_weights_flat() @ effect)
    return design, y, true


def power_table(
    panel: pd.DataFrame,
    outcome: str,
    sizes: tuple[float, ...],
    n_draws: int = 500,
    n_perm: int = 999,
    seed: int = 7,
    trend: float = 0.0,
) -> pd.DataFrame:
    """Bias, RMSE, coverage and rejection rates of TWFE and the simple CS ATT per effect size.

    Rejection is reported twice: with the analytic standard error (CRV1 for TWFE, influence
    function for CS; normal 95 % test) and with randomization inference (``n_perm`` seeded
    reassignments of the real design, 5 % level). ``trend`` is passed to :func:`power_draws`.
    """
    design = LinearDesign.from_panel(panel)
    c_twfe, c_cs = permutation_matrices(design, n_perm, seed + 1)
    rows = []
    for size in sizes:
        _, y, true = power_draws(panel, outcome, size, n_draws, seed, trend)
        for name, est, se, null in (
            ("TWFE", design.twfe(y), design.twfe_se(y), c_twfe @ y),
            ("CS", design.aggregate(y, "simple"), design.simple_se(y), c_cs @ y),
        ):
            err = est - true
            rows.append(
                {
                    "estimator": name,
                    "size": size,
                    "true": true,
                    "bias": float(err.mean()),
                    "rmse": float(np.sqrt((err**2).mean())),
                    "coverage": float((np.abs(err) <= 1.959963984540054 * se).mean()),
                    "reject_analytic": float((np.abs(est) > 1.959963984540054 * se).mean()),
                    "reject_ri": float((_ri_p(est, null) <= 0.05).mean()),
                    "n_draws": n_draws,
                }
            )
    return pd.DataFrame(rows)


def minimum_detectable_effect(curve: pd.DataFrame, column: str, power: float = 0.8) -> float | None:
    """Smallest effect size at which ``column`` reaches ``power`` (linear interpolation)."""
    c = curve.sort_values("size")
    sizes, rates = c["size"].to_numpy(dtype=float), c[column].to_numpy(dtype=float)
    above = np.nonzero(rates >= power)[0]
    if len(above) == 0:
        return None
    k = int(above[0])
    if k == 0:
        return float(sizes[0])
    x0, x1, r0, r1 = sizes[k - 1], sizes[k], rates[k - 1], rates[k]
    return float(x0 + (power - r0) * (x1 - x0) / (r1 - r0))


@dataclass(frozen=True)
class RegionalPlacebo:
    """Real estimates against placebo alliances drawn from within geographic regions."""

    n_draws: int
    twfe: float
    cs_simple: float
    p_twfe: float
    p_cs: float
    reject_twfe: float
    reject_cs: float


def regional_placebo_cohorts(
    cohort_sizes: dict[int, int], region_of_unit: npt.NDArray[np.str_], rng: np.random.Generator
) -> npt.NDArray[np.int64]:
    """One placebo assignment: each real cohort becomes a group drawn from a single region.

    Cohorts are placed largest first; each picks, uniformly, a region that still has enough
    unassigned provinces, then that many of them at random.
    """
    cohort = np.zeros(len(region_of_unit), dtype=np.int64)
    for year, size in sorted(cohort_sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        free = {r: np.nonzero((region_of_unit == r) & (cohort == 0))[0] for r in np.unique(region_of_unit)}
        options = sorted(r for r, idx in free.items() if len(idx) >= size)
        if not options:
            raise ValueError(f"no region has {size} unassigned provinces for cohort {year}")
        region = options[int(rng.integers(len(options)))]
        cohort[rng.choice(free[region], size=size, replace=False)] = year
    return cohort


def regional_placebo(
    panel: pd.DataFrame, regions: pd.DataFrame, outcomes: tuple[str, ...], n_draws: int = 999, seed: int = 11
) -> dict[str, RegionalPlacebo]:
    """Placebo alliances of provinces from the same region, given the real cohort years and sizes.

    For each outcome, returns the share of placebo estimates at least as large in absolute value
    as the real one (a regional randomization p-value) and the share of placebo alliances that a
    5 % test with the analytic standard error would call significant. All outcomes share the
    same placebo draws.
    """
    design = LinearDesign.from_panel(panel)
    names = panel.sort_values(["unit", "year"]).groupby("unit", sort=True)["province_en"].first()
    region_map = dict(zip(regions["province_en"], regions["region_zh"], strict=True))
    region_of_unit = np.array([region_map[n] for n in names], dtype=str)
    sizes = {int(g): int((design.cohort_of_unit == g).sum()) for g in design.groups}
    y = np.column_stack([panel[o].to_numpy(dtype=float) for o in outcomes])
    rng = np.random.default_rng(seed)
    z = 1.959963984540054
    est_t, est_c, rej_t, rej_c = [], [], [], []
    for _ in range(n_draws):
        placebo = LinearDesign(design.years, regional_placebo_cohorts(sizes, region_of_unit, rng))
        t, c = placebo.twfe(y), placebo.aggregate(y, "simple")
        est_t.append(t)
        est_c.append(c)
        rej_t.append(np.abs(t) > z * placebo.twfe_se(y))
        rej_c.append(np.abs(c) > z * placebo.simple_se(y))
    t_obs, c_obs = design.twfe(y), design.aggregate(y, "simple")
    p_t, p_c = _ri_p(t_obs, np.vstack(est_t)), _ri_p(c_obs, np.vstack(est_c))
    share_t, share_c = np.vstack(rej_t).mean(0), np.vstack(rej_c).mean(0)
    return {
        o: RegionalPlacebo(
            n_draws,
            float(t_obs[k]),
            float(c_obs[k]),
            float(p_t[k]),
            float(p_c[k]),
            float(share_t[k]),
            float(share_c[k]),
        )
        for k, o in enumerate(outcomes)
    }
