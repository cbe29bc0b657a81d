"""Loading and provenance checking of the transcribed SEM statistics (seed 003, chapter 6).

:func:`check_reported` is the row check of the four ``sem_*`` tables: every quotation
(``evidence_zh``, verbatim OCR text, whitespace removed) must occur in its cited lines, and the
legible digits of the value must occur, in order and contiguously, among the digits of that
quotation. That is as far as the OCR allows: it drops decimal points and sometimes digits, so a
value is checked on the digits it shows, and ``certainty`` says how much of it that is.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from analysis.data import io, provenance
from analysis.data.errors import DataError, Problem
from analysis.data.schemas.sem import digits

__all__ = [
    "SEM_TABLES",
    "check_reported",
    "consistency_problems",
    "load_reported",
    "number",
    "reported_value",
]

SEM_TABLES: tuple[str, ...] = ("sem_measurement", "sem_latent_corr", "sem_fit", "sem_paths")


def check_reported(
    table: pd.DataFrame, manifest: io.Manifest, seeds_dir: Path, where: str = "data/raw/sem_*.csv"
) -> list[str]:
    """Problems with the provenance of the rows of one ``sem_*`` table (empty if none)."""
    problems: list[str] = []
    seed = seeds_dir / str(manifest.seeds["003"]["file"])
    for i, row in table.iterrows():
        label = provenance.row_label(table, i, where, str(row["stat_id"]))
        lines = int(row["line_from"]), int(row["line_to"])
        found = provenance.check_evidence(seed, *lines, row["evidence_zh"])
        problems += [f"{label}, field 'evidence_zh': {p}" for p in found]
        legible = str(row["legible"])
        if legible and legible not in digits(provenance.normalise(row["evidence_zh"])):
            problems.append(f"{label}, field 'legible', value {legible!r}: digits not in the quoted OCR text")
    return problems


#: How far a printed AVE may be from the square of its printed square root (both to 3-4 decimals).
AVE_TOLERANCE = 0.002


def consistency_problems(frames: dict[str, pd.DataFrame], manifest: io.Manifest) -> list[Problem]:
    """Checks across the four tables and the synthetic items: the reported N and AVE.

    - the valid N is at most the returned questionnaires, and is the number of synthetic
      respondents (the synthetic data stand in for exactly the thesis's sample);
    - each construct's printed AVE is the square of the printed square root of its AVE
      (table 6-8 against the diagonal of table 6-6), within :data:`AVE_TOLERANCE`.
    """
    problems = []
    fit = frames["sem_fit"]
    n = {str(r["lhs"]): (label, r["value"]) for label, r in fit[fit["quantity"] == "n"].iterrows()}
    where = manifest.files["sem_fit"].where
    if "valid_n" in n and "returned" in n and n["valid_n"][1] and n["returned"][1]:
        label, valid = n["valid_n"]
        synthetic = io.load_table("sem_items_synthetic", manifest)
        broken = [
            f"valid N above the {n['returned'][1]} returned"
            if float(valid) > float(n["returned"][1])
            else "",
            f"the valid N is not the {len(synthetic)} respondents of "
            f"{manifest.files['sem_items_synthetic'].where}"
            if len(synthetic) != float(valid)
            else "",
        ]
        problems += [Problem(where, io.line_of(fit, label), "value", valid, rule) for rule in broken if rule]
    measurement, corr = frames["sem_measurement"], frames["sem_latent_corr"]
    ave = {
        str(r["lhs"]): (label, r["value"])
        for label, r in measurement[measurement["quantity"] == "ave"].iterrows()
    }
    for label, r in corr[corr["quantity"] == "sqrt_ave"].iterrows():
        construct = str(r["lhs"])
        if construct in ave and ave[construct][1] and r["value"]:
            root, printed = float(r["value"]), float(ave[construct][1])
            if abs(root**2 - printed) > AVE_TOLERANCE:
                problems.append(
                    Problem(
                        manifest.files["sem_latent_corr"].where,
                        io.line_of(corr, label),
                        "value",
                        r["value"],
                        f"its square {root**2:.4f} is not the AVE {printed} of {construct} "
                        f"({manifest.files['sem_measurement'].where}, "
                        f"line {io.line_of(measurement, ave[construct][0])})",
                    )
                )
    return problems


def load_reported(manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The four ``sem_*`` tables stacked, with numeric ``value``, ``low`` and ``high`` columns.

    Raises
    ------
    DataError
        As :func:`analysis.data.io.load_table`, and for the checks across the tables
        (:func:`consistency_problems`).
    """
    manifest = manifest or io.load_manifest()
    tables = {name: io.load_table(name, manifest) for name in SEM_TABLES}
    problems = consistency_problems(tables, manifest)
    if problems:
        raise DataError(problems)
    frames = []
    for name, frame in tables.items():
        frame.insert(0, "table", name)
        frames.append(frame)
    out = pd.concat(frames, ignore_index=True)
    for col in ("value", "low", "high"):
        out[f"{col}_num"] = out[col].map(number)
    return out


def number(text: str) -> float:
    """A transcribed cell as a float (``nan`` for an empty cell)."""
    return float(text) if text else float(np.nan)


def reported_value(reported: pd.DataFrame, stat_id: str) -> float:
    """The transcribed value of one statistic, by its ``stat_id``."""
    hit = reported.loc[reported["stat_id"] == stat_id, "value_num"]
    if len(hit) != 1:
        raise KeyError(f"no single transcribed statistic {stat_id!r}")
    return float(hit.iloc[0])
