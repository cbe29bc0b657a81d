"""Data for the DID chapter: schemas, the alliance cohorts and the validated analysis panel.

Two raw tables feed the chapter. ``did_province_panel`` is the 31-province x 2000-2023 macro
panel (a repository copy, see ``data/MANIFEST.yaml``); ``did_alliance_membership`` gives one row
per province and regional alliance, each date traced to the seed lines it comes from. The
analysis panel joins them into one row per province-year with a cohort (first alliance year,
0 = never in an alliance) and is validated again: balanced, unique unit-year, one cohort per
unit, no cohort after the last year. A violation raises :class:`analysis.data.io.DataError` naming
the table, the row and the field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.io import DataError, Manifest, load_table, validate_table
from analysis.data.provenance import check_evidence, normalise, row_label
from analysis.data.schemas.did import ANALYSIS_PANEL

__all__ = ["analysis_panel", "check_alliances", "cohorts", "load_panel", "validate_panel"]


def validate_panel(frame: pd.DataFrame, where: str = "DID analysis panel") -> pd.DataFrame:
    """Validate an analysis panel; raise :class:`DataError` naming row and field on failure.

    Parameters
    ----------
    frame : pd.DataFrame
        Columns ``unit, province_zh, province_en, year, cohort, ln_gdp, credit_gdp``.
    where : str
        How the error message names the table.

    Returns
    -------
    pd.DataFrame
        The validated frame.
    """
    return validate_table(frame, ANALYSIS_PANEL, where)


def cohorts(alliances: pd.DataFrame, include_panpearl: bool = False) -> dict[str, int]:
    """First alliance year of every province named in the membership table.

    Parameters
    ----------
    alliances : pd.DataFrame
        The validated ``did_alliance_membership`` table.
    include_panpearl : bool
        Count the 泛珠三角 agreement (uncertain date, robustness variant only).

    Returns
    -------
    dict[str, int]
        ``province_en`` -> first year of its first alliance (provinces in none are absent).
    """
    rows = alliances if include_panpearl else alliances[alliances["alliance_id"] != "ppd"]
    return {str(k): int(v) for k, v in rows.groupby("province_en")["first_year"].min().items()}


def analysis_panel(
    panel: pd.DataFrame,
    alliances: pd.DataFrame,
    start: int = 2012,
    end: int = 2023,
    include_panpearl: bool = False,
) -> pd.DataFrame:
    """The province-year panel with cohorts and outcomes, validated.

    Parameters
    ----------
    panel, alliances : pd.DataFrame
        The validated raw tables.
    start, end : int
        First and last year kept.
    include_panpearl : bool
        Passed to :func:`cohorts`.

    Returns
    -------
    pd.DataFrame
        One row per province-year, sorted by unit then year; ``unit`` is an integer code,
        ``cohort`` the first alliance year (0 = never; a cohort after ``end`` is untreated inside
        the window and coded 0, as R ``did`` does), ``ln_gdp`` the log of nominal GDP and
        ``credit_gdp`` the ratio (deposits + loans) / GDP.
    """
    unknown = sorted(set(alliances["province_en"]) - set(panel["province_en"]))
    if unknown:
        raise DataError(f"did_alliance_membership: provinces {unknown} are not in the province panel")
    first = cohorts(alliances, include_panpearl)
    df = panel[(panel["year"] >= start) & (panel["year"] <= end)].copy()
    df = df.sort_values(["province_en", "year"], kind="stable").reset_index(drop=True)
    out = pd.DataFrame(
        {
            "unit": pd.factorize(df["province_en"], sort=True)[0].astype(int),
            "province_zh": df["province_zh"].astype(str),
            "province_en": df["province_en"].astype(str),
            "year": df["year"].astype(int),
            "cohort": df["province_en"].map(first).fillna(0).astype(int).where(lambda c: c <= end, 0),
            "ln_gdp": np.log(df["gdp_nominal_100m_cny"].astype(float)),
            "credit_gdp": df["findev_ratio"].astype(float),
        }
    )
    return validate_panel(out, f"DID analysis panel {start}-{end}")


def load_panel(
    start: int = 2012, end: int = 2023, include_panpearl: bool = False, manifest: Manifest | None = None
) -> pd.DataFrame:
    """Load both raw tables and build :func:`analysis_panel`."""
    return analysis_panel(
        load_table("did_province_panel", manifest),
        load_table("did_alliance_membership", manifest),
        start,
        end,
        include_panpearl,
    )


def check_alliances(
    alliances: pd.DataFrame,
    manifest: Manifest,
    seeds_dir: Path,
    where: str = "data/raw/did_alliance_membership.csv",
) -> list[str]:
    """Each membership row's quotation is in its seed lines; a stated year is in the quotation."""
    problems = []
    for i, row in alliances.iterrows():
        label = row_label(alliances, i, where, f"{row['province_en']}, {row['alliance_id']}")
        seed = seeds_dir / str(manifest.seeds[row["seed_id"]]["file"])
        found = check_evidence(seed, int(row["line_from"]), int(row["line_to"]), row["evidence_zh"])
        if row["date_source"] == "stated" and str(row["first_year"]) not in normalise(row["evidence_zh"]):
            found.append(f"stated year {row['first_year']} is not in evidence_zh")
        problems += [f"{label}, field 'evidence_zh': {p}" for p in found]
    return problems
