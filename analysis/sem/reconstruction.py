"""Re-examination of the dissertation's value co-creation SEM (刘旭然 2023, ch. 6).

The thesis prints no item-level data and no item correlation matrix. What can be rebuilt is the
correlation matrix its own standardized estimates imply, Sigma = Lambda Phi Lambda' + Theta,
from the printed loadings (表6-5, 表6-8) and latent correlations (表6-6). Every cell that is
not printed legibly is filled by a stated rule (:func:`reconstruction_loadings`,
:func:`reconstruction_phi`) and carried as such; :func:`sensitivity` moves each uncertain cell
across its plausible range and records how far the re-estimated paths move.

semopy refits the thesis's models M0 and M1 to that matrix with N = 457. The measurement
quality statistics semopy does not provide (CR, AVE, Fornell-Larcker, HTMT) are computed here.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import semopy

from analysis.data.schemas.sem import SEM_ITEMS
from analysis.sem import fit_audit
from analysis.sem.fast_ml import FastML, standardized_beta
from analysis.sem.reported import reported_value

__all__ = [
    "FACTORS",
    "HYPOTHESES",
    "ITEMS",
    "M0_PATHS",
    "M1_PATHS",
    "N_VALID",
    "SEMOPY_OPTIONS",
    "Reconstruction",
    "algebraic_paths",
    "ave",
    "backsolve_phi",
    "composite_reliability",
    "fit_ml",
    "fit_models",
    "fit_on_matrix",
    "fornell_larcker",
    "htmt",
    "implied_correlation",
    "measurement_table",
    "model_syntax",
    "reconstruct",
    "reconstruction_loadings",
    "reconstruction_phi",
    "reproduced_paths",
    "sensitivity",
    "standardized_paths",
    "thesis_audit",
    "thesis_fit_tables",
]

N_VALID = 457
#: How far the sensitivity analysis moves each uncertain or inferred loading.
SCENARIO_SHIFT = 0.01
FACTORS: tuple[str, ...] = ("DP", "DK", "VP", "DSC", "BPC", "PV")
ITEMS: dict[str, tuple[str, ...]] = {
    "DP": ("DP1", "DP2", "DP3"),
    "DK": ("DK1", "DK2", "DK3", "DK4"),
    "VP": ("VP1", "VP2", "VP3", "VP4", "VP5"),
    "DSC": tuple(f"DSC{i}" for i in range(1, 6)),
    "BPC": tuple(f"BPC{i}" for i in range(1, 8)),
    "PV": tuple(f"PV{i}" for i in range(1, 7)),
}
ALL_ITEMS: tuple[str, ...] = tuple(i for f in FACTORS for i in ITEMS[f])
assert ALL_ITEMS == SEM_ITEMS

#: Hypothesis -> (predictor, outcome), as 表6-1 states them.
HYPOTHESES: dict[str, tuple[str, str]] = {
    "H1": ("DP", "PV"),
    "H2": ("DK", "PV"),
    "H3": ("VP", "PV"),
    "H4": ("DP", "DSC"),
    "H5": ("DP", "BPC"),
    "H6": ("DK", "DSC"),
    "H7": ("DK", "BPC"),
    "H8": ("VP", "DSC"),
    "H9": ("VP", "BPC"),
    "H10": ("DSC", "BPC"),
    "H11": ("DSC", "PV"),
    "H12": ("BPC", "PV"),
}
M0_PATHS: tuple[str, ...] = tuple(HYPOTHESES)
#: M1 deletes H1, H2, H3, H5 and H11 (its 8 error covariances cannot be identified from print).
M1_PATHS: tuple[str, ...] = ("H4", "H6", "H7", "H8", "H9", "H10", "H12")
MODELS: dict[str, tuple[str, ...]] = {"M0": M0_PATHS, "M1": M1_PATHS}


def model_syntax(paths: Sequence[str], factors: Sequence[str] = FACTORS) -> str:
    """Semopy (lavaan-style) syntax: the measurement model plus the structural paths."""
    lines = [f"{f} =~ " + " + ".join(ITEMS[f]) for f in factors]
    outcomes: dict[str, list[str]] = {}
    for h in paths:
        source, target = HYPOTHESES[h]
        outcomes.setdefault(target, []).append(source)
    lines += [f"{t} ~ " + " + ".join(s) for t, s in outcomes.items()]
    exogenous = [f for f in factors if f not in outcomes]
    lines += [f"{a} ~~ {b}" for i, a in enumerate(exogenous) for b in exogenous[i + 1 :]]
    return "\n".join(lines) + "\n"


# --- the audit of the printed fit tables ------------------------------------------------------


def _printed(rep: pd.DataFrame, stat_id: str) -> str | None:
    row = rep.loc[rep["stat_id"] == stat_id]
    if len(row) != 1 or row["certainty"].iloc[0] in ("uncertain", "missing") or not row["value"].iloc[0]:
        return None
    return str(row["value"].iloc[0])


def thesis_fit_tables(rep: pd.DataFrame) -> dict[str, fit_audit.FitTable]:
    """The thesis's three fit tables (resource CFA, M0, M1) as :class:`FitTable` objects.

    Only values read with high or medium certainty enter; df is the inferred value (see the
    data notes). The baseline chi2 of M0/M1 comes from the printed independence-model ECVI, that
    of the resource CFA (whose ECVI is not legible) from its printed NFI; both are derived values
    with their own rounding range, so the NFI of the resource CFA is not audited.
    """
    n = str(int(reported_value(rep, "text_n")))
    out: dict[str, fit_audit.FitTable] = {}
    keys = (
        "chi2_df",
        "rmsea",
        "ncp",
        "ecvi",
        "nfi",
        "rfi",
        "ifi",
        "tli",
        "cfi",
        "pnfi",
        "gfi",
        "agfi",
        "pgfi",
    )
    for model, prefix in (("M0", "t69"), ("M1", "t612")):
        reported = {k: v for k in keys if (v := _printed(rep, f"{prefix}_{k}")) is not None}
        ecvi_null = _printed(rep, f"{prefix}_ecvi_independence")
        assert ecvi_null is not None
        out[model] = fit_audit.FitTable(
            chi2=str(_printed(rep, f"{prefix}_chi2")),
            df=str(rep.loc[rep["stat_id"] == f"{prefix}_df", "value"].iloc[0]),
            n=n,
            baseline_chi2=fit_audit.baseline_chi2_from_ecvi(ecvi_null, int(n), len(ALL_ITEMS)),
            baseline_df=str(len(ALL_ITEMS) * (len(ALL_ITEMS) - 1) // 2),
            n_observed=len(ALL_ITEMS),
            reported=reported,
        )
    chi2 = str(_printed(rep, "t67_chi2"))
    nfi = str(_printed(rep, "t67_nfi"))
    reported = {k: v for k in keys if k != "nfi" and (v := _printed(rep, f"t67_{k}")) is not None}
    out["RES_CFA"] = fit_audit.FitTable(
        chi2=chi2,
        df=str(rep.loc[rep["stat_id"] == "t67_df", "value"].iloc[0]),
        n=n,
        baseline_chi2=fit_audit.baseline_chi2_from_nfi(chi2, nfi),
        baseline_df="66",
        n_observed=12,
        reported=reported,
    )
    return out


def thesis_audit(rep: pd.DataFrame) -> pd.DataFrame:
    """The audit of every thesis fit table, stacked, with a ``model`` column."""
    frames = []
    for model, table in thesis_fit_tables(rep).items():
        frame = fit_audit.audit(table)
        frame.insert(0, "model", model)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


# --- measurement quality (not in semopy) ------------------------------------------------------


def composite_reliability(loadings: Sequence[float]) -> float:
    """CR = (sum l)^2 / ((sum l)^2 + sum(1 - l^2)) for standardized loadings."""
    lam = np.asarray(loadings, dtype=float)
    num = float(lam.sum() ** 2)
    return num / (num + float((1.0 - lam**2).sum()))


def ave(loadings: Sequence[float]) -> float:
    """Average variance extracted: the mean squared standardized loading."""
    lam = np.asarray(loadings, dtype=float)
    return float((lam**2).mean())


def fornell_larcker(aves: Mapping[str, float], phi: pd.DataFrame) -> pd.DataFrame:
    """Per construct: sqrt(AVE), its largest correlation with another construct, and pass/fail."""
    rows = []
    for f in phi.index:
        others = phi.loc[f].drop(f).abs()
        partner = str(others.idxmax())
        root = math.sqrt(aves[f])
        rows.append(
            {
                "construct": f,
                "sqrt_ave": root,
                "max_r": float(others.max()),
                "with": partner,
                "pass": root > others.max(),
            }
        )
    return pd.DataFrame(rows)


def htmt(corr: pd.DataFrame, groups: Mapping[str, Sequence[str]]) -> pd.DataFrame:
    """Heterotrait-monotrait ratio (Henseler et al. 2015) for every pair of constructs.

    HTMT_ij = mean heterotrait correlation / sqrt(mean monotrait correlation of i x that of j),
    monotrait means over the off-diagonal item pairs within a construct.
    """
    names = list(groups)

    def mono(f: str) -> float:
        block = corr.loc[list(groups[f]), list(groups[f])].to_numpy()
        k = block.shape[0]
        return float(block[~np.eye(k, dtype=bool)].mean())

    monos = {f: mono(f) for f in names}
    out = pd.DataFrame(np.nan, index=names, columns=names)
    for i, a in enumerate(names):
        for b in names[:i]:
            hetero = float(corr.loc[list(groups[a]), list(groups[b])].to_numpy().mean())
            out.loc[a, b] = hetero / math.sqrt(monos[a] * monos[b])
    return out


# --- the reconstruction -----------------------------------------------------------------------


def _records(frame: pd.DataFrame, key: str) -> dict[str, dict[str, Any]]:
    """Rows of ``frame`` as dicts keyed by column ``key``."""
    return {str(r[key]): {str(k): v for k, v in r.items()} for r in frame.to_dict("records")}


def _solve_to_ave(
    known: dict[str, float], free: dict[str, tuple[float, float]], target: float, k: int
) -> dict[str, float]:
    """Equal loadings for the ``free`` items so that the construct's AVE equals ``target``.

    Each free loading is kept inside its printed range (low, high); one clamped to a bound is
    fixed there and the rest solved again.
    """
    known, free = dict(known), dict(free)
    while free:
        rest = k * target - sum(v**2 for v in known.values())
        common = math.sqrt(max(rest, 0.0) / len(free))
        clamped = {i: min(max(common, lo), hi) for i, (lo, hi) in free.items() if not lo <= common <= hi}
        if not clamped:
            known.update(dict.fromkeys(free, common))
            break
        known.update(clamped)
        for i in clamped:
            del free[i]
    return known


def reconstruction_loadings(rep: pd.DataFrame, scenario: str = "central") -> pd.DataFrame:
    """The 30 standardized loadings used for the reconstruction, each with its source.

    Rule, item by item: (1) the 6-factor CFA value (表6-5) where one is printed, a reading the OCR
    leaves uncertain included; (2) for DP/DK/VP, otherwise the resource-CFA value (表6-8, two
    decimals), kept inside the 表6-5 range where one is legible; (3) otherwise, where 表6-5 shows
    only the leading digits, the midpoint of that range, except (4) the remaining items of a
    construct, which are solved (equal values, inside their ranges) so that the construct's
    AVE equals the printed AVE. ``scenario`` 'low' or 'high' moves every uncertain or inferred
    loading down or up by :data:`SCENARIO_SHIFT`, kept inside its printed range (for the
    sensitivity analysis).
    """
    cfa = _records(rep[(rep["model"] == "CFA6") & (rep["quantity"] == "loading")], "rhs")
    res = _records(rep[(rep["model"] == "RES_CFA") & (rep["quantity"] == "loading")], "rhs")
    aves = _records(rep[(rep["model"] == "CFA6") & (rep["quantity"] == "ave")], "lhs")
    rows = []
    for f in FACTORS:
        known: dict[str, float] = {}
        source: dict[str, str] = {}
        free: dict[str, tuple[float, float]] = {}
        for item in ITEMS[f]:
            row = cfa[item]
            lo, hi = float(row["low_num"]), float(row["high_num"])
            if row["value"]:
                known[item] = float(row["value_num"])
                source[item] = "表6-5" + ("" if row["certainty"] in ("high", "medium") else "（读数不确定）")
            elif item in res:
                v = float(res[item]["value_num"])
                if not math.isnan(lo):
                    v = min(max(v, lo), hi)
                known[item] = v
                source[item] = "表6-8" + ("（限于表6-5范围）" if v != float(res[item]["value_num"]) else "")
            elif not math.isnan(lo) and hi - lo < 0.011:
                known[item] = (lo + hi) / 2.0
                source[item] = "表6-5 前两位，取区间中点"
            else:
                free[item] = (lo, hi) if not math.isnan(lo) else (0.5, 0.999)
                source[item] = "推断：使 AVE 等于论文值"
        target = float(aves[f]["value_num"])
        solved = _solve_to_ave(known, free, target, len(ITEMS[f]))
        for item in ITEMS[f]:
            row = cfa[item]
            low, high = float(row["low_num"]), float(row["high_num"])
            certain = row["certainty"] in ("high", "medium") or (
                item in res and not row["value"] and math.isnan(low)
            )
            value = solved[item]
            if scenario != "central" and not certain:
                lo, hi = value - SCENARIO_SHIFT, value + SCENARIO_SHIFT
                if not math.isnan(low):
                    lo, hi = max(lo, low), min(hi, high)
                value = lo if scenario == "low" else hi
            rows.append(
                {"construct": f, "item": item, "loading": value, "source": source[item], "exact": certain}
            )
    return pd.DataFrame(rows)


def reconstruction_phi(
    rep: pd.DataFrame, fill: Mapping[tuple[str, str], float] | None = None
) -> pd.DataFrame:
    """The 6x6 latent correlation matrix of 表6-6; ``fill`` sets the cells with lost digits.

    A cell printed with lost digits and not in ``fill`` takes the middle of its range.
    """
    fill = dict(fill or {})
    phi = pd.DataFrame(np.eye(len(FACTORS)), index=list(FACTORS), columns=list(FACTORS))
    cells = rep[(rep["model"] == "CFA6") & (rep["quantity"] == "corr")]
    for row in cells.to_dict("records"):
        a, b = str(row["lhs"]), str(row["rhs"])
        if (a, b) in fill:
            v = fill[(a, b)]
        elif row["value"]:
            v = float(row["value_num"])
        else:
            v = (float(row["low_num"]) + float(row["high_num"])) / 2.0
        phi.loc[a, b] = v
        phi.loc[b, a] = v
    return phi


def uncertain_phi_cells(rep: pd.DataFrame) -> pd.DataFrame:
    """The 表6-6 cells whose digits are partly lost, with their ranges."""
    cells = rep[(rep["model"] == "CFA6") & (rep["quantity"] == "corr") & (rep["certainty"] == "uncertain")]
    return cells[["lhs", "rhs", "value_num", "low_num", "high_num", "note_en"]].reset_index(drop=True)


def implied_correlation(loadings: pd.DataFrame, phi: pd.DataFrame) -> pd.DataFrame:
    """Sigma = Lambda Phi Lambda' + Theta, with Theta = 1 - lambda^2 (unit item variances)."""
    items = list(loadings["item"])
    lam = pd.DataFrame(0.0, index=items, columns=list(FACTORS))
    for row in loadings.to_dict("records"):
        lam.loc[str(row["item"]), str(row["construct"])] = float(row["loading"])
    sigma = lam.to_numpy() @ phi.to_numpy() @ lam.to_numpy().T
    np.fill_diagonal(sigma, 1.0)
    return pd.DataFrame(sigma, index=items, columns=items)


