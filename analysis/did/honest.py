"""Rambachan-Roth (2023) sensitivity analysis ("HonestDiD") through moderndid.

Two restrictions on how far post-treatment trends may depart from parallel:

* relative magnitudes, Δ^RM(M̄): no post-period change in the trend gap is larger than M̄ times
  the largest change between consecutive pre-periods; conditional-least-favourable hybrid
  confidence sets (C-LF), inverted on a grid of the target;
* smoothness, Δ^SD(M): the slope of the trend gap changes by at most M per period; fixed-length
  confidence intervals (FLCI).

Inference is moderndid's: the ARP conditional and hybrid tests (``compute_arp_ci`` without
nuisance parameters, ``compute_arp_nuisance_ci`` with them), the least-favourable critical value
(``compute_least_favorable_cv``, 1,000 draws, seed 0), the FLCI (``create_sensitivity_results_sm``)
and the original interval (``construct_original_cs``).

One piece is built here: the constraint matrices of Δ^RM, as R ``HonestDiD``'s ``.create_A_RM``
builds them. moderndid 0.2.0's version places the pre-period difference that defines the
polyhedron one period late, so it never lets the *earliest* pre-period change be the largest
one (:func:`moderndid_rm_gap` shows the difference). Where that change is the largest, its
identified set and confidence set are too narrow. This module loops over R's polyhedra itself
(``s = -(T_pre - 1), ..., 0``, both signs) and takes the union, as R does; every test inside is
moderndid's.

The chapter targets the first post-period effect (θ = τ_0) and passes the event study up to
``e = 0`` only: the later post-period coefficients carry no restriction on τ_0 under Δ^RM
(their own trend gaps are free), R's package then uses its no-nuisance path, and Roth reports
nearly identical intervals with one or two post periods (HonestDiD pull request #50). The
replication appendix compares the two on the README example. The README rows themselves are
computed with both post periods, as printed.
"""

from __future__ import annotations

import multiprocessing
import warnings
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.optimize as opt
from moderndid.didhonest import (
    basis_vector,
    compute_arp_ci,
    compute_arp_nuisance_ci,
    compute_delta_sd_upperbound_m,
    compute_identified_set_rm,
    compute_least_favorable_cv,
    construct_original_cs,
    create_sensitivity_results_sm,
)
from moderndid.didhonest.numba import create_first_differences_matrix

from analysis.did.estimators import EventStudy

__all__ = [
    "ALPHA",
    "GRID_POINTS",
    "SensitivityRow",
    "breakdown_rm",
    "breakdown_sd",
    "moderndid_rm_gap",
    "original_interval",
    "rm_accepts",
    "rm_identified_set",
    "rm_interval",
    "rm_intervals",
    "rm_polyhedra",
    "sd_interval",
    "sd_upper_bound",
]

Array = npt.NDArray[np.float64]

#: Significance level of every interval (95 %).
ALPHA = 0.05
#: Grid points of the test inversion (R's and moderndid's default).
GRID_POINTS = 1000


@contextmanager
def _quiet() -> Iterator[None]:
    # moderndid warns when a grid end is accepted; the grids here are wide (20 standard errors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


@dataclass(frozen=True)
class SensitivityRow:
    """A robust interval at one value of the restriction's parameter (M̄ or M)."""

    parameter: float
    lb: float
    ub: float

    @property
    def covers_zero(self) -> bool:
        """Whether the interval contains zero."""
        return self.lb <= 0 <= self.ub


def _target(es: EventStudy, l_vec: Array | None) -> Array:
    return basis_vector(1, es.n_post).ravel() if l_vec is None else np.asarray(l_vec, dtype=float)


def original_interval(es: EventStudy, l_vec: Array | None = None) -> SensitivityRow:
    """The usual 95 % interval for θ = l'τ_post, under exact parallel trends (moderndid)."""
    res = construct_original_cs(es.beta, es.sigma, es.n_pre, es.n_post, l_vec=_target(es, l_vec), alpha=ALPHA)
    return SensitivityRow(0.0, float(res.lb), float(res.ub))


# --- relative magnitudes --------------------------------------------------------------------------


