"""pandera schemas of the case-coding tables: codebook (flattened), segments, second coding, log.

Column-level rules live here; rules that need the codebook (a code that does not exist, a
framework code of another study) are checked by :func:`analysis.coding.segments.validate_segments`.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

__all__ = ["CASES", "CODING_SCHEMAS", "SOURCE_TYPES"]

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

SOURCE_TYPES: tuple[str, ...] = ("interview", "policy_document", "author_narrative", "news")

_CODE_LIST = r"^[A-Z]{3}\.[A-Z]{2,3}(;[A-Z]{3}\.[A-Z]{2,3}){0,3}$"
_FW_LIST = r"^$|^(000|001|002|003|004A|004B):\S+(;(000|001|002|003|004A|004B):\S+)*$"


def _text(**kwargs: object) -> pa.Column:
    return pa.Column(str, checks=pa.Check.str_length(min_value=1), **kwargs)  # type: ignore[arg-type]


def _range_ok(df: pd.DataFrame) -> pd.Series:
    span = df["line_to"] - df["line_from"]
    return (span >= 0) & (span <= 150)


def _case_matches_seed(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [CASES.get(c, ("", ""))[0] == s for c, s in zip(df["case_id"], df["seed_id"], strict=True)],
        index=df.index,
    )


def _id_carries_case(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [s.startswith(f"SEG-{c}-") for s, c in zip(df["segment_id"], df["case_id"], strict=True)],
        index=df.index,
    )


CODEBOOK = pa.DataFrameSchema(
    {
        "kind": pa.Column(str, pa.Check.isin(["integrated", "framework"])),
        "study": pa.Column(str, pa.Check.isin(["", "000", "001", "002", "003", "004A", "004B"])),
        "code_id": pa.Column(str, pa.Check.str_length(min_value=3), unique=True),
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
)

CODED_SEGMENTS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(
            str, pa.Check.str_matches(r"^SEG-(ZJ-HS|LX|HZ|SZ|C-YJ|S-A|QWJ|JJJ|XN)-\d{3}$"), unique=True
        ),
        "case_id": pa.Column(str, pa.Check.isin(list(CASES))),
        "seed_id": pa.Column(str, pa.Check.isin(["000", "001", "002", "003", "004"])),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "source_type": pa.Column(str, pa.Check.isin(list(SOURCE_TYPES))),
        "evidence_zh": _text(),
        "codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST)),
        "framework_codes": pa.Column(str, pa.Check.str_matches(_FW_LIST)),
        "coder": pa.Column(str, pa.Check.isin(["A"])),
        "round": pa.Column(int, pa.Check.isin([1, 2]), coerce=True),
        "note_en": pa.Column(str),
    },
    checks=[
        pa.Check(_range_ok, error="line_to - line_from must lie in [0, 150]"),
        pa.Check(_case_matches_seed, error="seed_id is not the seed of case_id"),
        pa.Check(_id_carries_case, error="segment_id must start with SEG-<case_id>-"),
    ],
    strict=True,
    ordered=True,
    name="coded_segments",
)

SECOND_CODING = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(r"^SEG-[A-Z-]+-\d{3}$"), unique=True),
        "codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST)),
        "coder": pa.Column(str, pa.Check.isin(["B"])),
        "round": pa.Column(int, pa.Check.isin([1, 2]), coerce=True),
    },
    strict=True,
    ordered=True,
    name="coded_segments_b",
)

DISAGREEMENTS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(r"^SEG-[A-Z-]+-\d{3}$")),
        "code_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}\.[A-Z]{2,3}$")),
        "coder_a": pa.Column(int, pa.Check.isin([0, 1]), coerce=True),
        "coder_b": pa.Column(int, pa.Check.isin([0, 1]), coerce=True),
        "resolution": pa.Column(str, pa.Check.isin(["keep_a", "accept_b", "codebook_revised"])),
        "final": pa.Column(int, pa.Check.isin([0, 1]), coerce=True),
        "rationale_zh": _text(),
    },
    checks=[
        pa.Check(lambda df: df["coder_a"] != df["coder_b"], error="coder_a and coder_b must differ"),
    ],
    unique=["segment_id", "code_id"],
    strict=True,
    ordered=True,
    name="coding_disagreements",
)

KRIPPENDORFF_EXAMPLES = pa.DataFrameSchema(
    {
        "example": _text(),
        "coder": pa.Column(int, pa.Check.ge(1), coerce=True),
        "unit": pa.Column(int, pa.Check.ge(1), coerce=True),
        "value": pa.Column(str, pa.Check.str_matches(r"^(\d+)?$")),
    },
    unique=["example", "coder", "unit"],
    strict=True,
    ordered=True,
    name="krippendorff_examples",
)

KRIPPENDORFF_PUBLISHED = pa.DataFrameSchema(
    {
        "example": _text(),
        "level": pa.Column(str, pa.Check.isin(["nominal", "ordinal", "interval", "ratio"])),
        "published": pa.Column(float, coerce=True),
        "decimals": pa.Column(int, pa.Check.in_range(1, 8), coerce=True),
    },
    unique=["example", "level"],
    strict=True,
    ordered=True,
    name="krippendorff_published",
)

PROPOSITIONS = pa.DataFrameSchema(
    {
        "proposition_id": pa.Column(str, pa.Check.str_matches(r"^P\d{2}$"), unique=True),
        "study": pa.Column(str, pa.Check.isin(["000", "001", "002", "003", "004A", "004B"])),
        "statement_zh": _text(),
        "seed_id": pa.Column(str, pa.Check.isin(["000", "001", "002", "003", "004"])),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": _text(),
        "condition_codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST)),
        "outcome_codes": pa.Column(str, pa.Check.str_matches(_CODE_LIST)),
        "note_en": pa.Column(str),
    },
    checks=[pa.Check(_range_ok, error="line_to - line_from must lie in [0, 150]")],
    strict=True,
    ordered=True,
    name="propositions",
)

REVISIONS = pa.DataFrameSchema(
    {
        "segment_id": pa.Column(str, pa.Check.str_matches(r"^SEG-[A-Z-]+-\d{3}$")),
        "code_id": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}\.[A-Z]{2,3}$")),
        "action": pa.Column(str, pa.Check.isin(["add", "remove"])),
        "rationale_zh": _text(),
    },
    unique=["segment_id", "code_id"],
    strict=True,
    ordered=True,
    name="coding_revisions",
)

CODING_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "coding_revisions": REVISIONS,
    "propositions": PROPOSITIONS,
    "krippendorff_examples": KRIPPENDORFF_EXAMPLES,
    "krippendorff_published": KRIPPENDORFF_PUBLISHED,
    "codebook": CODEBOOK,
    "coded_segments": CODED_SEGMENTS,
    "coded_segments_b": SECOND_CODING,
    "coding_disagreements": DISAGREEMENTS,
}