def _regressions(paths: Sequence[str]) -> list[tuple[int, list[int], list[str]]]:
    """Per outcome: its index in FACTORS, its predictors' indices, and the hypotheses."""
    by_target: dict[str, list[str]] = {}
    for h in paths:
        by_target.setdefault(HYPOTHESES[h][1], []).append(h)
    return [
        (FACTORS.index(t), [FACTORS.index(HYPOTHESES[h][0]) for h in hs], hs) for t, hs in by_target.items()
    ]


def algebraic_paths(phi: pd.DataFrame | np.ndarray, paths: Sequence[str]) -> dict[str, float]:
    """Standardized paths of a recursive structural model regressed directly on Phi.

    Exact for a saturated structural model (M0) fitted to an implied matrix (tested against
    semopy); used to search the uncertain cells quickly.
    """
    mat = phi.to_numpy() if isinstance(phi, pd.DataFrame) else phi
    out: dict[str, float] = {}
    for t, sources, hyps in _regressions(paths):
        beta = np.linalg.solve(mat[np.ix_(sources, sources)], mat[sources, t])
        out.update({h: float(b) for h, b in zip(hyps, beta, strict=True)})
    return out


def backsolve_phi(rep: pd.DataFrame, step: float = 0.001) -> dict[tuple[str, str], float]:
    """The two 0.7?? cells (BPC-VP, PV-DSC) chosen so that M0's paths best match 表6-10.

    M0's structural part is saturated, so its standardized paths are a function of Phi alone;
    a grid search over both ranges minimises the squared distance to the 12 printed betas. The
    other uncertain cells keep their central value. The result is an inference, not a reading.
    """
    printed = np.array([reported_value(rep, f"t610_beta_{h}") for h in M0_PATHS])
    cells = uncertain_phi_cells(rep)
    targets = [("BPC", "VP"), ("PV", "DSC")]
    grids = []
    for a, b in targets:
        row = cells[(cells["lhs"] == a) & (cells["rhs"] == b)].iloc[0]
        grids.append(np.round(np.arange(row["low_num"], row["high_num"] + step / 2, step), 6))
    base = reconstruction_phi(rep).to_numpy()
    pos = [(FACTORS.index(a), FACTORS.index(b)) for a, b in targets]
    best: dict[tuple[str, str], float] = {}
    best_loss = math.inf
    for x in grids[0]:
        for y in grids[1]:
            mat = base.copy()
            for (i, j), v in zip(pos, (x, y), strict=True):
                mat[i, j] = mat[j, i] = v
            got = algebraic_paths(mat, M0_PATHS)
            loss = float(((np.array([got[h] for h in M0_PATHS]) - printed) ** 2).sum())
            if loss < best_loss:
                best, best_loss = {targets[0]: float(x), targets[1]: float(y)}, loss
    return best