def rm_polyhedra(n_pre: int) -> list[tuple[int, bool]]:
    """R's polyhedra of Δ^RM: the period ``s`` of the largest pre-period change and its sign."""
    return [(s, positive) for s in range(-(n_pre - 1), 1) for positive in (True, False)]


def rm_constraints(n_pre: int, n_post: int, mbar: float, s: int, positive: bool) -> Array:
    """``A`` with Δ^RM_{s,±}(M̄) = {δ : A δ <= 0} (R ``HonestDiD``'s ``.create_A_RM``).

    Columns are the pre- and post-period coefficients without the reference period. Row pair
    ``t``: ``±(δ_{t+1} - δ_t) <= w · (δ_{s+1} - δ_s)`` (sign of the largest change), with
    ``w = 1`` for pre-period changes and ``w = M̄`` for post-period ones.
    """
    total = n_pre + n_post + 1
    a_tilde = create_first_differences_matrix(n_pre, n_post)
    v = np.zeros(total)
    v[n_pre + s - 1 : n_pre + s + 1] = [-1.0, 1.0]  # R: v[(numPre + s):(numPre + 1 + s)], 1-based
    if not positive:
        v = -v
    a_ub = np.vstack([np.tile(v, (n_pre, 1)), np.tile(mbar * v, (n_post, 1))])
    a = np.vstack([a_tilde - a_ub, -a_tilde - a_ub])
    a = a[np.einsum("ij,ij->i", a, a) > 1e-10]
    return np.asarray(np.delete(a, n_pre, axis=1), dtype=float)


def rm_identified_set(es: EventStudy, mbar: float, l_vec: Array | None = None) -> tuple[float, float]:
    """The identified set of θ under Δ^RM(M̄), given the pre-period coefficients (R's LPs)."""
    lv = _target(es, l_vec)
    f = np.concatenate([np.zeros(es.n_pre), lv])
    eq = np.hstack([np.eye(es.n_pre), np.zeros((es.n_pre, es.n_post))])
    point = float(lv @ es.beta[es.n_pre :])
    lo, hi = np.inf, -np.inf
    for s, positive in rm_polyhedra(es.n_pre):
        a = rm_constraints(es.n_pre, es.n_post, mbar, s, positive)
        kw = {
            "A_ub": a,
            "b_ub": np.zeros(len(a)),
            "A_eq": eq,
            "b_eq": es.beta[: es.n_pre],
            "bounds": [(None, None)] * (es.n_pre + es.n_post),
            "method": "highs",
        }
        top, bottom = opt.linprog(-f, **kw), opt.linprog(f, **kw)
        if top.status == 0 and bottom.status == 0:
            lo, hi = min(lo, point + top.fun), max(hi, point - bottom.fun)
    return float(lo), float(hi)


def _accepts(
    es: EventStudy, mbar: float, s: int, positive: bool, lv: Array, grid: Array
) -> npt.NDArray[np.bool_]:
    """Moderndid's C-LF test of every θ on ``grid`` for one polyhedron (R's moment selection)."""
    a = rm_constraints(es.n_pre, es.n_post, mbar, s, positive)
    kappa = ALPHA / 10
    with _quiet():
        if es.n_post == 1:
            a = a[a[:, -1] != 0]  # post-period moments only (R, after HonestDiD #50)
            lf = compute_least_favorable_cv(None, a @ es.sigma @ a.T, kappa)
            res = compute_arp_ci(
                es.beta,
                es.sigma,
                a,
                np.zeros(len(a)),
                es.n_pre,
                1,
                alpha=ALPHA,
                grid_lb=float(grid[0]),
                grid_ub=float(grid[-1]),
                grid_points=len(grid),
                hybrid_flag="LF",
                hybrid_kappa=kappa,
                lf_cv=lf,
            )
            return np.asarray(res.accept_grid, dtype=bool)
        rows = np.nonzero(np.any(a[:, es.n_pre :] != 0, axis=1))[0]
        res = compute_arp_nuisance_ci(
            es.beta,
            es.sigma,
            lv,
            a,
            np.zeros(len(a)),
            es.n_pre,
            es.n_post,
            alpha=ALPHA,
            hybrid_flag="LF",
            hybrid_list={"hybrid_kappa": kappa},
            grid_lb=float(grid[0]),
            grid_ub=float(grid[-1]),
            grid_points=len(grid),
            rows_for_arp=rows,
        )
        return np.asarray(res.accept_grid[:, 1] > 0, dtype=bool)


