"""The linear fast path: TWFE and unconditional Callaway-Sant'Anna for many outcomes at once.

For a fixed balanced design (units, years, cohorts), the TWFE coefficient and every
unconditional Callaway-Sant'Anna ATT(g,t) (``est_method="reg"`` without covariates, varying
base period) are linear in the outcome, and so are their simple, dynamic and group
aggregations. :class:`LinearDesign` evaluates them for a matrix of outcomes (one column per
draw) with a few matrix products. It is not a new estimator: it reproduces pyfixest's TWFE
(with its CRV1 standard error) and moderndid's ATT(g,t) and aggregations (with the analytic
influence-function standard error of the simple ATT), and ``tests/test_did.py`` checks it
against those library calls to 1e-8 on sampled draws.

Randomization inference and the power simulation use it: a permuted assignment is a new
design, and a simulated outcome is a new column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["RAMP_YEARS", "LinearDesign", "ramp_effect"]

Array = npt.NDArray[np.float64]

#: Years until an injected effect reaches its full size.
RAMP_YEARS = 3


def ramp_effect(event_time: npt.NDArray[np.int64], size: float, years_to_full: int = RAMP_YEARS) -> Array:
    """A dynamic effect: ``size * min(1, (e + 1) / years_to_full)`` for ``e >= 0``, else 0."""
    e = np.asarray(event_time, dtype=float)
    return np.where(e >= 0, size * np.minimum(1.0, (e + 1) / years_to_full), 0.0)


@dataclass
class LinearDesign:
    """A balanced design: ``cohort_of_unit[i]`` is unit ``i``'s first treated year (0 = never).

    Outcomes are matrices ``(n_units * n_years, n_draws)`` in unit-major, year-minor order (the
    order of the analysis panel sorted by unit and year).
    """

    years: npt.NDArray[np.int64]
    cohort_of_unit: npt.NDArray[np.int64]
    control: Literal["nevertreated", "notyettreated"] = "nevertreated"
    cells: list[tuple[int, int, int]] = field(init=False)  # (group, time, base year)

    def __post_init__(self) -> None:
        self.years = np.asarray(self.years, dtype=np.int64)
        self.cohort_of_unit = np.asarray(self.cohort_of_unit, dtype=np.int64)
        self.n_units, self.n_years = len(self.cohort_of_unit), len(self.years)
        groups = sorted(int(g) for g in set(self.cohort_of_unit.tolist()) if g > 0)
        self.groups = groups
        self.cells = []
        for g in groups:
            for k in range(1, self.n_years):
                t = int(self.years[k])
                base = g - 1 if t >= g else int(self.years[k - 1])
                self.cells.append((g, t, base))
        d = np.zeros((self.n_units, self.n_years))
        for i, g in enumerate(self.cohort_of_unit):
            if g > 0:
                d[i] = self.years >= g
        # two-way demeaned treatment (balanced panel): the TWFE weights by Frisch-Waugh-Lovell
        dt = d - d.mean(1, keepdims=True) - d.mean(0, keepdims=True) + d.mean()
        self._dtilde = dt.reshape(-1)
        self._dd = float(self._dtilde @ self._dtilde)
        self._pg = {g: float(np.mean(self.cohort_of_unit == g)) for g in groups}
        self._post = [k for k, (g, t, _) in enumerate(self.cells) if t >= g]

    @classmethod
    def from_panel(
        cls, panel: pd.DataFrame, control: Literal["nevertreated", "notyettreated"] = "nevertreated"
    ) -> LinearDesign:
        """The design of an analysis panel (sorted by unit, then year)."""
        ordered = panel.sort_values(["unit", "year"], kind="stable")
        if not ordered.index.equals(panel.index):
            raise ValueError("the panel must be sorted by unit, then year")
        years = np.sort(panel["year"].unique())
        cohort = ordered.groupby("unit", sort=True)["cohort"].first().to_numpy()
        return cls(years, cohort, control)

    def permuted(self, order: npt.NDArray[np.int64]) -> LinearDesign:
        """The same design with the cohorts reassigned across units (``cohort[order]``)."""
        return LinearDesign(self.years, self.cohort_of_unit[np.asarray(order)], self.control)

    def treated_cells(self) -> npt.NDArray[np.bool_]:
        """Flat (unit-major) indicator of treated unit-years."""
        c = self.cohort_of_unit[:, None]
        return ((c > 0) & (self.years[None, :] >= c)).reshape(-1)

    def event_time(self) -> npt.NDArray[np.int64]:
        """Flat event time ``year - cohort`` (a large negative number for never-treated units)."""
        c = self.cohort_of_unit[:, None]
        e = np.where(c > 0, self.years[None, :] - c, -999)
        return e.reshape(-1).astype(np.int64)

    def _cube(self, y: Array) -> Array:
        y = np.asarray(y, dtype=float)
        if y.ndim == 1:
            y = y[:, None]
        if y.shape[0] != self.n_units * self.n_years:
            raise ValueError(f"outcome has {y.shape[0]} rows, the design {self.n_units * self.n_years}")
        return y.reshape(self.n_units, self.n_years, -1)

    # --- TWFE -------------------------------------------------------------------------------
    def twfe_weights(self) -> Array:
        """``w`` with ``beta_TWFE = w @ y``."""
        return np.asarray(self._dtilde / self._dd, dtype=float)

    def twfe(self, y: Array) -> Array:
        """TWFE coefficient of each column of ``y``."""
        return self.twfe_weights() @ self._cube(y).reshape(self.n_units * self.n_years, -1)

    def twfe_se(self, y: Array) -> Array:
        """CRV1 standard error clustered by unit, with pyfixest's default small-sample factor."""
        cube = self._cube(y)
        yt = (
            cube
            - cube.mean(1, keepdims=True)
            - cube.mean(0, keepdims=True)
            + cube.mean((0, 1), keepdims=True)
        )
        beta = self.twfe(y)
        dt = self._dtilde.reshape(self.n_units, self.n_years)
        resid = yt - dt[:, :, None] * beta[None, None, :]
        score = np.einsum("it,itr->ir", dt, resid)
        g, n_obs = self.n_units, self.n_units * self.n_years
        # fixest/pyfixest default: unit effects are nested in the clusters and not counted; the
        # slope and the year effects are (k = 1 + n_years)
        ssc = g / (g - 1) * (n_obs - 1) / (n_obs - 1 - self.n_years)
        meat = (score**2).sum(0)
        return np.asarray(np.sqrt(ssc * meat) / self._dd, dtype=float)

    # --- Callaway-Sant'Anna -------------------------------------------------------------------
    def _controls(self, g: int, t: int, base: int) -> npt.NDArray[np.bool_]:
        c = self.cohort_of_unit
        if self.control == "nevertreated":
            return np.asarray(c == 0, dtype=bool)
        return np.asarray((c == 0) | ((c > max(t, base)) & (c != g)), dtype=bool)

    def _deltas(self, cube: Array) -> list[tuple[Array, npt.NDArray[np.bool_], npt.NDArray[np.bool_]]]:
        index = {int(y): k for k, y in enumerate(self.years)}
        out = []
        for g, t, base in self.cells:
            delta = cube[:, index[t], :] - cube[:, index[base], :]
            out.append((delta, self.cohort_of_unit == g, self._controls(g, t, base)))
        return out

    def cell_weights(self) -> Array:
        """Matrix ``M`` (cells x unit-years) with ``ATT(g,t) = M @ y`` (flat, unit-major)."""
        index = {int(y): k for k, y in enumerate(self.years)}
        cells = np.array(self.cells, dtype=np.int64).reshape(-1, 3)
        g, t, base = cells[:, 0:1], cells[:, 1:2], cells[:, 2:3]
        cohort = self.cohort_of_unit[None, :]
        treated = (cohort == g).astype(float)
        if self.control == "nevertreated":
            controls = np.broadcast_to(cohort == 0, treated.shape).astype(float)
        else:
            controls = ((cohort == 0) | ((cohort > np.maximum(t, base)) & (cohort != g))).astype(float)
        diff = treated / treated.sum(1, keepdims=True) - controls / controls.sum(1, keepdims=True)
        rows, units = np.arange(len(cells))[:, None], np.arange(self.n_units)[None, :]
        out = np.zeros((len(cells), self.n_units, self.n_years))
        # the two years of a cell always differ, so the two assignments never collide
        out[rows, units, np.array([index[int(x)] for x in t[:, 0]])[:, None]] = diff
        out[rows, units, np.array([index[int(x)] for x in base[:, 0]])[:, None]] = -diff
        return out.reshape(len(cells), -1)

    def att_gt(self, y: Array) -> Array:
        """ATT(g,t) for every cell (rows, in :attr:`cells` order) and draw (columns)."""
        return self.cell_weights() @ self._cube(y).reshape(self.n_units * self.n_years, -1)

    def _simple_weights(self) -> Array:
        w = np.zeros(len(self.cells))
        for k in self._post:
            w[k] = self._pg[self.cells[k][0]]
        return np.asarray(w / w.sum(), dtype=float)

    def _dynamic_weights(self) -> Array:
        e = np.array([t - g for g, t, _ in self.cells])
        w = np.zeros(len(self.cells))
        post_e = sorted({int(x) for x in e if x >= 0})
        for ev in post_e:
            ks = [k for k in range(len(self.cells)) if e[k] == ev]
            tot = sum(self._pg[self.cells[k][0]] for k in ks)
            for k in ks:
                w[k] += self._pg[self.cells[k][0]] / tot / len(post_e)
        return w

    def _group_weights(self) -> Array:
        w = np.zeros(len(self.cells))
        tot = sum(self._pg.values())
        for g in self.groups:
            ks = [k for k in self._post if self.cells[k][0] == g]
            for k in ks:
                w[k] += self._pg[g] / tot / len(ks)
        return w

    def aggregate(self, y: Array, kind: Literal["simple", "dynamic", "group"] = "simple") -> Array:
        """An overall aggregation of ATT(g,t) (R ``did``/moderndid definitions)."""
        weights = {
            "simple": self._simple_weights,
            "dynamic": self._dynamic_weights,
            "group": self._group_weights,
        }
        return weights[kind]() @ self.att_gt(y)

    def simple_weights_flat(self) -> Array:
        """``c`` with ``simple ATT = c @ y`` (the simple aggregation as one linear functional)."""
        return self._simple_weights() @ self.cell_weights()

    def simple_se(self, y: Array) -> Array:
        """Analytic standard error of the simple ATT from its influence function (as moderndid)."""
        cube = self._cube(y)
        n = self.n_units
        deltas = self._deltas(cube)
        post = self._post
        pg = np.array([self._pg[self.cells[k][0]] for k in post])
        w = pg / pg.sum()
        att = np.vstack(
            [deltas[k][0][deltas[k][1]].mean(0) - deltas[k][0][deltas[k][2]].mean(0) for k in post]
        )
        inf = np.zeros((n, cube.shape[2]))
        for j, k in enumerate(post):
            d, tr, co = deltas[k]
            part = np.zeros_like(d)
            part[tr] = n * (d[tr] - d[tr].mean(0)) / tr.sum()
            part[co] = -n * (d[co] - d[co].mean(0)) / co.sum()
            inf += w[j] * part
        member = np.column_stack([(self.cohort_of_unit == self.cells[k][0]).astype(float) for k in post])
        if1 = (member - pg[None, :]) / pg.sum()
        if2 = (member - pg[None, :]).sum(1, keepdims=True) * (pg / pg.sum() ** 2)[None, :]
        inf += (if1 - if2) @ att
        return np.asarray(np.sqrt((inf**2).mean(0) / n), dtype=float)
