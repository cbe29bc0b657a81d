"""Tables, charts and numbers of the comparative synthesis: configurations of co-creation and the model.

The rules live in :mod:`analysis.coding.synthesis`; this module names and draws what they give.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import altair as alt
import pandas as pd

from analysis.coding.actors import ActorCoding
from analysis.coding.codebook import Codebook
from analysis.coding.reliability import ReliabilityResult
from analysis.coding.synthesis import (
    CONFIGURATIONS,
    ELEMENTS,
    GOVERNMENT_INTERNAL,
    PARTNERS,
    assign_configurations,
    cocreating_roles,
    exemplar_segment,
    type_pairs,
)
from analysis.data.schemas.coding import ACTOR_TYPES, CASES
from analysis.report.chart import PALETTE, OfflineChart
from analysis.report.format import seed_ref
from analysis.report.reliability_views import alpha_text

__all__ = [
    "CONFIG_ZH",
    "ELEMENT_ZH",
    "STRUCTURE_CODES",
    "VOCABULARIES",
    "config_sensitivity_table",
    "configuration_summary",
    "elements_table",
    "evidence_table",
    "heatmap_chart",
    "mechanism_table",
    "model_chart",
    "network_chart",
    "partner_place_sentence",
    "type_alpha",
    "type_reliability_sentence",
    "typology_table",
    "vocabulary_sentence",
]

#: Configuration -> its Chinese name.
CONFIG_ZH: dict[str, str] = {
    GOVERNMENT_INTERNAL: "政府内部整合",
    "platform": "平台与承包商主导",
    "finance": "金融机构中介",
    "social": "社会组织参与",
    "expert": "专家参与",
    "users": "服务对象参与",
}

#: Partner class -> its Chinese name.
PARTNER_ZH: dict[str, str] = {
    "platform": "平台与技术企业",
    "finance": "金融机构",
    "social": "社会组织与社区",
    "expert": "专家与研究机构",
    "users": "服务对象（公众与企业）",
}

#: The integrated codes that describe a structure (through which the actors co-create).
STRUCTURE_CODES = (
    "STR.INT",
    "STR.VER",
    "STR.NET",
    "STR.SIL",
    "ACT.IGR",
    "ACT.LED",
    "PLT.INF",
    "PLT.SCN",
    "PLT.ENB",
)

#: Words that mark a segment as speaking of government services (一网通办) or of city operations
#: (一网统管); a segment counts for a vocabulary when its quotation contains any of its words.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "service": ("行政许可", "审批", "好差评", "即办件", "办件", "政务服务", "办事"),
    "operations": ("城运", "城市运行", "工单", "热线", "网格", "事件", "应急", "态势"),
}

#: Element of the integrated model -> its Chinese name.
ELEMENT_ZH: dict[str, str] = {
    "context": "情境与价值导向",
    "technology": "平台与数据",
    "structure": "结构整合",
    "partners": "伙伴与共创过程",
    "process": "流程与回应能力",
    "value": "价值结果",
}


def _text(frame: pd.DataFrame, column: str) -> dict[str, str]:
    """A column as a plain mapping from the index (case ids) to strings."""
    return {str(k): str(v) for k, v in frame[column].items()}


def _ints(frame: pd.DataFrame, column: str) -> dict[str, int]:
    """A column as a plain mapping from the index (case ids) to integers."""
    return {str(k): int(v) for k, v in frame[column].items()}


def _record(segments: pd.DataFrame, segment_id: str) -> dict[str, object]:
    """One segment's row as a plain mapping."""
    return {
        str(k): v for k, v in segments[segments["segment_id"] == segment_id].to_dict("records")[0].items()
    }


def _names(cases: Sequence[str]) -> str:
    return "、".join(CASES[c][1] for c in cases)


def _members(assigned: pd.DataFrame) -> dict[str, list[str]]:
    configuration = _text(assigned, "configuration")
    return {cfg: [c for c in CASES if configuration.get(c) == cfg] for cfg in CONFIGURATIONS}


def type_alpha(result: ReliabilityResult, actor_type: str) -> str:
    """A type's alpha with its bootstrap interval, as the tables print it."""
    t = result.table
    row = t[(t["level"] == "type") & (t["variable"] == actor_type)].iloc[0]
    return (
        f"{alpha_text(float(row['alpha']))} "
        f"[{alpha_text(float(row['alpha_lo']))}, {alpha_text(float(row['alpha_hi']))}]"
    )


