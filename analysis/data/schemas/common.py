"""pandera schemas for every table in ``data/``: names, types, allowed values, keys, plausibility.

Each schema is keyed by the table name used in ``data/MANIFEST.yaml``. Column checks state
their bounds and, in the column's description, the reason (``fact:`` or ``judgement:``). Rules
across columns or rows (a line range in order, a date consistent with its precision, a unique
key) are :class:`~analysis.data.schemas.rules.TableRule` records in the schema's metadata, so a
failure names its row and fields. :mod:`analysis.data.io` applies both on every load, and adds
the rules every table shares: no repeated header, no duplicated row, cited lines inside the
source study (its line count in the manifest), and references to other tables (a column whose
metadata says ``refers_to: (table, column)``).
"""

from __future__ import annotations

import pandera.pandas as pa

from analysis.data.schemas import did as _did_schemas
from analysis.data.schemas.coding import CODING_SCHEMAS
from analysis.data.schemas.rules import calendar_date, row_rule, row_test, unique_key
from analysis.data.schemas.seeds import SEED_IDS, line_span, quoted_lines
from analysis.data.schemas.sem import SEM_SCHEMAS
from analysis.data.text import letters

__all__ = ["SCHEMAS", "SEED_IDS"]

_PRECISION = {"year": 4, "month": 7, "day": 10}


def _date_matches_precision(date: str, precision: str) -> bool:
    return _PRECISION.get(precision) == len(date) and calendar_date(date)


def _text(**kwargs: object) -> pa.Column:
    return pa.Column(str, checks=pa.Check.str_length(min_value=1), **kwargs)  # type: ignore[arg-type]


def _year_in(low: str, high: str) -> pa.Check:
    return pa.Check(lambda s: (s == "") | s.str[:4].between(low, high), name=f"year in [{low}, {high}]")


_DATE = pa.Check(calendar_date, element_wise=True, name="calendar_date", error="not a real calendar date")

REFORM_EVENTS = pa.DataFrameSchema(
    {
        "event_id": pa.Column(str, pa.Check.str_matches(r"^E\d{2}$")),
        "date": pa.Column(
            str,
            [_DATE, _year_in("2000", "2025")],
            description=(
                "judgement: the studies were written 2022-2025 and look back to the early 2000s; "
                "an event dated outside 2000-2025 is a typo"
            ),
        ),
        "date_precision": pa.Column(str, pa.Check.isin(["year", "month", "day"])),
        "date_source": pa.Column(str, pa.Check.isin(["stated", "inferred"])),
        "title_zh": pa.Column(str, pa.Check.str_length(min_value=2, max_value=18)),
        "description_zh": _text(),
        "level": pa.Column(str, pa.Check.isin(["national", "regional", "local"])),
        "region": _text(),
        **quoted_lines(SEED_IDS, 10, "an event's quotation names the event (and its date where stated)"),
        "certainty": pa.Column(str, pa.Check.isin(["high", "medium", "low"])),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="reform_events",
    metadata={
        "rules": (
            unique_key("event_id", reason="other tables cite an event by its id"),
            line_span(),
            row_test(
                ("date", "date_precision"),
                _date_matches_precision,
                "date has the form its date_precision names (YYYY, YYYY-MM or YYYY-MM-DD)",
                "the timeline places and labels an event by its precision",
            ),
        )
    },
)

SOURCE_STUDIES = pa.DataFrameSchema(
    {
        "seed_id": pa.Column(str, pa.Check.isin(SEED_IDS)),
        "seed_file": pa.Column(str, pa.Check.str_matches(r"^\d{3}_[0-9a-f]{16}\.txt$")),
        "authors_zh": pa.Column(str),
        "year": pa.Column(
            str,
            [pa.Check.str_matches(r"^(\d{4})?$"), _year_in("2000", "2026")],
            description="judgement: the five studies appeared 2022-2025 (empty where none is printed)",
        ),
        "title_zh": pa.Column(str),  # empty where the seed prints no title (note_en says so)
        "doc_type": pa.Column(
            str, pa.Check.isin(["journal_article", "phd_thesis", "spliced_texts", "web_reprint"])
        ),
        "cases_zh": _text(),
        "framework_zh": _text(),
        "design_zh": _text(),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": quoted_lines(SEED_IDS, 10, "a study's title lines")["evidence_zh"],
        "year_source": pa.Column(str, pa.Check.isin(["stated", "inferred", "not_printed"])),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="source_studies",
    metadata={
        "rules": (
            unique_key("seed_id", reason="one row per source study"),
            unique_key("seed_file", reason="one row per source study"),
            line_span(),
            row_rule(
                ("year", "year_source"),
                lambda df: (df["year"] == "") == (df["year_source"] == "not_printed"),
                "year is empty exactly when year_source is not_printed",
                "a year is either read or inferred, or said to be missing",
            ),
        )
    },
)

#: Table name (as in data/MANIFEST.yaml) -> schema.


def _facts_in_reference(author: str, year: str, title_words: str, evidence: str) -> bool:
    entry = letters(str(evidence)).casefold()
    return all(letters(str(v)).casefold() in entry for v in (author, year, title_words))


SEED_CITATIONS = pa.DataFrameSchema(
    {
        "bib_key": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9_]+$")),
        **quoted_lines(SEED_IDS, 20, "a reference-list entry names at least its author, title and year"),
        "author": _text(description="fact: the first author's surname as printed in the seed"),
        "year": pa.Column(str, pa.Check.str_matches(r"^(19|20)\d{2}$")),
        "title_words": _text(description="judgement: title words printed alike in the seed and the bib"),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="seed_citations",
    metadata={
        "rules": (
            unique_key("bib_key", "seed_id", reason="one reference-list entry per work and seed"),
            line_span(),
            row_test(
                ("author", "year", "title_words", "evidence_zh"),
                _facts_in_reference,
                "author, year and title_words occur in the seed's reference entry (evidence_zh)",
                "the work the book cites must be the one the seed's reference list names",
            ),
        )
    },
)

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "reform_events": REFORM_EVENTS,
    "source_studies": SOURCE_STUDIES,
    "seed_citations": SEED_CITATIONS,
    **CODING_SCHEMAS,
    **SEM_SCHEMAS,
}
SCHEMAS.update(_did_schemas.SCHEMAS)
