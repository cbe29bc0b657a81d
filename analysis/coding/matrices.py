"""Matrices of the coded segments: counts, presence, co-occurrence, clustering, propositions.

Every function is pure: it takes the codebook and a segments frame (as loaded and validated by
:func:`analysis.coding.segments.load_segments`) and returns a new frame. A 0 in a presence matrix
means "not evidenced in the coded text", never "absent from the case".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist

from analysis.coding.codebook import Codebook
from analysis.coding.segments import CASE_STUDY, long_codes, split_codes
from analysis.data.schemas.coding import CASES

__all__ = [
    "CaseClusters",
    "case_code_matrix",
    "cluster_cases",
    "code_counts",
    "cooccurrence",
    "cross_table",
    "framework_presence",
    "proposition_evidence",
    "top_level_matrix",
]


def code_counts(segments: pd.DataFrame, codebook: Codebook) -> pd.Series:
    """Number of segments bearing each second-level code (every code listed, zeros included)."""
    counts = long_codes(segments)["code_id"].value_counts()
    return counts.reindex(list(codebook.leaf_ids), fill_value=0).astype(int)


def case_code_matrix(segments: pd.DataFrame, codebook: Codebook, presence: bool = False) -> pd.DataFrame:
    """Cases (rows, book order) x second-level codes: segment counts, or 0/1 presence.

    0 means "not evidenced in the coded text", never "absent from the case".
    """
    long = long_codes(segments)
    table = pd.crosstab(long["case_id"], long["code_id"])
    table = table.reindex(index=list(CASES), columns=list(codebook.leaf_ids), fill_value=0).astype(int)
    table.index.name, table.columns.name = "case_id", "code_id"
    return (table > 0).astype(int) if presence else table


def top_level_matrix(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Cases x top-level codes: number of segments bearing at least one code of that family."""
    long = long_codes(segments)
    long["top"] = [codebook.top_of(c) for c in long["code_id"]]
    per_segment = long.drop_duplicates(["segment_id", "top"])
    table = pd.crosstab(per_segment["case_id"], per_segment["top"])
    table = table.reindex(index=list(CASES), columns=list(codebook.top_ids), fill_value=0).astype(int)
    table.index.name, table.columns.name = "case_id", "top_id"
    return table


def cooccurrence(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Every pair of second-level codes that share a segment: count and Jaccard index.

    Jaccard = segments with both / segments with either. Columns: ``code_a``, ``code_b``
    (``code_a`` first in codebook order), ``both``, ``either``, ``jaccard``.
    """
    order = {c: i for i, c in enumerate(codebook.leaf_ids)}
    sets: dict[str, set[str]] = {}
    for sid, cell in zip(segments["segment_id"], segments["codes"], strict=True):
        for code in split_codes(cell):
            sets.setdefault(code, set()).add(sid)
    rows = []
    codes = sorted(sets, key=order.__getitem__)
    for i, a in enumerate(codes):
        for b in codes[i + 1 :]:
            both = len(sets[a] & sets[b])
            if both:
                either = len(sets[a] | sets[b])
                rows.append((a, b, both, either, both / either))
    return pd.DataFrame(rows, columns=["code_a", "code_b", "both", "either", "jaccard"])


@dataclass(frozen=True)
class CaseClusters:
    """Agglomerative clustering of cases by their code profile."""

    cases: tuple[str, ...]
    linkage: np.ndarray
    labels: tuple[int, ...]
    leaf_order: tuple[str, ...]
    cophenetic: float


def cluster_cases(
    matrix: pd.DataFrame, k: int, method: str = "average", exclude: Sequence[str] = ()
) -> CaseClusters:
    """Cluster the rows of a case x code presence matrix (Jaccard distance, ``method`` linkage).

    ``exclude`` drops cases whose coded text is too thin to profile (the C市 abstract).
    """
    frame = matrix.drop(index=list(exclude))
    data = frame.to_numpy(dtype=bool)
    if data.shape[0] < max(k, 2) or (~data.any(axis=1)).any():
        raise ValueError("need at least k cases, each with at least one evidenced code")
    distances = pdist(data, metric="jaccard")
    linkage = hierarchy.linkage(distances, method=method)
    labels = hierarchy.fcluster(linkage, t=k, criterion="maxclust")
    coph, _ = hierarchy.cophenet(linkage, distances)
    order = hierarchy.leaves_list(linkage)
    cases = tuple(str(c) for c in frame.index)
    return CaseClusters(
        cases=cases,
        linkage=linkage,
        labels=tuple(int(x) for x in labels),
        leaf_order=tuple(cases[i] for i in order),
        cophenetic=float(coph),
    )


def framework_presence(segments: pd.DataFrame, codes: Sequence[str], by: str = "case_id") -> pd.DataFrame:
    """Segments bearing each framework code (rows: ``codes`` in the order given), per ``by``."""
    long = long_codes(segments, column="framework_codes")[["segment_id", "code_id"]]
    long = long.merge(segments[["segment_id", by]], on="segment_id")
    table = pd.crosstab(long["code_id"], long[by]).reindex(index=list(codes), fill_value=0)
    table.index.name = "code_id"
    return table.astype(int)


def cross_table(segments: pd.DataFrame, rows: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """Segments bearing both a row code and a column code (framework codes), as a rows x columns table.

    This rebuilds a study's own two-way table (for example seed 000's 整体智治 element x 价值共创
    stage matrix) from the segments, in the study's own terms.
    """
    coded = [set(split_codes(c)) for c in segments["framework_codes"]]
    table = pd.DataFrame(
        [[sum(1 for s in coded if r in s and c in s) for c in columns] for r in rows],
        index=list(rows),
        columns=list(columns),
    )
    return table.astype(int)


def proposition_evidence(propositions: pd.DataFrame, segments: pd.DataFrame) -> pd.DataFrame:
    """For each proposition and case: segments linking its condition and outcome codes.

    ``both``: segments bearing at least one condition code and at least one outcome code (the
    text itself links the two); ``condition_only``: a condition code without any outcome code.
    Co-occurrence in a segment is evidence consistent with the proposition, not a test of it.
    Columns: ``proposition_id``, ``study``, ``case_id``, ``own_study``, ``both``, ``condition_only``.
    """
    coded = [set(split_codes(c)) for c in segments["codes"]]
    rows = []
    for rec in propositions.to_dict("records"):
        condition = set(split_codes(str(rec["condition_codes"])))
        outcome = set(split_codes(str(rec["outcome_codes"])))
        for case in CASES:
            in_case = [c for c, k in zip(coded, segments["case_id"], strict=True) if k == case]
            both = sum(1 for c in in_case if c & condition and c & outcome)
            only = sum(1 for c in in_case if c & condition and not c & outcome)
            rows.append(
                {
                    "proposition_id": str(rec["proposition_id"]),
                    "study": str(rec["study"]),
                    "case_id": case,
                    "own_study": CASE_STUDY[case] == rec["study"],
                    "both": both,
                    "condition_only": only,
                }
            )
    return pd.DataFrame(rows)
