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

import pandas as pd
import pandera.pandas as pa

from analysis.data.schemas.rules import (
    TableRule,
    Violation,
    bounded,
    calendar_date,
    coverage,
    finite,
    identity,
    max_jump,
    names_agree,
    row_rule,
    unique_key,
)
from analysis.data.schemas.seeds import line_span, quoted_lines

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
    "PANEL_YEARS",
    "PROVINCES",
    "PROVINCE_PANEL",
    "REGIONS",
    "REGION_TABLE",
    "SCHEMAS",
]

#: The reference table of province names: the 31 provincial-level divisions of the mainland
#: (GB/T 2260) by their short Chinese name, with the English name of the National Bureau of
#: Statistics' yearbook (Inner Mongolia, Tibet; Shaanxi with two a). Every DID table names
#: provinces in both languages, and both must be one pair of this table.
PROVINCES: dict[str, str] = {
    "北京": "Beijing",
    "天津": "Tianjin",
    "河北": "Hebei",
    "山西": "Shanxi",
    "内蒙古": "Inner Mongolia",
    "辽宁": "Liaoning",
    "吉林": "Jilin",
    "黑龙江": "Heilongjiang",
    "上海": "Shanghai",
    "江苏": "Jiangsu",
    "浙江": "Zhejiang",
    "安徽": "Anhui",
    "福建": "Fujian",
    "江西": "Jiangxi",
    "山东": "Shandong",
    "河南": "Henan",
    "湖北": "Hubei",
    "湖南": "Hunan",
    "广东": "Guangdong",
    "广西": "Guangxi",
    "海南": "Hainan",
    "重庆": "Chongqing",
    "四川": "Sichuan",
    "贵州": "Guizhou",
    "云南": "Yunnan",
    "西藏": "Tibet",
    "陕西": "Shaanxi",
    "甘肃": "Gansu",
    "青海": "Qinghai",
    "宁夏": "Ningxia",
    "新疆": "Xinjiang",
}

#: The years of the province panel: the upstream file's span. The DID window (2012-2023, with
#: pre-periods from 2012) lies inside it, so every province needs every one of these years.
PANEL_YEARS: tuple[int, ...] = tuple(range(2000, 2024))

#: Alliance id -> short Chinese name, in the order of the first agreement.
ALLIANCES: dict[str, str] = {
    "yrd": "长三角",
    "jjj": "京津冀",
    "ppd": "泛珠三角",
    "sw": "西南五省区市",
    "swgx": "广西加入西南",
}

_NAMES = "one reference table of province names (PROVINCES), so that the tables join"


def _province_columns() -> dict[str, pa.Column]:
    return {
        "province_zh": pa.Column(str, pa.Check.isin(list(PROVINCES))),
        "province_en": pa.Column(str, pa.Check.isin(list(PROVINCES.values()))),
    }


def _amount(low: float, high: float, observed: str) -> pa.Column:
    return bounded(
        float,
        low,
        high,
        f"100 million CNY; in the data {observed}; the bounds leave room on both sides",
        judgement=True,
    )


