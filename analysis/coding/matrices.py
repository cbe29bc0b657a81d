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
    "VERDICTS",
    "CaseClusters",
    "case_code_matrix",
    "cluster_cases",
    "code_counts",
    "cooccurrence",
    "cross_table",
    "framework_presence",
    "proposition_verdicts",
    "segments_matching",
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


def segments_matching(
    segments: pd.DataFrame, groups: Sequence[Sequence[str]], column: str = "framework_codes"
) -> pd.DataFrame:
    """The segments whose ``column`` holds, for every group of codes, at least one code of that group.

    Codes are compared as whole ids (``001:LX.A.L1`` does not match ``001:LX.A.L``). One group
    gives the segments bearing any of its codes; a row group and a column group give the segments
    in a cell of a two-way table. Every rebuilt table of the case chapters and the fidelity
    record (:mod:`analysis.coding.fidelity`) count their cells with this one function.

    Raises
    ------
    ValueError
        If ``groups`` is empty.
    """
    if not groups:
        raise ValueError("no group of codes given")
    wanted = [set(g) for g in groups]
    mask = [all(g & set(split_codes(str(cell))) for g in wanted) for cell in segments[column]]
    return segments[mask]


def cross_table(segments: pd.DataFrame, rows: Sequence[str], columns: Sequence[str]) -> pd.DataFrame:
    """Segments bearing both a row code and a column code (framework codes), as a rows x columns table.

    This rebuilds a study's own two-way table (for example seed 000's 整体智治 element x 价值共创
    stage matrix) from the segments, in the study's own terms.
    """
    table = pd.DataFrame(
        [[len(segments_matching(segments, [[r], [c]])) for c in columns] for r in rows],
        index=list(rows),
        columns=list(columns),
    )
    return table.astype(int)


#: Verdicts of a proposition in a case, in the order the book reports them.
VERDICTS = ("supported", "counter", "not_evidenced")


def proposition_verdicts(propositions: pd.DataFrame, segments: pd.DataFrame, k: int = 2) -> pd.DataFrame:
    """For each proposition and case: the distinctive condition with and without the outcome, and a verdict.

    ``with_outcome``: segments bearing every distinctive code and at least one outcome code;
    ``without_outcome``: every distinctive code and no outcome code (the nearest thing to
    counter-evidence that a coding of presence can hold: the text states the condition and not the
    outcome). The rule, with threshold ``k``: *supported* when ``with_outcome >= k`` and
    ``with_outcome >= without_outcome``; *counter* when ``without_outcome >= k`` and no segment
    links the two (``with_outcome == 0``); otherwise *not_evidenced*.

    Raises
    ------
    ValueError
        If ``k`` is below 1.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    coded = [set(split_codes(c)) for c in segments["codes"]]
    cases = list(segments["case_id"])
    rows = []
    for rec in propositions.to_dict("records"):
        distinctive = set(split_codes(str(rec["distinctive_codes"])))
        outcome = set(split_codes(str(rec["outcome_codes"])))
        for case in CASES:
            hits = [c for c, k_ in zip(coded, cases, strict=True) if k_ == case and distinctive <= c]
            with_ = sum(1 for c in hits if c & outcome)
            without = len(hits) - with_
            verdict = (
                "supported"
                if with_ >= k and with_ >= without
                else "counter"
                if without >= k and with_ == 0
                else "not_evidenced"
            )
            rows.append(
                {
                    "proposition_id": str(rec["proposition_id"]),
                    "case_id": case,
                    "own_study": CASE_STUDY[case] == rec["study"],
                    "with_outcome": with_,
                    "without_outcome": without,
                    "verdict": verdict,
                }
            )
    return pd.DataFrame(rows)
