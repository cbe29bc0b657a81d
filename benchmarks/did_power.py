"""Benchmark: the linear fast path against a loop of library calls over the same power draws.

Run from the project root (not part of the build):  .venv/bin/python benchmarks/did_power.py

For one effect size it draws the simulated outcomes of the power analysis (real province paths
shuffled over the real design, plus a ramped effect), then computes, for every draw, TWFE (with
its CRV1 standard error) and the Callaway-Sant'Anna ATT(g,t) with the simple, dynamic and group
aggregations (never-treated control, with the simple ATT's analytic standard error):

* fast path: all draws at once with :class:`analysis.did.fast.LinearDesign`;
* library path: one pyfixest ``feols`` and one moderndid ``att_gt`` + three ``aggte`` per draw.

It prints both wall-clock times, their ratio and the largest absolute difference between the
two paths over all draws and quantities.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import numpy as np

from analysis.did.estimators import callaway_santanna, twfe
from analysis.did.fast import LinearDesign
from analysis.did.panel import load_panel
from analysis.did.simulation import power_draws


def main() -> None:
    """Run the benchmark and print a JSON summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--size", type=float, default=0.02)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    panel = load_panel()
    _, y, _ = power_draws(panel, "ln_gdp", args.size, args.draws, args.seed)

    start = time.perf_counter()
    design = LinearDesign.from_panel(panel)
    fast = {
        "twfe": design.twfe(y),
        "twfe_se": design.twfe_se(y),
        "simple": design.aggregate(y, "simple"),
        "simple_se": design.simple_se(y),
        "dynamic": design.aggregate(y, "dynamic"),
        "group": design.aggregate(y, "group"),
    }
    att_fast = design.att_gt(y)
    fast_seconds = time.perf_counter() - start

    start = time.perf_counter()
    lib: dict[str, list[float]] = {k: [] for k in fast}
    att_lib = []
    for r in range(args.draws):
        frame = panel.assign(sim=y[:, r])
        tw = twfe(frame, "sim")
        cs = callaway_santanna(frame, "sim", "nevertreated")
        lib["twfe"].append(tw.estimate)
        lib["twfe_se"].append(tw.se)
        lib["simple"].append(cs.simple.estimate)
        lib["simple_se"].append(cs.simple.se)
        lib["dynamic"].append(cs.dynamic.estimate)
        lib["group"].append(cs.group.estimate)
        att_lib.append(cs.att_gt["att"].to_numpy())
    library_seconds = time.perf_counter() - start

    diffs = {k: float(np.max(np.abs(np.asarray(lib[k]) - fast[k]))) for k in fast}
    diffs["att_gt"] = float(np.max(np.abs(np.column_stack(att_lib) - att_fast)))
    print(
        json.dumps(
            {
                "draws": args.draws,
                "effect_size": args.size,
                "cpu_count": os.cpu_count(),
                "fast_seconds": round(fast_seconds, 4),
                "library_seconds": round(library_seconds, 2),
                "ratio_library_over_fast": round(library_seconds / fast_seconds, 1),
                "max_abs_difference": diffs,
                "identical_to_1e-8": all(v < 1e-8 for v in diffs.values()),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
