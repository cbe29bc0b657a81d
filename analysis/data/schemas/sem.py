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

import re

import pandas as pd
import pandera.pandas as pa

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


def _span_ok(df: pd.DataFrame) -> pd.Series:
    span = df["line_to"] - df["line_from"]
    return (span >= 0) & (span <= 150)


SEM_REPORTED = pa.DataFrameSchema(
    {
        "stat_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9]+(_[A-Za-z0-9]+)+$"), unique=True),
        "table_zh": pa.Column(str, pa.Check.str_matches(r"^(表6-\d{1,2}|正文)$")),
        "model": pa.Column(str, pa.Check.isin(["CFA6", "RES_CFA", "M0", "M1", "MED_DSC", "MED_BPC", "ALL"])),
        "quantity": pa.Column(str, pa.Check.str_matches(r"^[a-z_0-9]+$")),
        "lhs": pa.Column(str, pa.Check.str_length(min_value=1)),
        "rhs": pa.Column(str),
        "value": pa.Column(str, pa.Check.str_matches(_NUM)),
        "low": pa.Column(str, pa.Check.str_matches(_NUM)),
        "high": pa.Column(str, pa.Check.str_matches(_NUM)),
        "legible": pa.Column(str, pa.Check.str_matches(r"^\d*$")),
        "certainty": pa.Column(str, pa.Check.isin(CERTAINTY)),
        "seed_id": pa.Column(str, pa.Check.isin(["003"])),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "note_en": pa.Column(str),
    },
    checks=[
        pa.Check(_span_ok, error="line_to - line_from must lie in [0, 150]"),
        pa.Check(
            _row_rules,
            error=(
                "value/low/high/legible/certainty disagree (missing: no value; high/medium: value and "
                "legible digits; uncertain: low and high; inferred: a note saying how; "
                "low <= value <= high; legible digits part of the value)"
            ),
        ),
    ],
    strict=True,
    ordered=True,
    name="sem_reported",
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
        "respondent": pa.Column(int, pa.Check.ge(1), unique=True, coerce=True),
        **{item: pa.Column(int, pa.Check.isin([1, 2, 3, 4, 5]), coerce=True) for item in SEM_ITEMS},
    },
    strict=True,
    ordered=True,
    name="sem_items_synthetic",
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


def _pd_row_rules(df: pd.DataFrame) -> pd.Series:
    ok = []
    for record in df.to_dict("records"):
        names = [str(record[c]) for c in ("lhs", "op", "rhs")]
        good = all(names) if record["statistic"] in PD_PARAMETER_STATISTICS else not any(names)
        value, decimals = float(record["value"]), int(record["decimals"])
        ok.append(good and round(value, decimals) == value)
    return pd.Series(ok, index=df.index)


PD_PUBLISHED = pa.DataFrameSchema(
    {
        "statistic": pa.Column(str, pa.Check.isin([*PD_FIT_STATISTICS, *PD_PARAMETER_STATISTICS])),
        "lhs": pa.Column(str, pa.Check.str_matches(_NAME)),
        "op": pa.Column(str, pa.Check.isin(["", "~", "=~"])),
        "rhs": pa.Column(str, pa.Check.str_matches(_NAME)),
        "value": pa.Column(float, coerce=True),
        "decimals": pa.Column(int, pa.Check.in_range(0, 6), coerce=True),
    },
    checks=[
        pa.Check(
            _pd_row_rules,
            error=(
                "a parameter row (estimate, se, std_all) names lhs, op and rhs, a model row names none; "
                "value has no more decimals than printed"
            ),
        ),
    ],
    unique=["statistic", "lhs", "op", "rhs"],
    strict=True,
    ordered=True,
    name="sem_pd_published",
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