def _grid(es: EventStudy, mbar: float, lv: Array, points: int) -> Array:
    lo, hi = rm_identified_set(es, mbar, lv)
    sd = float(np.sqrt(lv @ es.sigma[es.n_pre :, es.n_pre :] @ lv))
    return np.linspace(lo - 20 * sd, hi + 20 * sd, points)


def _polyhedron_task(args: tuple[EventStudy, float, int, bool, Array, Array]) -> npt.NDArray[np.bool_]:
    es, mbar, s, positive, lv, grid = args
    return _accepts(es, mbar, s, positive, lv, grid)


def rm_intervals(
    es: EventStudy,
    mbars: Sequence[float],
    l_vec: Array | None = None,
    grid_points: int = GRID_POINTS,
    workers: int = 1,
) -> list[SensitivityRow]:
    """The C-LF robust 95 % interval for θ under Δ^RM(M̄), for each M̄ of ``mbars``.

    The grid runs from the identified set's ends minus and plus 20 standard errors of the
    target, as moderndid's ``create_sensitivity_results_rm`` does; the interval is the first
    and last grid point any polyhedron accepts (R's union). With ``workers > 1`` the polyhedra
    are tested in that many separate processes (the tests are deterministic, so the result does
    not depend on it).
    """
    lv = _target(es, l_vec)
    grids = [_grid(es, float(m), lv, grid_points) for m in mbars]
    tasks = [
        (es, float(m), s, positive, lv, grid)
        for m, grid in zip(mbars, grids, strict=True)
        for s, positive in rm_polyhedra(es.n_pre)
    ]
    if workers > 1:
        # forked workers share the parent's imports and numba's loaded functions; spawned ones
        # import and load them again (about 30 CPU-seconds more for the README's intervals)
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            accepted = list(pool.map(_polyhedron_task, tasks))
    else:
        accepted = [_polyhedron_task(t) for t in tasks]
    per = len(rm_polyhedra(es.n_pre))
    rows = []
    for k, (m, grid) in enumerate(zip(mbars, grids, strict=True)):
        accept = np.logical_or.reduce(accepted[k * per : (k + 1) * per])
        idx = np.nonzero(accept)[0]
        if len(idx) == 0:
            rows.append(SensitivityRow(float(m), float("nan"), float("nan")))
        else:
            rows.append(SensitivityRow(float(m), float(grid[idx[0]]), float(grid[idx[-1]])))
    return rows


def rm_interval(
    es: EventStudy, mbar: float, l_vec: Array | None = None, grid_points: int = GRID_POINTS
) -> SensitivityRow:
    """The C-LF robust 95 % interval for θ under Δ^RM(M̄) (one M̄ of :func:`rm_intervals`)."""
    return rm_intervals(es, [mbar], l_vec, grid_points)[0]


def rm_accepts(es: EventStudy, mbar: float, theta: float = 0.0, l_vec: Array | None = None) -> bool:
    """Whether the C-LF test under Δ^RM(M̄) accepts θ = ``theta`` (any polyhedron accepts)."""
    lv = _target(es, l_vec)
    point = np.array([theta, theta], dtype=float)
    return any(bool(_accepts(es, mbar, s, p, lv, point).any()) for s, p in rm_polyhedra(es.n_pre))


