"""Provenance checks: every quotation and transcribed fact against the seed lines it cites.

A quotation (``evidence_zh``) is one or more verbatim fragments joined by ``…``; the OCR of the
dissertation scatters its text, so fragments may come from different places in the cited lines.
Both sides are normalised the same way (NFKC, then all whitespace removed) and each fragment
must occur in the cited line range. Transcribed facts (an event's year, a study's title,
authors and year) must occur in the normalised evidence.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from analysis.data.io import Manifest, read_seed_lines, sha256_file

__all__ = [
    "MIN_FRAGMENT",
    "check_events",
    "check_evidence",
    "check_seeds",
    "check_source_studies",
    "fragments",
    "letters",
    "normalise",
]

#: Fragments shorter than this are too unspecific to prove anything.
MIN_FRAGMENT = 4

_WS = re.compile(r"\s+")
_NON_WORD = re.compile(r"[\W_]+")
_SPLIT = re.compile(r"\[?…\]?")


def normalise(text: str) -> str:
    """NFKC-normalise and remove all whitespace (OCR spaces out characters and digits)."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))


def letters(text: str) -> str:
    """Only the letters, CJK characters and digits of :func:`normalise` (punctuation dropped)."""
    return _NON_WORD.sub("", normalise(text))


def fragments(evidence: str) -> list[str]:
    """The normalised fragments of a quotation (split on ``…`` and ``[…]``)."""
    return [f for f in (normalise(p) for p in _SPLIT.split(evidence)) if f]


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


def _seed_path(manifest: Manifest, seeds_dir: Path, seed_id: str) -> Path:
    return seeds_dir / str(manifest.seeds[seed_id]["file"])


def check_seeds(manifest: Manifest, seeds_dir: Path) -> list[str]:
    """Every seed named in the manifest exists with the recorded SHA-256."""
    problems = []
    for seed_id, info in sorted(manifest.seeds.items()):
        path = seeds_dir / str(info["file"])
        if not path.is_file():
            problems.append(f"seed {seed_id}: {path} not found")
        elif sha256_file(path) != info["sha256"]:
            problems.append(f"seed {seed_id}: {path.name} differs from its recorded sha256")
    return problems


def _rows(
    table: pd.DataFrame, where: str, id_col: str, manifest: Manifest, seeds_dir: Path
) -> list[tuple[str, pd.Series, list[str]]]:
    out = []
    for i, row in table.iterrows():
        label = f"{where}: row {int(i) + 1} ({row[id_col]})"  # type: ignore[call-overload]
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
        if row["date_source"] == "stated" and row["date"][:4] not in normalise(row["evidence_zh"]):
            found.append(f"stated year {row['date'][:4]} is not in evidence_zh")
        problems += [f"{label}, column 'evidence_zh': {p}" for p in found]
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
        for column, values in facts.items():
            for value in values:
                if value and letters(value) not in evidence:
                    found.append(f"{column} {value!r} is not in evidence_zh")
        if row["seed_file"] != manifest.seeds[row["seed_id"]]["file"]:
            found.append(f"seed_file {row['seed_file']!r} is not the manifest's file for this seed")
        problems += [f"{label}: {p}" for p in found]
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
        problems += [f"{label}, column 'evidence_zh': {p}" for p in found]
    return problems
