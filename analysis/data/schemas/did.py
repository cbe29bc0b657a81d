"""pandera schemas of the DID tables (kept free of imports from analysis.data.io to avoid a cycle).

``did_province_panel`` and ``did_alliance_membership`` are raw tables listed in
``data/MANIFEST.yaml``; ``ANALYSIS_PANEL`` validates the joined province-year panel that the
estimators use: balanced, unique unit-year, one cohort per unit, no cohort outside the window.

``did_alliance_sources`` records, for every regional compact, the public page that dates it
(the source studies' lines stay the second source for the compacts they name).

The reference numbers of the replication appendix are tables too, one row per number:
``did_mpdta_published`` (R ``did`` README), ``did_honest_published`` (R HonestDiD README),
``did_organ_reference`` (pyfixest's documentation), ``did_jel_table3`` and ``did_jel_attgt``
(the weighted Medicaid estimates of Baker et al.'s JEL guide, printed and as tested by R ``did``),
with the county panel they are computed from, ``did_jel_county_panel``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa

__all__ = [
    "ALLIANCES",
    "ALLIANCE_MEMBERSHIP",
    "ALLIANCE_SOURCES",
    "ANALYSIS_PANEL",
    "COMPACTS",
    "HONEST_PUBLISHED",
    "JEL_ATTGT",
    "JEL_COUNTY_PANEL",
    "JEL_TABLE3",
    "MPDTA_AGGREGATIONS",
    "MPDTA_PUBLISHED",
    "ORGAN_QUANTITIES",
    "ORGAN_REFERENCE",
    "PROVINCE_PANEL",
    "REGIONS",
    "REGION_TABLE",
    "SCHEMAS",
]

#: Alliance id -> short Chinese name, in the order of the first agreement.
ALLIANCES: dict[str, str] = {
    "yrd": "长三角",
    "jjj": "京津冀",
    "ppd": "泛珠三角",
    "sw": "西南五省区市",
    "swgx": "广西加入西南",
}


def _positive(**kwargs: object) -> pa.Column:
    return pa.Column(float, pa.Check.gt(0), coerce=True, **kwargs)  # type: ignore[arg-type]


def _unique_unit_year(df: pd.DataFrame) -> pd.Series:
    return ~df.duplicated(["province_en", "year"], keep=False)


def _balanced(df: pd.DataFrame) -> pd.Series:
    years = set(df["year"])
    per_unit = df.groupby("province_en")["year"].transform("nunique")
    return per_unit == len(years)


PROVINCE_PANEL = pa.DataFrameSchema(
    {
        "province_zh": pa.Column(str, pa.Check.str_length(min_value=2, max_value=3)),
        "province_en": pa.Column(str, pa.Check.str_matches(r"^[A-Z][a-z]+( [A-Z][a-z]+)?$")),
        "year": pa.Column(int, pa.Check.in_range(2000, 2023), coerce=True),
        "deposits_100m_cny": _positive(),
        "loans_100m_cny": _positive(),
        "deposits_plus_loans_100m_cny": _positive(),
        "gdp_nominal_100m_cny": _positive(),
        "findev_ratio": _positive(),
    },
    checks=[
        pa.Check(_unique_unit_year, error="province-year must be unique"),
        pa.Check(_balanced, error="panel must be balanced (every province in every year)"),
    ],
    strict=True,
    ordered=True,
    name="did_province_panel",
)


def _year_is_event_year(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [str(d)[:4] == str(y) for d, y in zip(df["event_date"], df["first_year"], strict=True)],
        index=df.index,
    )


def _line_range_ok(df: pd.DataFrame) -> pd.Series:
    span = df["line_to"] - df["line_from"]
    return (span >= 0) & (span <= 150)


def _unique_membership(df: pd.DataFrame) -> pd.Series:
    return ~df.duplicated(["province_en", "alliance_id"], keep=False)


ALLIANCE_MEMBERSHIP = pa.DataFrameSchema(
    {
        "province_zh": pa.Column(str, pa.Check.str_length(min_value=2, max_value=3)),
        "province_en": pa.Column(str, pa.Check.str_matches(r"^[A-Z][a-z]+( [A-Z][a-z]+)?$")),
        "alliance_id": pa.Column(str, pa.Check.isin(list(ALLIANCES))),
        "alliance_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "event_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-(0[1-9]|1[0-2])(-[0-3]\d)?)?$")),
        "first_year": pa.Column(int, pa.Check.in_range(2000, 2023), coerce=True),
        "date_source": pa.Column(str, pa.Check.isin(["stated", "inferred"])),
        "event_id": pa.Column(str, pa.Check.str_matches(r"^E\d{2}$")),
        "timeline_id": pa.Column(str, pa.Check.str_matches(r"^T\d{2}$")),
        "seed_id": pa.Column(str, pa.Check.isin(["003"])),
        "line_from": pa.Column(int, pa.Check.ge(1), coerce=True),
        "line_to": pa.Column(int, pa.Check.ge(1), coerce=True),
        "evidence_zh": pa.Column(str, pa.Check.str_length(min_value=4)),
        "certainty": pa.Column(str, pa.Check.isin(["high", "medium", "low"])),
        "note_en": pa.Column(str),
    },
    checks=[
        pa.Check(_year_is_event_year, error="first_year must be the year of event_date"),
        pa.Check(_line_range_ok, error="line_to - line_from must lie in [0, 150]"),
        pa.Check(_unique_membership, error="a province may join an alliance only once"),
    ],
    strict=True,
    ordered=True,
    name="did_alliance_membership",
)


def _one_cohort_per_unit(df: pd.DataFrame) -> pd.Series:
    return df.groupby("unit")["cohort"].transform("nunique") == 1


def _cohort_in_window(df: pd.DataFrame) -> pd.Series:
    first, last = int(df["year"].min()), int(df["year"].max())
    return (df["cohort"] == 0) | ((df["cohort"] > first) & (df["cohort"] <= last))


ANALYSIS_PANEL = pa.DataFrameSchema(
    {
        "unit": pa.Column(int, pa.Check.ge(0)),
        "province_zh": pa.Column(str),
        "province_en": pa.Column(str),
        "year": pa.Column(int),
        "cohort": pa.Column(int, pa.Check.ge(0)),
        "ln_gdp": pa.Column(float, pa.Check(np.isfinite, element_wise=False)),
        "ln_loans": pa.Column(float, pa.Check(np.isfinite, element_wise=False)),
    },
    checks=[
        pa.Check(lambda df: ~df.duplicated(["unit", "year"], keep=False), error="unit-year must be unique"),
        pa.Check(
            lambda df: df.groupby("unit")["year"].transform("nunique") == df["year"].nunique(),
            error="panel must be balanced (every unit in every year)",
        ),
        pa.Check(_one_cohort_per_unit, error="a unit is treated twice (more than one cohort)"),
        pa.Check(
            _cohort_in_window,
            error="cohort must be 0 (never treated) or a year after the first and not after the last year",
        ),
    ],
    strict=True,
    name="did_analysis_panel",
)

#: The seven conventional geographic regions.
REGIONS: tuple[str, ...] = ("华北", "东北", "华东", "华中", "华南", "西南", "西北")

REGION_TABLE = pa.DataFrameSchema(
    {
        "province_zh": pa.Column(str, pa.Check.str_length(min_value=2, max_value=3), unique=True),
        "province_en": pa.Column(str, pa.Check.str_matches(r"^[A-Z][a-z]+( [A-Z][a-z]+)?$"), unique=True),
        "region_zh": pa.Column(str, pa.Check.isin(list(REGIONS))),
    },
    strict=True,
    ordered=True,
    name="did_regions",
)

# --- reference numbers of the replication appendix --------------------------------------------

#: mpdta aggregation -> the key columns its rows fill (the others are empty).
MPDTA_AGGREGATIONS: dict[str, tuple[str, ...]] = {
    "att_gt": ("group", "time"),
    "dynamic": ("event_time",),
    "group": ("group",),
    "dynamic_overall": (),
    "group_overall": (),
}
_MPDTA_KEYS = ("group", "time", "event_time")


def _finite(**kwargs: object) -> pa.Column:
    return pa.Column(float, pa.Check(np.isfinite, element_wise=False), coerce=True, **kwargs)  # type: ignore[arg-type]


def _mpdta_keys_fit_aggregation(df: pd.DataFrame) -> pd.Series:
    ok = [
        all(
            (record[k] != "") == (k in MPDTA_AGGREGATIONS.get(str(record["aggregation"]), ()))
            for k in _MPDTA_KEYS
        )
        for record in df.to_dict("records")
    ]
    return pd.Series(ok, index=df.index)


MPDTA_PUBLISHED = pa.DataFrameSchema(
    {
        "aggregation": pa.Column(str, pa.Check.isin(list(MPDTA_AGGREGATIONS))),
        "group": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "time": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "event_time": pa.Column(str, pa.Check.str_matches(r"^(-?\d{1,2})?$")),
        "value": _finite(),
    },
    checks=[
        pa.Check(
            _mpdta_keys_fit_aggregation,
            error=(
                "the filled key columns must fit the aggregation (att_gt: group and time; dynamic: "
                "event_time; group: group; dynamic_overall, group_overall: none)"
            ),
        ),
    ],
    unique=["aggregation", "group", "time", "event_time"],
    strict=True,
    ordered=True,
    name="did_mpdta_published",
)


def _both_bounds_in_order(df: pd.DataFrame) -> pd.Series:
    good: dict[tuple[str, float], bool] = {}
    for (delta, param), rows in df.groupby(["delta", "parameter"]):
        bound = dict(zip(rows["bound"], rows["value"], strict=True))
        good[(str(delta), float(param))] = set(bound) == {"lb", "ub"} and bound["lb"] <= bound["ub"]  # type: ignore[arg-type]
    keys = zip(df["delta"].astype(str), df["parameter"].astype(float), strict=True)
    return pd.Series([good[k] for k in keys], index=df.index)


HONEST_PUBLISHED = pa.DataFrameSchema(
    {
        "delta": pa.Column(str, pa.Check.isin(["rm", "sd"])),
        "parameter": pa.Column(float, pa.Check.ge(0), coerce=True),
        "bound": pa.Column(str, pa.Check.isin(["lb", "ub"])),
        "value": _finite(),
    },
    checks=[
        pa.Check(_both_bounds_in_order, error="every (delta, parameter) needs both bounds, with lb <= ub")
    ],
    unique=["delta", "parameter", "bound"],
    strict=True,
    ordered=True,
    name="did_honest_published",
)

#: The organ-donation reference quantities: the TWFE coefficient as printed.
ORGAN_QUANTITIES: tuple[str, ...] = ("twfe_coefficient",)

ORGAN_REFERENCE = pa.DataFrameSchema(
    {
        "quantity": pa.Column(str, pa.Check.isin(list(ORGAN_QUANTITIES)), unique=True),
        "value": _finite(),
    },
    strict=True,
    ordered=True,
    name="did_organ_reference",
)

# --- the weighted reference: Baker, Callaway, Cunningham, Goodman-Bacon and Sant'Anna (JEL) ------


def _unique_county_year(df: pd.DataFrame) -> pd.Series:
    return ~df.duplicated(["county_code", "year"], keep=False)


def _one_expansion_year_per_county(df: pd.DataFrame) -> pd.Series:
    return df.groupby("county_code")["expansion_year"].transform("nunique") == 1


JEL_COUNTY_PANEL = pa.DataFrameSchema(
    {
        "county_code": pa.Column(int, pa.Check.in_range(1001, 56045), coerce=True),
        "year": pa.Column(int, pa.Check.in_range(2009, 2019), coerce=True),
        "deaths": pa.Column(int, pa.Check.ge(0), coerce=True),
        "population_20_64": pa.Column(int, pa.Check.gt(0), coerce=True),
        "expansion_year": pa.Column(str, pa.Check.isin(["", "2014"])),
    },
    checks=[
        pa.Check(_unique_county_year, error="county-year must be unique"),
        pa.Check(
            lambda df: df.groupby("county_code")["year"].transform("nunique") == 11,
            error="panel must be balanced (every county in 2009-2019)",
        ),
        pa.Check(_one_expansion_year_per_county, error="a county has one expansion year"),
    ],
    strict=True,
    ordered=True,
    name="did_jel_county_panel",
)

JEL_TABLE3 = pa.DataFrameSchema(
    {
        "weighted": pa.Column(str, pa.Check.isin(["no", "yes"])),
        "statistic": pa.Column(str, pa.Check.isin(["estimate", "se"])),
        "value": _finite(),
    },
    unique=["weighted", "statistic"],
    strict=True,
    ordered=True,
    name="did_jel_table3",
)


def _time_fits_aggregation(df: pd.DataFrame) -> pd.Series:
    return (df["aggregation"] == "att_gt") == (df["time"] != "")


JEL_ATTGT = pa.DataFrameSchema(
    {
        "aggregation": pa.Column(str, pa.Check.isin(["att_gt", "dynamic_overall"])),
        "time": pa.Column(str, pa.Check.str_matches(r"^(20(09|1[0-9]))?$")),
        "value": _finite(),
    },
    checks=[pa.Check(_time_fits_aggregation, error="att_gt rows name a year, the overall row none")],
    unique=["aggregation", "time"],
    strict=True,
    ordered=True,
    name="did_jel_attgt",
)

# --- the regional compacts and their public sources ------------------------------------------------

#: Compact id -> how the chapter uses it.
COMPACTS: dict[str, str] = {
    "g60": "note",
    "yrd": "main",
    "jjj": "main",
    "national": "national",
    "cy": "variant",
    "sw": "main",
    "silk": "variant",
    "fj12": "variant",
    "ppd": "variant",
    "swgx": "main",
}
_PROVINCE_LIST = r"^([A-Z][a-z]+( [A-Z][a-z]+)?(;[A-Z][a-z]+( [A-Z][a-z]+)?)*)?$"


def _compact_role(df: pd.DataFrame) -> pd.Series:
    return df["used_as"] == df["compact_id"].map(COMPACTS)


def _provinces_unless_national(df: pd.DataFrame) -> pd.Series:
    return (df["provinces_en"] == "") == (df["used_as"] == "national")


ALLIANCE_SOURCES = pa.DataFrameSchema(
    {
        "compact_id": pa.Column(str, pa.Check.isin(list(COMPACTS)), unique=True),
        "compact_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "event_date": pa.Column(str, pa.Check.str_matches(r"^\d{4}(-(0[1-9]|1[0-2])(-[0-3]\d)?)?$")),
        "first_year": pa.Column(int, pa.Check.in_range(2000, 2023), coerce=True),
        "provinces_en": pa.Column(str, pa.Check.str_matches(_PROVINCE_LIST)),
        "url": pa.Column(str, pa.Check.str_matches(r"^https?://[^\s]+$")),
        "page_title_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "publisher_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "published": pa.Column(str, pa.Check.str_matches(r"^(\d{4}-(0[1-9]|1[0-2])(-[0-3]\d)?)?$")),
        "finding_zh": pa.Column(str, pa.Check.str_length(min_value=10)),
        "seed_check": pa.Column(str, pa.Check.isin(["agrees", "partly", "not_in_seed"])),
        "used_as": pa.Column(str, pa.Check.isin(sorted(set(COMPACTS.values())))),
    },
    checks=[
        pa.Check(_year_is_event_year, error="first_year must be the year of event_date"),
        pa.Check(_compact_role, error="used_as must be the compact's role in COMPACTS"),
        pa.Check(_provinces_unless_national, error="only the national guideline names no province"),
    ],
    strict=True,
    ordered=True,
    name="did_alliance_sources",
)

#: Schemas of the raw tables, registered in :data:`analysis.data.schemas.common.SCHEMAS`.
SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "did_province_panel": PROVINCE_PANEL,
    "did_alliance_membership": ALLIANCE_MEMBERSHIP,
    "did_alliance_sources": ALLIANCE_SOURCES,
    "did_regions": REGION_TABLE,
    "did_mpdta_published": MPDTA_PUBLISHED,
    "did_honest_published": HONEST_PUBLISHED,
    "did_organ_reference": ORGAN_REFERENCE,
    "did_jel_county_panel": JEL_COUNTY_PANEL,
    "did_jel_table3": JEL_TABLE3,
    "did_jel_attgt": JEL_ATTGT,
}
