"""Provenance checks: every quotation and transcribed fact against the seed lines it cites.

The seeds are read through :mod:`analysis.data.io` (hash-checked); normalisation is in
:mod:`analysis.data.text`.

A quotation (``evidence_zh``) is one or more verbatim fragments joined by ``…``; the OCR of the
dissertation scatters its text, so fragments may come from different places in the cited lines.
Both sides are normalised the same way (NFKC, then all whitespace removed) and each fragment
must occur in the cited line range. Transcribed facts (an event's year, a study's title,
authors and year) must occur in the normalised evidence.
"""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path

import pandas as pd

from analysis.data.errors import DataError
from analysis.data.io import Manifest, locate, read_input, read_seed_lines
from analysis.data.text import MIN_FRAGMENT, fragments, letters, normalise

__all__ = [
    "MIN_FRAGMENT",
    "check_events",
    "check_evidence",
    "check_seeds",
    "check_source_studies",
    "fragments",
    "letters",
    "normalise",
    "row_label",
]


def check_evidence(seed_file: Path, line_from: int, line_to: int, evidence: str) -> list[str]:
    """Problems with one quotation: each fragment must occur in the cited lines."""
    haystack = normalise("".join(read_seed_lines(seed_file, line_from, line_to)))
    problems = []
    parts = fragments(evidence)
    if not parts:
        problems.append("empty quotation")
    for part in parts:
        if len(part) < MIN_FRAGMENT:
            problems.append(f"fragment {part!r} is shorter than {MIN_FRAGMENT} characters")
        elif part not in haystack:
            problems.append(f"fragment {part!r} not found in lines {line_from}-{line_to}")
    return problems


def row_label(table: pd.DataFrame, label: Hashable, where: str, ident: str) -> str:
    """``<file>, line <n> (<id>)`` for a row of a table as loaded; the row number otherwise."""
    place, line = locate(table, label, where)
    return f"{place}, line {line} ({ident})" if line is not None else f"{place} ({ident})"


def _seed_path(manifest: Manifest, seeds_dir: Path, seed_id: str) -> Path:
    return seeds_dir / str(manifest.seeds[seed_id]["file"])


def check_seeds(manifest: Manifest, seeds_dir: Path) -> list[str]:
    """Every seed named in the manifest exists with the recorded SHA-256."""
    problems: list[str] = []
    for seed_id, info in sorted(manifest.seeds.items()):
        path = seeds_dir / str(info["file"])
        try:
            read_input(path, str(info["sha256"]), f"source study {seed_id} ({path})")
        except DataError as exc:
            problems += [str(p) for p in exc.problems]
    return problems


def _rows(
    table: pd.DataFrame, where: str, id_col: str, manifest: Manifest, seeds_dir: Path
) -> list[tuple[str, pd.Series, list[str]]]:
    out = []
    for i, row in table.iterrows():
        label = row_label(table, i, where, str(row[id_col]))
        seed = _seed_path(manifest, seeds_dir, row["seed_id"])
        problems = check_evidence(seed, int(row["line_from"]), int(row["line_to"]), row["evidence_zh"])
        out.append((label, row, problems))
    return out


def check_events(
    events: pd.DataFrame, manifest: Manifest, seeds_dir: Path, where: str = "data/raw/reform_events.csv"
) -> list[str]:
    """Quotations of the reform events, and each stated year inside its quotation."""
    problems = []
    for label, row, found in _rows(events, where, "event_id", manifest, seeds_dir):
        problems += [f"{label}, field 'evidence_zh': {p}" for p in found]
        if row["date_source"] == "stated" and row["date"][:4] not in normalise(row["evidence_zh"]):
            problems.append(
                f"{label}, field 'date', value {row['date']!r}: stated year is not in evidence_zh"
            )
    return problems


def check_source_studies(
    studies: pd.DataFrame,
    manifest: Manifest,
    seeds_dir: Path,
    where: str = "data/raw/source_studies.csv",
) -> list[str]:
    """Quotations of the source studies; title, each author and a stated year in the quotation.

    Facts are compared on letters and digits only: a printed title is often split over lines at
    its dash or quotation marks, so the quotation joins its parts with ``…``.
    """
    problems = []
    for label, row, found in _rows(studies, where, "seed_id", manifest, seeds_dir):
        evidence = letters(row["evidence_zh"])
        facts = {"title_zh": [row["title_zh"]], "authors_zh": row["authors_zh"].split("、")}
        if row["year_source"] == "stated":
            facts["year"] = [row["year"]]
        problems += [f"{label}, field 'evidence_zh': {p}" for p in found]
        for column, values in facts.items():
            for value in values:
                if value and letters(value) not in evidence:
                    problems.append(f"{label}, field '{column}', value {value!r}: is not in evidence_zh")
        if row["seed_file"] != manifest.seeds[row["seed_id"]]["file"]:
            problems.append(
                f"{label}, field 'seed_file', value {row['seed_file']!r}: "
                "is not the manifest's file for this seed"
            )
    return problems


def check_quotations(
    table: pd.DataFrame, manifest: Manifest, seeds_dir: Path, where: str, id_col: str
) -> list[str]:
    """Every row with a seed reference: its quotation (``evidence_zh``) is in the cited lines.

    Rows without ``seed_id`` (for example a codebook's top-level codes) carry no quotation.
    """
    cited = table[table["seed_id"] != ""]
    problems = []
    for label, _row, found in _rows(cited, where, id_col, manifest, seeds_dir):
        problems += [f"{label}, field 'evidence_zh': {p}" for p in found]
    return problems
