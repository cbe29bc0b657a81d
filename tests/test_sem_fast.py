"""The fast ML refit lands on semopy's estimates; the bootstrap helpers behave."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import semopy
from semopy.examples import political_democracy

from analysis.sem.fast_ml import FastML, sample_cov, standardized_beta
from analysis.sem.synthetic import bc_interval

PD_SYNTAX = """ind60 =~ x1 + x2 + x3
dem60 =~ y1 + y2 + y3 + y4
dem65 =~ y5 + y6 + y7 + y8
dem60 ~ ind60
dem65 ~ ind60 + dem60
y1 ~~ y5
y2 ~~ y4 + y6
y3 ~~ y7
y4 ~~ y8
y6 ~~ y8
"""


@pytest.fixture(scope="module")
def fitted() -> tuple[semopy.Model, np.ndarray]:
    data = political_democracy.get_data()
    model = semopy.Model(PD_SYNTAX)
    model.fit(data)
    return model, data[model.vars["observed"]].to_numpy(dtype=float)


def test_sample_cov_is_semopys(fitted: tuple[semopy.Model, np.ndarray]) -> None:
    model, data = fitted
    assert np.allclose(sample_cov(data), model.mx_cov)


def test_gradient_matches_finite_differences(fitted: tuple[semopy.Model, np.ndarray]) -> None:
    model, data = fitted
    fast = FastML.from_semopy(model)
    cov = sample_cov(data)
    x = fast.x0 * 1.05
    _, grad = fast.objective(x, cov)
    eps = 1e-6
    for i in range(len(x)):
        step = np.zeros_like(x)
        step[i] = eps
        num = (fast.objective(x + step, cov)[0] - fast.objective(x - step, cov)[0]) / (2 * eps)
        assert num == pytest.approx(grad[i], abs=1e-5)


def test_refit_from_a_perturbed_start_returns_semopys_estimates(
    fitted: tuple[semopy.Model, np.ndarray],
) -> None:
    model, data = fitted
    fast = FastML.from_semopy(model)
    x = fast.fit(sample_cov(data), fast.x0 * 0.8 + 0.1)
    cov = sample_cov(data)
    assert fast.objective(x, cov)[0] <= fast.objective(np.asarray(model.param_vals), cov)[0] + 1e-8
    assert np.allclose(x, model.param_vals, rtol=1e-2, atol=5e-3)  # a flat optimum: compare loosely
    std = standardized_beta(fast, x)
    est = model.inspect(std_est=True)
    row = est[(est["op"] == "~") & (est["lval"] == "dem65") & (est["rval"] == "dem60")].iloc[0]
    pos = {v: i for i, v in enumerate(fast.inner)}
    assert std[pos["dem65"], pos["dem60"]] == pytest.approx(row["Est. Std"], abs=1e-3)


def test_bc_interval_is_the_percentile_interval_without_bias() -> None:
    draws = np.random.default_rng(1).normal(size=20001)
    lo, hi = bc_interval(draws, float(np.median(draws)))
    assert lo == pytest.approx(np.quantile(draws, 0.025), abs=1e-2)
    assert hi == pytest.approx(np.quantile(draws, 0.975), abs=1e-2)
    shifted_lo, _ = bc_interval(draws, 0.5)  # estimate above the median: interval moves up
    assert shifted_lo > lo


def test_preconditioned_refit_reaches_the_optimum_lbfgs_reaches(
    fitted: tuple[semopy.Model, np.ndarray],
) -> None:
    model, data = fitted
    plain = FastML.from_semopy(model)
    fast = plain.with_curvature(sample_cov(data))
    assert fast.hess_inv is not None
    rows = np.random.default_rng(7).integers(0, len(data), size=len(data))
    cov = sample_cov(data[rows])
    x, fallback = fast.refit(cov)
    reference, used_lbfgs = plain.refit(cov)
    assert not fallback and not used_lbfgs
    assert fast.objective(x, cov)[0] <= fast.objective(reference, cov)[0] + 1e-9
    assert np.abs(fast.objective(x, cov)[1]).max() < 1e-5
    assert np.allclose(standardized_beta(fast, x), standardized_beta(fast, reference), atol=1e-4)


def test_a_refit_that_leaves_a_bound_is_fitted_again_by_lbfgs(
    fitted: tuple[semopy.Model, np.ndarray],
) -> None:
    model, data = fitted
    fast = FastML.from_semopy(model).with_curvature(sample_cov(data))
    variance = next(i for i, (lo, _) in enumerate(fast.bounds) if lo is not None)
    bounds = list(fast.bounds)
    cap = float(fast.x0[variance]) * 0.5
    bounds[variance] = (bounds[variance][0], cap)
    capped = replace(fast, bounds=tuple(bounds))
    x, fallback = capped.refit(sample_cov(data))
    assert fallback
    assert x[variance] <= cap + 1e-12