@dataclass(frozen=True)
class Reconstruction:
    """The reconstructed inputs: loadings, Phi (with the back-solved cells) and Sigma."""

    loadings: pd.DataFrame
    phi: pd.DataFrame
    sigma: pd.DataFrame
    phi_fill: dict[tuple[str, str], float]


def reconstruct(rep: pd.DataFrame, phi_fill: Mapping[tuple[str, str], float] | None = None) -> Reconstruction:
    """The central reconstruction (back-solved cells unless ``phi_fill`` is given)."""
    fill = dict(phi_fill) if phi_fill is not None else backsolve_phi(rep)
    loadings = reconstruction_loadings(rep)
    phi = reconstruction_phi(rep, fill)
    return Reconstruction(loadings, phi, implied_correlation(loadings, phi), fill)


# --- semopy -----------------------------------------------------------------------------------


#: Solver options of every semopy fit. semopy's SLSQP stops at its default ``ftol`` of 1e-6 with
#: the objective still near 1e-5, where the third decimal of a standardized path depends on the
#: machine's floating-point library; run to convergence, the printed digits do not.
SEMOPY_OPTIONS: dict[str, float] = {"ftol": 1e-12, "maxiter": 10000}


def fit_ml(model: semopy.Model, data: pd.DataFrame | None = None, **kwargs: Any) -> semopy.Model:
    """Fit ``model`` by ML (semopy's MLW) to ``data`` or ``cov=…``, run to convergence."""
    model.fit(data, obj="MLW", options=dict(SEMOPY_OPTIONS), **kwargs)
    return model