def type_reliability_sentence(result: ReliabilityResult, coding: ActorCoding, actor_type: str) -> str:
    """How often the two coders recorded a type in the double-coded segments, and its alpha."""
    t = result.table
    row = t[(t["level"] == "type") & (t["variable"] == actor_type)].iloc[0]
    name = coding.type_zh[actor_type]

    def times(coder: str, n: int) -> str:
        return f"编码员{coder}没有记录{name}" if n == 0 else f"编码员{coder}记录{name} {n} 次"

    return (
        f"在双编的 {int(row['n'])} 个片段中，{times('A', int(row['n_a']))}，{times('B', int(row['n_b']))}，"
        f"α 为 {type_alpha(result, actor_type)}"
    )


def typology_table(
    profile: pd.DataFrame,
    assigned: pd.DataFrame,
    structures: pd.DataFrame,
    codebook: Codebook,
    result: ReliabilityResult,
) -> pd.DataFrame:
    """One row per assigned case, grouped by configuration: who co-creates and through which structure.

    The last column gives the alpha (with interval) of the actor types the configuration rests on
    (the case's own government for government-internal integration).
    """
    counts = {name: _ints(profile, name) for name in ("n_cocreating", "gov_only", *PARTNERS)}
    qualifying_of, code_of, n_of = (
        _text(assigned, "qualifying"),
        _text(structures, "code"),
        _ints(structures, "n"),
    )
    rows = []
    for cfg, cases in _members(assigned).items():
        for case in cases:
            qualifying = [q for q in qualifying_of[case].split(";") if q]
            code = code_of[case]
            rows.append(
                {
                    "构型": CONFIG_ZH[cfg],
                    "案例": CASES[case][1],
                    "共创片段（只有政府）": f"{counts['n_cocreating'][case]}（{counts['gov_only'][case]}）",
                    "达到阈值的非政府伙伴（片段数）": "、".join(
                        f"{PARTNER_ZH[q]}（{counts[q][case]}）" for q in qualifying
                    )
                    or "无",
                    "最突出的结构代码（片段数）": (
                        f"{codebook.code(code).name_zh}（{code}，{n_of[case]}）" if code else "无"
                    ),
                    "所依据类型的 α [区间]": "；".join(
                        type_alpha(result, t) for t in PARTNERS.get(cfg, ("GOV_OWN",))
                    ),
                }
            )
    return pd.DataFrame(rows)


