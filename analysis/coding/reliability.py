"""Intercoder reliability of the double-coded segments: Krippendorff's alpha and Cohen's kappa.

Each second-level code is a nominal presence/absence variable per segment. Point estimates
come from the ``krippendorff`` package and statsmodels' ``cohens_kappa``. The bootstrap
(resampling segments) uses the closed forms of both statistics for two coders, binary values
and no missing data, vectorised over draws; :func:`binary_alpha` and :func:`binary_kappa` are
tested to equal the library values.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import krippendorff
import numpy as np
import numpy.typing as npt
import pandas as pd
from statsmodels.stats.inter_rater import cohens_kappa

from analysis.coding.codebook import Codebook
from analysis.coding.segments import split_codes
from analysis.data.errors import DataError, Problem
from analysis.data.io import locate

__all__ = [
    "ReliabilityResult",
    "binary_alpha",
    "binary_kappa",
    "check_disagreement_log",
    "disagreements",
    "library_alpha",
    "library_kappa",
    "pooled_alpha",
    "presence",
    "reconcile",
    "reliability",
    "replicate_krippendorff",
    "second_coding_sample",
]

FloatArray = npt.NDArray[np.float64]


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]


def presence(frame: pd.DataFrame, code_ids: tuple[str, ...], segment_ids: list[str]) -> pd.DataFrame:
    """Segments (rows, in ``segment_ids`` order) x codes: 1 where the segment bears the code."""
    by_id = dict(zip(frame["segment_id"], frame["codes"], strict=True))
    missing = [s for s in segment_ids if s not in by_id]
    if missing:
        raise DataError(f"segments {missing[:5]} are not in the coding")
    rows = [[int(c in split_codes(by_id[s])) for c in code_ids] for s in segment_ids]
    return pd.DataFrame(rows, index=pd.Index(segment_ids, name="segment_id"), columns=list(code_ids))


def second_coding_sample(
    segments: pd.DataFrame, fraction: float, seed: int, exclude: frozenset[str] = frozenset()
) -> list[str]:
    """The segments drawn for a second coding: ``ceil(fraction * n)`` per case, seeded, sorted.

    Stratified by case so that every case is double-coded in proportion to its segments; ``n``
    counts a case's segments, and the draw is made among those not in ``exclude`` (the segments
    of an earlier round).
    """
    rng = np.random.default_rng(seed)
    chosen: list[str] = []
    for case in sorted(set(segments["case_id"])):
        in_case = segments.loc[segments["case_id"] == case, "segment_id"]
        k = int(np.ceil(fraction * len(in_case)))
        ids = sorted(s for s in in_case if s not in exclude)
        chosen += [ids[i] for i in sorted(rng.choice(len(ids), size=min(k, len(ids)), replace=False))]
    return sorted(chosen)


def library_alpha(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Nominal Krippendorff's alpha of two coders from the ``krippendorff`` package (NaN if constant)."""
    data = np.vstack([np.asarray(a, dtype=float), np.asarray(b, dtype=float)])
    if len(np.unique(data)) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def library_kappa(a: npt.ArrayLike, b: npt.ArrayLike) -> float:
    """Cohen's kappa of two binary codings from statsmodels (NaN if both coders are constant)."""
    x, y = np.asarray(a, dtype=int), np.asarray(b, dtype=int)
    table = np.array([[np.sum((x == i) & (y == j)) for j in (0, 1)] for i in (0, 1)])
    p_e = (table.sum(axis=1) @ table.sum(axis=0)) / table.sum() ** 2
    if np.isclose(p_e, 1.0):
        return float("nan")
    return float(cohens_kappa(table, return_results=False))


def binary_alpha(a: FloatArray, b: FloatArray) -> FloatArray:
    """Nominal alpha for two coders and 0/1 values, along the last axis (vectorised).

    With ``N`` units, ``n = 2N`` values, ``d`` disagreeing units and ``n1`` ones:
    alpha = 1 - (n - 1) d / (n0 n1). NaN where all values are equal.
    """
    n = 2 * a.shape[-1]
    d = np.sum(a != b, axis=-1)
    n1 = np.sum(a, axis=-1) + np.sum(b, axis=-1)
    n0 = n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 1.0 - (n - 1) * d / (n0 * n1)
    return np.where(n0 * n1 > 0, out, np.nan)