def fit_on_matrix(syntax: str, sigma: pd.DataFrame, n: int = N_VALID) -> semopy.Model:
    """Fit ``syntax`` by ML (semopy's MLW) to a correlation matrix with ``n`` observations."""
    return fit_ml(semopy.Model(syntax), cov=sigma, n_samples=n)


def standardized_paths(model: semopy.Model, paths: Sequence[str]) -> pd.DataFrame:
    """Standardized structural paths with semopy's standard errors of the raw estimates."""
    est = model.inspect(std_est=True)
    rows = []
    for h in paths:
        s, t = HYPOTHESES[h]
        hit = est[(est["op"] == "~") & (est["lval"] == t) & (est["rval"] == s)].iloc[0]
        se = pd.to_numeric(hit["Std. Err"], errors="coerce")
        rows.append(
            {
                "hyp": h,
                "path": f"{s}→{t}",
                "est": float(hit["Estimate"]),
                "std": float(hit["Est. Std"]),
                "se": float(se),
            }
        )
    return pd.DataFrame(rows)


def fit_models(recon: Reconstruction) -> dict[str, semopy.Model]:
    """Fit M0 and M1 (semopy) to the reconstructed matrix (N = 457)."""
    return {name: fit_on_matrix(model_syntax(paths), recon.sigma) for name, paths in MODELS.items()}


