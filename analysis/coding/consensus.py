"""The consensus coding: the first coding, with the adjudicated disagreements and the revisions.

The first coder's segments are the record of round 1 and are never edited. The book's analyses
use the consensus coding built here, in the order the work was done:

1. round 1: the first coding against coder B's round 1; the adjudication log's round-1 rows
   decide every disagreement;
2. the revisions apply the codebook's later rules (version 1.1.0) to every (segment, code) that
   the round-1 log did not decide: the segments not coded twice, and the codes on which both
   coders of round 1 agreed;
3. round 2 (and any later round): the consensus so far against coder B's round of that number;
   the log's rows of that round decide every disagreement;
4. last, the logged revisions of the studies' own framework codes (``framework_revisions``)
   apply to any segment (framework codes are coded by one coder only).

Each step is checked, and a log or revision that does not fit the codings is a :class:`DataError`.
"""

from __future__ import annotations

import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.inputs import load_coded_table
from analysis.coding.reliability import check_disagreement_log, disagreements, reconcile
from analysis.coding.segments import CASE_STUDY, load_codebook_data, load_segments, split_codes
from analysis.data import io
from analysis.data.errors import DataError, Problem

__all__ = [
    "apply_framework_revisions",
    "apply_revisions",
    "changed_segments",
    "consensus_through",
    "final_segments",
    "load_second_coding",
]


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


def _act(held: list[str], sid: str, code: str, action: str, place: str, line: int | None) -> list[Problem]:
    """Add or remove ``code`` in a segment's ``held`` codes (in place); the problem if it does not fit."""
    if action == "add" and code in held:
        return [Problem(place, line, "action", f"{action} {code}", f"{sid} already has this code")]
    if action != "add" and code not in held:
        return [Problem(place, line, "action", f"{action} {code}", f"{sid} does not have this code")]
    if action == "add":
        held.append(code)
    else:
        held.remove(code)
    return []


def apply_revisions(
    coding: pd.DataFrame,
    revisions: pd.DataFrame,
    codebook: Codebook,
    protected: set[tuple[str, str]],
    where: str,
) -> pd.DataFrame:
    """Apply ``add``/``remove`` revisions of codes, except to the (segment, code) pairs in ``protected``.

    ``protected`` holds the pairs an adjudication log decided: the log, not a revision, settles
    them. The other codes of a double-coded segment (those both coders agreed on) may be revised.

    Raises
    ------
    DataError
        For a revision of an unknown segment or code, of a pair in ``protected``, an ``add`` of
        a code already there or a ``remove`` of one that is not, or a segment left with no
        code; each naming the row.
    """
    codes = {s: split_codes(c) for s, c in zip(coding["segment_id"], coding["codes"], strict=True)}
    leaves = set(codebook.leaf_ids)
    problems: list[Problem] = []
    for label, rec in zip(revisions.index, revisions.to_dict("records"), strict=True):
        sid, code, action = str(rec["segment_id"]), str(rec["code_id"]), str(rec["action"])
        place, line = io.locate(revisions, label, where)
        if sid not in codes:
            problems.append(Problem(place, line, "segment_id", sid, "unknown segment"))
        elif code not in leaves:
            problems.append(Problem(place, line, "code_id", code, "unknown code"))
        elif (sid, code) in protected:
            problems.append(
                Problem(
                    place,
                    line,
                    "segment_id/code_id",
                    f"{sid} {code}",
                    "a disagreement of the double coding; the adjudication log settles it",
                )
            )
        else:
            problems += _act(codes[sid], sid, code, action, place, line)
    empty = [s for s, c in codes.items() if not c]
    problems += [
        Problem(where, None, "segment_id", s, "the revisions leave it without any code") for s in empty
    ]
    if problems:
        raise DataError(problems)
    order = {c: i for i, c in enumerate(codebook.leaf_ids)}
    out = coding.copy()
    out["codes"] = [";".join(sorted(codes[s], key=order.__getitem__)) for s in out["segment_id"]]
    return out


