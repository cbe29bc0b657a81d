"""The consensus coding: the first coding, with the adjudicated disagreements and the revisions.

The first coder's segments are the record of round 1 and are never edited. The book's analyses
use the consensus coding built here: on the double-coded sample the adjudication log decides
each disagreement; on the other segments the revisions apply the codebook's later rules. Each
step is checked, and a log or revision that does not fit the codings is a :class:`DataError`.
"""

from __future__ import annotations

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.reliability import check_disagreement_log, disagreements, reconcile
from analysis.coding.segments import load_codebook_data, load_segments, split_codes
from analysis.data import io, paths
from analysis.data.errors import DataError

__all__ = ["apply_revisions", "changed_segments", "final_segments", "load_second_coding"]


def _where(manifest: io.Manifest, name: str) -> str:
    return (paths.DATA_DIR / manifest.files[name].path).relative_to(paths.PROJECT_ROOT).as_posix()


def load_second_coding(first: pd.DataFrame, manifest: io.Manifest, round_: int = 1) -> pd.DataFrame:
    """The second coder's codes of one round, checked against the first coding's segment ids."""
    second = io.load_table("coded_segments_b", manifest)
    second = second[second["round"] == round_]
    unknown = sorted(set(second["segment_id"]) - set(first["segment_id"]))
    if unknown:
        raise DataError(f"{_where(manifest, 'coded_segments_b')}: unknown segment ids {unknown[:5]}")
    return second.sort_values("segment_id", ignore_index=True)


def apply_revisions(
    coding: pd.DataFrame, revisions: pd.DataFrame, codebook: Codebook, protected: set[str], where: str
) -> pd.DataFrame:
    """Apply ``add``/``remove`` revisions of codes to segments outside ``protected``.

    Raises
    ------
    DataError
        For a revision of an unknown segment or code, of a segment in ``protected`` (the
        adjudicated sample), an ``add`` of a code already there or a ``remove`` of one that is
        not, or a segment left with no code; each naming the row.
    """
    codes = {s: split_codes(c) for s, c in zip(coding["segment_id"], coding["codes"], strict=True)}
    leaves = set(codebook.leaf_ids)
    problems = []
    for i, rec in enumerate(revisions.to_dict("records")):
        sid, code, action = str(rec["segment_id"]), str(rec["code_id"]), str(rec["action"])
        here = f"{where}: row {i + 1} (line {i + 2}, {sid} {code})"
        if sid not in codes:
            problems.append(f"{here}, field 'segment_id': unknown segment")
        elif sid in protected:
            problems.append(f"{here}, field 'segment_id': double-coded; its codes are settled by the log")
        elif code not in leaves:
            problems.append(f"{here}, field 'code_id': unknown code")
        elif action == "add":
            if code in codes[sid]:
                problems.append(f"{here}, field 'action': the segment already has this code")
            else:
                codes[sid].append(code)
        elif code not in codes[sid]:
            problems.append(f"{here}, field 'action': the segment does not have this code")
        else:
            codes[sid].remove(code)
    empty = [s for s, c in codes.items() if not c]
    problems += [f"{where}: revisions leave {s} without any code" for s in empty]
    if problems:
        raise DataError("\n".join(problems))
    order = {c: i for i, c in enumerate(codebook.leaf_ids)}
    out = coding.copy()
    out["codes"] = [";".join(sorted(codes[s], key=order.__getitem__)) for s in out["segment_id"]]
    return out


def final_segments(codebook: Codebook | None = None, manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The consensus coding used by every analysis in the book."""
    manifest = manifest or io.load_manifest()
    codebook = codebook or load_codebook_data(manifest)
    first = load_segments(codebook=codebook, manifest=manifest)
    second = load_second_coding(first, manifest)
    log = io.load_table("coding_disagreements", manifest)
    check_disagreement_log(
        log, disagreements(first, second, codebook), _where(manifest, "coding_disagreements")
    )
    out = reconcile(first, log, codebook)
    if "coding_revisions" in manifest.files:
        revisions = io.load_table("coding_revisions", manifest)
        out = apply_revisions(
            out, revisions, codebook, set(second["segment_id"]), _where(manifest, "coding_revisions")
        )
    return out


def changed_segments(first: pd.DataFrame, final: pd.DataFrame) -> int:
    """Segments whose set of codes differs between two codings of the same segments."""
    return sum(
        set(split_codes(a)) != set(split_codes(b))
        for a, b in zip(first["codes"], final["codes"], strict=True)
    )