def evidence_table(
    roles: pd.DataFrame,
    segments: pd.DataFrame,
    assigned: pd.DataFrame,
    coding: ActorCoding,
    max_chars: int = 90,
    exclude: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Each assigned case's exemplar quotation (rule: :func:`analysis.coding.synthesis.exemplar_segment`).

    Never one in ``exclude``: a quotation that failed the meaning check.
    """
    co = cocreating_roles(roles)
    rows = []
    for cfg, cases in _members(assigned).items():
        for case in cases:
            sid = exemplar_segment(roles, segments, case, cfg, exclude)
            if sid is None:
                continue
            rec = _record(segments, sid)
            ref = seed_ref(str(rec["seed_id"]), int(str(rec["line_from"])), int(str(rec["line_to"])))
            quote = str(rec["evidence_zh"])
            quote = quote if len(quote) <= max_chars else quote[: max_chars - 1] + "…"
            who = [
                coding.type_zh[t] for t in ACTOR_TYPES if t in set(co[co["segment_id"] == sid]["actor_type"])
            ]
            rows.append(
                {
                    "构型": CONFIG_ZH[cfg],
                    "案例": CASES[case][1],
                    "共同参与的行动者": "、".join(who),
                    "引文与出处": f"“{quote}”〔{ref}〕",
                }
            )
    return pd.DataFrame(rows)


def config_sensitivity_table(profile: pd.DataFrame, floors: Sequence[int], book_floor: int) -> pd.DataFrame:
    """Cases x floors of the rule: the configuration each floor assigns."""
    by_floor = {k: assign_configurations(profile, k) for k in floors}
    cases = [c for c in CASES if c in by_floor[book_floor].index]
    return pd.DataFrame(
        {
            "案例": [CASES[c][1] for c in cases],
            **{
                (f"阈值 {k}（本书采用）" if k == book_floor else f"阈值 {k}"): [
                    CONFIG_ZH[_text(by_floor[k], "configuration")[c]] for c in cases
                ]
                for k in floors
            },
        }
    )


def configuration_summary(
    profile: pd.DataFrame, assigned: pd.DataFrame, floors: Sequence[int], book_floor: int
) -> dict[str, int | str]:
    """Glued numbers and phrases: the members of each configuration and what moves with the floor."""
    members = _members(assigned)
    unassigned = [c for c in CASES if c not in assigned.index]
    empty = [f"“{CONFIG_ZH[c]}”" for c, m in members.items() if not m]
    out: dict[str, int | str] = {
        "n_assigned": len(assigned),
        "n_configurations": sum(1 for m in members.values() if m),
        "unassigned_sentence": (
            f"{_names(unassigned)}的编码文本中没有共创片段，不予归类。"
            if unassigned
            else "每个案例都有共创片段。"
        ),
        "empty_sentence": (
            f"没有案例归入{'、'.join(empty)}：{'这类' if len(empty) == 1 else '这些'}伙伴"
            "在任何案例中都没有成为达到阈值而又最突出的一类。"
            if empty
            else "每一种构型都至少有一个案例。"
        ),
    }
    for cfg, cases in members.items():
        out[f"cases_{cfg}"] = _names(cases) if cases else "没有案例"
        out[f"n_{cfg}"] = len(cases)
    mine = _text(assigned, "configuration")
    by_floor = {k: _text(assign_configurations(profile, k), "configuration") for k in floors}
    moves = []
    for k in floors:
        if k == book_floor:
            continue
        changed = [
            f"{CASES[c][1]}变为“{CONFIG_ZH[by_floor[k][c]]}”" for c in mine if by_floor[k][c] != mine[c]
        ]
        moves.append(f"阈值取 {k} 时" + ("，".join(changed) if changed else "没有案例改变构型"))
    out["sensitivity_phrase"] = "；".join(moves)
    stable = [c for c in mine if all(by_floor[k][c] == mine[c] for k in floors)]
    out["stable_phrase"] = (
        f"在所比较的每个阈值下构型都不变的是{_names(stable)}"
        if len(stable) < len(mine)
        else "每个案例的构型在所比较的阈值下都不变"
    )
    gov_only, n_co = _ints(profile, "gov_only"), _ints(profile, "n_cocreating")
    shares = [gov_only[c] / n_co[c] for c in members[GOVERNMENT_INTERNAL]]
    out["gov_internal_share_range"] = (
        f"{min(shares):.0%} 至 {max(shares):.0%}"
        if len(shares) > 1
        else (f"{shares[0]:.0%}" if shares else "—")
    )
    return out


def partner_place_sentence(
    profile: pd.DataFrame, assigned: pd.DataFrame, floors: Sequence[int], book_floor: int, partner: str
) -> str:
    """Where a partner class co-creates, and which cases its configuration takes, at which floor.

    Reads for every state: the class in no case; in cases that take its configuration; in cases
    that reach it only at a lower floor of the sensitivity table, or at none of them.
    """
    counts = _ints(profile, partner)
    where = [c for c in CASES if counts.get(c, 0) > 0]
    name = PARTNER_ZH[partner]
    if not where:
        return f"没有一个案例的共创片段写到{name}参与共创。"
    head = f"{name}参与共创的片段只出现在" + "、".join(f"{CASES[c][1]}（{counts[c]} 个片段）" for c in where)
    members = _members(assigned)[partner]
    if members:
        return f"{head}；按本书的阈值，{_names(members)}归入这一构型。"
    lower = [
        (k, [c for c, v in _text(assign_configurations(profile, k), "configuration").items() if v == partner])
        for k in sorted(floors)
        if k < book_floor
    ]
    reached = [(k, cases) for k, cases in lower if cases]
    tail = (
        f"阈值降到 {reached[-1][0]} 时，{_names(reached[-1][1])}才归入"
        if reached
        else "在所比较的阈值下都没有案例归入这一构型"
    )
    below = "都少于" if len(where) > 1 else "少于"
    return f"{head}，{below}本书的阈值（{book_floor} 个）：按本书的规则没有案例归入这一构型；{tail}。"


def vocabulary_sentence(case_name: str, n: int, service: int, operations: int) -> str:
    """How a case's segments speak: of services (一网通办) or of city operations (一网统管)."""
    if not service and not operations:
        return f"{case_name}的 {n} 个片段既没有用到政务服务的词汇，也没有用到城市运行的词汇"
    compare = (
        "前者多于后者" if service > operations else "后者多于前者" if operations > service else "两者一样多"
    )
    return (
        f"{case_name}的 {n} 个片段中，用到政务服务词汇的有 {service} 段，用到城市运行词汇的有 "
        f"{operations} 段，{compare}"
    )


def heatmap_chart(
    roles: pd.DataFrame, profile: pd.DataFrame, assigned: pd.DataFrame, coding: ActorCoding
) -> OfflineChart:
    """Cases (grouped by configuration) x actor types: share of the case's co-creating segments."""
    co = cocreating_roles(roles)
    counts = co.groupby(["case_id", "actor_type"])["segment_id"].nunique()
    members = _members(assigned)
    n_co = _ints(profile, "n_cocreating")
    rows = []
    for cfg, cases in members.items():
        for case in cases:
            n = n_co[case]
            for t in ACTOR_TYPES:
                k = int(counts.get((case, t), 0))
                rows.append(
                    {
                        "config": CONFIG_ZH[cfg],
                        "case": CASES[case][1],
                        "actor": coding.type_zh[t],
                        "n": k,
                        "share": k / n,
                        "label": str(k) if k else "",
                    }
                )
    frame = pd.DataFrame(rows)
    order = [CONFIG_ZH[c] for c, m in members.items() if m]
    colour = alt.Color(
        "share:Q",
        title="占本案例共创片段的比例",
        scale=alt.Scale(scheme="blues", domain=[0, 1]),
        legend=alt.Legend(format=".0%"),
    )
    panels = []
    for i, name in enumerate(order):
        part = frame[frame["config"] == name]
        base = alt.Chart(part).encode(
            x=alt.X(
                "actor:N",
                sort=[coding.type_zh[t] for t in ACTOR_TYPES],
                title=None,
                axis=alt.Axis(labelAngle=-35, orient="top", labels=i == 0, ticks=i == 0),
            ),
            y=alt.Y("case:N", sort=[CASES[c][1] for c in CASES], title=None, axis=alt.Axis(labelLimit=200)),
            tooltip=[
                alt.Tooltip("config:N", title="构型"),
                alt.Tooltip("case:N", title="案例"),
                alt.Tooltip("actor:N", title="行动者"),
                alt.Tooltip("n:Q", title="共创片段数"),
                alt.Tooltip("share:Q", title="占本案例共创片段", format=".0%"),
            ],
        )
        rect = base.mark_rect(stroke="white").encode(
            color=alt.condition("datum.n > 0", colour, alt.value("#f4f4f4"))
        )
        text = base.mark_text(fontSize=10).encode(
            text="label:N", color=alt.condition("datum.share > 0.55", alt.value("white"), alt.value("black"))
        )
        panels.append(
            alt.layer(rect, text).properties(
                width=alt.Step(50),
                height=alt.Step(22),
                title=alt.Title(name, fontSize=12, anchor="start", frame="group", offset=2),
            )
        )
    chart = alt.vconcat(*panels, spacing=4)
    return OfflineChart(
        chart,
        description=(
            "按构型分组的案例（纵轴）乘九类行动者（横轴）：格中数字为该类行动者在该案例中担任设计、生产、"
            "交付或评价角色的片段数，颜色为它占该案例全部共创片段的比例；灰格表示编码文本中没有。"
        ),
    )


def _positions() -> dict[str, tuple[float, float]]:
    """The case's own government at the centre, the other eight types on a circle around it."""
    ring = [t for t in ACTOR_TYPES if t != "GOV_OWN"]
    pos = {"GOV_OWN": (0.0, 0.0)}
    for i, t in enumerate(ring):
        angle = math.pi / 2 - 2 * math.pi * i / len(ring)
        pos[t] = (math.cos(angle), math.sin(angle))
    return pos


def network_chart(roles: pd.DataFrame, assigned: pd.DataFrame, coding: ActorCoding) -> OfflineChart:
    """One panel per configuration: who co-creates with whom in its cases.

    Nodes are the actor types (the case's own government in the centre), sized by the co-creating
    segments of the type in the configuration's cases; a line joins two types that co-create in the
    same segment, its width the number of such segments.
    """
    pos = _positions()
    co = cocreating_roles(roles)
    scale = alt.Scale(domain=[-1.9, 1.9])
    panels = []
    for cfg, cases in _members(assigned).items():
        if not cases:
            continue
        sub = co[co["case_id"].isin(cases)]
        n_by_type = sub.groupby("actor_type")["segment_id"].nunique()
        nodes = pd.DataFrame(
            {
                "actor": [coding.type_zh[t] for t in ACTOR_TYPES],
                "x": [pos[t][0] for t in ACTOR_TYPES],
                "y": [pos[t][1] for t in ACTOR_TYPES],
                "n": [int(n_by_type.get(t, 0)) for t in ACTOR_TYPES],
                "gov": ["政府" if t.startswith("GOV") else "非政府" for t in ACTOR_TYPES],
            }
        )
        nodes["lx"] = [
            0.0 if t == "GOV_OWN" else x * 1.12 for t, x in zip(ACTOR_TYPES, nodes["x"], strict=True)
        ]
        nodes["ly"] = [
            -0.28 if t == "GOV_OWN" else y * 1.15 for t, y in zip(ACTOR_TYPES, nodes["y"], strict=True)
        ]
        nodes["align"] = ["left" if x > 0.1 else "right" if x < -0.1 else "center" for x in nodes["x"]]
        pairs = type_pairs(roles, cases)
        pairs = pairs.assign(
            x=[pos[a][0] for a in pairs["type_a"]],
            y=[pos[a][1] for a in pairs["type_a"]],
            x2=[pos[b][0] for b in pairs["type_b"]],
            y2=[pos[b][1] for b in pairs["type_b"]],
            pair=[
                f"{coding.type_zh[a]}—{coding.type_zh[b]}"
                for a, b in zip(pairs["type_a"], pairs["type_b"], strict=True)
            ],
        )
        lines = (
            alt.Chart(pairs)
            .mark_rule(color="#555555", opacity=0.6)
            .encode(
                x=alt.X("x:Q", scale=scale, axis=None),
                y=alt.Y("y:Q", scale=scale, axis=None),
                x2="x2:Q",
                y2="y2:Q",
                strokeWidth=alt.StrokeWidth(
                    "n:Q", title="共同参与的片段数", scale=alt.Scale(domain=[1, 20], range=[1, 8], clamp=True)
                ),
                tooltip=[alt.Tooltip("pair:N", title="行动者"), alt.Tooltip("n:Q", title="共同参与的片段数")],
            )
        )
        points = (
            alt.Chart(nodes[nodes["n"] > 0])
            .mark_circle(opacity=1, stroke="white")
            .encode(
                x=alt.X("x:Q", scale=scale, axis=None),
                y=alt.Y("y:Q", scale=scale, axis=None),
                size=alt.Size(
                    "n:Q", title="共创片段数", scale=alt.Scale(domain=[1, 160], range=[40, 1400], clamp=True)
                ),
                color=alt.Color(
                    "gov:N",
                    title=None,
                    scale=alt.Scale(domain=["政府", "非政府"], range=[PALETTE[0], PALETTE[1]]),
                ),
                tooltip=[alt.Tooltip("actor:N", title="行动者"), alt.Tooltip("n:Q", title="共创片段数")],
            )
        )
        absent = nodes[nodes["n"] == 0]
        empty = [
            alt.Chart(absent)
            .mark_point(color="#bbbbbb", size=30)
            .encode(
                x=alt.X("x:Q", scale=scale, axis=None),
                y=alt.Y("y:Q", scale=scale, axis=None),
                tooltip=[alt.Tooltip("actor:N", title="没有参与共创的行动者")],
            )
        ][: 1 if len(absent) else 0]
        labels = [
            alt.Chart(nodes[nodes["align"] == side])
            .mark_text(fontSize=9, align=side, baseline="middle")
            .encode(
                x=alt.X("lx:Q", scale=scale, axis=None),
                y=alt.Y("ly:Q", scale=scale, axis=None),
                text="actor:N",
                color=alt.condition("datum.n > 0", alt.value("black"), alt.value("#aaaaaa")),
            )
            for side in ("left", "right", "center")
        ]
        panels.append(
            alt.layer(*([lines] if len(pairs) else []), *empty, points, *labels).properties(
                width=210, height=200, title=alt.Title(CONFIG_ZH[cfg], subtitle=_names(cases), fontSize=13)
            )
        )
    chart = (
        alt.concat(*panels, columns=3)
        .resolve_scale(size="shared", strokeWidth="shared")
        .configure_legend(orient="bottom", direction="horizontal")
    )
    return OfflineChart(
        chart,
        description=(
            "每个构型一个小图：本案例政府部门居中，其他八类行动者排在圆周上；圆点大小为该类行动者在本构型各案例中"
            "担任设计、生产、交付或评价角色的片段数（灰色空心点表示没有），连线表示两类行动者在同一片段中共同"
            "参与，线越粗表示这样的片段越多。"
        ),
    )


def mechanism_table(strength: pd.DataFrame, propositions: pd.DataFrame) -> pd.DataFrame:
    """The mechanisms ranked by strength, as the conclusion shows them."""
    return pd.DataFrame(
        {
            "排序": list(range(1, len(strength) + 1)),
            "机制（条件所属要素）": [ELEMENT_ZH[m] for m in strength["mechanism"]],
            "命题": [p.replace(";", "、") for p in strength["propositions"]],
            "提出命题的研究数": strength["n_studies"].astype(int).to_list(),
            "支持（其中在提出者之外）": [
                f"{int(s)}（{int(e)}）"
                for s, e in zip(strength["supported"], strength["supported_elsewhere"], strict=True)
            ],
            "得到支持的案例数": strength["supported_cases"].astype(int).to_list(),
            "反证迹象": strength["counter"].astype(int).to_list(),
            "判定的命题×案例数": strength["n_cells"].astype(int).to_list(),
        }
    )


#: Where each element sits in the model figure (x: from conditions to value; y: up-down).
_LAYOUT: dict[str, tuple[float, float]] = {
    "context": (0.0, 0.5),
    "technology": (1.0, 1.0),
    "structure": (1.0, 0.0),
    "partners": (2.0, 1.0),
    "process": (2.0, 0.0),
    "value": (3.0, 0.5),
}


#: Half the width and half the height of an element's box in the model figure (data units).
_HALF_W, _HALF_H = 0.34, 0.13


def _edge_point(x: float, y: float, ux: float, uy: float) -> tuple[float, float]:
    """Where a ray from a box's centre along (ux, uy) leaves the box."""
    t = min(_HALF_W / abs(ux) if ux else math.inf, _HALF_H / abs(uy) if uy else math.inf)
    return x + ux * t, y + uy * t


def model_chart(edges: pd.DataFrame, strength: pd.DataFrame) -> OfflineChart:
    """The integrated model: elements as boxes, the propositions' links as arrows shaded by their verdicts.

    A link is drawn solid when at least one of its propositions is judged supported in some case,
    dashed otherwise; its width is the number of propositions on it. Links within one element are
    named in the element's tooltip, not drawn.
    """
    evidence = {
        m: (int(s), int(c))
        for m, s, c in zip(strength["mechanism"], strength["supported"], strength["counter"], strict=True)
    }
    inner = _text(edges[edges["source"] == edges["target"]].set_index("source"), "props")
    nodes = pd.DataFrame(
        {
            "name": [ELEMENT_ZH[e] for e in _LAYOUT],
            "x": [_LAYOUT[e][0] - _HALF_W for e in _LAYOUT],
            "x2": [_LAYOUT[e][0] + _HALF_W for e in _LAYOUT],
            "y": [_LAYOUT[e][1] - _HALF_H for e in _LAYOUT],
            "y2": [_LAYOUT[e][1] + _HALF_H for e in _LAYOUT],
            "cx": [_LAYOUT[e][0] for e in _LAYOUT],
            "cy": [_LAYOUT[e][1] for e in _LAYOUT],
            "detail": [
                (
                    f"作为条件：支持 {evidence[e][0]}，反证迹象 {evidence[e][1]}"
                    if e in evidence
                    else "只作为结果"
                )
                + (f"；要素内部的命题 {inner[e]}" if e in inner else "")
                for e in _LAYOUT
            ],
        }
    )
    links = edges[edges["source"] != edges["target"]].reset_index(drop=True)
    both_ways = set(zip(links["source"], links["target"], strict=True))
    geometry = []
    for s, t in zip(links["source"], links["target"], strict=True):
        (x0, y0), (x1, y1) = _LAYOUT[s], _LAYOUT[t]
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        off = 0.04 if (t, s) in both_ways else 0.0
        ox, oy = -uy * off, ux * off
        ax, ay = _edge_point(x0, y0, ux, uy)
        bx, by = _edge_point(x1, y1, -ux, -uy)
        geometry.append(
            {
                "x": ax + ox,
                "y": ay + oy,
                "x2": bx + ox - ux * 0.03,
                "y2": by + oy - uy * 0.03,
                "hx": bx + ox - ux * 0.03,
                "hy": by + oy - uy * 0.03,
                # Vega rotates a triangle clockwise from pointing up; the y axis points up
                "angle": (90 - math.degrees(math.atan2(uy * 1.1, ux))) % 360,
            }
        )
    links = pd.concat([links, pd.DataFrame(geometry)], axis=1)
    links["status"] = ["有案例支持" if n > 0 else "无案例支持" for n in links["supported"]]
    xscale, yscale = alt.Scale(domain=[-0.4, 3.4]), alt.Scale(domain=[-0.25, 1.25])
    status = alt.Scale(domain=["有案例支持", "无案例支持"], range=[PALETTE[5], "#9a9a9a"])
    tooltip = [
        alt.Tooltip("props:N", title="命题"),
        alt.Tooltip("supported:Q", title="支持的命题×案例"),
        alt.Tooltip("counter:Q", title="反证迹象"),
    ]
    x = alt.X("x:Q", scale=xscale, axis=None)
    y = alt.Y("y:Q", scale=yscale, axis=None)
    rules = (
        alt.Chart(links)
        .mark_rule()
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            color=alt.Color("status:N", title="链接", scale=status),
            strokeDash=alt.StrokeDash(
                "status:N", title="链接", scale=alt.Scale(domain=status.domain, range=[[1, 0], [5, 4]])
            ),
            strokeWidth=alt.StrokeWidth(
                "n_props:Q", title="命题数", scale=alt.Scale(range=[1.2, 5]), legend=alt.Legend(tickMinStep=1)
            ),
            tooltip=tooltip,
        )
    )
    heads = (
        alt.Chart(links)
        .mark_point(shape="triangle", filled=True, size=80, opacity=1)
        .encode(
            x=alt.X("hx:Q", scale=xscale, axis=None),
            y=alt.Y("hy:Q", scale=yscale, axis=None),
            angle=alt.Angle("angle:Q", scale=None),
            color=alt.Color("status:N", title="链接", scale=status),
            tooltip=tooltip,
        )
    )
    boxes = (
        alt.Chart(nodes)
        .mark_rect(fill="#f4f4f4", stroke=PALETTE[0], strokeWidth=1.2, cornerRadius=4)
        .encode(
            x=x,
            y=y,
            x2="x2:Q",
            y2="y2:Q",
            tooltip=[alt.Tooltip("name:N", title="要素"), alt.Tooltip("detail:N", title="证据")],
        )
    )
    names = (
        alt.Chart(nodes)
        .mark_text(fontSize=14)
        .encode(
            x=alt.X("cx:Q", scale=xscale, axis=None), y=alt.Y("cy:Q", scale=yscale, axis=None), text="name:N"
        )
    )
    chart = alt.layer(rules, heads, boxes, names).properties(width=720, height=330)
    return OfflineChart(
        chart,
        description=(
            "整合模型：六个要素（情境与价值导向、平台与数据、结构整合、伙伴与共创过程、流程与回应能力、价值结果）"
            "为方框，箭头从命题的区分性条件所属要素指向其结果所属要素；箭头粗细为命题数，实线表示其中至少有一个"
            "命题在某个案例中得到支持，虚线表示没有。"
        ),
    )


def elements_table(codebook: Codebook) -> pd.DataFrame:
    """Which integrated codes each element of the model holds."""
    return pd.DataFrame(
        {
            "要素": [ELEMENT_ZH[e] for e in ELEMENTS],
            "整合代码": [
                "、".join(f"{codebook.code(c).name_zh}（{c}）" for c in codes) for codes in ELEMENTS.values()
            ],
        }
    )