def _bisect(accepts_at: Callable[[float], bool], lo: float, hi: float, tol: float) -> float:
    """Smallest x in (lo, hi] with ``accepts_at(x)``, to within ``tol``, by bisection.

    ``accepts_at(lo)`` is false and ``accepts_at(hi)`` true; acceptance is taken to be monotone
    in x (the restriction sets are nested in their parameter).
    """
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if accepts_at(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _bracket(
    accepts_at: Callable[[float], bool], known: Sequence[SensitivityRow], upper: float
) -> tuple[float, float] | None:
    """A bracket [lo, hi] of the breakdown value, narrowed by intervals already computed.

    ``known`` are intervals on a grid of the parameter; the bracket ends are checked with the
    test itself. ``None`` if not even ``upper`` is accepted.
    """
    grid = sorted((r for r in known if r.parameter > 0), key=lambda r: r.parameter)
    lo, hi = 0.0, upper
    for row in grid:
        if row.covers_zero:
            hi = min(hi, row.parameter)
            break
        lo = row.parameter
    if lo > 0 and accepts_at(lo):
        lo = 0.0
    if not accepts_at(hi):
        if hi == upper or not accepts_at(upper):
            return None
        lo, hi = hi, upper
    return lo, hi


def breakdown_rm(
    es: EventStudy,
    tol: float = 1e-3,
    upper: float = 10.0,
    l_vec: Array | None = None,
    known: Sequence[SensitivityRow] = (),
) -> float | None:
    """The breakdown value of M̄: the smallest M̄ at which the robust interval covers zero.

    Found by bisection on the C-LF test of θ = 0 (not read off a grid), to within ``tol``; 0.0
    if the test already accepts θ = 0 at M̄ = 0, ``None`` if not even M̄ = ``upper`` does.
    Intervals already computed on a grid of M̄ (``known``) narrow the starting bracket.
    """

    def accepts(m: float) -> bool:
        return rm_accepts(es, m, 0.0, l_vec)

    if accepts(0.0):
        return 0.0
    bracket = _bracket(accepts, known, upper)
    return None if bracket is None else _bisect(accepts, *bracket, tol)


def moderndid_rm_gap(es: EventStudy, mbar: float, l_vec: Array | None = None) -> dict[str, float]:
    """Identified set of Δ^RM(M̄) by moderndid 0.2.0 and by R's polyhedra (this module)."""
    lv = _target(es, l_vec)
    theirs = compute_identified_set_rm(mbar, es.beta, lv, es.n_pre, es.n_post)
    lo, hi = rm_identified_set(es, mbar, lv)
    return {"moderndid_lb": float(theirs.id_lb), "moderndid_ub": float(theirs.id_ub), "lb": lo, "ub": hi}


# --- smoothness ----------------------------------------------------------------------------------


def sd_interval(es: EventStudy, m: float, l_vec: Array | None = None) -> SensitivityRow:
    """The FLCI robust 95 % interval for θ under Δ^SD(M) (moderndid)."""
    with _quiet():
        res = create_sensitivity_results_sm(
            es.beta,
            es.sigma,
            es.n_pre,
            es.n_post,
            method="FLCI",
            m_vec=[float(m)],
            l_vec=_target(es, l_vec),
            alpha=ALPHA,
        )
    return SensitivityRow(float(m), float(res["lb"][0]), float(res["ub"][0]))


def sd_upper_bound(es: EventStudy) -> float:
    """R's default upper end of the M grid (moderndid's ``compute_delta_sd_upperbound_m``).

    An upper confidence bound on the largest second difference of the pre-period coefficients.
    """
    with _quiet():
        return float(compute_delta_sd_upperbound_m(es.beta, es.sigma, es.n_pre, alpha=ALPHA))


def breakdown_sd(
    es: EventStudy,
    tol: float,
    upper: float,
    l_vec: Array | None = None,
    known: Sequence[SensitivityRow] = (),
) -> float | None:
    """The breakdown value of M: the smallest M at which the FLCI covers zero.

    The FLCI's ends move continuously with M, so the breakdown value is the root of
    ``min(ub(M), -lb(M))``, found by Brent's method to within ``tol`` (intervals ``known`` on a
    grid of M narrow the bracket and are not recomputed); 0.0 if the interval at M = 0 already
    covers zero, ``None`` if not even M = ``upper`` does.
    """
    cache = {row.parameter: row for row in known}

    def margin(m: float) -> float:
        if m not in cache:
            cache[m] = sd_interval(es, m, l_vec)
        return min(cache[m].ub, -cache[m].lb)

    if margin(0.0) >= 0:
        return 0.0
    bracket = _bracket(lambda m: margin(m) >= 0, list(cache.values()), upper)
    if bracket is None:
        return None
    return float(opt.brentq(margin, *bracket, xtol=tol))