def apply_framework_revisions(coding: pd.DataFrame, revisions: pd.DataFrame, where: str) -> pd.DataFrame:
    """Apply ``add``/``remove`` revisions of the studies' own framework codes to segments.

    Framework codes are not double-coded, so no segment is protected; a revision must fit the
    coding it is applied to.

    Raises
    ------
    DataError
        For a revision of an unknown segment, of a code of another study than the segment's
        case, an ``add`` of a code already there or a ``remove`` of one that is not; each naming
        the row.
    """
    codes = {s: split_codes(c) for s, c in zip(coding["segment_id"], coding["framework_codes"], strict=True)}
    study = {s: CASE_STUDY[c] for s, c in zip(coding["segment_id"], coding["case_id"], strict=True)}
    problems: list[Problem] = []
    for label, rec in zip(revisions.index, revisions.to_dict("records"), strict=True):
        sid, code, action = str(rec["segment_id"]), str(rec["framework_code"]), str(rec["action"])
        place, line = io.locate(revisions, label, where)
        if sid not in codes:
            problems.append(Problem(place, line, "segment_id", sid, "unknown segment"))
        elif not code.startswith(f"{study[sid]}:"):
            problems.append(
                Problem(place, line, "framework_code", code, f"is not a code of study {study[sid]} ({sid})")
            )
        else:
            problems += _act(codes[sid], sid, code, action, place, line)
    if problems:
        raise DataError(problems)
    out = coding.copy()
    out["framework_codes"] = [";".join(codes[s]) for s in out["segment_id"]]
    return out


def consensus_through(
    last_round: int | None = None, codebook: Codebook | None = None, manifest: io.Manifest | None = None
) -> pd.DataFrame:
    """The consensus coding with the rounds up to ``last_round`` adjudicated (``None``: all rounds).

    ``consensus_through(1)`` is the coding that round 2 was compared with: round 1 adjudicated
    and the revisions applied. Each round's log rows must resolve exactly the disagreements
    between the consensus so far and that round's second coding.
    """
    manifest = manifest or io.load_manifest()
    codebook = codebook or load_codebook_data(manifest)
    first = load_segments(codebook=codebook, manifest=manifest)
    log = load_coded_table("coding_disagreements", manifest, codebook)
    where = _where(manifest, "coding_disagreements")
    rounds = sorted(set(load_coded_table("coded_segments_b", manifest)["round"]))
    out = first
    for round_ in rounds:
        if last_round is not None and round_ > last_round:
            break
        second = load_second_coding(first, manifest, round_)
        rows = log[log["round"] == round_]
        check_disagreement_log(rows, disagreements(out, second, codebook), where, round_)
        out = reconcile(out, rows, codebook)
        if round_ == 1 and "coding_revisions" in manifest.files:
            revisions = load_coded_table("coding_revisions", manifest, codebook)
            decided = set(zip(rows["segment_id"], rows["code_id"], strict=True))
            out = apply_revisions(out, revisions, codebook, decided, _where(manifest, "coding_revisions"))
    stray = sorted(set(log["round"]) - set(rounds))
    if stray:
        label = log.index[log["round"] == stray[0]][0]
        place, line = io.locate(log, label, where)
        raise DataError([Problem(place, line, "round", stray[0], "the second coding has no such round")])
    if "framework_revisions" in manifest.files:
        out = apply_framework_revisions(
            out,
            load_coded_table("framework_revisions", manifest, codebook),
            _where(manifest, "framework_revisions"),
        )
    return out


def final_segments(codebook: Codebook | None = None, manifest: io.Manifest | None = None) -> pd.DataFrame:
    """The consensus coding used by every analysis in the book (every round adjudicated)."""
    return consensus_through(None, codebook, manifest)


def changed_segments(first: pd.DataFrame, final: pd.DataFrame) -> int:
    """Segments whose set of codes differs between two codings of the same segments."""
    return sum(
        set(split_codes(a)) != set(split_codes(b))
        for a, b in zip(first["codes"], final["codes"], strict=True)
    )
