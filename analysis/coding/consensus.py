"""The consensus coding: the first coding, with the adjudicated disagreements and the revisions.

The first coder's segments are the record of round 1 and are never edited. The book's analyses
use the consensus coding built here: on the double-coded sample the adjudication log decides
each disagreement; on the other segments the revisions apply the codebook's later rules. Each
step is checked, and a log or revision that does not fit the codings is a :class:`DataError`.
"""

from __future__ import annotations

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.inputs import load_coded_table
from analysis.coding.reliability import check_disagreement_log, disagreements, reconcile
from analysis.coding.segments import load_codebook_data, load_segments, split_codes
from analysis.data import io
from analysis.data.errors import DataError, Problem

__all__ = ["apply_revisions", "changed_segments", "final_segments", "load_second_coding"]


def _where(manifest: io.Manifest, name: str) -> str:
    return manifest.files[name].where


def load_second_coding(first: pd.DataFrame, manifest: io.Manifest, round_: int = 1) -> pd.DataFrame:
    """The second coder's codes of one round (every round checked: codes, segment ids, rounds)."""
    second = load_coded_table("coded_segments_b", manifest)
    unknown = sorted(set(second["segment_id"]) - set(first["segment_id"]))
    if unknown:
        raise DataError(
            f"{_where(manifest, 'coded_segments_b')}: segment ids not in this coding {unknown[:5]}"
        )
    second = second[second["round"] == round_]
    if second.empty:
        raise DataError(f"{_where(manifest, 'coded_segments_b')}: no row of round {round_}")
    return second.sort_values("segment_id", ignore_index=True)


def apply_revisions(
    coding: pd.DataFrame, revisions: pd.DataFrame, codebook: Codebook, protected: set[str], where: str
) -> pd.DataFrame:
    """Apply ``add``/``remove`` revisions of codes to segments.

    A revision names an integrated second-level code (column ``codes``) or a study's framework
    code (``study:code``, column ``framework_codes``). Integrated codes of a segment in
    ``protected`` (the double-coded sample) are settled by the adjudication log and cannot be
    revised here; framework codes were coded by one coder only, so any segment's may be.

    Raises
    ------
    DataError
        For a revision of an unknown segment or code, of an integrated code of a segment in
        ``protected``, an ``add`` of a code already there or a ``remove`` of one that is not, or a
        segment left with no integrated code; each naming the row.
    """
    codes = {s: split_codes(c) for s, c in zip(coding["segment_id"], coding["codes"], strict=True)}
    frames = {s: split_codes(c) for s, c in zip(coding["segment_id"], coding["framework_codes"], strict=True)}
    leaves, framework = set(codebook.leaf_ids), codebook.framework_code_ids
    problems: list[Problem] = []
    for label, rec in zip(revisions.index, revisions.to_dict("records"), strict=True):
        sid, code, action = str(rec["segment_id"]), str(rec["code_id"]), str(rec["action"])
        place, line = io.locate(revisions, label, where)
        held = frames if code in framework else codes
        if sid not in codes:
            problems.append(Problem(place, line, "segment_id", sid, "unknown segment"))
        elif code not in leaves and code not in framework:
            problems.append(Problem(place, line, "code_id", code, "unknown code"))
        elif sid in protected and held is codes:
            problems.append(
                Problem(place, line, "segment_id", sid, "double-coded; its codes are settled by the log")
            )
        elif action == "add":
            if code in held[sid]:
                problems.append(
                    Problem(place, line, "action", f"{action} {code}", f"{sid} already has this code")
                )
            else:
                held[sid].append(code)
        elif code not in held[sid]:
            problems.append(
                Problem(place, line, "action", f"{action} {code}", f"{sid} does not have this code")
            )
        else:
            held[sid].remove(code)
    empty = [s for s, c in codes.items() if not c]
    problems += [
        Problem(where, None, "segment_id", s, "the revisions leave it without any code") for s in empty
    ]
    if problems:
        raise DataError(problems)
    order = {c: i for i, c in enumerate(codebook.leaf_ids)}
    out = coding.copy()
    out["codes"] = [";".join(sorted(codes[s], key=order.__getitem__)) for s in out["segment_id"]]
    out["framework_codes"] = [
        _framework_order(frames[s], str(c))
        for s, c in zip(out["segment_id"], coding["framework_codes"], strict=True)
    ]
    return out


def _framework_order(codes: list[str], original: str) -> str:
    """Framework codes of a segment: the original order kept, added codes after it."""
    before = split_codes(original)
    kept = [c for c in before if c in codes]
    return ";".join(kept + [c for c in codes if c not in before])


def final_segments(codebook: Codebook | None = None, manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The consensus coding used by every analysis in the book."""
    manifest = manifest or io.load_manifest()
    codebook = codebook or load_codebook_data(manifest)
    first = load_segments(codebook=codebook, manifest=manifest)
    second = load_second_coding(first, manifest)
    log = load_coded_table("coding_disagreements", manifest, codebook)
    check_disagreement_log(
        log, disagreements(first, second, codebook), _where(manifest, "coding_disagreements")
    )
    out = reconcile(first, log, codebook)
    if "coding_revisions" in manifest.files:
        revisions = load_coded_table("coding_revisions", manifest, codebook)
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
