"""Fidelity of the rebuilt tables: each cell of a study's own table against what the study says.

The record (``fidelity_cells``) holds, for every cell of each table a case chapter presents as a
study's own, what the study says there (``states``, ``silent`` or ``denies``, with a quotation
and its lines) and the framework codes that define the cell: its segments are those of the
cell's cases bearing one of ``row_codes`` and, if given, one of ``column_codes``. They are found
with :func:`analysis.coding.matrices.segments_matching`, the function every rebuilt table counts
its cells with, so the status and the table shown cannot drift apart.

The status is computed, never stored:

========== ============ ==============================================
the study  segments     status
========== ============ ==============================================
states     at least one ``agrees``
states     none         ``not_coded`` (the study states it, no segment)
silent     at least one ``adds`` (the rebuilt table adds the cell)
silent     none         ``agrees``
denies     at least one ``contradicts``
denies     none         ``agrees``
========== ============ ==============================================
"""

from __future__ import annotations

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.consensus import apply_framework_revisions
from analysis.coding.inputs import load_coded_table
from analysis.coding.matrices import segments_matching
from analysis.coding.segments import first_cut, load_codebook_data, split_codes
from analysis.data import io

__all__ = [
    "STATUSES",
    "cell_segments",
    "earlier_coding",
    "fidelity",
    "load_record",
    "status",
]

#: The statuses, in the order the book reports them.
STATUSES: tuple[str, ...] = ("agrees", "adds", "not_coded", "contradicts")


def load_record(manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The fidelity record of all five studies, checked by its schema and against the codebook."""
    return load_coded_table("fidelity_cells", manifest)


def status(seed_says: str, n_segments: int) -> str:
    """The status of a cell from what the study says there and how many segments the cell holds.

    Raises
    ------
    ValueError
        For a ``seed_says`` other than ``states``, ``silent`` or ``denies``, or a negative count.
    """
    if n_segments < 0:
        raise ValueError(f"a negative number of segments ({n_segments})")
    coded = n_segments > 0
    if seed_says == "states":
        return "agrees" if coded else "not_coded"
    if seed_says == "silent":
        return "adds" if coded else "agrees"
    if seed_says == "denies":
        return "contradicts" if coded else "agrees"
    raise ValueError(f"unknown seed_says {seed_says!r}")


def cell_segments(
    segments: pd.DataFrame, case_ids: str, row_codes: str, column_codes: str, codebook: Codebook
) -> pd.DataFrame:
    """The segments of a cell: of its cases, bearing a row code and (if any) a column code.

    A code stands for itself and its sub-concepts (:meth:`Codebook.with_subconcepts`).
    """
    sub = segments[segments["case_id"].isin(split_codes(case_ids))]
    groups = [codebook.with_subconcepts(split_codes(row_codes))]
    if column_codes:
        groups.append(codebook.with_subconcepts(split_codes(column_codes)))
    return segments_matching(sub, groups)


def fidelity(record: pd.DataFrame, segments: pd.DataFrame, codebook: Codebook | None = None) -> pd.DataFrame:
    """The record with each cell's segments (``n_segments``, ``segment_ids``) and its ``status``."""
    codebook = codebook or load_codebook_data()
    n, ids, statuses = [], [], []
    for rec in record.to_dict("records"):
        hits = cell_segments(
            segments, str(rec["case_ids"]), str(rec["row_codes"]), str(rec["column_codes"]), codebook
        )
        found = sorted(str(s) for s in hits["segment_id"])
        n.append(len(found))
        ids.append(";".join(found))
        statuses.append(status(str(rec["seed_says"]), len(found)))
    out = record.copy()
    out["n_segments"] = n
    out["segment_ids"] = ids
    out["status"] = statuses
    return out


def earlier_coding(final: pd.DataFrame, manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The consensus coding as it stood before the fidelity revisions (issue 13).

    The segments of round 1 only, with the logged framework revisions undone (each ``add``
    removed, each ``remove`` restored, last revision first). Used to say which cells changed
    status, never for an analysis.
    """
    manifest = manifest or io.load_manifest()
    revisions = load_coded_table("framework_revisions", manifest)
    undo = revisions.iloc[::-1].copy()
    undo["action"] = undo["action"].map({"add": "remove", "remove": "add"})
    return apply_framework_revisions(first_cut(final), undo, manifest.files["framework_revisions"].where)
