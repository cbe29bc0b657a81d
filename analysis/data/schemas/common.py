"""pandera schemas for every table in ``data/``: names, types, allowed values, keys.

Each schema is keyed by the table name used in ``data/MANIFEST.yaml``. Checks that involve
more than one column (a date consistent with its precision, a line range in order) are
element-wise checks on the frame, so a failure still names its row.
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from analysis.data.schemas import did as _did_schemas
from analysis.data.schemas.coding import CODING_SCHEMAS
from analysis.data.schemas.sem import SEM_SCHEMAS

__all__ = ["SCHEMAS", "SEED_IDS"]

SEED_IDS: tuple[str, ...] = ("000", "001", "002", "003", "004")

_DATE_RE = {
    "year": re.compile(r"^\d{4}$"),
    "month": re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    "day": re.compile(r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"),
}


def _text(**kwargs: object) -> pa.Column:
    return pa.Column(str, checks=pa.Check.str_length(min_value=1), **kwargs)  # type: ignore[arg-type]


def _lines() -> dict[str, pa.Column]:
    return {
        "seed_id": pa.Column(str, pa.Check.isin(SEED_IDS)),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": _text(),
    }


def _line_range_ok(df: pd.DataFrame) -> pd.Series:
    span = df["line_to"] - df["line_from"]
    return (span >= 0) & (span <= 150)


def _date_matches_precision(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            bool(_DATE_RE.get(p, re.compile("$^")).match(d))
            for d, p in zip(df["date"], df["date_precision"], strict=True)
        ],
        index=df.index,
    )


REFORM_EVENTS = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, pa.Check.str_matches(r"^E\d{2}$"), unique=True),
        "date": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-\d{2}){0,2}$")),
        "date_precision": pa.Column(str, pa.Check.isin(["year", "month", "day"])),
        "date_source": pa.Column(str, pa.Check.isin(["stated", "inferred"])),
        "title_zh": pa.Column(str, pa.Check.str_length(min_value=2, max_value=18)),
        "description_zh": _text(),
        "level": pa.Column(str, pa.Check.isin(["national", "regional", "local"])),
        "region": _text(),
        **_lines(),
        "certainty": pa.Column(str, pa.Check.isin(["high", "medium", "low"])),
        "note_en": pa.Column(str),
    },
    checks=[
        pa.Check(_line_range_ok, error="line_to - line_from must lie in [0, 150]"),
        pa.Check(_date_matches_precision, error="date does not match date_precision"),
    ],
    strict=True,
    ordered=True,
    name="reform_events",
)

SOURCE_STUDIES = pa.DataFrameSchema(
    {
        "seed_id": pa.Column(str, pa.Check.isin(SEED_IDS), unique=True),
        "seed_file": pa.Column(str, pa.Check.str_matches(r"^\d{3}_[0-9a-f]{16}\.txt$"), unique=True),
        "authors_zh": pa.Column(str),
        "year": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "title_zh": pa.Column(str),  # empty where the seed prints no title (note_en says so)
        "doc_type": pa.Column(
            str, pa.Check.isin(["journal_article", "phd_thesis", "spliced_texts", "web_reprint"])
        ),
        "cases_zh": _text(),
        "framework_zh": _text(),
        "design_zh": _text(),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": _text(),
        "year_source": pa.Column(str, pa.Check.isin(["stated", "inferred", "not_printed"])),
        "note_en": pa.Column(str),
    },
    checks=[pa.Check(_line_range_ok, error="line_to - line_from must lie in [0, 150]")],
    strict=True,
    ordered=True,
    name="source_studies",
)

#: Table name (as in data/MANIFEST.yaml) -> schema.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "reform_events": REFORM_EVENTS,
    "source_studies": SOURCE_STUDIES,
    **CODING_SCHEMAS,
    **SEM_SCHEMAS,
}
SCHEMAS.update(_did_schemas.SCHEMAS)