PROVINCE_PANEL = pa.DataFrameSchema(
    {
        **_province_columns(),
        "year": bounded(int, 2000, 2023, "the upstream file covers 2000-2023"),
        "deposits_100m_cny": _amount(10, 600_000, "145 (Tibet 2000) to 350,888 (Guangdong 2023)"),
        "loans_100m_cny": _amount(10, 600_000, "81 (Tibet 2000) to 271,562 (Guangdong 2023)"),
        "deposits_plus_loans_100m_cny": _amount(20, 1_200_000, "226 to 622,449"),
        "gdp_nominal_100m_cny": _amount(50, 200_000, "117.8 (Tibet 2000) to 135,673 (Guangdong 2023)"),
        "findev_ratio": bounded(
            float,
            0.3,
            15,
            "(deposits + loans) / GDP; 1.41 to 8.16 in the data (Beijing the highest)",
            judgement=True,
        ),
    },
    strict=True,
    ordered=True,
    name="did_province_panel",
    metadata={
        "rules": (
            unique_key("province_en", "year", reason="one row per province and year"),
            names_agree("province_zh", "province_en", PROVINCES, _NAMES),
            coverage(
                "province_en",
                "year",
                lambda df: PROVINCES.values(),
                lambda df: PANEL_YEARS,
                "the estimators need a balanced panel: every province of the reference table in every "
                "year of the file's span (the DID window 2012-2023 included)",
            ),
            identity(
                "deposits_plus_loans_100m_cny",
                lambda df: df["deposits_100m_cny"] + df["loans_100m_cny"],
                "deposits_100m_cny + loans_100m_cny",
                1e-4,
                "a sum against its parts; the upstream file keeps 6 significant digits (largest "
                "difference in the data 4.5e-6)",
                ("deposits_100m_cny", "loans_100m_cny"),
            ),
            identity(
                "findev_ratio",
                lambda df: df["deposits_plus_loans_100m_cny"] / df["gdp_nominal_100m_cny"],
                "deposits_plus_loans_100m_cny / gdp_nominal_100m_cny",
                1e-4,
                "the outcome credit/GDP is this ratio; it must agree with its parts (largest difference "
                "in the data 5.5e-6)",
                ("deposits_plus_loans_100m_cny", "gdp_nominal_100m_cny"),
            ),
            max_jump(
                "gdp_nominal_100m_cny",
                "province_en",
                "year",
                0.75,
                1.5,
                "nominal provincial GDP moved by -5.3% (Hubei 2020) to +29.8% (Ningxia 2008) in a year; "
                "a statistical revision can cut a level by about a fifth; beyond -25%/+50% it is an "
                "error of units or digits",
            ),
            max_jump(
                "deposits_100m_cny",
                "province_en",
                "year",
                0.5,
                2.0,
                "balances move faster than GDP and the upstream series changes its definition for four "
                "provinces (RMB only); the largest move in the data is x1.75 (Hebei 2004); halving or "
                "doubling in a year is an error of units or digits",
            ),
            max_jump(
                "loans_100m_cny",
                "province_en",
                "year",
                0.5,
                2.0,
                "as for deposits; the largest move in the data is x1.62 (Tibet 2012)",
            ),
        )
    },
)


def _alliance_name(df: pd.DataFrame) -> pd.Series:
    return pd.Series(
        [
            str(a) in ALLIANCES and str(z).startswith(ALLIANCES[str(a)])
            for a, z in zip(df["alliance_id"], df["alliance_zh"], strict=True)
        ],
        index=df.index,
    )


def _one_event_per_alliance(df: pd.DataFrame) -> list[Violation]:
    out = []
    for _alliance, rows in df.groupby("alliance_id", sort=False):
        for column in ("alliance_zh", "event_date", "event_id", "timeline_id"):
            usual = rows[column].mode().iloc[0]  # what most rows say: the odd one out is named
            for index in rows.index[rows[column] != usual]:
                out.append(
                    Violation(
                        index, column, rows.at[index, column], f"other rows of the alliance say {usual!r}"
                    )
                )
    return out


def _date(*, empty: bool = False) -> pa.Column:
    """A column of real calendar dates (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), empty if allowed."""
    return pa.Column(
        str,
        pa.Check(
            lambda v: (empty and v == "") or calendar_date(v),
            element_wise=True,
            name="calendar_date",
            error="not a real calendar date",
        ),
    )


#: The cohort of an agreement (membership and public sources alike) is its calendar year.
_COHORT_IS_DATE_YEAR = row_rule(
    ("event_date", "first_year"),
    lambda df: df["event_date"].str[:4] == df["first_year"].astype(str),
    "first_year is the year of event_date",
    "the cohort is the calendar year of the agreement",
)


