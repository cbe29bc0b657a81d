"""Data for the DID chapter: the alliance cohorts and the validated analysis panel.

Three raw tables feed the chapter. ``did_province_panel`` is the 31-province x 2000-2023 macro
panel (a repository copy, see ``data/MANIFEST.yaml``); ``did_alliance_sources`` gives one row per
regional compact, its members and its date from a public page; ``did_alliance_membership`` gives
the same dates for the compacts 刘旭然（2023） names, traced to the dissertation's lines (the second
source, checked against the first by :func:`compare_with_dissertation`). The analysis panel joins
the province panel with one set of compacts (a design :data:`VARIANTS`) into one row per
province-year with a cohort (first compact year, 0 = never in one) and is validated again:
balanced, unique unit-year, one cohort per unit, no cohort after the last year. A violation
raises :class:`analysis.data.io.DataError` naming the table, the row and the field.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data.io import DataError, Manifest, load_table, validate_table
from analysis.data.provenance import check_evidence, normalise, row_label
from analysis.data.schemas.did import ANALYSIS_PANEL

__all__ = [
    "OUTCOME_COLUMNS",
    "VARIANTS",
    "analysis_panel",
    "check_alliances",
    "cohorts",
    "compare_with_dissertation",
    "load_panel",
    "members",
    "validate_panel",
]

#: The chapter's cohort definitions: design name -> the compacts that set the first treated year.
#: ``main`` are the four compacts the dissertation dates (长三角, 京津冀, 西南五省区市 and
#: 广西's accession); each other design adds compacts found in public sources.
VARIANTS: dict[str, tuple[str, ...]] = {
    "main": ("yrd", "jjj", "sw", "swgx"),
    "cy": ("yrd", "jjj", "cy", "sw", "swgx"),
    "ppd": ("yrd", "jjj", "sw", "ppd", "swgx"),
    "silk": ("yrd", "jjj", "sw", "silk", "swgx"),
    "fj12": ("yrd", "jjj", "sw", "fj12", "swgx"),
    "all": ("yrd", "jjj", "cy", "sw", "silk", "fj12", "ppd", "swgx"),
}

#: Outcome column -> how it is computed from the province panel.
OUTCOME_COLUMNS: dict[str, str] = {
    "ln_gdp": "log of nominal GDP (100m CNY)",
    "ln_loans": "log of the year-end loan balance of financial institutions (100m CNY)",
}


def validate_panel(frame: pd.DataFrame, where: str = "DID analysis panel") -> pd.DataFrame:
    """Validate an analysis panel; raise :class:`DataError` naming row and field on failure.

    Parameters
    ----------
    frame : pd.DataFrame
        Columns ``unit, province_zh, province_en, year, cohort, ln_gdp, ln_loans``.
    where : str
        How the error message names the table.

    Returns
    -------
    pd.DataFrame
        The validated frame.
    """
    return validate_table(frame, ANALYSIS_PANEL, where)


def members(sources: pd.DataFrame) -> dict[str, tuple[str, ...]]:
    """Compact id -> the provinces (English names) its public source names."""
    return {
        str(r["compact_id"]): tuple(p for p in str(r["provinces_en"]).split(";") if p)
        for r in sources.to_dict("records")
    }


def cohorts(sources: pd.DataFrame, compacts: tuple[str, ...]) -> dict[str, int]:
    """First year of the first of ``compacts`` each named province joined.

    Parameters
    ----------
    sources : pd.DataFrame
        The validated ``did_alliance_sources`` table.
    compacts : tuple[str, ...]
        Compact ids, e.g. ``VARIANTS["main"]``.

    Returns
    -------
    dict[str, int]
        ``province_en`` -> first year (provinces in none of the compacts are absent).
    """
    unknown = sorted(set(compacts) - set(sources["compact_id"]))
    if unknown:
        raise DataError(f"did_alliance_sources: no row for compact(s) {unknown}")
    year = dict(zip(sources["compact_id"], sources["first_year"].astype(int), strict=True))
    first: dict[str, int] = {}
    for cid in compacts:
        for province in members(sources)[cid]:
            first[province] = min(first.get(province, 9999), year[cid])
    return first


def compare_with_dissertation(sources: pd.DataFrame, membership: pd.DataFrame) -> list[str]:
    """Where the public sources and 刘旭然（2023） disagree on a compact's members or first year.

    Every compact of ``did_alliance_membership`` is compared with its row in
    ``did_alliance_sources``; an empty list means the two sources agree.
    """
    problems = []
    web = members(sources)
    year = dict(zip(sources["compact_id"], sources["first_year"].astype(int), strict=True))
    for cid, rows in membership.groupby("alliance_id", sort=False):
        cid = str(cid)
        if cid not in web:
            problems.append(f"compact {cid!r} of the dissertation has no public source")
            continue
        if set(rows["province_en"]) != set(web[cid]):
            problems.append(
                f"compact {cid!r}: members differ ({sorted(set(rows['province_en']) ^ set(web[cid]))})"
            )
        if {int(y) for y in rows["first_year"]} != {year[cid]}:
            problems.append(f"compact {cid!r}: first year {sorted(set(rows['first_year']))} vs {year[cid]}")
    return problems


def analysis_panel(
    panel: pd.DataFrame,
    sources: pd.DataFrame,
    start: int = 2012,
    end: int = 2023,
    variant: str = "main",
) -> pd.DataFrame:
    """The province-year panel with cohorts and outcomes, validated.

    Parameters
    ----------
    panel, sources : pd.DataFrame
        The validated raw tables ``did_province_panel`` and ``did_alliance_sources``.
    start, end : int
        First and last year kept.
    variant : str
        A key of :data:`VARIANTS`: which compacts set the cohorts.

    Returns
    -------
    pd.DataFrame
        One row per province-year, sorted by unit then year; ``unit`` is an integer code,
        ``cohort`` the first compact year (0 = never; a cohort after ``end`` is untreated inside
        the window and coded 0, as R ``did`` does), ``ln_gdp`` the log of nominal GDP and
        ``ln_loans`` the log of the loan balance.
    """
    if variant not in VARIANTS:
        raise DataError(f"unknown design variant {variant!r}; known: {sorted(VARIANTS)}")
    named = {p for ps in members(sources).values() for p in ps}
    unknown = sorted(named - set(panel["province_en"]))
    if unknown:
        raise DataError(f"did_alliance_sources: provinces {unknown} are not in the province panel")
    first = cohorts(sources, VARIANTS[variant])
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
            "ln_loans": np.log(df["loans_100m_cny"].astype(float)),
        }
    )
    return validate_panel(out, f"DID analysis panel {start}-{end} ({variant})")


def load_panel(
    start: int = 2012, end: int = 2023, variant: str = "main", manifest: Manifest | None = None
) -> pd.DataFrame:
    """Load the raw tables and build :func:`analysis_panel`."""
    return analysis_panel(
        load_table("did_province_panel", manifest),
        load_table("did_alliance_sources", manifest),
        start,
        end,
        variant,
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
