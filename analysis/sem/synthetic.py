"""Synthetic item-level data consistent with the reconstruction, and the bootstrap of mediation.

SYNTHETIC: these are not the thesis's data (which are unpublished). N = 457 rows are drawn from
a multivariate normal with the reconstructed correlation matrix and cut into five ordered
categories at fixed points on the latent scale, seeded, so the file is byte-for-byte
reproducible. They can show what the printed estimates imply; they cannot recover the thesis's
chi2, its item skewness or its bootstrap intervals.

The mediation models follow 图6-5 and 图6-6: a second-order factor RES (跨域治理资源) measured by
DP, DK and VP; RES -> DSC -> BPC with RES -> BPC, and RES -> BPC -> PV with RES -> PV. The
full-sample fit is semopy's; the bootstrap refits (resampled rows, seeded, in ``workers`` processes) use
:class:`analysis.sem.fast_ml.FastML`, warm-started from the semopy estimates and preconditioned
with the curvature there.
"""

from __future__ import annotations

import io as _io
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np
import pandas as pd
import semopy
from scipy import stats
from threadpoolctl import threadpool_limits

from analysis.sem.fast_ml import FastML, sample_cov, standardized_beta
from analysis.sem.reconstruction import (
    ALL_ITEMS,
    ITEMS,
    MODELS,
    N_VALID,
    fit_ml,
    model_syntax,
    standardized_paths,
)

__all__ = [
    "CUTS",
    "SEED",
    "BootResult",
    "bc_interval",
    "bootstrap_mediation",
    "fit_paths_on_data",
    "generate",
    "mediation_syntax",
    "to_csv_bytes",
]

#: Seed of the synthetic draw.
SEED = 20230401
#: Cut points on the standard-normal latent item scale between categories 1|2, 2|3, 3|4, 4|5:
#: category shares of about 2, 4, 11, 29 and 54 per cent, a ceiling-heavy 5-point item
#: (an assumption of ours, not a value printed in the thesis).
CUTS: tuple[float, ...] = (-2.05, -1.55, -0.95, -0.10)


def generate(sigma: pd.DataFrame, n: int = N_VALID, seed: int = SEED) -> pd.DataFrame:
    """N draws from MVN(0, sigma), cut into 1-5 at :data:`CUTS` (Cholesky, so deterministic)."""
    rng = np.random.default_rng(seed)
    chol = np.linalg.cholesky(sigma.to_numpy())
    latent = rng.standard_normal((n, sigma.shape[0])) @ chol.T
    cats = (latent[..., None] > np.asarray(CUTS)).sum(axis=-1) + 1
    frame = pd.DataFrame(cats.astype(int), columns=list(sigma.columns))
    frame.insert(0, "respondent", np.arange(1, n + 1))
    return frame


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """The CSV bytes of the synthetic table (UTF-8, LF line ends)."""
    buf = _io.StringIO()
    frame.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def mediation_syntax(mediator: str, outcome: str) -> str:
    """图6-5/6-6: RES =~ DP + DK + VP; mediator ~ RES; outcome ~ mediator + RES."""
    factors = ["DP", "DK", "VP", mediator, outcome]
    lines = [f"{f} =~ " + " + ".join(ITEMS[f]) for f in factors]
    lines += ["RES =~ DP + DK + VP", f"{mediator} ~ RES", f"{outcome} ~ {mediator} + RES"]
    return "\n".join(lines) + "\n"


