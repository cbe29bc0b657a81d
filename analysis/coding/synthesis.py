"""The comparative synthesis: configurations of co-creation, and the mechanisms of the integrated model.

Two rules, each stated so that a reader can apply it by hand.

*Configurations* (who co-creates with the government). A segment is a *co-creating* segment of an
actor type when coder A records that type in a co-creating role (design, production, delivery or
evaluation; use is not co-creation). The non-government types form partner classes
(:data:`PARTNERS`: platform and technology firms, financial institutions, social organisations,
experts, and service users, citizens and firms taken together). The *lift* of a class in a case
is the class's share of the case's co-creating segments divided by its share of all cases'
co-creating segments. A partner class *qualifies* in a case when it co-creates in at least
``min_segments`` of the case's co-creating segments and its lift is above 1 (a class no more
frequent in the case than in all cases does not set the case apart). A case's configuration is
its qualifying class with the highest lift, the partner that most sets the case apart; ties go to
the earlier class in :data:`PARTNERS`. A case in which no class qualifies is *government-internal
integration*. A case with no co-creating segment at all is not assigned.

Only the segments that are about their case count (:func:`analysis.coding.quotecheck.case_evidence`).

*Mechanisms* (the integrated model). Each proposition of the source studies is a mechanism's claim;
its mechanism is the element of the integrated codebook to which its first distinctive condition
code belongs (:data:`ELEMENTS`). A mechanism's strength is read off the verdicts of its
propositions (:func:`analysis.coding.matrices.proposition_verdicts`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from analysis.coding.segments import split_codes
from analysis.data.schemas.coding import CASES

__all__ = [
    "CONFIGURATIONS",
    "CO_CREATING_ROLES",
    "ELEMENTS",
    "GOVERNMENT_INTERNAL",
    "MIN_SEGMENTS",
    "PARTNERS",
    "assign_configurations",
    "cocreating_roles",
    "element_of",
    "exemplar_segment",
    "mechanism_strength",
    "model_edges",
    "partner_profile",
    "structure_lift",
    "type_pairs",
    "vocabulary_counts",
]

#: The roles in which an actor co-creates (``use`` is taking the service, not co-creating it).
CO_CREATING_ROLES = ("design", "production", "delivery", "evaluation")

#: Partner class -> the actor types it joins (codebook order of the classes breaks ties).
PARTNERS: dict[str, tuple[str, ...]] = {
    "platform": ("FIRM_TECH",),
    "finance": ("FIN",),
    "social": ("SOC",),
    "expert": ("EXPERT",),
    "users": ("USER_CIT", "USER_FIRM"),
}

#: The configuration of a case in which no partner class qualifies.
GOVERNMENT_INTERNAL = "government"

#: Every configuration, in the order the book presents them.
CONFIGURATIONS = (GOVERNMENT_INTERNAL, *PARTNERS)

#: The book's floor: a partner class qualifies with at least this many co-creating segments.
MIN_SEGMENTS = 3

#: Elements of the integrated model -> the integrated codes they hold. Every second-level code
#: belongs to exactly one element.
ELEMENTS: dict[str, tuple[str, ...]] = {
    "context": ("CTX.POL", "CTX.END", "CTX.HSG", "VAL.PPL"),
    "technology": ("PLT.INF", "PLT.SCN", "PLT.ENB", "DAT.SHR", "DAT.INT", "DAT.SEC", "DAT.RUL"),
    "structure": ("STR.INT", "STR.VER", "STR.NET", "STR.SIL", "ACT.IGR", "ACT.LED"),
    "partners": ("ACT.GES", "ACT.CIT", "COC.DES", "COC.PRO", "COC.EVA", "COC.DIF"),
    "process": ("CAP.PRC", "CAP.AGL", "CAP.OLF", "CAP.HUM", "CAP.MGT"),
    "value": ("VAL.EFF", "VAL.PV", "VAL.STR", "VAL.RSK"),
}


def cocreating_roles(roles: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`analysis.coding.actors.case_roles` whose role is a co-creating one."""
    return roles[roles["role"].isin(CO_CREATING_ROLES)]


def partner_profile(roles: pd.DataFrame, cases: Sequence[str] = tuple(CASES)) -> pd.DataFrame:
    """Per case: its co-creating segments, and in how many of them each partner class co-creates.

    Columns: ``n_cocreating``, then one column per class of :data:`PARTNERS`, then
    ``gov_only`` (co-creating segments in which only government types co-create). Cases keep the
    order of ``cases``; a case with no co-creating segment has a row of zeros.
    """
    co = cocreating_roles(roles)
    rows = []
    for case in cases:
        sub = co[co["case_id"] == case]
        by_seg = sub.groupby("segment_id")["actor_type"].agg(set)
        partners = {t for types in PARTNERS.values() for t in types}
        row: dict[str, int] = {"n_cocreating": len(by_seg)}
        for name, types in PARTNERS.items():
            row[name] = sum(1 for s in by_seg if s & set(types))
        row["gov_only"] = sum(1 for s in by_seg if not s & partners)
        rows.append(row)
    table = pd.DataFrame(rows, index=pd.Index(list(cases), name="case_id"))
    return table.astype(int)