def binary_kappa(a: FloatArray, b: FloatArray) -> FloatArray:
    """Cohen's kappa for 0/1 codings along the last axis (vectorised). NaN where p_e = 1."""
    p_o = np.mean(a == b, axis=-1)
    pa, pb = np.mean(a, axis=-1), np.mean(b, axis=-1)
    p_e = pa * pb + (1 - pa) * (1 - pb)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = (p_o - p_e) / (1 - p_e)
    return np.where(np.isclose(p_e, 1.0), np.nan, out)


@dataclass(frozen=True)
class ReliabilityResult:
    """Per-variable reliability with percentile bootstrap intervals."""

    table: pd.DataFrame
    n_segments: int
    n_boot: int
    seed: int


def _interval(draws: FloatArray) -> tuple[float, float, int]:
    ok = draws[~np.isnan(draws)]
    if ok.size == 0:
        return float("nan"), float("nan"), int(draws.size)
    lo, hi = np.percentile(ok, [2.5, 97.5])
    return float(lo), float(hi), int(draws.size - ok.size)


def pooled_alpha(first: pd.DataFrame, second: pd.DataFrame, codebook: Codebook) -> float:
    """Alpha over every (segment, second-level code) decision of the segments ``second`` coded."""
    ids = list(second["segment_id"])
    a = presence(first, codebook.leaf_ids, ids).to_numpy(dtype=float).ravel()
    b = presence(second, codebook.leaf_ids, ids).to_numpy(dtype=float).ravel()
    return library_alpha(a, b)


def _row(
    level: str, name: str, a: FloatArray, b: FloatArray, a_draws: FloatArray, b_draws: FloatArray
) -> dict[str, Any]:
    """One variable's counts, agreement, alpha and kappa, with intervals from the draws."""
    alo, ahi, a_na = _interval(binary_alpha(a_draws, b_draws))
    klo, khi, _ = _interval(binary_kappa(a_draws, b_draws))
    return {
        "level": level,
        "variable": name,
        "n": int(a.size),
        "n_a": int(a.sum()),
        "n_b": int(b.sum()),
        "agreement": float(np.mean(a == b)),
        "alpha": library_alpha(a, b),
        "alpha_lo": alo,
        "alpha_hi": ahi,
        "kappa": library_kappa(a, b),
        "kappa_lo": klo,
        "kappa_hi": khi,
        "degenerate_draws": a_na,
    }


def reliability(
    first: pd.DataFrame, second: pd.DataFrame, codebook: Codebook, n_boot: int = 2000, seed: int = 20261122
) -> ReliabilityResult:
    """Alpha and kappa per second-level code, per top-level family and pooled over all codes.

    A family is present in a segment when any of its codes is. "Pooled" treats every
    (segment, code) decision as one unit. Intervals: percentile bootstrap over segments
    (``n_boot`` draws, ``seed``); draws in which a variable is constant are left out and counted.
    """
    ids = list(second["segment_id"])
    leaves = codebook.leaf_ids
    pa_ = presence(first, leaves, ids).to_numpy(dtype=float)
    pb_ = presence(second, leaves, ids).to_numpy(dtype=float)
    variables: list[tuple[str, str, FloatArray, FloatArray]] = [
        ("code", c, pa_[:, i], pb_[:, i]) for i, c in enumerate(leaves)
    ]
    for top in codebook.top_ids:
        cols = [i for i, c in enumerate(leaves) if codebook.top_of(c) == top]
        variables.append(("family", top, pa_[:, cols].max(axis=1), pb_[:, cols].max(axis=1)))
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(ids), size=(n_boot, len(ids)))
    rows = []
    for level, name, a, b in variables:
        rows.append(_row(level, name, a, b, a[draws], b[draws]))
    # pooled: every (segment, code) decision is a unit; resample segments, keep their codes
    rows.append(
        _row(
            "pooled",
            "ALL",
            pa_.ravel(),
            pb_.ravel(),
            pa_[draws].reshape(n_boot, -1),
            pb_[draws].reshape(n_boot, -1),
        )
    )
    return ReliabilityResult(pd.DataFrame(rows), len(ids), n_boot, seed)