def fit_paths_on_data(data: pd.DataFrame) -> pd.DataFrame:
    """Fit M0 and M1 (semopy) to item-level data: standardized paths and standard errors."""
    frames = []
    for name, paths in MODELS.items():
        model = fit_ml(semopy.Model(model_syntax(paths)), data[list(ALL_ITEMS)].astype(float))
        frame = standardized_paths(model, paths)
        frame.insert(0, "model", name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def _effects(fast: FastML, x: np.ndarray, mediator: str, outcome: str) -> tuple[float, float, float]:
    b = standardized_beta(fast, x)
    pos = {v: i for i, v in enumerate(fast.inner)}
    a = b[pos[mediator], pos["RES"]]
    bb = b[pos[outcome], pos[mediator]]
    direct = b[pos[outcome], pos["RES"]]
    return float(a * bb), float(direct), float(a * bb + direct)


# worker state (set once per process by the initializer)
_STATE: dict[str, object] = {}


def _init(fast: FastML, data: np.ndarray, mediator: str, outcome: str) -> None:
    # one BLAS thread per process: the matrices are small and the processes share the cores
    _STATE.update(fast=fast, data=data, mediator=mediator, outcome=outcome, limits=threadpool_limits(1))


def _run(chunk: np.ndarray) -> np.ndarray:
    fast = _STATE["fast"]
    data = _STATE["data"]
    assert isinstance(fast, FastML) and isinstance(data, np.ndarray)
    out = np.empty((len(chunk), 4))
    for k, rows in enumerate(chunk):
        x, fallback = fast.refit(sample_cov(data[rows]))
        out[k, :3] = _effects(fast, x, str(_STATE["mediator"]), str(_STATE["outcome"]))
        out[k, 3] = fallback
    return out


@dataclass(frozen=True)
class BootResult:
    """Full-sample standardized effects, their bootstrap draws and the timings."""

    estimate: dict[str, float]
    draws: pd.DataFrame
    seconds_total: float
    seconds_cold_semopy: float
    seconds_per_refit: float
    #: refits that preconditioned BFGS left to L-BFGS-B (:meth:`FastML.refit`)
    lbfgs_refits: int


def bc_interval(draws: np.ndarray, estimate: float, level: float = 0.95) -> tuple[float, float]:
    """Bias-corrected percentile interval (Efron): quantiles at Phi(2 z0 +/- z_{1-alpha/2})."""
    share = float(np.mean(draws < estimate))
    share = min(max(share, 1.0 / (len(draws) + 1)), 1.0 - 1.0 / (len(draws) + 1))
    z0 = float(stats.norm.ppf(share))
    z = float(stats.norm.ppf(0.5 + level / 2.0))
    lo, hi = stats.norm.cdf(2 * z0 - z), stats.norm.cdf(2 * z0 + z)
    return float(np.quantile(draws, lo)), float(np.quantile(draws, hi))


def bootstrap_mediation(
    data: pd.DataFrame,
    mediator: str,
    outcome: str,
    n_boot: int = 2000,
    seed: int = SEED,
    workers: int = 2,
    chunks: int = 8,
) -> BootResult:
    """Standardized indirect, direct and total effect of RES, with ``n_boot`` row resamples.

    The resample indices are drawn up front from one seeded generator, so the result does not
    depend on how the chunks are scheduled over the ``workers`` processes.
    """
    syntax = mediation_syntax(mediator, outcome)
    start = time.perf_counter()
    items = [i for f in ("DP", "DK", "VP", mediator, outcome) for i in ITEMS[f]]
    model = fit_ml(semopy.Model(syntax), data[items].astype(float))
    cold = time.perf_counter() - start
    observed: Sequence[str] = model.vars["observed"]
    matrix = data[list(observed)].to_numpy(dtype=float)
    fast = FastML.from_semopy(model).with_curvature(sample_cov(matrix))
    estimate = dict(
        zip(("indirect", "direct", "total"), _effects(fast, fast.x0, mediator, outcome), strict=True)
    )
    rng = np.random.default_rng(seed)
    indices = rng.integers(0, len(matrix), size=(n_boot, len(matrix)))
    parts = np.array_split(indices, chunks)
    t0 = time.perf_counter()
    if workers > 1:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=get_context("fork" if sys.platform.startswith("linux") else "spawn"),
            initializer=_init,
            initargs=(fast, matrix, mediator, outcome),
        ) as pool:
            results = list(pool.map(_run, parts))
    else:
        with threadpool_limits(1):
            _init(fast, matrix, mediator, outcome)
            results = [_run(p) for p in parts]
    elapsed = time.perf_counter() - t0
    stacked = np.vstack(results)
    draws = pd.DataFrame(stacked[:, :3], columns=["indirect", "direct", "total"])
    return BootResult(
        estimate, draws, elapsed + cold, cold, elapsed * workers / n_boot, int(stacked[:, 3].sum())
    )