def assign_configurations(profile: pd.DataFrame, min_segments: int = MIN_SEGMENTS) -> pd.DataFrame:
    """Each profiled case's configuration by the rule in the module docstring.

    Parameters
    ----------
    profile : pd.DataFrame
        The output of :func:`partner_profile`.
    min_segments : int
        The floor at which a partner class qualifies in a case.

    Returns
    -------
    pd.DataFrame
        One row per case with at least one co-creating segment: ``configuration``,
        ``qualifying`` (the qualifying classes, highest lift first, ``;``-joined, or ""),
        ``lift`` (of the assigned class; 0.0 for government-internal integration).

    Raises
    ------
    ValueError
        If ``min_segments`` is below 1.
    """
    if min_segments < 1:
        raise ValueError("min_segments must be at least 1")
    profiled = profile[profile["n_cocreating"] > 0]
    total = int(profiled["n_cocreating"].sum())
    pooled = {p: int(profiled[p].sum()) / total if total else 0.0 for p in PARTNERS}
    rows = []
    for case, rec in profiled.iterrows():
        n = int(rec["n_cocreating"])
        lifts = {
            p: (int(rec[p]) / n) / pooled[p]
            for p in PARTNERS
            if int(rec[p]) >= min_segments and pooled[p] > 0 and int(rec[p]) / n > pooled[p]
        }
        order = sorted(lifts, key=lambda p: (-lifts[p], list(PARTNERS).index(p)))
        rows.append(
            {
                "case_id": case,
                "configuration": order[0] if order else GOVERNMENT_INTERNAL,
                "qualifying": ";".join(order),
                "lift": float(lifts[order[0]]) if order else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["case_id", "configuration", "qualifying", "lift"]).set_index("case_id")


def structure_lift(
    segments: pd.DataFrame, codes: Sequence[str], cases: Sequence[str], min_segments: int = MIN_SEGMENTS
) -> pd.DataFrame:
    """Per case, the structural code that most sets it apart, by the same lift as the configurations.

    For each case and each of ``codes``: the share of the case's segments bearing the code divided
    by its share of all ``cases``' segments; codes on fewer than ``min_segments`` of the case's
    segments are not considered. Returns ``code`` (or "" where none qualifies), ``n`` and ``lift``
    per case, in the order of ``cases``.
    """
    sub = segments[segments["case_id"].isin(list(cases))]
    coded = [set(split_codes(c)) for c in sub["codes"]]
    case_of = list(sub["case_id"])
    pooled = {c: sum(1 for s in coded if c in s) / len(coded) for c in codes}
    rows = []
    for case in cases:
        mine = [s for s, k in zip(coded, case_of, strict=True) if k == case]
        best = ("", 0, 0.0)
        for code in codes:
            n = sum(1 for s in mine if code in s)
            if n < min_segments or not pooled[code]:
                continue
            lift = (n / len(mine)) / pooled[code]
            if lift > best[2]:
                best = (code, n, lift)
        rows.append({"case_id": case, "code": best[0], "n": best[1], "lift": best[2]})
    return pd.DataFrame(rows).set_index("case_id")


def type_pairs(roles: pd.DataFrame, cases: Sequence[str]) -> pd.DataFrame:
    """Pairs of actor types that co-create in the same segment of ``cases``: ``type_a``, ``type_b``, ``n``."""
    co = cocreating_roles(roles)
    co = co[co["case_id"].isin(list(cases))]
    counts: dict[tuple[str, str], int] = {}
    for types in co.groupby("segment_id")["actor_type"].agg(lambda s: sorted(set(s))):
        for i, a in enumerate(types):
            for b in types[i + 1 :]:
                counts[(a, b)] = counts.get((a, b), 0) + 1
    return pd.DataFrame(
        [(a, b, n) for (a, b), n in sorted(counts.items())], columns=["type_a", "type_b", "n"]
    )


def vocabulary_counts(
    segments: pd.DataFrame, case: str, vocabularies: Mapping[str, Sequence[str]]
) -> dict[str, int]:
    """How many of a case's segments quote at least one term of each vocabulary (plain substring match)."""
    texts = list(segments.loc[segments["case_id"] == case, "evidence_zh"])
    return {name: sum(1 for t in texts if any(w in t for w in words)) for name, words in vocabularies.items()}


def element_of(code: str) -> str:
    """The element of :data:`ELEMENTS` that holds an integrated second-level code.

    Raises
    ------
    KeyError
        If no element holds the code.
    """
    for element, codes in ELEMENTS.items():
        if code in codes:
            return element
    raise KeyError(f"no element of the integrated model holds code {code!r}")


def mechanism_strength(
    propositions: pd.DataFrame, verdicts: pd.DataFrame, thin: Sequence[str]
) -> pd.DataFrame:
    """Each mechanism (element of the first distinctive code): its propositions and what the verdicts show.

    Columns: ``mechanism``, ``propositions`` (ids, ``;``-joined), ``n_props``, ``n_studies``,
    ``supported`` (proposition x case cells judged supported), ``supported_cases``,
    ``supported_elsewhere`` (supported cells outside the proposing study's cases), ``counter``,
    ``n_cells``. Ranked strongest first: supported cells outside the own study, then supported cells,
    then supported cases, then fewer counter-indications; mechanisms with no proposition are left out.
    Cases in ``thin`` are not judged.
    """
    usable = verdicts[~verdicts["case_id"].isin(list(thin))]
    mech = {
        str(r["proposition_id"]): element_of(split_codes(str(r["distinctive_codes"]))[0])
        for r in propositions.to_dict("records")
    }
    study = dict(
        zip(propositions["proposition_id"].astype(str), propositions["study"].astype(str), strict=True)
    )
    rows = []
    for element in ELEMENTS:
        pids = [p for p, m in mech.items() if m == element]
        if not pids:
            continue
        cells = usable[usable["proposition_id"].isin(pids)]
        sup = cells[cells["verdict"] == "supported"]
        rows.append(
            {
                "mechanism": element,
                "propositions": ";".join(pids),
                "n_props": len(pids),
                "n_studies": len({study[p] for p in pids}),
                "supported": len(sup),
                "supported_cases": int(sup["case_id"].nunique()),
                "supported_elsewhere": int((~sup["own_study"]).sum()),
                "counter": int((cells["verdict"] == "counter").sum()),
                "n_cells": len(cells),
            }
        )
    table = pd.DataFrame(rows)
    return table.sort_values(
        ["supported_elsewhere", "supported", "supported_cases", "counter"],
        ascending=[False, False, False, True],
        kind="stable",
    ).reset_index(drop=True)


#: Exemplar quotations are at least this long; shorter ones are fragments.
MIN_QUOTE_CHARS = 12


def exemplar_segment(
    roles: pd.DataFrame,
    segments: pd.DataFrame,
    case: str,
    configuration: str,
    exclude: frozenset[str] = frozenset(),
) -> str | None:
    """The segment that shows a case's configuration, by a fixed rule rather than a hand pick.

    Candidates are the case's co-creating segments in which the configuration's partner class
    co-creates (for government-internal integration: those in which only government types
    co-create). Among them: the most actor types co-creating (who works with whom), then the
    fewest OCR fragments joined by "…", then a quotation of at least :data:`MIN_QUOTE_CHARS`
    characters, then the shortest, then the smallest id. ``None`` when there is no candidate.
    Segments in ``exclude`` (a failed meaning check of their quotation) are never candidates.
    """
    co = cocreating_roles(roles)
    sub = co[co["case_id"] == case]
    types: dict[str, set[str]] = {}
    for sid, t in zip(sub["segment_id"], sub["actor_type"], strict=True):
        types.setdefault(str(sid), set()).add(str(t))
    partners = {t for group in PARTNERS.values() for t in group}
    wanted = set(PARTNERS.get(configuration, ()))
    ids = [
        s
        for s, found in types.items()
        if s not in exclude and (found & wanted if wanted else not found & partners)
    ]
    if not ids:
        return None
    text = {str(k): str(v) for k, v in zip(segments["segment_id"], segments["evidence_zh"], strict=True)}
    frame = pd.DataFrame(
        {
            "segment_id": ids,
            "n_types": [len(types[s]) for s in ids],
            "breaks": [text[s].count("…") for s in ids],
            "too_short": [len(text[s]) < MIN_QUOTE_CHARS for s in ids],
            "length": [len(text[s]) for s in ids],
        }
    ).sort_values(
        ["n_types", "breaks", "too_short", "length", "segment_id"], ascending=[False, True, True, True, True]
    )
    return str(frame.iloc[0]["segment_id"])


def model_edges(propositions: pd.DataFrame, verdicts: pd.DataFrame, thin: Sequence[str]) -> pd.DataFrame:
    """The model's links: from the element of a proposition's first distinctive code to its outcomes'.

    One row per (source, target) with the propositions on it, their supported cells and counter
    cells; links within one element are kept (``source == target``).
    """
    usable = verdicts[~verdicts["case_id"].isin(list(thin))]
    props: dict[tuple[str, str], list[str]] = {}
    supported: dict[tuple[str, str], int] = {}
    counter: dict[tuple[str, str], int] = {}
    for rec in propositions.to_dict("records"):
        pid = str(rec["proposition_id"])
        source = element_of(split_codes(str(rec["distinctive_codes"]))[0])
        cells = usable[usable["proposition_id"] == pid]
        for target in dict.fromkeys(element_of(c) for c in split_codes(str(rec["outcome_codes"]))):
            key = (source, target)
            props.setdefault(key, []).append(pid)
            supported[key] = supported.get(key, 0) + int((cells["verdict"] == "supported").sum())
            counter[key] = counter.get(key, 0) + int((cells["verdict"] == "counter").sum())
    return pd.DataFrame(
        [
            {
                "source": s,
                "target": t,
                "props": "、".join(p),
                "n_props": len(p),
                "supported": supported[(s, t)],
                "counter": counter[(s, t)],
            }
            for (s, t), p in props.items()
        ],
        columns=["source", "target", "props", "n_props", "supported", "counter"],
    )