def disagreements(first: pd.DataFrame, second: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Every (segment, code) on which the two coders differ: ``segment_id, code_id, coder_a, coder_b``."""
    ids = list(second["segment_id"])
    pa_ = presence(first, codebook.leaf_ids, ids).to_numpy()
    pb_ = presence(second, codebook.leaf_ids, ids).to_numpy()
    rows = [
        (sid, code, int(pa_[i, j]), int(pb_[i, j]))
        for i, sid in enumerate(ids)
        for j, code in enumerate(codebook.leaf_ids)
        if pa_[i, j] != pb_[i, j]
    ]
    return pd.DataFrame(rows, columns=["segment_id", "code_id", "coder_a", "coder_b"])


def check_disagreement_log(log: pd.DataFrame, computed: pd.DataFrame, where: str, round_: int = 1) -> None:
    """The authored log (its rows of one round) must resolve exactly that round's disagreements.

    Raises
    ------
    DataError
        Naming each log row that is not a real disagreement or has the wrong coder values, each
        disagreement the log leaves unresolved, and each row whose ``final`` contradicts its
        ``resolution``.
    """
    truth = {
        (str(r["segment_id"]), str(r["code_id"])): (int(r["coder_a"]), int(r["coder_b"]))
        for r in _records(computed)
    }
    problems: list[Problem] = []
    logged = set()
    for label, r in zip(log.index, _records(log), strict=True):
        here, line = locate(log, label, where)
        key = (str(r["segment_id"]), str(r["code_id"]))
        logged.add(key)
        if key not in truth:
            problems.append(
                Problem(
                    here,
                    line,
                    "segment_id/code_id",
                    f"{key[0]} {key[1]}",
                    f"not a disagreement between the two codings of round {round_}",
                )
            )
            continue
        if (int(r["coder_a"]), int(r["coder_b"])) != truth[key]:
            problems.append(
                Problem(
                    here,
                    line,
                    "coder_a/coder_b",
                    (r["coder_a"], r["coder_b"]),
                    f"the codings say {truth[key]}",
                )
            )
        expected = {"keep_a": int(r["coder_a"]), "accept_b": int(r["coder_b"])}.get(str(r["resolution"]))
        if expected is not None and int(r["final"]) != expected:
            problems.append(
                Problem(here, line, "final", r["final"], f"contradicts resolution {r['resolution']!r}")
            )
    for key in sorted(set(truth) - logged):
        problems.append(
            Problem(
                where,
                None,
                "segment_id/code_id",
                f"{key[0]} {key[1]}",
                f"disagreement {truth[key]} is not resolved in the log (round {round_})",
            )
        )
    if problems:
        raise DataError(problems)


def reconcile(first: pd.DataFrame, log: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The first coding with the log's final decisions applied (the consensus coding)."""
    codes = {sid: set(split_codes(c)) for sid, c in zip(first["segment_id"], first["codes"], strict=True)}
    for r in _records(log):
        target = codes[str(r["segment_id"])]
        if int(r["final"]):
            target.add(str(r["code_id"]))
        else:
            target.discard(str(r["code_id"]))
    order = {c: i for i, c in enumerate(codebook.leaf_ids)}
    empty = [sid for sid, s in codes.items() if not s]
    if empty:
        raise DataError(f"reconciliation leaves segment(s) {empty} without any code")
    out = first.copy()
    out["codes"] = [";".join(sorted(codes[s], key=order.__getitem__)) for s in out["segment_id"]]
    return out


def replicate_krippendorff(examples: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Published alpha values against the ``krippendorff`` package on the same data.

    Each row: example, level, published, reproduced, absolute difference and pass (the
    difference is within half a unit of the last published decimal, i.e. rounding).
    """
    rows = []
    for rec in _records(published):
        sub = examples[examples["example"] == rec["example"]]
        if sub.empty:
            raise DataError(f"krippendorff_published: example {rec['example']!r} has no data")
        wide = sub.assign(v=pd.to_numeric(sub["value"].replace("", np.nan))).pivot(
            index="coder", columns="unit", values="v"
        )
        value = float(
            krippendorff.alpha(reliability_data=wide.to_numpy(dtype=float), level_of_measurement=rec["level"])
        )
        decimals = int(rec["decimals"])
        diff = abs(value - float(rec["published"]))
        rows.append(
            {
                "example": str(rec["example"]),
                "level": str(rec["level"]),
                "published": float(rec["published"]),
                "reproduced": value,
                "abs_diff": diff,
                "passed": diff <= 0.5 * 10.0**-decimals + 1e-12,
            }
        )
    return pd.DataFrame(rows)
