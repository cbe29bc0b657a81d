"""Benchmark (not run by the build): bootstrap refits of the full SEM, and the chapter's run time.

Run from the project root:  .venv/bin/python benchmarks/sem_bootstrap.py [n_boot]

Reports, from one run on this machine: a cold semopy fit of the full model M1 on the synthetic
items; a warm-started FastML refit (one process), preconditioned with the curvature at the
full-sample estimates as the chapter's bootstrap is, and one without (L-BFGS-B); 2,000 (or
n_boot) bootstrap refits of the full model on two processes; and the execution time of
analysis.chapters.sem_value_cocreation.build(), which is what the chapter executes. Timings
depend on the machine's load; the load average is printed with them.
"""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import semopy
from threadpoolctl import threadpool_limits

from analysis.chapters.sem_value_cocreation import build
from analysis.data import io
from analysis.sem.fast_ml import FastML, sample_cov
from analysis.sem.reconstruction import ALL_ITEMS, M1_PATHS, model_syntax

_STATE: dict[str, object] = {}


def _init(fast: FastML, data: np.ndarray) -> None:
    _STATE.update(fast=fast, data=data, limits=threadpool_limits(1))


def _refit(chunk: np.ndarray) -> int:
    fast, data = _STATE["fast"], _STATE["data"]
    assert isinstance(fast, FastML) and isinstance(data, np.ndarray)
    for rows in chunk:
        fast.fit(sample_cov(data[rows]))
    return len(chunk)


def main(n_boot: int = 2000) -> None:
    """Time the pieces and print one line each."""
    print(f"load average before: {os.getloadavg()}")
    syn = io.load_table("sem_items_synthetic")[list(ALL_ITEMS)].astype(float)
    syntax = model_syntax(M1_PATHS)
    colds = []
    for _ in range(3):
        t = time.perf_counter()
        model = semopy.Model(syntax)
        model.fit(syn)
        colds.append(time.perf_counter() - t)
    plain = FastML.from_semopy(model)
    data = syn[list(model.vars["observed"])].to_numpy()
    fast = plain.with_curvature(sample_cov(data))
    rng = np.random.default_rng(1)
    idx = rng.integers(0, len(data), size=(n_boot, len(data)))
    with threadpool_limits(1):
        t = time.perf_counter()
        _init(plain, data)
        _refit(idx[:100])
        lbfgs_single = (time.perf_counter() - t) / 100
        t = time.perf_counter()
        _init(fast, data)
        _refit(idx[:100])
        warm_single = (time.perf_counter() - t) / 100
    t = time.perf_counter()
    with ProcessPoolExecutor(
        2, mp_context=get_context("fork"), initializer=_init, initargs=(fast, data)
    ) as pool:
        done = sum(pool.map(_refit, np.array_split(idx, 8)))
    wall = time.perf_counter() - t
    print(f"cold semopy fit of M1 (median of 3): {np.median(colds):.3f} s")
    print(f"warm FastML refit, one process:      {warm_single * 1000:.1f} ms")
    print(f"  the same without the curvature:     {lbfgs_single * 1000:.1f} ms (L-BFGS-B)")
    print(f"{done} refits on 2 processes:        {wall:.1f} s wall ({wall / done * 1000:.1f} ms per refit)")
    t = time.perf_counter()
    build(n_boot=2000, workers=2)
    print(f"chapter computation (run): {time.perf_counter() - t:.1f} s")
    print(f"load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
