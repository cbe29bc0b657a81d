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
from analysis.data.schemas.sem import digits

__all__ = ["SEM_TABLES", "check_reported", "load_reported", "number", "reported_value"]

SEM_TABLES: tuple[str, ...] = ("sem_measurement", "sem_latent_corr", "sem_fit", "sem_paths")


def check_reported(
    table: pd.DataFrame, manifest: io.Manifest, seeds_dir: Path, where: str = "data/raw/sem_*.csv"
) -> list[str]:
    """Problems with the provenance of the rows of one ``sem_*`` table (empty if none)."""
    problems: list[str] = []
    seed = seeds_dir / str(manifest.seeds["003"]["file"])
    for i, row in table.iterrows():
        label = f"{where}: row {int(i) + 1} ({row['stat_id']})"  # type: ignore[call-overload]
        lines = int(row["line_from"]), int(row["line_to"])
        found = provenance.check_evidence(seed, *lines, row["evidence_zh"])
        problems += [f"{label}, column 'evidence_zh': {p}" for p in found]
        legible = str(row["legible"])
        if legible and legible not in digits(provenance.normalise(row["evidence_zh"])):
            problems.append(f"{label}, column 'legible': digits {legible!r} are not in the quoted OCR text")
    return problems


def load_reported(manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The four ``sem_*`` tables stacked, with numeric ``value``, ``low`` and ``high`` columns."""
    frames = []
    for name in SEM_TABLES:
        frame = io.load_table(name, manifest)
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
