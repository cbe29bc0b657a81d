"""The coded segments: loading, validation against the codebook, and the long (segment, code) form.

Matrices, co-occurrence and clustering built from the validated segments are in
:mod:`analysis.coding.matrices`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from analysis.coding.codebook import Codebook, load_book_codebook
from analysis.coding.inputs import code_problems, split_codes
from analysis.data import io
from analysis.data.errors import DataError, Problem
from analysis.data.schemas.coding import CODED_SEGMENTS

__all__ = [
    "ABSTRACT_004",
    "CASE_STUDY",
    "DUPLICATE_BLOCK_004",
    "LAST_LINE_003",
    "DuplicateBlock",
    "first_cut",
    "load_codebook_data",
    "load_segments",
    "long_codes",
    "repeated_block",
    "seed_004_duplicate",
    "split_codes",
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


def first_cut(segments: pd.DataFrame) -> pd.DataFrame:
    """The segments cut in round 1, from which every second-coding sample was drawn.

    Segments added later (round 3, for passages the fidelity records found uncoded) were all
    double-coded, so the samples of rounds 1 and 2 and of the actor coding are drawn, and
    checked, among the segments of round 1 only.
    """
    return segments[segments["round"] == 1]


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


def validate_segments(frame: pd.DataFrame, codebook: Codebook, where: str) -> pd.DataFrame:
    """Check coded segments against the codebook and the seeds' known structure.

    ``frame`` has passed the ``coded_segments`` schema (types, ids, allowed values, keys). This
    adds the checks that need the codebook or knowledge of the seeds, each problem naming file,
    line (for a table as loaded), field and value.

    Raises
    ------
    DataError
        On an unknown or top-level code, a code repeated within a segment, a framework code that
        is not in the codebook or belongs to another study, a line range that falls in seed 004's
        duplicated block or on the wrong side of its abstract, or seed 003 beyond its dissertation.
    """
    problems = code_problems(frame, CODED_SEGMENTS, codebook, where)
    fw_ids = codebook.framework_code_ids
    for label, rec in zip(frame.index, frame.to_dict("records"), strict=True):
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
        place, line = io.locate(frame, label, where)

        def problem(
            field: str, value: object, rule: str, place: str = place, line: int | None = line
        ) -> None:
            problems.append(Problem(place, line, field, value, rule))

        study = CASE_STUDY[row.case_id]
        for code in split_codes(row.framework_codes):
            if code in fw_ids and not code.startswith(f"{study}:"):
                problem("framework_codes", code, f"is not a code of study {study} (case {row.case_id})")
        a, b = row.line_from, row.line_to
        if row.seed_id == "004":
            lo, hi = DUPLICATE_BLOCK_004
            if a <= hi and b >= lo:
                problem(
                    "line_from/line_to",
                    f"{a}-{b}",
                    f"overlaps seed 004's duplicated block {lo}-{hi}; cite the first copy (lines 42-86)",
                )
            in_abstract = b <= ABSTRACT_004[1]
            if (row.case_id == "C-YJ") != in_abstract:
                problem(
                    "line_from/line_to",
                    f"{a}-{b}",
                    "C-YJ segments must lie in the abstract (lines 1-2) and S-A segments outside it",
                )
        if row.seed_id == "003" and b > LAST_LINE_003:
            problem("line_to", b, f"past line {LAST_LINE_003}, where seed 003's dissertation ends")
    if problems:
        raise DataError(problems)
    return frame


def load_codebook_data(manifest: io.Manifest | None = None) -> Codebook:
    """The book's codebook, from the file the manifest names ``codebook`` (checked once per content)."""
    return load_book_codebook(manifest)


def load_segments(
    name: str = "coded_segments",
    codebook: Codebook | None = None,
    manifest: io.Manifest | None = None,
) -> pd.DataFrame:
    """Load the coded segments listed in the manifest, checked by schema and against the codebook."""
    manifest = manifest or io.load_manifest()
    codebook = codebook or load_codebook_data(manifest)
    frame = io.load_table(name, manifest)
    return validate_segments(frame, codebook, manifest.files[name].where)


def long_codes(segments: pd.DataFrame, column: str = "codes") -> pd.DataFrame:
    """One row per (segment, code): ``segment_id``, ``case_id``, ``code_id``."""
    rows = [
        (sid, case, code)
        for sid, case, cell in zip(segments["segment_id"], segments["case_id"], segments[column], strict=True)
        for code in split_codes(cell)
    ]
    return pd.DataFrame(rows, columns=["segment_id", "case_id", "code_id"])


def repeated_block(lines: Sequence[str], min_length: int = 5) -> tuple[int, int, int] | None:
    """The longest run of consecutive lines that appears again, verbatim, later in the text.

    Blank lines count as lines but a run must contain at least ``min_length`` non-blank lines.

    Returns
    -------
    tuple[int, int, int] | None
        ``(first_from, first_to, copy_from)``, 1-based line numbers; ``None`` if no run qualifies.
    """
    n = len(lines)
    best: tuple[int, int, int] | None = None
    best_len = 0
    for shift in range(1, n):
        run = 0
        for i in range(n - shift):
            if lines[i] == lines[i + shift]:
                run += 1
                start = i - run + 1
                # the copy must not overlap the first occurrence
                if run <= shift and run > best_len:
                    filled = sum(1 for line in lines[start : i + 1] if line.strip())
                    if filled >= min_length:
                        best_len, best = run, (start + 1, i + 1, start + shift + 1)
            else:
                run = 0
    return best


@dataclass(frozen=True)
class DuplicateBlock:
    """Seed 004's repeated block: lines ``first_from``-``first_to`` stand again from ``copy_from``.

    ``found_in_seed`` says whether the block was found in the seed file in this run; without the
    seed it is derived from :data:`DUPLICATE_BLOCK_004`, the rule the segment validation applies.
    """

    first_from: int
    first_to: int
    copy_from: int
    found_in_seed: bool

    @property
    def copy_to(self) -> int:
        """The last line of the copy."""
        return self.copy_from + self.first_to - self.first_from


def seed_004_duplicate(manifest: io.Manifest | None = None) -> DuplicateBlock:
    """Where seed 004 repeats itself: found in the seed when it is available."""
    lines = io.seed_lines("004", manifest)
    if lines is not None:
        found = repeated_block(lines)
        if found is None:
            raise DataError("seed 004: the repeated block the segment validation assumes is not in the file")
        return DuplicateBlock(*found, found_in_seed=True)
    # the copy follows the first occurrence directly
    copy_from, copy_to = DUPLICATE_BLOCK_004
    return DuplicateBlock(2 * copy_from - copy_to - 1, copy_from - 1, copy_from, found_in_seed=False)