def reproduced_paths(rep: pd.DataFrame, fitted: Mapping[str, semopy.Model]) -> pd.DataFrame:
    """Reported versus reproduced standardized paths of M0 and M1, with the difference."""
    rows = []
    for model_name, paths in MODELS.items():
        got = _records(standardized_paths(fitted[model_name], paths), "hyp")
        for h in paths:
            stat = "t610" if model_name == "M0" else "t614"
            reported = reported_value(rep, f"{stat}_beta_{h}")
            se_row = rep.loc[rep["stat_id"] == f"{stat}_se_{h}"]
            rows.append(
                {
                    "model": model_name,
                    "hyp": h,
                    "path": str(got[h]["path"]),
                    "reported": reported,
                    "reproduced": float(got[h]["std"]),
                    "diff": float(got[h]["std"]) - reported,
                    "reported_se": str(se_row["value"].iloc[0]) if len(se_row) else "",
                    "matrix_se": float(got[h]["se"]),
                }
            )
    return pd.DataFrame(rows)


def sensitivity(rep: pd.DataFrame, recon: Reconstruction, fitted: Mapping[str, semopy.Model]) -> pd.DataFrame:
    """How far each reproduced path moves when one uncertain input moves across its range.

    Scenarios: each 表6-6 cell with lost digits at the low and at the high end of its range
    (the other cells as in ``recon``), and every uncertain or inferred loading at the low or the
    high end of its range together. Each scenario's matrix is refitted by ML, warm-started from
    the central semopy fit (:class:`analysis.sem.fast_ml.FastML`, the same objective). Returns,
    per scenario, model and path, the reproduced standardized value.
    """
    scenarios: list[tuple[str, pd.DataFrame]] = []
    for row in uncertain_phi_cells(rep).to_dict("records"):
        cell = (str(row["lhs"]), str(row["rhs"]))
        for end, value in (("low", float(row["low_num"])), ("high", float(row["high_num"]))):
            fill = {**recon.phi_fill, cell: value}
            phi = reconstruction_phi(rep, fill)
            scenarios.append((f"{cell[0]}–{cell[1]} {end}", implied_correlation(recon.loadings, phi)))
    for end in ("low", "high"):
        scenarios.append(
            (f"loadings {end}", implied_correlation(reconstruction_loadings(rep, end), recon.phi))
        )
    rows = []
    for model_name, paths in MODELS.items():
        central = fitted[model_name]
        fast = FastML.from_semopy(central)
        observed = list(central.vars["observed"])
        pos = {v: i for i, v in enumerate(fast.inner)}
        for name, sigma in scenarios:
            std = standardized_beta(fast, fast.fit(sigma.loc[observed, observed].to_numpy()))
            for h in paths:
                s, t = HYPOTHESES[h]
                rows.append(
                    {"scenario": name, "model": model_name, "hyp": h, "std": float(std[pos[t], pos[s]])}
                )
    return pd.DataFrame(rows)


def measurement_table(rep: pd.DataFrame, recon: Reconstruction) -> pd.DataFrame:
    """Per construct: CR and AVE from the reconstruction's loadings beside the printed ones."""
    printed = rep[(rep["model"] == "CFA6") & rep["quantity"].isin(["cr", "ave", "alpha"])]
    rows = []
    for f in FACTORS:
        lam = recon.loadings.loc[recon.loadings["construct"] == f, "loading"].to_list()

        def get(q: str, f: str = f) -> float:
            hit = printed[(printed["lhs"] == f) & (printed["quantity"] == q)]
            return float(hit["value_num"].iloc[0]) if len(hit) else float("nan")

        rows.append(
            {
                "construct": f,
                "k": len(lam),
                "cr_reported": get("cr"),
                "cr_ours": composite_reliability(lam),
                "ave_reported": get("ave"),
                "ave_ours": ave(lam),
            }
        )
    return pd.DataFrame(rows)
