"""Case coding: validation, matrices, meta-matrix, co-occurrence, clustering, study tables.

The study tables are each source study's own tables rebuilt from the coded segments.

Every function is pure: it takes the codebook and a segments frame (as loaded and validated by
:func:`load_segments`) and returns a new frame. A 0 in a presence matrix means "not evidenced in
the coded text", never "absent from the case".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.cluster import hierarchy
from scipy.spatial.distance import pdist

from analysis import io, paths
from analysis.codebook import Codebook, load_codebook
from analysis.errors import DataError
from analysis.schemas_coding import CASES

__all__ = [
    "ABSTRACT_004",
    "CASE_STUDY",
    "DUPLICATE_BLOCK_004",
    "LAST_LINE_003",
    "CaseClusters",
    "case_code_matrix",
    "cluster_cases",
    "code_counts",
    "cooccurrence",
    "cross_table",
    "framework_presence",
    "line_ref",
    "load_codebook_data",
    "load_segments",
    "long_codes",
    "meta_matrix",
    "proposition_evidence",
    "split_codes",
    "top_level_matrix",
    "validate_segments",
]

#: The framework (study) whose own codes a case's segments carry.
CASE_STUDY: dict[str, str] = {
    "ZJ-HS": "000",
    "LX": "001",
    "HZ": "002",
    "SZ": "002",
    "C-YJ": "004A",
    "S-A": "004B",
    "QWJ": "003",
    "JJJ": "003",
    "XN": "003",
}

#: Seed 004 repeats lines 42-86 verbatim at 87-131; segments cite the first copy only.
DUPLICATE_BLOCK_004 = (87, 131)
#: Lines of seed 004 that belong to the C市 abstract (the rest is the S市A区 paper).
ABSTRACT_004 = (1, 2)
#: Seed 003 beyond this line is a different dissertation.
LAST_LINE_003 = 115282


def line_ref(line_from: int, line_to: int) -> str:
    """``第 a–b 行``, or ``第 a 行`` for a single line."""
    return f"第 {line_from} 行" if line_from == line_to else f"第 {line_from}–{line_to} 行"


def split_codes(cell: str) -> list[str]:
    """The code ids of a ``;``-joined cell (empty cell: no codes)."""
    return [c for c in cell.split(";") if c]


@dataclass(frozen=True)
class _Row:
    segment_id: str
    case_id: str
    seed_id: str
    line_from: int
    line_to: int
    evidence_zh: str
    codes: str
    framework_codes: str


def _row_where(where: str, index: int, segment_id: str) -> str:
    return f"{where}: row {index + 1} (line {index + 2}, {segment_id})"


def validate_segments(frame: pd.DataFrame, codebook: Codebook, where: str) -> pd.DataFrame:
    """Check coded segments against the codebook and the seeds' known structure.

    ``frame`` has passed the ``coded_segments`` schema (types, ids, allowed values). This adds
    the checks that need the codebook or knowledge of the seeds, each error naming file, row,
    segment and field.

    Raises
    ------
    DataError
        On an unknown or top-level code, a framework code that is not in the codebook or belongs
        to another study, a code repeated within a segment, a line range that falls in seed 004's
        duplicated block or on the wrong side of its abstract, seed 003 beyond its dissertation,
        or two segments with the same lines and quotation.
    """
    leaves = set(codebook.leaf_ids)
    tops = set(codebook.top_ids)
    fw_ids = codebook.framework_code_ids
    problems: list[str] = []
    seen: dict[tuple[str, int, int, str], str] = {}
    for i, rec in enumerate(frame.to_dict("records")):
        row = _Row(
            str(rec["segment_id"]),
            str(rec["case_id"]),
            str(rec["seed_id"]),
            int(rec["line_from"]),
            int(rec["line_to"]),
            str(rec["evidence_zh"]),
            str(rec["codes"]),
            str(rec["framework_codes"]),
        )
        here = _row_where(where, i, row.segment_id)
        codes = split_codes(row.codes)
        for code in codes:
            if code in tops:
                problems.append(
                    f"{here}, field 'codes': {code!r} is a top-level code; code with its sub-codes"
                )
            elif code not in leaves:
                problems.append(f"{here}, field 'codes': unknown code {code!r}")
        if len(set(codes)) != len(codes):
            problems.append(f"{here}, field 'codes': a code is repeated")
        study = CASE_STUDY[row.case_id]
        for code in split_codes(row.framework_codes):
            if code not in fw_ids:
                problems.append(f"{here}, field 'framework_codes': unknown framework code {code!r}")
            elif not code.startswith(f"{study}:"):
                problems.append(
                    f"{here}, field 'framework_codes': {code!r} is not a code of study {study} "
                    f"(case {row.case_id})"
                )
        a, b = row.line_from, row.line_to
        if row.seed_id == "004":
            lo, hi = DUPLICATE_BLOCK_004
            if a <= hi and b >= lo:
                problems.append(
                    f"{here}, fields 'line_from'/'line_to': {a}-{b} overlaps seed 004's duplicated "
                    f"block {lo}-{hi}; cite the first copy (lines 42-86)"
                )
            in_abstract = b <= ABSTRACT_004[1]
            if (row.case_id == "C-YJ") != in_abstract:
                problems.append(
                    f"{here}, fields 'line_from'/'line_to': {a}-{b}: C-YJ segments must lie in the "
                    f"abstract (lines 1-2) and S-A segments outside it"
                )
        if row.seed_id == "003" and b > LAST_LINE_003:
            problems.append(
                f"{here}, field 'line_to': {b} is past line {LAST_LINE_003}, where seed 003's "
                f"dissertation ends"
            )
        key = (row.seed_id, a, b, row.evidence_zh)
        if key in seen:
            problems.append(f"{here}: same lines and quotation as {seen[key]}")
        seen.setdefault(key, row.segment_id)
    if problems:
        raise DataError("\n".join(problems))
    return frame


def load_codebook_data(manifest: io.Manifest | None = None) -> Codebook:
    """The book's codebook, from the file the manifest names ``codebook``."""
    manifest = manifest or io.load_manifest()
    io.load_table("codebook", manifest)  # schema check of the flattened table
    return load_codebook(manifest.files["codebook"].full_path)