ALLIANCE_MEMBERSHIP = pa.DataFrameSchema(
    {
        **_province_columns(),
        "alliance_id": pa.Column(str, pa.Check.isin(list(ALLIANCES))),
        "alliance_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "event_date": _date(),
        "first_year": bounded(int, 2000, 2023, "inside the province panel's years"),
        "date_source": pa.Column(str, pa.Check.isin(["stated", "inferred"])),
        "event_id": pa.Column(
            str,
            pa.Check.str_matches(r"^E\d{2}$"),
            metadata={"refers_to": ("reform_events", "event_id"), "agrees": {"event_date": "date"}},
        ),
        "timeline_id": pa.Column(str, pa.Check.str_matches(r"^T\d{2}$")),
        **quoted_lines(["003"], 10, "the agreement and its date, quoted from the dissertation"),
        "certainty": pa.Column(str, pa.Check.isin(["high", "medium", "low"])),
        "note_en": pa.Column(str),
    },
    strict=True,
    ordered=True,
    name="did_alliance_membership",
    metadata={
        "rules": (
            unique_key("province_en", "alliance_id", reason="a province joins an alliance once"),
            names_agree("province_zh", "province_en", PROVINCES, _NAMES),
            _COHORT_IS_DATE_YEAR,
            row_rule(
                ("alliance_id", "alliance_zh"),
                _alliance_name,
                "alliance_zh begins with the short name of alliance_id (ALLIANCES)",
                "the chapter names an alliance by its short name",
            ),
            TableRule(
                ("alliance_zh", "event_date", "event_id", "timeline_id"),
                "all rows of an alliance share its name, date and event",
                "an alliance is one agreement",
                _one_event_per_alliance,
            ),
            line_span(),
        )
    },
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
        "ln_gdp": pa.Column(float, finite()),
        "ln_loans": pa.Column(float, finite()),
    },
    strict=True,
    name="did_analysis_panel",
    metadata={
        "rules": (
            unique_key("unit", "year", reason="one row per unit and year"),
            row_rule(
                ("unit", "year"),
                lambda df: df.groupby("unit")["year"].transform("nunique") == df["year"].nunique(),
                "panel must be balanced (every unit in every year)",
                "the estimators assume a balanced panel",
            ),
            row_rule(
                ("unit", "cohort"),
                _one_cohort_per_unit,
                "a unit is treated twice (more than one cohort)",
                "staggered adoption: a unit's cohort is its first alliance year",
            ),
            row_rule(
                ("cohort", "year"),
                _cohort_in_window,
                "cohort must be 0 (never treated) or a year after the first and not after the last year",
                "a cohort treated before the window has no pre-period; after it, it is untreated",
            ),
        )
    },
)

#: The seven conventional geographic regions.
REGIONS: tuple[str, ...] = ("华北", "东北", "华东", "华中", "华南", "西南", "西北")


def _every_province_once(df: pd.DataFrame) -> list[Violation]:
    missing = sorted(set(PROVINCES.values()) - set(df["province_en"]))
    return [Violation(None, "province_en", name, "is missing") for name in missing]


