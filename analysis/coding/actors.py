"""The actor coding: who takes part in each segment, and in which co-creation role.

Coder A coded every segment (``segment_actors``, coder A); coder B, blind to A, a stratified
quarter of them. An entry ``TYPE:role`` says that an actor of that type acts in that role in the
segment's text (types and roles: ``actor_codebook``). Reliability is computed like that of the
integrated codes (:func:`analysis.coding.reliability.reliability`): per actor type (present or
not), pooled over every (segment, type) and every (segment, type:role) decision, with percentile
bootstrap intervals over segments.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.coding.inputs import load_coded_table
from analysis.coding.reliability import ReliabilityResult, _row
from analysis.coding.segments import split_codes
from analysis.data import io
from analysis.data.errors import DataError, Problem
from analysis.data.schemas.coding import ACTOR_ROLES, ACTOR_TYPES

__all__ = [
    "MIN_EXAMPLE_CHARS",
    "ActorCoding",
    "actor_reliability",
    "agreed_examples",
    "case_roles",
    "load_actor_coding",
]


@dataclass(frozen=True)
class ActorCoding:
    """Both coders' actor entries (one ``;``-joined cell per segment) and the codebook's names."""

    first: pd.DataFrame
    second: pd.DataFrame
    codebook: pd.DataFrame
    type_zh: dict[str, str]
    role_zh: dict[str, str]


def load_actor_coding(segments: pd.DataFrame, manifest: io.Manifest | None = None) -> ActorCoding:
    """The actor coding, checked against the segments: A codes every segment, B only those.

    Raises
    ------
    DataError
        For a segment with no row of coder A, naming the file and the segment.
    """
    manifest = manifest or io.load_manifest()
    codebook = load_coded_table("actor_codebook", manifest)
    frame = load_coded_table("segment_actors", manifest)
    where = manifest.files["segment_actors"].where
    first = frame[frame["coder"] == "A"]
    missing = sorted(set(segments["segment_id"]) - set(first["segment_id"]))
    if missing:
        raise DataError(
            [
                Problem(where, None, "segment_id", s, "coder A has no row for this segment")
                for s in missing[:5]
            ]
        )
    names = dict(zip(codebook["id"], codebook["name_zh"], strict=True))
    return ActorCoding(
        first.reset_index(drop=True),
        frame[frame["coder"] == "B"].reset_index(drop=True),
        codebook,
        {t: names[t] for t in ACTOR_TYPES},
        {r: names[r] for r in ACTOR_ROLES},
    )


def _types(cell: str) -> set[str]:
    return {entry.split(":", 1)[0] for entry in split_codes(cell)}


def actor_reliability(coding: ActorCoding, n_boot: int = 2000, seed: int = 20261206) -> ReliabilityResult:
    """Alpha and kappa per actor type, and pooled over types and over type:role entries.

    Units are the segments coder B coded. Intervals: percentile bootstrap over segments
    (``n_boot`` draws, ``seed``); draws in which a variable is constant are left out and counted.
    """
    ids = list(coding.second["segment_id"])
    a_cells = dict(zip(coding.first["segment_id"], coding.first["actors"], strict=True))
    b_cells = dict(zip(coding.second["segment_id"], coding.second["actors"], strict=True))
    entries = [f"{t}:{r}" for t in ACTOR_TYPES for r in ACTOR_ROLES]

    def matrix(cells: dict[str, str], keys: list[str], by_type: bool) -> np.ndarray:
        found = [(_types(cells[s]) if by_type else set(split_codes(cells[s]))) for s in ids]
        return np.array([[float(k in f) for k in keys] for f in found])

    ta, tb = matrix(a_cells, list(ACTOR_TYPES), True), matrix(b_cells, list(ACTOR_TYPES), True)
    ea, eb = matrix(a_cells, entries, False), matrix(b_cells, entries, False)
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(ids), size=(n_boot, len(ids)))
    rows = [
        _row("type", t, ta[:, i], tb[:, i], ta[:, i][draws], tb[:, i][draws])
        for i, t in enumerate(ACTOR_TYPES)
    ]
    for level, a, b in (("pooled_type", ta, tb), ("pooled_role", ea, eb)):
        rows.append(
            _row(
                level, "ALL", a.ravel(), b.ravel(), a[draws].reshape(n_boot, -1), b[draws].reshape(n_boot, -1)
            )
        )
    return ReliabilityResult(pd.DataFrame(rows), len(ids), n_boot, seed)


def case_roles(segments: pd.DataFrame, coding: ActorCoding) -> pd.DataFrame:
    """Coder A's entries in long form: one row per (segment, actor type, role), with the case.

    Only the segments of ``segments`` count (for comparisons between cases, the segments that
    belong to their case: :func:`analysis.coding.quotecheck.case_evidence`).
    """
    case_of = dict(zip(segments["segment_id"], segments["case_id"], strict=True))
    rows = [
        {"segment_id": s, "case_id": case_of[s], "actor_type": e.split(":")[0], "role": e.split(":")[1]}
        for s, cell in zip(coding.first["segment_id"], coding.first["actors"], strict=True)
        if s in case_of
        for e in split_codes(cell)
    ]
    return pd.DataFrame(rows, columns=["segment_id", "case_id", "actor_type", "role"])


#: Example quotations shorter than this are fragments, not readable.
MIN_EXAMPLE_CHARS = 12


def agreed_examples(coding: ActorCoding, segments: pd.DataFrame) -> dict[str, str | None]:
    """One example segment per actor type, taken only where both coders recorded the type.

    Candidates for a type are the double-coded segments in which coder A and coder B both record
    it (in any role). They are ranked by the fewest OCR fragments joined by "…", then a quotation
    of at least :data:`MIN_EXAMPLE_CHARS` characters, then the shortest, then the smallest id.
    Types are served in increasing order of their number of candidates (ties: codebook order), and
    a segment already chosen for a type is not chosen again, so no two types share a sentence.
    ``None`` where no candidate is left.
    """
    a_cells = dict(zip(coding.first["segment_id"], coding.first["actors"], strict=True))
    text = dict(zip(segments["segment_id"], segments["evidence_zh"].astype(str), strict=True))
    candidates: dict[str, list[str]] = {}
    for t in ACTOR_TYPES:
        ids = [
            s
            for s, cell in zip(coding.second["segment_id"], coding.second["actors"], strict=True)
            if t in _types(cell) and t in _types(a_cells[s])
        ]
        candidates[t] = sorted(
            ids, key=lambda s: (text[s].count("…"), len(text[s]) < MIN_EXAMPLE_CHARS, len(text[s]), s)
        )
    chosen: dict[str, str | None] = {}
    taken: set[str] = set()
    for t in sorted(ACTOR_TYPES, key=lambda t: (len(candidates[t]), ACTOR_TYPES.index(t))):
        free = [s for s in candidates[t] if s not in taken]
        chosen[t] = free[0] if free else None
        if free:
            taken.add(free[0])
    return {t: chosen[t] for t in ACTOR_TYPES}
