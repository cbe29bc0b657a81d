"""pandera schemas of the case-coding tables: codebook (flattened), segments, codings, logs.

Column-level rules and rules within one table live here. Two kinds of reference are declared in
a column's ``metadata`` and checked wherever the table is loaded, so a new coding file that
declares them is checked the same way:

- ``refers_to: (table, column)``: every value (or every ``;``-separated item, with
  ``list: True``) is a value of that column of that table (:mod:`analysis.data.io`);
- ``codes: "leaf" | "framework" | "any"``: every ``;``-separated item is a second-level code,
  a framework code, or either, of the codebook, none repeated (:mod:`analysis.coding.inputs`).

Rules that need the seeds' structure (seed 004's duplicated block, the end of the dissertation)
are checked by :func:`analysis.coding.segments.validate_segments`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from analysis.data.schemas.rules import TableRule, Violation, finite, row_rule, row_test, unique_key
from analysis.data.schemas.seeds import line_span, quoted_lines
from analysis.data.text import normalise

__all__ = [
    "ACTOR_ROLES",
    "ACTOR_TYPES",
    "CASES",
    "CODING_SCHEMAS",
    "SEED_SAYS",
    "SOURCE_TYPES",
    "STUDY_SEED",
]

#: case id -> (seed id, Chinese name). Order is the book's order of the cases.
CASES: dict[str, tuple[str, str]] = {
    "ZJ-HS": ("000", "浙江“红色教学一点通”"),
    "LX": ("001", "L市X局“一网统管”"),
    "HZ": ("002", "杭州"),
    "SZ": ("002", "苏州"),
    "C-YJ": ("004", "C市智慧应急（仅摘要）"),
    "S-A": ("004", "S市A区“场景会战”"),
    "QWJ": ("003", "长三角青吴嘉"),
    "JJJ": ("003", "京津冀"),
    "XN": ("003", "西南地区"),
}

#: A study's framework -> the seed that holds it (seed 004 holds two papers, 004A and 004B).
STUDY_SEED: dict[str, str] = {
    "000": "000",
    "001": "001",
    "002": "002",
    "003": "003",
    "004A": "004",
    "004B": "004",
}

SOURCE_TYPES: tuple[str, ...] = ("interview", "policy_document", "author_narrative", "news")

_CODE_LIST = r"^[A-Z]{3}\.[A-Z]{2,3}(;[A-Z]{3}\.[A-Z]{2,3}){0,3}$"
_FW_LIST = r"^$|^(000|001|002|003|004A|004B):\S+(;(000|001|002|003|004A|004B):\S+)*$"
_SEGMENT_ID = r"^SEG-(ZJ-HS|LX|HZ|SZ|C-YJ|S-A|QWJ|JJJ|XN)-\d{3}$"
#: Where a segment id must point: a segment of the first coding.
_SEGMENT = {"refers_to": ("coded_segments", "segment_id")}
_LEAF = {"codes": "leaf"}


def _text(**kwargs: object) -> pa.Column:
    return pa.Column(str, checks=pa.Check.str_length(min_value=1), **kwargs)  # type: ignore[arg-type]


def _case_matches_seed(case: str, seed: str) -> bool:
    return CASES.get(case, ("", ""))[0] == seed


def _id_carries_case(segment: str, case: str) -> bool:
    return segment.startswith(f"SEG-{case}-")


def _rounds_without_gap(field: str = "round") -> TableRule:
    def find(frame: pd.DataFrame) -> list[Violation]:
        rounds = sorted(set(frame[field]))
        missing = sorted(set(range(1, max(rounds, default=0) + 1)) - set(rounds))
        if not missing:
            return []
        first = frame.index[frame[field] > missing[0]][0]
        return [Violation(first, field, frame.at[first, field], f"round {missing[0]} has no row")]

    return TableRule(
        (field,),
        "rounds are numbered 1, 2, ... without a gap",
        "a round is a step of the reliability design; a gap means a lost or mislabelled round",
        find,
    )


CODEBOOK = pa.DataFrameSchema(
    {
        "kind": pa.Column(str, pa.Check.isin(["integrated", "framework"])),
        "study": pa.Column(str, pa.Check.isin(["", *STUDY_SEED])),
        "code_id": pa.Column(str, pa.Check.str_length(min_value=3)),
        "parent_id": pa.Column(str),
        "name_zh": _text(),
        "name_en": _text(),
        "definition_zh": _text(),
        "include_zh": pa.Column(str),
        "exclude_zh": pa.Column(str),
        "crosswalk": pa.Column(str),
        "seed_id": pa.Column(str, pa.Check.isin(["", "000", "001", "002", "003", "004"])),
        "line_from": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$")),
        "line_to": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$")),
        "evidence_zh": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="codebook",
    metadata={"rules": (unique_key("code_id", reason="a code is named by its id everywhere"),)},
)

_SEGMENT_QUOTE = quoted_lines(
    ["000", "001", "002", "003", "004"],
    8,
    "a segment must state something a code can apply to: at least a clause, which in Chinese takes "
    "about eight characters (a predicate with its object); the shortest in use has 11",
)

CODED_SEGMENTS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(_SEGMENT_ID)),
        "case_id": pa.Column(str, pa.Check.isin(list(CASES))),
        "seed_id": _SEGMENT_QUOTE["seed_id"],
        "line_from": _SEGMENT_QUOTE["line_from"],
        "line_to": _SEGMENT_QUOTE["line_to"],
        "source_type": pa.Column(str, pa.Check.isin(list(SOURCE_TYPES))),
        "evidence_zh": _SEGMENT_QUOTE["evidence_zh"],
        "codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST), metadata=_LEAF),
        "framework_codes": pa.Column(str, pa.Check.str_matches(_FW_LIST), metadata={"codes": "framework"}),
        "coder": pa.Column(str, pa.Check.isin(["A"])),
        "round": pa.Column(
            int,
            pa.Check.isin([1, 3]),
            coerce=True,
            description=(
                "fact: round 1 cut the segments; round 3 added segments for passages the fidelity "
                "records found stated but uncoded (round 2 re-coded existing segments and cut none)"
            ),
        ),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="coded_segments",
    metadata={
        "rules": (
            unique_key("segment_id", reason="every coding, log and analysis names a segment by its id"),
            unique_key(
                "seed_id",
                "line_from",
                "line_to",
                "evidence_zh",
                reason="the same quotation at the same lines is one segment, not two",
            ),
            line_span(),
            row_test(
                ("case_id", "seed_id"),
                _case_matches_seed,
                "seed_id is the seed of case_id",
                "each case comes from one source study (CASES)",
            ),
            row_test(
                ("segment_id", "case_id"),
                _id_carries_case,
                "segment_id starts with SEG-<case_id>-",
                "the id says the case, and the case chapters select by it",
            ),
        )
    },
)
SECOND_CODING = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(r"^SEG-[A-Z-]+-\d{3}$"), metadata=_SEGMENT),
        "codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST), metadata=_LEAF),
        "coder": pa.Column(str, pa.Check.isin(["B"])),
        "round": pa.Column(int, pa.Check.ge(1), coerce=True),
    },
    strict=True,
    ordered=True,
    name="coded_segments_b",
    metadata={
        "rules": (
            unique_key(
                "segment_id",
                reason="each round codes a fresh sample of segments (analysis.coding.reliability)",
            ),
            _rounds_without_gap(),
        )
    },
)

DISAGREEMENTS = pa.DataFrameSchema(
    {
        "round": pa.Column(int, pa.Check.ge(1), coerce=True),
        "segment_id": pa.Column(str, pa.Check.str_matches(r"^SEG-[A-Z-]+-\d{3}$"), metadata=_SEGMENT),
        "code_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}\.[A-Z]{2,3}$"), metadata=_LEAF),
        "coder_a": pa.Column(int, pa.Check.isin([0, 1]), coerce=True),
        "coder_b": pa.Column(int, pa.Check.isin([0, 1]), coerce=True),
        "resolution": pa.Column(str, pa.Check.isin(["keep_a", "accept_b", "codebook_revised"])),
        "final": pa.Column(int, pa.Check.isin([0, 1]), coerce=True),
        "rationale_zh": _text(),
    },
    strict=True,
    ordered=True,
    name="coding_disagreements",
    metadata={
        "rules": (
            unique_key("segment_id", "code_id", reason="one decision per segment and code"),
            _rounds_without_gap(),
            row_rule(
                ("coder_a", "coder_b"),
                lambda df: df["coder_a"] != df["coder_b"],
                "coder_a and coder_b differ",
                "the log records disagreements only",
            ),
            row_rule(
                ("resolution", "final"),
                lambda df: (
                    ((df["resolution"] != "keep_a") | (df["final"] == df["coder_a"]))
                    & ((df["resolution"] != "accept_b") | (df["final"] == df["coder_b"]))
                ),
                "final is coder_a's value for keep_a and coder_b's for accept_b",
                "the resolution names whose value stands",
            ),
        )
    },
)

KRIPPENDORFF_EXAMPLES = pa.DataFrameSchema(
    {
        "example": _text(),
        "coder": pa.Column(int, pa.Check.ge(1), coerce=True),
        "unit": pa.Column(int, pa.Check.ge(1), coerce=True),
        "value": pa.Column(
            str,
            pa.Check.str_matches(r"^([1-5])?$"),
            description="fact: both published examples code categories 1-5; empty is a missing value",
        ),
    },
    strict=True,
    ordered=True,
    name="krippendorff_examples",
    metadata={
        "rules": (
            unique_key("example", "coder", "unit", reason="one value per coder and unit"),
            TableRule(
                ("example", "coder", "unit"),
                "each example is a full coders x units matrix (coders 1..m, units 1..n)",
                "the published alphas are of the full matrices; a lost row would change them",
                lambda df: _full_matrix(df),
            ),
        )
    },
)


def _full_matrix(df: pd.DataFrame) -> list[Violation]:
    out = []
    for example, rows in df.groupby("example", sort=False):
        coders, units = set(rows["coder"]), set(rows["unit"])
        have = set(zip(rows["coder"], rows["unit"], strict=True))
        for c in range(1, max(coders) + 1):
            for u in range(1, max(units) + 1):
                if (c, u) not in have:
                    out.append(
                        Violation(
                            rows.index[-1], "coder/unit", (c, u), f"{example} lacks coder {c}, unit {u}"
                        )
                    )
    return out


KRIPPENDORFF_PUBLISHED = pa.DataFrameSchema(
    {
        "example": pa.Column(
            str,
            pa.Check.str_length(min_value=1),
            metadata={"refers_to": ("krippendorff_examples", "example")},
        ),
        "level": pa.Column(str, pa.Check.isin(["nominal", "ordinal", "interval", "ratio"])),
        "published": pa.Column(
            float,
            [finite(), pa.Check.in_range(-1, 1)],
            coerce=True,
            description="fact: alpha is at most 1; judgement: the examples' alphas are not below -1",
        ),
        "decimals": pa.Column(int, pa.Check.in_range(1, 8), coerce=True),
    },
    strict=True,
    ordered=True,
    name="krippendorff_published",
    metadata={
        "rules": (
            unique_key("example", "level", reason="one published value per example and level"),
            row_test(
                ("published", "decimals"),
                lambda published, decimals: round(published, decimals) == published,
                "published has no more decimals than decimals says",
                "decimals is the number of decimals printed, which sets the comparison's tolerance",
            ),
        )
    },
)

PROPOSITIONS = pa.DataFrameSchema(
    {
        "proposition_id": pa.Column(str, pa.Check.str_matches(r"^P\d{2}$")),
        "study": pa.Column(str, pa.Check.isin(list(STUDY_SEED))),
        "statement_zh": _text(),
        **quoted_lines(
            ["000", "001", "002", "003", "004"],
            20,
            "a proposition is quoted in the study's own words, at least a clause of 20 characters",
        ),
        "condition_codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST), metadata=_LEAF),
        "distinctive_codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST), metadata=_LEAF),
        "outcome_codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST), metadata=_LEAF),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="propositions",
    metadata={
        "rules": (
            unique_key("proposition_id", reason="a proposition is named by its id"),
            line_span(),
            row_rule(
                ("study", "seed_id"),
                lambda df: df["study"].map(STUDY_SEED) == df["seed_id"],
                "seed_id is the seed that holds the study (004A and 004B: 004)",
                "a study's propositions are quoted from its own text",
            ),
            row_test(
                ("distinctive_codes", "condition_codes"),
                lambda distinctive, condition: set(distinctive.split(";")) <= set(condition.split(";")),
                "every distinctive code is one of the condition codes",
                "the distinctive condition narrows the condition; it cannot add to it",
            ),
            row_test(
                ("condition_codes", "outcome_codes"),
                lambda condition, outcome: not set(condition.split(";")) & set(outcome.split(";")),
                "condition_codes and outcome_codes share no code",
                "a code cannot be both the condition and the outcome of one claim",
            ),
        )
    },
)

REVISIONS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(r"^SEG-[A-Z-]+-\d{3}$"), metadata=_SEGMENT),
        "code_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}\.[A-Z]{2,3}$"), metadata=_LEAF),
        "action": pa.Column(str, pa.Check.isin(["add", "remove"])),
        "rationale_zh": _text(),
    },
    strict=True,
    ordered=True,
    name="coding_revisions",
    metadata={"rules": (unique_key("segment_id", "code_id", reason="one revision per segment and code"),)},
)

CASE_UNITS = pa.DataFrameSchema(
    {
        "case_id": pa.Column(str, pa.Check.isin(list(CASES))),
        **quoted_lines(
            ["000", "001", "002", "004"],
            4,
            "the quotation is the heading or phrase that opens the case's unit; a heading can be short",
        ),
        "scope_zh": _text(),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="case_units",
    metadata={
        "rules": (
            unique_key("case_id", reason="a case has one unit in its study"),
            row_test(
                ("case_id", "seed_id"),
                _case_matches_seed,
                "seed_id is the seed of case_id",
                "each case comes from one source study (CASES)",
            ),
        )
    },
)

SEED004_SECTIONS = pa.DataFrameSchema(
    {
        "paper": pa.Column(str, pa.Check.isin(["004A", "004B"])),
        "section_zh": _text(),
        "status": pa.Column(str, pa.Check.isin(["present", "partial", "lost"])),
        **quoted_lines(
            ["004"], 4, "a heading or phrase that shows the section is there, cut, or replaced by other text"
        ),
        "note_zh": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="seed004_sections",
    metadata={"rules": (unique_key("paper", "section_zh", reason="one row per section of a paper"),)},
)

#: Checks of the meaning check and the rules that flag them (analysis.coding.quotecheck).
QUOTE_CHECKS_KINDS: tuple[str, ...] = ("concept", "case", "source_type")
QUOTE_CHECK_FOUND_BY: tuple[str, ...] = ("review", "case_unit", "case_names", "source_marker")


def _fix_matches_status(df: pd.DataFrame) -> pd.Series:
    return ((df["status"] == "passes") & (df["fix"] == "")) | ((df["status"] == "fails") & (df["fix"] != ""))


def _revision_names_code(df: pd.DataFrame) -> pd.Series:
    return (df["fix"] != "revision") | (df["code_id"] != "")


QUOTE_CHECKS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(_SEGMENT_ID), metadata=_SEGMENT),
        "code_id": pa.Column(
            str,
            pa.Check.str_matches(r"^$|^([A-Z]{3}\.[A-Z]{2,3}|(000|001|002|003|004A|004B):\S+)$"),
            metadata={"codes": "any"},
            description="the code the quotation is evidence for; empty where the check is of the segment",
        ),
        "check": pa.Column(str, pa.Check.isin(list(QUOTE_CHECKS_KINDS))),
        "found_by": pa.Column(str, pa.Check.isin(list(QUOTE_CHECK_FOUND_BY))),
        "status": pa.Column(str, pa.Check.isin(["passes", "fails"])),
        "fix": pa.Column(str, pa.Check.isin(["", "revision", "not_exemplar"])),
        **quoted_lines(
            ["000", "001", "002", "003", "004"],
            4,
            "the seed text the judgement rests on (a definition, a heading, a source code)",
        ),
        "rationale_zh": _text(),
    },
    strict=True,
    ordered=True,
    name="quote_checks",
    metadata={
        "rules": (
            unique_key("segment_id", "code_id", "check", reason="one judgement per segment, code and check"),
            row_rule(
                ("status", "fix"),
                _fix_matches_status,
                "a failing check names its fix and a passing one none",
                "a failure the book does not act on would still be shown",
            ),
            row_rule(
                ("fix", "code_id"),
                _revision_names_code,
                "a fix by revision names the code revised",
                "looked up in coding_revisions, or framework_revisions for a study:code",
            ),
        )
    },
)


def _printed_in_evidence(printed: str, evidence: str) -> bool:
    return normalise(printed) in normalise(evidence)


SOURCE_TYPOS = pa.DataFrameSchema(
    {
        **quoted_lines(
            ["000", "001", "002", "003", "004"], 4, "the printed words with enough context to find them"
        ),
        "printed_zh": _text(),
        "intended_zh": pa.Column(str, description="judgement: empty where the intended words cannot be told"),
        "found_by": pa.Column(str, pa.Check.isin(["confusable", "punctuation", "reading"])),
        "note_en": _text(),
    },
    strict=True,
    ordered=True,
    name="source_typos",
    metadata={
        "rules": (
            unique_key("seed_id", "printed_zh", reason="a misprint is marked wherever it is quoted"),
            row_test(
                ("printed_zh", "evidence_zh"),
                _printed_in_evidence,
                "printed_zh occurs in evidence_zh",
                "the misprint must be in the quoted seed text",
            ),
        )
    },
)


#: Actor types and co-creation roles of the actor coding (the ids of actor_codebook.csv).
ACTOR_TYPES: tuple[str, ...] = (
    "GOV_OWN",
    "GOV_HIGH",
    "GOV_OTHER",
    "FIRM_TECH",
    "FIN",
    "SOC",
    "USER_CIT",
    "USER_FIRM",
    "EXPERT",
)
ACTOR_ROLES: tuple[str, ...] = ("design", "production", "delivery", "evaluation", "use")
_ACTOR = rf"(?:{'|'.join(ACTOR_TYPES)}):(?:{'|'.join(ACTOR_ROLES)})"

ACTOR_CODEBOOK = pa.DataFrameSchema(
    {
        "kind": pa.Column(str, pa.Check.isin(["general", "type", "role"])),
        "id": pa.Column(str, pa.Check.isin(["GENERAL", *ACTOR_TYPES, *ACTOR_ROLES])),
        "name_zh": _text(),
        "definition_zh": _text(),
        "include_zh": pa.Column(str),
        "exclude_zh": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="actor_codebook",
    metadata={
        "rules": (
            unique_key("id", reason="an actor type or role is defined once"),
            row_test(
                ("kind", "id"),
                lambda kind, entry: (
                    (kind == "type") == (entry in ACTOR_TYPES) and (kind == "role") == (entry in ACTOR_ROLES)
                ),
                "a type id is of kind type, a role id of kind role",
                "the coding's entries are TYPE:role, read against these two lists",
            ),
        )
    },
)

SEGMENT_ACTORS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(_SEGMENT_ID), metadata=_SEGMENT),
        "coder": pa.Column(str, pa.Check.isin(["A", "B"])),
        "actors": pa.Column(str, pa.Check.str_matches(rf"^$|^{_ACTOR}(;{_ACTOR})*$")),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="segment_actors",
    metadata={
        "rules": (
            unique_key("segment_id", "coder", reason="each coder codes a segment once"),
            row_test(
                ("actors",),
                lambda actors: len(actors.split(";")) == len(set(actors.split(";"))),
                "no TYPE:role entry repeated within a segment",
                "an entry records that an actor of that type acts in that role; twice says nothing more",
            ),
        )
    },
)

FRAMEWORK_REVISIONS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(_SEGMENT_ID), metadata=_SEGMENT),
        "framework_code": pa.Column(str, pa.Check.str_matches(_FW_LIST), metadata={"codes": "framework"}),
        "action": pa.Column(str, pa.Check.isin(["add", "remove"])),
        "seed_id": pa.Column(str, pa.Check.isin(["000", "001", "002", "003", "004"])),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "rationale_zh": _text(),
    },
    strict=True,
    ordered=True,
    name="framework_revisions",
    metadata={
        "rules": (
            unique_key("segment_id", "framework_code", reason="one revision per segment and framework code"),
            line_span(),
            row_rule(
                ("framework_code",),
                lambda df: (
                    ~df["framework_code"].str.contains(";", regex=False) & (df["framework_code"] != "")
                ),
                "exactly one framework code per row",
                "each revision adds or removes one code with its own rationale",
            ),
            row_test(
                ("segment_id", "seed_id"),
                lambda segment, seed: _case_matches_seed(segment[4:].rsplit("-", 1)[0], seed),
                "seed_id is the seed of the segment's case",
                "the lines that justify a revision are in the study the segment is cut from",
            ),
        )
    },
)

#: What a source study says about a cell of a table the book presents as the study's own.
SEED_SAYS: tuple[str, ...] = ("states", "silent", "denies")


def _quoted_iff_not_silent(df: pd.DataFrame) -> pd.Series:
    quoted = (
        (df["seed_id"] != "") & (df["evidence_zh"] != "") & (df["line_from"] != "") & (df["line_to"] != "")
    )
    blank = (
        (df["seed_id"] == "") & (df["evidence_zh"] == "") & (df["line_from"] == "") & (df["line_to"] == "")
    )
    silent = df["seed_says"] == "silent"
    return (silent & blank) | (~silent & quoted)


FIDELITY_CELLS = pa.DataFrameSchema(
    {
        "cell_id": pa.Column(str, pa.Check.str_matches(r"^F(000|001|002|003|004A|004B)-\d{2}$")),
        "study": pa.Column(str, pa.Check.isin(list(STUDY_SEED))),
        "page": pa.Column(str, pa.Check.str_matches(r"^[a-z_]+$")),
        "table": pa.Column(str, pa.Check.str_matches(r"^tbl-[a-z-]+$")),
        "row_zh": _text(),
        "column_zh": _text(),
        "case_ids": pa.Column(
            str,
            pa.Check.str_matches(r"^[A-Z-]+(;[A-Z-]+)*$"),
            metadata={"refers_to": ("coded_segments", "case_id"), "list": True},
        ),
        "row_codes": pa.Column(str, pa.Check.str_matches(_FW_LIST), metadata={"codes": "framework"}),
        "column_codes": pa.Column(str, pa.Check.str_matches(_FW_LIST), metadata={"codes": "framework"}),
        "seed_says": pa.Column(str, pa.Check.isin(list(SEED_SAYS))),
        "seed_id": pa.Column(str, pa.Check.isin(["", "000", "001", "002", "003", "004"])),
        "line_from": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$")),
        "line_to": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$")),
        "evidence_zh": pa.Column(str),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="fidelity_cells",
    metadata={
        "rules": (
            unique_key("cell_id", reason="a cell of the record is named by its id"),
            unique_key("table", "row_zh", "column_zh", reason="a table's cell is recorded once"),
            row_rule(
                ("row_codes",),
                lambda df: df["row_codes"] != "",
                "row_codes names at least one framework code",
                "a cell's segments are those bearing its codes; with none the cell would match nothing",
            ),
            row_rule(
                ("seed_says", "seed_id", "line_from", "line_to", "evidence_zh"),
                _quoted_iff_not_silent,
                "a cell the study states or denies cites and quotes seed lines; a silent cell cites none",
                "what the study says must be checkable in its own words; silence has no words to quote",
            ),
            row_rule(
                ("study", "seed_id"),
                lambda df: (df["seed_id"] == "") | (df["study"].map(STUDY_SEED) == df["seed_id"]),
                "seed_id is the seed that holds the study (004A and 004B: 004)",
                "a study's cell is quoted from its own text",
            ),
            row_test(
                ("case_ids", "study"),
                lambda ids, study: all(
                    c in CASES and CASES[c][0] == STUDY_SEED.get(study, "") for c in ids.split(";")
                ),
                "every case in case_ids is a case of the study",
                "a study's table is rebuilt from its own cases' segments",
            ),
        )
    },
)

STUDY_ARGUMENTS = pa.DataFrameSchema(
    {
        "arg_id": pa.Column(str, pa.Check.str_matches(r"^A(000|001|002|003|004A|004B)-\d{2}$")),
        "study": pa.Column(str, pa.Check.isin(list(STUDY_SEED))),
        "kind": pa.Column(str, pa.Check.isin(["argument", "contribution", "limit"])),
        "statement_zh": _text(),
        **quoted_lines(
            ["000", "001", "002", "003", "004"],
            10,
            "an argument, contribution or limit is quoted in the study's own words, at least a clause",
        ),
    },
    strict=True,
    ordered=True,
    name="study_arguments",
    metadata={
        "rules": (
            unique_key("arg_id", reason="an argument is named by its id"),
            line_span(),
            row_rule(
                ("study", "seed_id"),
                lambda df: df["study"].map(STUDY_SEED) == df["seed_id"],
                "seed_id is the seed that holds the study (004A and 004B: 004)",
                "a study's arguments are quoted from its own text",
            ),
        )
    },
)

CODING_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "fidelity_cells": FIDELITY_CELLS,
    "framework_revisions": FRAMEWORK_REVISIONS,
    "study_arguments": STUDY_ARGUMENTS,
    "actor_codebook": ACTOR_CODEBOOK,
    "segment_actors": SEGMENT_ACTORS,
    "coding_revisions": REVISIONS,
    "case_units": CASE_UNITS,
    "seed004_sections": SEED004_SECTIONS,
    "quote_checks": QUOTE_CHECKS,
    "source_typos": SOURCE_TYPOS,
    "propositions": PROPOSITIONS,
    "krippendorff_examples": KRIPPENDORFF_EXAMPLES,
    "krippendorff_published": KRIPPENDORFF_PUBLISHED,
    "codebook": CODEBOOK,
    "coded_segments": CODED_SEGMENTS,
    "coded_segments_b": SECOND_CODING,
    "coding_disagreements": DISAGREEMENTS,
}