REGION_TABLE = pa.DataFrameSchema(
    {
        **_province_columns(),
        "region_zh": pa.Column(str, pa.Check.isin(list(REGIONS))),
    },
    strict=True,
    ordered=True,
    name="did_regions",
    metadata={
        "rules": (
            unique_key("province_en", reason="a province lies in one region"),
            unique_key("province_zh", reason="a province lies in one region"),
            names_agree("province_zh", "province_en", PROVINCES, _NAMES),
            TableRule(
                ("province_en",),
                "every province of the reference table has a region",
                "the regional placebo draws from all 31 provinces",
                _every_province_once,
            ),
        )
    },
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
#: The cells the R did README prints for mpdta: groups 2004, 2006, 2007 in years 2004-2007.
_MPDTA_GROUPS, _MPDTA_YEARS = ("2004", "2006", "2007"), ("2004", "2005", "2006", "2007")
_MPDTA_CELLS: dict[str, set[tuple[str, str, str]]] = {
    "att_gt": {(g, t, "") for g in _MPDTA_GROUPS for t in _MPDTA_YEARS},
    "dynamic": {("", "", str(e)) for e in range(-3, 4)},
    "group": {(g, "", "") for g in _MPDTA_GROUPS},
    "dynamic_overall": {("", "", "")},
    "group_overall": {("", "", "")},
}

_SMALL_EFFECT = (
    "a treatment effect on a log outcome or a rate; every published value is below 0.2 in absolute "
    "value, and one beyond 1 would be a slipped decimal"
)


def _mpdta_keys_fit_aggregation(df: pd.DataFrame) -> pd.Series:
    ok = [
        all(
            (record[k] != "") == (k in MPDTA_AGGREGATIONS.get(str(record["aggregation"]), ()))
            for k in _MPDTA_KEYS
        )
        for record in df.to_dict("records")
    ]
    return pd.Series(ok, index=df.index)


def _mpdta_cells(df: pd.DataFrame) -> list[Violation]:
    out = []
    for aggregation, cells in _MPDTA_CELLS.items():
        rows = df[df["aggregation"] == aggregation]
        have = set(zip(rows["group"], rows["time"], rows["event_time"], strict=True))
        for cell in sorted(cells - have):
            out.append(Violation(None, "aggregation", aggregation, f"lacks the printed cell {cell}"))
        for index, cell in zip(
            rows.index, zip(rows["group"], rows["time"], rows["event_time"], strict=True), strict=True
        ):
            if cell not in cells:
                out.append(Violation(index, "group/time/event_time", cell, "is not a cell the README prints"))
    return out


MPDTA_PUBLISHED = pa.DataFrameSchema(
    {
        "aggregation": pa.Column(str, pa.Check.isin(list(MPDTA_AGGREGATIONS))),
        "group": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "time": pa.Column(str, pa.Check.str_matches(r"^(\d{4})?$")),
        "event_time": pa.Column(str, pa.Check.str_matches(r"^(-?\d{1,2})?$")),
        "value": bounded(float, -1, 1, _SMALL_EFFECT, judgement=True),
    },
    strict=True,
    ordered=True,
    name="did_mpdta_published",
    metadata={
        "rules": (
            unique_key("aggregation", "group", "time", "event_time", reason="one printed number per cell"),
            row_rule(
                ("aggregation", "group", "time", "event_time"),
                _mpdta_keys_fit_aggregation,
                "the filled key columns fit the aggregation (att_gt: group and time; dynamic: "
                "event_time; group: group; dynamic_overall, group_overall: none)",
                "the replication looks each number up by its aggregation and keys",
            ),
            TableRule(
                ("aggregation", "group", "time", "event_time"),
                "every cell the README prints, and no other (12 ATT(g,t), 7 dynamic, 3 group, 2 overall)",
                "the replication appendix compares every printed number",
                _mpdta_cells,
            ),
        )
    },
)


def _honest_intervals(df: pd.DataFrame) -> list[Violation]:
    """Per restriction: both bounds for every parameter, lb <= ub, each interval inside the next."""
    out = []
    for delta, rows in df.groupby("delta", sort=True):
        bounds = {
            (float(m), str(b)): (i, float(v))
            for i, m, b, v in zip(rows.index, rows["parameter"], rows["bound"], rows["value"], strict=True)
        }
        previous: tuple[float, float] | None = None
        for param in sorted({m for m, _ in bounds}):
            if (param, "lb") not in bounds or (param, "ub") not in bounds:
                out.append(Violation(None, "parameter/bound", (delta, param), "needs both bounds lb and ub"))
                previous = None
                continue
            (i_lb, lb), (_, ub) = bounds[(param, "lb")], bounds[(param, "ub")]
            if lb > ub:
                out.append(Violation(i_lb, "value", lb, f"lb above ub ({ub})"))
            elif previous is not None and not (lb <= previous[0] and ub >= previous[1]):
                out.append(
                    Violation(
                        i_lb,
                        "value",
                        (lb, ub),
                        f"does not contain the interval of the smaller parameter {previous}",
                    )
                )
            previous = (lb, ub)
    return out


HONEST_PUBLISHED = pa.DataFrameSchema(
    {
        "delta": pa.Column(str, pa.Check.isin(["rm", "sd"])),
        "parameter": bounded(
            float, 0, None, "M-bar (relative magnitudes) and M (smoothness) are non-negative"
        ),
        "bound": pa.Column(str, pa.Check.isin(["lb", "ub"])),
        "value": bounded(float, -1, 1, _SMALL_EFFECT, judgement=True),
    },
    strict=True,
    ordered=True,
    name="did_honest_published",
    metadata={
        "rules": (
            unique_key(
                "delta",
                "parameter",
                "bound",
                reason="one printed number per restriction, parameter and bound",
            ),
            TableRule(
                ("delta", "parameter", "bound", "value"),
                "for each restriction and printed parameter both bounds with lb <= ub, each interval inside "
                "the next larger one",
                "fact: the robust confidence set widens as M-bar or M grows (Rambachan and Roth 2023)",
                _honest_intervals,
            ),
        )
    },
)

#: The organ-donation reference quantities: the TWFE coefficient as printed.
ORGAN_QUANTITIES: tuple[str, ...] = ("twfe_coefficient",)


def _organ_rows(df: pd.DataFrame) -> list[Violation]:
    return [
        Violation(None, "quantity", q, "is missing") for q in ORGAN_QUANTITIES if q not in set(df["quantity"])
    ]


ORGAN_REFERENCE = pa.DataFrameSchema(
    {
        "quantity": pa.Column(str, pa.Check.isin(list(ORGAN_QUANTITIES))),
        "value": bounded(float, -1, 1, _SMALL_EFFECT, judgement=True),
    },
    strict=True,
    ordered=True,
    name="did_organ_reference",
    metadata={
        "rules": (
            unique_key("quantity", reason="one row per quantity"),
            TableRule(
                ("quantity", "value"),
                "a row for the TWFE coefficient",
                "the replication compares the printed coefficient",
                _organ_rows,
            ),
        )
    },
)

# --- the weighted reference: Baker, Callaway, Cunningham, Goodman-Bacon and Sant'Anna (JEL) ------


def _one_expansion_year_per_county(df: pd.DataFrame) -> pd.Series:
    return df.groupby("county_code")["expansion_year"].transform("nunique") == 1


JEL_COUNTY_PANEL = pa.DataFrameSchema(
    {
        "county_code": bounded(int, 1001, 56045, "a US county FIPS code (Alabama 01001 to Wyoming 56045)"),
        "year": bounded(int, 2009, 2019, "the guide's panel runs 2009-2019"),
        "deaths": bounded(int, 0, None, "a count of deaths"),
        "population_20_64": bounded(int, 1, None, "a county's population aged 20-64 (the weight)"),
        "expansion_year": pa.Column(str, pa.Check.isin(["", "2014"])),
    },
    strict=True,
    ordered=True,
    name="did_jel_county_panel",
    metadata={
        "rules": (
            unique_key("county_code", "year", reason="one row per county and year"),
            row_rule(
                ("county_code", "year"),
                lambda df: df.groupby("county_code")["year"].transform("nunique") == 11,
                "every county in every year 2009-2019",
                "the guide's balanced county panel",
            ),
            row_rule(
                ("county_code", "expansion_year"),
                _one_expansion_year_per_county,
                "a county has one expansion year",
                "expansion is a state's decision, fixed over the panel",
            ),
        )
    },
)

JEL_TABLE3 = pa.DataFrameSchema(
    {
        "weighted": pa.Column(str, pa.Check.isin(["no", "yes"])),
        "statistic": pa.Column(str, pa.Check.isin(["estimate", "se"])),
        "value": pa.Column(float, finite(), coerce=True),
    },
    strict=True,
    ordered=True,
    name="did_jel_table3",
    metadata={
        "rules": (unique_key("weighted", "statistic", reason="one printed number per cell of table 3"),)
    },
)


def _time_fits_aggregation(df: pd.DataFrame) -> pd.Series:
    return (df["aggregation"] == "att_gt") == (df["time"] != "")


JEL_ATTGT = pa.DataFrameSchema(
    {
        "aggregation": pa.Column(str, pa.Check.isin(["att_gt", "dynamic_overall"])),
        "time": pa.Column(str, pa.Check.str_matches(r"^(20(09|1[0-9]))?$")),
        "value": pa.Column(float, finite(), coerce=True),
    },
    strict=True,
    ordered=True,
    name="did_jel_attgt",
    metadata={
        "rules": (
            unique_key("aggregation", "time", reason="one recorded number per aggregation and year"),
            row_rule(
                ("aggregation", "time"),
                _time_fits_aggregation,
                "att_gt rows name a year, the overall row none",
                "the replication looks each number up by its aggregation and year",
            ),
        )
    },
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
        "compact_id": pa.Column(str, pa.Check.isin(list(COMPACTS))),
        "compact_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "event_date": _date(),
        "first_year": bounded(int, 2000, 2023, "inside the province panel's years"),
        "provinces_en": pa.Column(str, pa.Check.str_matches(_PROVINCE_LIST)),
        "url": pa.Column(str, pa.Check.str_matches(r"^https?://[^\s]+$")),
        "page_title_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "publisher_zh": pa.Column(str, pa.Check.str_length(min_value=2)),
        "published": _date(empty=True),
        "finding_zh": pa.Column(str, pa.Check.str_length(min_value=10)),
        "seed_check": pa.Column(str, pa.Check.isin(["agrees", "partly", "not_in_seed"])),
        "used_as": pa.Column(str, pa.Check.isin(sorted(set(COMPACTS.values())))),
    },
    strict=True,
    ordered=True,
    name="did_alliance_sources",
    metadata={
        "rules": (
            unique_key("compact_id", reason="one row per compact"),
            _COHORT_IS_DATE_YEAR,
            row_rule(
                ("used_as", "compact_id"),
                _compact_role,
                "used_as must be the compact's role in COMPACTS",
                "the chapter's designs are built from COMPACTS",
            ),
            row_rule(
                ("provinces_en", "used_as"),
                _provinces_unless_national,
                "only the national guideline names no province",
                "every regional compact has members",
            ),
        )
    },
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
