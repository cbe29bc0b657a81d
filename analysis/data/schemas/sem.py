"""Schema of the transcribed statistics of the dissertation's SEM chapter (刘旭然 2023, ch. 6).

Four files share one long format (``data/raw/sem_measurement.csv``, ``sem_latent_corr.csv``,
``sem_fit.csv``, ``sem_paths.csv``): one printed statistic per row, with its plausible range,
the digits the OCR shows (``legible``), a certainty flag and the seed lines it comes from. The
OCR drops decimal points and often digits, so ``legible`` is the part of the value that can
be read; :func:`analysis.sem.reported.check_reported` checks it against the cited lines.

``sem_pd_published`` holds the reference numbers of the replication appendix: lavaan's output
for the PoliticalDemocracy model, one printed number per row.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Hashable, Mapping

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.data.schemas.rules import TableRule, Violation, bounded, row_rule, unique_key
from analysis.data.schemas.seeds import line_span, quoted_lines
from analysis.data.text import MIN_FRAGMENT

__all__ = [
    "CERTAINTY",
    "PD_FIT_STATISTICS",
    "PD_PARAMETER_STATISTICS",
    "PD_PUBLISHED",
    "SEM_ITEMS",
    "SEM_REPORTED",
    "SEM_SCHEMAS",
    "SYNTHETIC_ITEMS",
    "digits",
]

#: high/medium: value printed and read; uncertain: some digits lost (value is our best reading
#: or empty, low/high bound it); inferred: not printed, worked out as note_en says; missing:
#: not printed and not inferred.
CERTAINTY: tuple[str, ...] = ("high", "medium", "uncertain", "inferred", "missing")

_NUM = r"^(-?\d+(\.\d+)?)?$"
_DIGITS = re.compile(r"\D")


def digits(text: str) -> str:
    """Only the ASCII digits of ``text`` (``'-0.850'`` -> ``'0850'``)."""
    return _DIGITS.sub("", text)


def _f(text: str) -> float:
    return float(text) if text else float("nan")


def _row_rules(df: pd.DataFrame) -> pd.Series:
    ok = []
    for record in df.to_dict("records"):
        value, low, high = str(record["value"]), str(record["low"]), str(record["high"])
        cert, legible, note = str(record["certainty"]), str(record["legible"]), str(record["note_en"])
        good = True
        if cert == "missing":
            good = value == "" and legible == ""
        else:
            good = bool(value or low)
            if cert in ("high", "medium"):
                good = good and value != "" and legible != ""
            if cert == "uncertain":
                good = good and legible != "" and low != "" and high != ""
            if cert == "inferred":
                good = good and len(note) >= 10
        if low and high:
            good = good and _f(low) <= _f(high)
            if value:
                good = good and _f(low) <= _f(value) <= _f(high)
        if legible:
            reference = digits(value) if value else digits(low)
            if value:
                good = good and legible in reference
            else:  # only the leading digits (with or without the integer part) are known
                fraction_low, fraction_high = low.partition(".")[2], high.partition(".")[2]
                good = good and (
                    (reference.startswith(legible) and digits(high).startswith(legible))
                    or (fraction_low.startswith(legible) and fraction_high.startswith(legible))
                )
        ok.append(good)
    return pd.Series(ok, index=df.index)


#: Plausible range of each printed quantity (fit indices by their name in ``lhs``), with why.
#: Standardized estimates are bounded by 1 in absolute value; that the thesis prints none
#: beyond is a judgement about a well-behaved solution (a Heywood case would exceed it).
QUANTITY_RANGES: dict[str, tuple[float, float, str]] = {
    "loading": (-1.0, 1.0, "judgement: a standardized loading; beyond 1 only in a Heywood case"),
    "corr": (-1.0, 1.0, "fact: a correlation"),
    "sqrt_ave": (0.0, 1.0, "fact: the square root of a share of variance"),
    "ave": (0.0, 1.0, "fact: a share of variance"),
    "cr": (0.0, 1.0, "fact: composite reliability is a share of variance"),
    "alpha": (
        0.0,
        1.0,
        "judgement: Cronbach's alpha of a scale that works; negative only for a broken scale",
    ),
    "beta": (-1.0, 1.0, "judgement: a standardized path"),
    "se": (0.0, 1.0, "judgement: the standard error of a standardized path, positive and below 1"),
    "p": (0.0, 1.0, "fact: a probability"),
    "n": (1.0, 100_000.0, "judgement: a questionnaire sample"),
    **{
        q: (-1.0, 1.0, "judgement: a standardized effect or its confidence limit")
        for q in (
            "direct",
            "direct_ci_low",
            "direct_ci_high",
            "indirect",
            "indirect_ci_low",
            "indirect_ci_high",
            "total",
            "total_ci_low",
            "total_ci_high",
        )
    },
}
#: Fit statistics (``quantity`` ``fit``) by ``lhs``.
FIT_RANGES: dict[str, tuple[float, float, str]] = {
    "chi2": (0.0, 1e6, "fact: a chi-square is not negative"),
    "df": (1.0, 1e4, "fact: a tested model has positive degrees of freedom"),
    "ncp": (0.0, 1e6, "fact: the noncentrality estimate max(chi2 - df, 0) is not negative"),
    "chi2_df": (0.0, 1e4, "fact: a ratio of non-negative numbers"),
    "rmsea": (0.0, 1.0, "judgement: RMSEA is not negative; beyond 1 no model is reported"),
    "rmr": (0.0, 1.0, "judgement: the root mean residual of a correlation metric"),
    **{
        q: (0.0, 1.2, "judgement: an index normed near 0-1 (TLI and IFI can exceed 1 a little)")
        for q in ("gfi", "agfi", "nfi", "rfi", "ifi", "tli", "cfi", "pgfi", "pnfi")
    },
    **{
        q: (0.0, 1e4, "fact: an expected cross-validation index is positive")
        for q in ("ecvi", "ecvi_saturated", "ecvi_independence")
    },
}


def _range_of(record: Mapping[Hashable, object]) -> tuple[float, float, str] | None:
    if record["quantity"] == "fit":
        return FIT_RANGES.get(str(record["lhs"]))
    return QUANTITY_RANGES.get(str(record["quantity"]))


def _in_range(df: pd.DataFrame) -> pd.Series:
    ok = []
    for record in df.to_dict("records"):
        bounds = _range_of(record)
        if bounds is None:
            ok.append(False)
            continue
        numbers = [_f(str(record[c])) for c in ("value", "low", "high") if str(record[c])]
        ok.append(all(bounds[0] <= x <= bounds[1] for x in numbers))
    return pd.Series(ok, index=df.index)


def _integers(df: pd.DataFrame) -> pd.Series:
    counts = (df["quantity"] == "n") | ((df["quantity"] == "fit") & (df["lhs"] == "df"))
    whole = df["value"].map(lambda v: v == "" or float(v).is_integer())
    return ~counts | whole


def _by_stat(df: pd.DataFrame) -> dict[tuple[str, str], tuple[object, float]]:
    return {
        (str(m), str(q)): (i, _f(str(v)))
        for i, m, q, v in zip(df.index, df["model"], df["quantity"], df["value"], strict=True)
    }


def _effects(df: pd.DataFrame) -> list[Violation]:
    """Confidence limits around their estimate, and total = direct + indirect, per model."""
    out = []
    stats = _by_stat(df)
    for model in dict.fromkeys(df["model"]):
        for effect in ("direct", "indirect", "total"):
            est = stats.get((model, effect))
            lo, hi = stats.get((model, f"{effect}_ci_low")), stats.get((model, f"{effect}_ci_high"))
            if est is None or lo is None or hi is None or np.isnan(est[1]):
                continue
            if not lo[1] <= est[1] <= hi[1]:
                out.append(
                    Violation(
                        est[0], "value", est[1], f"{model} {effect} outside its interval [{lo[1]}, {hi[1]}]"
                    )
                )
        found = [stats[(model, e)] for e in ("total", "direct", "indirect") if (model, e) in stats]
        if len(found) == 3:
            (where, total), (_, direct), (_, indirect) = found
            if abs(total - direct - indirect) > 0.002:
                out.append(
                    Violation(where, "value", total, f"{model}: direct + indirect = {direct + indirect:.3f}")
                )
    return out


def _positive_definite(df: pd.DataFrame) -> list[Violation]:
    """Each model's latent correlation matrix is positive definite for every value in the ranges.

    A printed cell counts at its value; a cell with lost digits at each end of its range. The
    positive definite matrices form a convex set, so if every corner of the box of ranges is
    positive definite, so is every matrix inside it.
    """
    out = []
    corr = df[df["quantity"] == "corr"]
    for model, rows in corr.groupby("model", sort=False):
        names = list(dict.fromkeys([*rows["lhs"], *rows["rhs"]]))
        cells = []
        for index, a, b, v, lo, hi in zip(
            rows.index, rows["lhs"], rows["rhs"], rows["value"], rows["low"], rows["high"], strict=True
        ):
            ends = (_f(v),) if v else (_f(lo), _f(hi))
            cells.append((index, names.index(a), names.index(b), ends))
        for corner in itertools.product(*(c[3] for c in cells)):
            matrix = np.eye(len(names))
            for (_, i, j, _ends), x in zip(cells, corner, strict=True):
                matrix[i, j] = matrix[j, i] = x
            values, vectors = np.linalg.eigh(matrix)
            if values[0] > 0:
                continue
            # name the cell that pulls the smallest eigenvalue down most: 2 x_ij v_i v_j
            v = vectors[:, 0]
            pull = [2 * x * v[i] * v[j] for (_, i, j, _ends), x in zip(cells, corner, strict=True)]
            culprit = cells[int(np.argmin(pull))][0]
            out.append(
                Violation(
                    culprit,
                    "value",
                    str(df.at[culprit, "value"]) or f"{df.at[culprit, 'low']!s}-{df.at[culprit, 'high']!s}",
                    f"the {model} correlation matrix is not positive definite (smallest eigenvalue "
                    f"{values[0]:.3g}); this cell pulls it down most",
                )
            )
            break
    return out


SEM_REPORTED = pa.DataFrameSchema(
    {
        "stat_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(_[A-Za-z0-9]+)+$")),
        "table_zh": pa.Column(str, pa.Check.str_matches(r"^(表6-\d{1,2}|正文)$")),
        "model": pa.Column(str, pa.Check.isin(["CFA6", "RES_CFA", "M0", "M1", "MED_DSC", "MED_BPC", "ALL"])),
        "quantity": pa.Column(str, pa.Check.isin([*QUANTITY_RANGES, "fit"])),
        "lhs": pa.Column(str, pa.Check.str_length(min_value=1)),
        "rhs": pa.Column(str),
        "value": pa.Column(str, pa.Check.str_matches(_NUM)),
        "low": pa.Column(str, pa.Check.str_matches(_NUM)),
        "high": pa.Column(str, pa.Check.str_matches(_NUM)),
        "legible": pa.Column(str, pa.Check.str_matches(r"^\d*$")),
        "certainty": pa.Column(str, pa.Check.isin(CERTAINTY)),
        **quoted_lines(["003"], MIN_FRAGMENT, "the OCR text of a printed number, checked on its digits"),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="sem_reported",
    metadata={
        "rules": (
            unique_key("stat_id", reason="a statistic is looked up by its id"),
            line_span(),
            row_rule(
                ("value", "low", "high", "legible", "certainty"),
                _row_rules,
                "value/low/high/legible/certainty agree (missing: no value; high/medium: value and "
                "legible digits; uncertain: low and high; inferred: a note saying how; "
                "low <= value <= high; legible digits part of the value)",
                "a transcribed number says how much of it the OCR shows",
            ),
            row_rule(
                ("quantity", "lhs", "value", "low", "high"),
                _in_range,
                "value, low and high within the range of the quantity (QUANTITY_RANGES, FIT_RANGES)",
                "plausibility of each kind of printed statistic; the ranges say which are judgements",
            ),
            row_rule(
                ("quantity", "lhs", "value"),
                _integers,
                "a sample size and degrees of freedom are whole numbers",
                "fact: they count",
            ),
            TableRule(
                ("model", "quantity", "value"),
                "each effect inside its confidence interval; total = direct + indirect (within 0.002)",
                "fact: a percentile interval contains its estimate, and the total effect is the sum",
                _effects,
            ),
            TableRule(
                ("lhs", "rhs", "value", "low", "high"),
                "each model's latent correlation matrix is positive definite, at every value in the ranges",
                "fact: a correlation matrix of real variables is positive (semi)definite, and the "
                "reconstruction needs its Cholesky factor",
                _positive_definite,
            ),
        )
    },
)

#: The 30 items in questionnaire order (appendix 2 items 1-30).
SEM_ITEMS: tuple[str, ...] = tuple(
    f"{construct}{i}"
    for construct, k in (("DP", 3), ("DK", 4), ("VP", 5), ("DSC", 5), ("BPC", 7), ("PV", 6))
    for i in range(1, k + 1)
)

#: SYNTHETIC item-level data (data/synthetic/sem_items_synthetic.csv): 1-5 answers per item.
SYNTHETIC_ITEMS = pa.DataFrameSchema(
    {
        "respondent": pa.Column(int, pa.Check.ge(1), coerce=True),
        **{item: pa.Column(int, pa.Check.isin([1, 2, 3, 4, 5]), coerce=True) for item in SEM_ITEMS},
    },
    strict=True,
    ordered=True,
    name="sem_items_synthetic",
    metadata={
        "rules": (
            unique_key("respondent", reason="one row per synthetic respondent"),
            row_rule(
                ("respondent",),
                lambda df: pd.Series(
                    df["respondent"].to_numpy() == np.arange(1, len(df) + 1), index=df.index
                ),
                "respondents are numbered 1..N in order",
                "the generator writes them so; N must be the thesis's valid N (analysis.sem.reported)",
            ),
        )
    },
)

#: PoliticalDemocracy: the model-level numbers lavaan prints (no lhs/op/rhs) ...
PD_FIT_STATISTICS: tuple[str, ...] = (
    "chi2",
    "df",
    "n",
    "baseline_chi2",
    "baseline_df",
    "cfi",
    "tli",
    "rmsea",
)
#: ... and the columns it prints for a parameter (lavaan's Estimate, Std.Err and Std.all).
PD_PARAMETER_STATISTICS: tuple[str, ...] = ("estimate", "se", "std_all")

_NAME = r"^([a-z][a-z0-9]*)?$"


def _pd_names(df: pd.DataFrame) -> pd.Series:
    parameter = df["statistic"].isin(PD_PARAMETER_STATISTICS)
    named = (df["lhs"] != "") & (df["op"] != "") & (df["rhs"] != "")
    unnamed = (df["lhs"] == "") & (df["op"] == "") & (df["rhs"] == "")
    return (parameter & named) | (~parameter & unnamed)


#: Plausible range of each PoliticalDemocracy statistic, with why.
PD_RANGES: dict[str, tuple[float, float, str]] = {
    "chi2": (0.0, 1e4, "fact: not negative"),
    "baseline_chi2": (0.0, 1e4, "fact: not negative"),
    "df": (1.0, 1e3, "fact: a tested model has positive degrees of freedom"),
    "baseline_df": (1.0, 1e3, "fact: positive"),
    "n": (1.0, 1e4, "fact: Bollen's data are 75 countries; any N is a positive count"),
    "cfi": (0.0, 1.0, "fact: CFI is truncated to [0, 1]"),
    "tli": (0.0, 1.2, "judgement: TLI is not truncated but exceeds 1 only a little"),
    "rmsea": (0.0, 1.0, "judgement: not negative; beyond 1 no model is reported"),
    "estimate": (-100.0, 100.0, "judgement: unstandardized estimates of indicators on 0-10 scales"),
    "se": (0.0, 100.0, "fact: a standard error is positive"),
    "std_all": (-1.0, 1.0, "judgement: a standardized path; beyond 1 only in a Heywood case"),
}


def _pd_in_range(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            PD_RANGES[s][0] <= v <= PD_RANGES[s][1] and (s != "se" or v > 0)
            for s, v in zip(df["statistic"], df["value"], strict=True)
        ],
        index=df.index,
    )


def _pd_decimals(df: pd.DataFrame) -> pd.Series:
    counts = df["statistic"].isin(["df", "baseline_df", "n"])
    return pd.Series(
        [round(v, d) == v for v, d in zip(df["value"], df["decimals"], strict=True)], index=df.index
    ) & (~counts | (df["decimals"] == 0))


def _pd_baseline(df: pd.DataFrame) -> list[Violation]:
    stat = {
        s: (i, v)
        for i, s, v in zip(df.index, df["statistic"], df["value"], strict=True)
        if s in PD_FIT_STATISTICS
    }
    out = [Violation(None, "statistic", s, "is missing") for s in PD_FIT_STATISTICS if s not in stat]
    for model, baseline in (("df", "baseline_df"), ("chi2", "baseline_chi2")):
        if model in stat and baseline in stat and not stat[model][1] <= stat[baseline][1]:
            out.append(
                Violation(stat[model][0], "value", stat[model][1], f"above the baseline model's {baseline}")
            )
    return out


PD_PUBLISHED = pa.DataFrameSchema(
    {
        "statistic": pa.Column(str, pa.Check.isin([*PD_FIT_STATISTICS, *PD_PARAMETER_STATISTICS])),
        "lhs": pa.Column(str, pa.Check.str_matches(_NAME)),
        "op": pa.Column(str, pa.Check.isin(["", "~", "=~"])),
        "rhs": pa.Column(str, pa.Check.str_matches(_NAME)),
        "value": bounded(float, None, None, "finite; the range by statistic is a table rule (PD_RANGES)"),
        "decimals": pa.Column(int, pa.Check.in_range(0, 6), coerce=True),
    },
    strict=True,
    ordered=True,
    name="sem_pd_published",
    metadata={
        "rules": (
            unique_key(
                "statistic", "lhs", "op", "rhs", reason="one printed number per statistic and parameter"
            ),
            row_rule(
                ("statistic", "lhs", "op", "rhs"),
                _pd_names,
                "a parameter row (estimate, se, std_all) names lhs, op and rhs, a model row names none",
                "the replication looks each number up by its parameter",
            ),
            row_rule(
                ("statistic", "value", "decimals"),
                _pd_decimals,
                "value has no more decimals than printed; counts (df, baseline_df, n) are whole",
                "decimals sets the comparison's tolerance",
            ),
            row_rule(
                ("statistic", "value"),
                _pd_in_range,
                "value within the range of its statistic (PD_RANGES); a standard error positive",
                "plausibility of each printed statistic; the ranges say which are judgements",
            ),
            TableRule(
                ("statistic", "value"),
                "every model-level statistic once; df <= baseline_df and chi2 <= baseline_chi2",
                "fact: the baseline (independence) model is nested in the tested one and fits worse",
                _pd_baseline,
            ),
        )
    },
)

#: Table name (as in data/MANIFEST.yaml) -> schema; merged into analysis.data.schemas.common.SCHEMAS.
SEM_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "sem_measurement": SEM_REPORTED,
    "sem_latent_corr": SEM_REPORTED,
    "sem_fit": SEM_REPORTED,
    "sem_paths": SEM_REPORTED,
    "sem_items_synthetic": SYNTHETIC_ITEMS,
    "sem_pd_published": PD_PUBLISHED,
}