def load_segments(
    name: str = "coded_segments",
    codebook: Codebook | None = None,
    manifest: io.Manifest | None = None,
) -> pd.DataFrame:
    """Load the coded segments listed in the manifest, checked by schema and against the codebook."""
    manifest = manifest or io.load_manifest()
    codebook = codebook or load_codebook_data(manifest)
    frame = io.load_table(name, manifest)
    where = (paths.DATA_DIR / manifest.files[name].path).relative_to(paths.PROJECT_ROOT).as_posix()
    return validate_segments(frame, codebook, where)


def long_codes(segments: pd.DataFrame, column: str = "codes") -> pd.DataFrame:
    """One row per (segment, code): ``segment_id``, ``case_id``, ``code_id``."""
    rows = [
        (sid, case, code)
        for sid, case, cell in zip(segments["segment_id"], segments["case_id"], segments[column], strict=True)
        for code in split_codes(cell)
    ]
    return pd.DataFrame(rows, columns=["segment_id", "case_id", "code_id"])


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


def _exemplar(candidates: pd.DataFrame, n_in_family: pd.Series) -> pd.Series:
    """The exemplary segment of a cell, by a fixed rule rather than a hand pick.

    Most codes in the family first, then the shortest quotation of at least 12 characters,
    then the smallest id.
    """
    frame = candidates.assign(
        _n=n_in_family.reindex(candidates.index),
        _len=candidates["evidence_zh"].str.len(),
        _short=candidates["evidence_zh"].str.len() < 12,
    ).sort_values(["_n", "_short", "_len", "segment_id"], ascending=[False, True, True, True])
    return frame.iloc[0]


def meta_matrix(segments: pd.DataFrame, codebook: Codebook, max_chars: int = 60) -> pd.DataFrame:
    """The partially ordered meta-matrix: cases (book order) x top-level codes.

    Each cell holds the number of segments of that family and one exemplary quotation with its
    seed and line range (rule in :func:`_exemplar`), or "—" where the coded text holds no
    evidence.
    """
    long = long_codes(segments)
    long["top"] = [codebook.top_of(c) for c in long["code_id"]]
    by_id = segments.set_index(segments["segment_id"].rename(None))
    cells: dict[str, dict[str, str]] = {}
    for top in codebook.top_ids:
        column: dict[str, str] = {}
        for case in CASES:
            hits = long[(long["case_id"] == case) & (long["top"] == top)]
            if hits.empty:
                column[case] = "—"
                continue
            n_in_family = hits.groupby("segment_id").size()
            best = _exemplar(by_id.loc[n_in_family.index], n_in_family)
            quote = str(best["evidence_zh"])
            quote = quote if len(quote) <= max_chars else quote[: max_chars - 1] + "…"
            column[case] = (
                f"（{len(n_in_family)} 段）“{quote}”"
                f"〔种子 {best['seed_id']}，{line_ref(int(best['line_from']), int(best['line_to']))}〕"
            )
        cells[top] = column
    table = pd.DataFrame(cells).reindex(index=list(CASES))
    table.index.name = "case_id"
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
