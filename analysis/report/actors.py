"""Tables, chart and numbers of the actor coding (cross-case chapter): who co-creates, in which role."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.coding.actors import ActorCoding, agreed_examples, case_roles, load_actor_coding
from analysis.coding.quotecheck import case_evidence
from analysis.coding.reliability import ReliabilityResult
from analysis.data.schemas.coding import ACTOR_ROLES, ACTOR_TYPES, CASES
from analysis.report.chart import OfflineChart
from analysis.report.format import seed_ref
from analysis.report.page import PageOutput
from analysis.report.reliability_views import THRESHOLD, alpha_text, rows_table

__all__ = [
    "GOVERNMENT",
    "actor_codebook_tables",
    "actor_summary",
    "reliability_table",
    "role_chart",
    "roles_summary",
]

#: The three government types; every other type is a non-government actor.
GOVERNMENT = ("GOV_OWN", "GOV_HIGH", "GOV_OTHER")
_USERS = ("USER_CIT", "USER_FIRM")


def reliability_table(result: ReliabilityResult, coding: ActorCoding) -> pd.DataFrame:
    """One row per actor type, then the two pooled rows: counts, agreement, alpha and interval."""
    names = {
        **{("type", t): coding.type_zh[t] for t in ACTOR_TYPES},
        ("pooled_type", "ALL"): "全部类型（合并）",
        ("pooled_role", "ALL"): "类型 × 角色（合并）",
    }
    t = result.table
    labels = [names[(lv, v)] for lv, v in zip(t["level"], t["variable"], strict=True)]
    return rows_table(t, labels, "行动者类型")


def _interval(row: pd.Series) -> str:
    return f"[{alpha_text(float(row['alpha_lo']))}, {alpha_text(float(row['alpha_hi']))}]"


def _pooled(result: ReliabilityResult, level: str) -> pd.Series:
    return result.table[result.table["level"] == level].iloc[0]


def roles_summary(roles: pd.DataFrame, coding: ActorCoding, segments: pd.DataFrame) -> dict[str, int | str]:
    """Who acts in which role across the cases (coder A): glued numbers and phrases."""
    producers = roles[roles["role"].isin(["design", "production", "delivery"])]
    by_seg = producers.groupby("segment_id")["actor_type"].agg(set)
    gov_only = sum(1 for s in by_seg if s <= set(GOVERNMENT))
    non_gov = producers[~producers["actor_type"].isin([*GOVERNMENT, *_USERS])]
    users = producers[producers["actor_type"].isin(_USERS)]
    non_gov_cases = [CASES[c][1] for c in CASES if c in set(non_gov["case_id"])]
    user_cases = [CASES[c][1] for c in CASES if c in set(users["case_id"])]
    return {
        "n_segments": len(segments),
        "n_with_actor": int((coding.first["actors"] != "").sum()),
        "n_producing": len(by_seg),
        "n_gov_only": gov_only,
        "gov_only_share": f"{gov_only / len(by_seg):.0%}" if len(by_seg) else "—",
        "non_gov_cases": "、".join(non_gov_cases) if non_gov_cases else "没有一个案例",
        "user_cases": "、".join(user_cases) if user_cases else "没有一个案例",
    }


def actor_summary(result: ReliabilityResult, coding: ActorCoding) -> dict[str, int | str]:
    """The reliability of the actor coding: glued numbers and the phrase on weak types."""
    pooled, by_role = _pooled(result, "pooled_type"), _pooled(result, "pooled_role")
    types = result.table[result.table["level"] == "type"]
    weak = [
        coding.type_zh[str(v)]
        for v, lo in zip(types["variable"], types["alpha_lo"], strict=True)
        if pd.notna(lo) and float(lo) < THRESHOLD
    ]
    return {
        "n_double": result.n_segments,
        "alpha_types": alpha_text(float(pooled["alpha"])),
        "alpha_types_ci": _interval(pooled),
        "alpha_roles": alpha_text(float(by_role["alpha"])),
        "alpha_roles_ci": _interval(by_role),
        "weak_types": (
            f"其中{'、'.join(weak)}的区间下限低于 {THRESHOLD}：这些类型在抽样中只出现了寥寥几次，"
            "关于它们的比较只能作为描述"
            if weak
            else f"每一类型的区间下限都不低于 {THRESHOLD}"
        ),
    }


def role_chart(
    roles: pd.DataFrame, coding: ActorCoding, cases: Sequence[str] = tuple(CASES), columns: int = 3
) -> OfflineChart:
    """Small multiples, one per case: actor types (rows) x roles (columns), segments in each cell."""
    roles = roles[roles["case_id"].isin(list(cases))]
    counts = (
        roles.groupby(["case_id", "actor_type", "role"])["segment_id"].nunique().rename("n").reset_index()
    )
    grid = pd.MultiIndex.from_product(
        [list(cases), ACTOR_TYPES, ACTOR_ROLES], names=["case_id", "actor_type", "role"]
    )
    full = counts.set_index(["case_id", "actor_type", "role"]).reindex(grid, fill_value=0).reset_index()
    full["case"] = [CASES[c][1] for c in full["case_id"]]
    full["actor"] = [coding.type_zh[t] for t in full["actor_type"]]
    full["role_zh"] = [coding.role_zh[r] for r in full["role"]]
    base = alt.Chart(full).encode(
        x=alt.X("role_zh:N", sort=[coding.role_zh[r] for r in ACTOR_ROLES], title=None),
        y=alt.Y("actor:N", sort=[coding.type_zh[t] for t in ACTOR_TYPES], title=None),
        tooltip=[
            alt.Tooltip("case:N", title="案例"),
            alt.Tooltip("actor:N", title="行动者"),
            alt.Tooltip("role_zh:N", title="角色"),
            alt.Tooltip("n:Q", title="片段数"),
        ],
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.condition(
            "datum.n > 0",
            alt.Color("n:Q", title="片段数", scale=alt.Scale(scheme="oranges", type="sqrt", domainMin=0)),
            alt.value("#f4f4f4"),
        )
    )
    text = base.mark_text(fontSize=8).encode(text=alt.condition("datum.n > 0", "n:Q", alt.value("")))
    chart = (
        alt.layer(rect, text, data=full)
        .properties(width=alt.Step(26), height=alt.Step(15))
        .facet(facet=alt.Facet("case:N", sort=[CASES[c][1] for c in cases], title=None), columns=columns)
    )
    names = "、".join(CASES[c][1] for c in cases)
    return OfflineChart(
        chart,
        description=(
            f"每个案例一个小图（{names}）：纵轴为 {len(ACTOR_TYPES)} 类行动者，横轴为"
            f"{'、'.join(coding.role_zh[r] for r in ACTOR_ROLES)} {len(ACTOR_ROLES)} 种角色，"
            "格中数字为编码员A记录该类行动者担任该角色的片段数，灰格表示编码文本中没有。"
        ),
    )


def actor_codebook_tables(
    coding: ActorCoding, segments: pd.DataFrame
) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """The actor codebook for the codebook page: its general rule, the types and the roles.

    Each type's example is chosen by :func:`analysis.coding.actors.agreed_examples` (only where both
    coders recorded the type; no sentence serves two types); "—" where no segment qualifies.
    """
    book = coding.codebook.set_index("id")
    records = {str(r["segment_id"]): r for r in segments.to_dict("records")}
    examples: dict[str, str] = {}
    for t, sid in agreed_examples(coding, segments).items():
        if sid is None:
            examples[t] = "—"
            continue
        rec = records[sid]
        ref = seed_ref(str(rec["seed_id"]), int(rec["line_from"]), int(rec["line_to"]))
        examples[t] = f"“{rec['evidence_zh']}”〔{ref}〕"
    types = pd.DataFrame(
        {
            "类型": [str(book.at[t, "name_zh"]) + f"（{t}）" for t in ACTOR_TYPES],
            "定义": [book.at[t, "definition_zh"] for t in ACTOR_TYPES],
            "纳入": [book.at[t, "include_zh"] or "—" for t in ACTOR_TYPES],
            "排除": [book.at[t, "exclude_zh"] or "—" for t in ACTOR_TYPES],
            "例证": [examples[t] for t in ACTOR_TYPES],
        }
    )
    roles = pd.DataFrame(
        {
            "角色": [str(book.at[r, "name_zh"]) + f"（{r}）" for r in ACTOR_ROLES],
            "定义": [book.at[r, "definition_zh"] for r in ACTOR_ROLES],
        }
    )
    return str(book.at["GENERAL", "definition_zh"]), types, roles


def case_actor_output(segments: pd.DataFrame, cases: Sequence[str], prefix: str) -> PageOutput:
    """A case chapter's actor figure and the sentence beside it (keys ``<prefix>_act_*``).

    ``act_phrase`` reads for every count: no segment naming an actor, government only, or with
    the non-government actors named.
    """
    out = PageOutput()
    coding = load_actor_coding(segments)
    roles = case_roles(case_evidence(segments), coding)
    sub = roles[roles["case_id"].isin(list(cases))]
    producing = sub[sub["role"].isin(["design", "production", "delivery"])]
    others = [
        coding.type_zh[t] for t in ACTOR_TYPES if t not in GOVERNMENT and t in set(producing["actor_type"])
    ]
    n_seg = int(sub["segment_id"].nunique())
    if n_seg == 0:
        phrase = "本章的编码片段中没有一段写到可辨认的行动者"
    elif not others:
        phrase = f"写到行动者的 {n_seg} 个片段里，参与设计、生产或交付的只有政府部门"
    else:
        phrase = f"写到行动者的 {n_seg} 个片段里，参与设计、生产或交付的除政府部门外还有{'、'.join(others)}"
    out.value(f"{prefix}_act_phrase", phrase)
    out.chart(f"{prefix}_fig_actors", role_chart(roles, coding, cases, columns=len(cases)))
    return out
