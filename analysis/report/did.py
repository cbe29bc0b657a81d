"""Everything the DID chapter shows: design, estimates, diagnostics, sensitivity, power, as glue.

Each public function returns a :class:`~analysis.report.page.PageOutput`: plain scalars and
ready-made clauses for ``{glue:text}``, formatted tables and Altair charts. The chapter only
calls these functions and glues what they return.
"""

from __future__ import annotations

import functools
import re

import altair as alt
import numpy as np
import pandas as pd

from analysis.data import io
from analysis.did import estimators, honest
from analysis.did.fast import RAMP_YEARS
from analysis.did.panel import VARIANTS, compare_with_dissertation, load_panel, members
from analysis.did.simulation import (
    minimum_detectable_effect,
    placebo_panel,
    power_table,
    pretrend_slope,
    randomization_inference,
    regional_placebo,
)
from analysis.report.chart import OfflineChart
from analysis.report.format import fixed, interval, p_value
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

__all__ = [
    "HONEST_WINDOW",
    "N_DRAWS",
    "N_PERM",
    "OUTCOMES",
    "design_section",
    "estimates_section",
    "honest_section",
    "power_section",
    "pretrend_section",
    "robustness_section",
]

#: Outcome column -> (glue suffix, Chinese label).
OUTCOMES: dict[str, tuple[str, str]] = {
    "ln_gdp": ("lgdp", "名义GDP对数"),
    "ln_loans": ("credit", "贷款余额对数"),
}
#: Event study -> (glue suffix, Chinese label).
STUDIES: dict[str, tuple[str, str]] = {"CS": ("cs", "Callaway–Sant'Anna"), "TWFE": ("twfe", "TWFE")}
N_PERM = 999
N_DRAWS = 500
WILD_REPS = 9999
SEED = 20261122
#: Event times passed to the sensitivity analysis: five leads (as in the R HonestDiD README's
#: staggered example) and the first post period, the target.
HONEST_WINDOW = (-5, 0)
#: M-bar values of the relative-magnitudes chart (the R README's grid).
RM_GRID = (0.5, 1.0, 1.5, 2.0)
#: Points of the smoothness chart, from M = 0 to R's default upper end.
SD_POINTS = 4
#: Precision of the breakdown values: M-bar to 0.001, M to a thousandth of its upper end.
RM_TOL = 1e-3
RM_UPPER = 10.0
SD_TOL_SHARE = 5e-3
SD_UPPER_FACTOR = 10.0
POWER_SIZES = (0.0, 0.01, 0.02, 0.05)
CURVE_SIZES = tuple(round(0.005 * k, 3) for k in range(16)) + tuple(round(0.01 * k, 3) for k in range(8, 17))
#: Power scenarios: name -> (glue suffix, sign of the differential trend relative to the effect).
SCENARIOS: dict[str, tuple[str, float]] = {
    "平行趋势成立": ("pt", 0.0),
    "趋势偏离与效应反向": ("against", -1.0),
    "趋势偏离与效应同向": ("along", 1.0),
}
#: Design variants in the order of the robustness table, with their Chinese names.
VARIANT_NAMES: dict[str, str] = {
    "main": "主设定",
    "cy": "加入川渝通办",
    "ppd": "加入泛珠三角九省区",
    "silk": "加入“丝路通办”",
    "fj12": "加入福建等十二省区",
    "all": "计入全部区域协议",
}
_COMPACT_SHORT = {
    "g60": "G60科创走廊九城市",
    "yrd": "长三角",
    "jjj": "京津冀",
    "national": "国务院“跨省通办”指导意见",
    "cy": "川渝通办",
    "sw": "西南五省区市",
    "silk": "“丝路通办”",
    "fj12": "福建等十二省区",
    "ppd": "泛珠三角九省区",
    "swgx": "广西加入西南",
}
_SEED_CHECK = {"agrees": "一致", "partly": "部分印证（只见草案）", "not_in_seed": "论文未记"}
_USE = {"main": "主设定", "variant": "备选设定", "note": "城市试点（说明稀释）", "national": "全国性文件"}


@functools.cache
def _event_study(outcome: str, study: str) -> estimators.EventStudy:
    """The main design's event study of ``outcome`` (``"CS"`` or ``"TWFE"``), computed once."""
    panel = load_panel()
    if study == "CS":
        return estimators.cs_event_study(panel, outcome)
    return estimators.twfe_event_study(panel, outcome)


def _cohort_sizes(panel: pd.DataFrame) -> pd.Series:
    return panel.groupby("unit")["cohort"].first().value_counts()


def _pct(x: float, digits: int = 1) -> str:
    return f"{x * 100:.{digits}f}%"


def _date_zh(date: str) -> str:
    """``2021-04-21`` -> ``2021年4月21日`` (``2021-04`` -> ``2021年4月``); empty stays empty."""
    parts = [int(p) for p in date.split("-") if p]
    return "".join(f"{v}{unit}" for v, unit in zip(parts, ("年", "月", "日"), strict=False))


def _names_zh(panel: pd.DataFrame, provinces_en: list[str]) -> str:
    zh = dict(zip(panel["province_en"], panel["province_zh"], strict=False))
    return "、".join(zh[p] for p in provinces_en)


def _publisher(name: str) -> str:
    """A publisher as the table names it: a site known only by its domain is a web reprint."""
    name = name.split("（")[0]
    return "网站转载" if re.fullmatch(r"[A-Za-z0-9.-]+", name) else name


def design_section() -> PageOutput:
    """Cohorts, the compacts with their public sources, and the panel's dimensions."""
    sources = io.load_table("did_alliance_sources")
    membership = io.load_table("did_alliance_membership")
    panel = load_panel()
    s = PageOutput()
    sizes = _cohort_sizes(panel)
    never_all = load_panel(variant="all")
    never_units = never_all.groupby("province_en")["cohort"].first()
    conflicts = compare_with_dissertation(sources, membership)
    main_ids = set(VARIANTS["main"])
    s.update(
        {
            "did_n_provinces": int(panel["unit"].nunique()),
            "did_n_years": int(panel["year"].nunique()),
            "did_n_obs": len(panel),
            "did_n_treated": int((panel.groupby("unit")["cohort"].first() > 0).sum()),
            "did_n_never": int(sizes.get(0, 0)),
            "did_n_compacts": int((sources["used_as"] != "national").sum()),
            "did_n_main_compacts": len(main_ids),
            "did_n_main_agree": int(
                sources[sources["compact_id"].isin(main_ids)]["seed_check"].eq("agrees").sum()
            ),
            "did_n_not_in_seed": int(sources["seed_check"].eq("not_in_seed").sum()),
            "did_n_never_all": int((never_units == 0).sum()),
            "did_never_all_names": _names_zh(panel, sorted(never_units[never_units == 0].index)),
            "did_seed_web_check": (
                "成员与首年完全一致" if not conflicts else f"有 {len(conflicts)} 处不一致（见数据文件说明）"
            ),
            "did_level_ci": "95%",
            "did_level_power": "80%",
            "did_level_alpha": "5%",
            "did_ramp_years": RAMP_YEARS,
            "did_power_sizes": "、".join(f"{x * 100:.0f}%" for x in POWER_SIZES),
            "did_power_max": f"{max(POWER_SIZES) * 100:.0f}%",
            "did_n_outcomes": len(OUTCOMES),
        }
    )
    for year in (2019, 2020, 2021, 2022):
        s.value(f"did_n_cohort_{year}", int(sizes.get(year, 0)))
    for r in sources.to_dict("records"):
        s.value(f"did_event_{r['compact_id']}", _date_zh(str(r["event_date"])))
        s.value(f"did_pub_{r['compact_id']}", _date_zh(str(r["published"])) or "日期不详的报道中")
    rows = []
    for r in sources.to_dict("records"):
        names = members(sources)[str(r["compact_id"])]
        rows.append(
            {
                "协议": _COMPACT_SHORT[str(r["compact_id"])],
                "成员": _names_zh(panel, list(names)) if names else "全国",
                "日期": r["event_date"],
                "公开来源": f"{_publisher(str(r['publisher_zh']))}，{r['published'] or '日期不详'}",
                "与刘旭然（2023）对照": _SEED_CHECK[str(r["seed_check"])],
                "本章用法": _USE[str(r["used_as"])],
            }
        )
    s.table(
        "did_tbl_alliances",
        BookTable(
            pd.DataFrame(rows),
            "区域政务服务通办协议的日期、公开来源及其与刘旭然（2023）的对照"
            "（网址、页面标题与本书对页面内容的转述见数据附录中的协议来源表）",
            "tbl-did-alliances",
        ),
    )
    return s


def estimates_section() -> PageOutput:
    """Estimates for both outcomes, with RI, the wild bootstrap and the Bacon decomposition."""
    panel = load_panel()
    s = PageOutput()
    s.update({"did_n_perm": N_PERM, "did_wild_reps": WILD_REPS})
    rows = []
    for outcome, (key, label) in OUTCOMES.items():
        tw = estimators.twfe(panel, outcome)
        cs = estimators.callaway_santanna(panel, outcome, "nevertreated")
        nyt = estimators.callaway_santanna(panel, outcome, "notyettreated")
        sa, _ = estimators.sun_abraham(panel, outcome)
        ri = randomization_inference(panel, outcome, N_PERM, SEED)
        wild = estimators.wild_bootstrap(panel, outcome, WILD_REPS, SEED)
        s.update(
            {
                f"did_twfe_{key}": tw.estimate,
                f"did_twfe_se_{key}": tw.se,
                f"did_twfe_p_{key}": tw.p_value,
                f"did_cs_{key}": cs.simple.estimate,
                f"did_cs_se_{key}": cs.simple.se,
                f"did_cs_p_{key}": cs.simple.p_value,
                f"did_csnyt_{key}": nyt.simple.estimate,
                f"did_csdyn_{key}": cs.dynamic.estimate,
                f"did_csgrp_{key}": cs.group.estimate,
                f"did_sa_{key}": sa.estimate,
                f"did_sa_se_{key}": sa.se,
                f"did_ri_twfe_{key}": ri.p_twfe,
                f"did_ri_cs_{key}": ri.p_cs,
                f"did_wild_{key}": wild,
            }
        )
        for name, est, ri_p in (
            ("TWFE（静态，按省聚类）", tw, p_value(ri.p_twfe)),
            ("CS 简单平均（从未处理组）", cs.simple, p_value(ri.p_cs)),
            ("CS 简单平均（尚未处理组）", nyt.simple, "—"),
            ("CS 动态平均", cs.dynamic, "—"),
            ("CS 按组平均", cs.group, "—"),
            ("Sun–Abraham", sa, "—"),
        ):
            rows.append(
                {
                    "结果变量": label,
                    "估计量": name,
                    "估计值": fixed(est.estimate),
                    "标准误": fixed(est.se),
                    "p（解析）": p_value(est.p_value),
                    "p（随机化推断）": ri_p,
                }
            )
    s.table(
        "did_tbl_estimates",
        BookTable(pd.DataFrame(rows), "主设定（2012—2023年）的估计结果", "tbl-did-estimates"),
    )
    twfe_est, bacon = estimators.bacon(panel, "ln_gdp")
    names = {
        "treated_vs_never": "处理组对从未处理组",
        "earlier_vs_later": "早处理组对晚处理组（后者尚未处理）",
        "later_vs_earlier": "晚处理组对早处理组（后者已处理）",
    }
    by = {str(r["comparison_type"]): r for r in bacon.to_dict("records")}
    s.update(
        {
            "did_bacon_twfe": twfe_est,
            "did_bacon_w_never": float(by["treated_vs_never"]["weight"]),
            "did_bacon_est_never": float(by["treated_vs_never"]["estimate"]),
            "did_bacon_w_forbidden": float(by["later_vs_earlier"]["weight"]),
            "did_bacon_est_forbidden": float(by["later_vs_earlier"]["estimate"]),
            "did_bacon_est_early": float(by["earlier_vs_later"]["estimate"]),
        }
    )
    s.table(
        "did_tbl_bacon",
        BookTable(
            pd.DataFrame(
                {
                    "比较类型": [names.get(t, t) for t in bacon["comparison_type"]],
                    "二乘二比较个数": bacon["n"].astype(int),
                    "权重": [fixed(w) for w in bacon["weight"]],
                    "加权平均估计": [fixed(e) for e in bacon["estimate"]],
                }
            ),
            "TWFE 系数（名义GDP对数）的 Goodman-Bacon 分解",
            "tbl-did-bacon",
        ),
    )
    return s


def _event_chart(frames: list[pd.DataFrame]) -> OfflineChart:
    data = pd.concat(frames, ignore_index=True)
    # the two estimators side by side around each event time
    studies = list(dict.fromkeys(data["study"]))
    data["x"] = data["e"] + data["study"].map({st: 0.3 * (k - 0.5) for k, st in enumerate(studies)})
    base = alt.Chart().encode(
        x=alt.X("x:Q", title="相对联盟首年的年份（e = -1 为基期）", axis=alt.Axis(tickMinStep=1, format="d")),
    )
    zero = alt.Chart().mark_rule(color="#666666", strokeDash=[4, 4], aria=False).encode(y=alt.datum(0))
    onset = alt.Chart().mark_rule(color="#999999", aria=False).encode(x=alt.datum(-0.5))
    bars = base.mark_errorbar().encode(
        y=alt.Y("ci_low:Q", title="效应（相对基期）"),
        y2="ci_high:Q",
        color=alt.Color("study:N", title="估计量"),
    )
    points = base.mark_point(filled=True, size=40).encode(
        y="att:Q",
        color=alt.Color("study:N", title="估计量"),
        tooltip=[
            alt.Tooltip("study:N", title="估计量"),
            alt.Tooltip("e:Q", title="相对年份"),
            alt.Tooltip("att:Q", title="估计", format=".3f"),
            alt.Tooltip("se:Q", title="标准误", format=".3f"),
            alt.Tooltip("n_groups:Q", title="队列数"),
        ],
    )
    chart = (
        alt.layer(bars, points, zero, onset, data=data)
        .properties(width=280, height=260)
        .facet(column=alt.Column("outcome:N", title=None, sort=[v[1] for v in OUTCOMES.values()]))
        .resolve_scale(y="independent")
        # below the panels: beside them, the legend made the chart wider than the page's column
        .configure_legend(orient="bottom", direction="horizontal", labelLimit=0)
    )
    return OfflineChart(
        chart,
        "两个结果变量的事件研究图：横轴为相对联盟首年的年份，纵轴为效应及其 95% 置信区间，"
        "Callaway–Sant'Anna 与 TWFE 两种估计并排，竖线标出处理开始",
    )


def pretrend_section() -> PageOutput:
    """Event studies (CS and dynamic TWFE), pre-period tests and the pre-test's power."""
    panel = load_panel()
    s = PageOutput()
    frames = []
    for outcome, (key, label) in OUTCOMES.items():
        for study, (skey, slabel) in STUDIES.items():
            es = _event_study(outcome, study)
            frame = es.frame()
            frames.append(frame.assign(outcome=label, study=slabel))
            pre = frame[frame["e"] < -1]
            s.update(
                {
                    f"did_pre_n_{key}_{skey}": len(pre),
                    f"did_pre_nsig_{key}_{skey}": int(((pre["ci_low"] > 0) | (pre["ci_high"] < 0)).sum()),
                    f"did_pre_maxabs_{key}_{skey}": float(pre["att"].abs().max()),
                }
            )
            if study == "CS":
                window = es.window(HONEST_WINDOW[0], -2)
                s.value(f"did_pre_slope_{key}", pretrend_slope(window.event_times, window.beta))
        power = estimators.pretrend_power(panel, outcome, ())
        s.value(f"did_pre_mdv_{key}", power.mdv)
    # the keys other pages cite: the Callaway-Sant'Anna counts
    for key in ("lgdp", "credit"):
        for stat in ("n", "nsig", "maxabs"):
            s.value(f"did_pre_{stat}_{key}", s.values[f"did_pre_{stat}_{key}_cs"])
    s.value("did_pre_slope_pct_lgdp", float(s.values["did_pre_slope_lgdp"]) * 100)
    s.value("did_pre_slope_mdv_pct_lgdp", float(s.values["did_pre_mdv_lgdp"]) * 100)
    s.value("did_honest_min_e", HONEST_WINDOW[0])
    s.chart("did_fig_event", _event_chart(frames))
    return s


def _breakdown_text(value: float | None, upper: float, digits: int) -> str:
    if value is None:
        return f"大于 {upper:g}"
    if value == 0.0:
        return "0"
    return f"{value:.{digits}f}"


def _rm_clause(value: float | None, upper: float) -> str:
    if value is None:
        return f"即使 M̄ 取到 {upper:g}，稳健区间仍不含零"
    if value == 0.0:
        return "原始区间已经含零，崩溃值为 0"
    return f"只要处理后的趋势变动达到处理前最大相邻变动的 {value:.2f} 倍，稳健区间就含零"


def _sensitivity_chart(rows: pd.DataFrame) -> OfflineChart:
    studies = [v[1] for v in STUDIES.values()]
    base = alt.Chart().encode(
        x=alt.X(
            "param:N", title="约束参数（“原始”为假定平行趋势成立）", sort=None, axis=alt.Axis(labelAngle=0)
        ),
        color=alt.Color(
            "study:N", title="事件研究", scale=alt.Scale(domain=studies), legend=alt.Legend(orient="bottom")
        ),
        tooltip=[
            alt.Tooltip("study:N", title="事件研究"),
            alt.Tooltip("param:N", title="参数"),
            alt.Tooltip("lb:Q", title="下限", format=".4f"),
            alt.Tooltip("ub:Q", title="上限", format=".4f"),
        ],
    )
    layers = []
    for k, study in enumerate(studies):
        shift = 7 * (2 * k - 1)  # the two event studies side by side, in pixels
        one = base.transform_filter(alt.datum.study == study)
        layers += [
            one.mark_rule(strokeWidth=3, xOffset=shift).encode(
                y=alt.Y("lb:Q", title="首年效应的 95% 区间"), y2="ub:Q"
            ),
            one.mark_tick(thickness=2, size=9, xOffset=shift, orient="horizontal").encode(y="lb:Q"),
            one.mark_tick(thickness=2, size=9, xOffset=shift, orient="horizontal").encode(y="ub:Q"),
        ]
    zero = alt.Chart().mark_rule(color="#666666", strokeDash=[4, 4], aria=False).encode(y=alt.datum(0))
    chart = (
        alt.layer(*layers, zero, data=rows)
        .properties(width=250, height=200)
        .facet(
            row=alt.Row("outcome:N", title=None, sort=[v[1] for v in OUTCOMES.values()]),
            column=alt.Column("restriction:N", title=None, sort=["相对幅度 Δᴿᴹ（M̄）", "平滑性 Δˢᴰ（M）"]),
        )
        .resolve_scale(x="independent", y="independent")
    )
    return OfflineChart(
        chart,
        "HonestDiD 敏感性图：每格最左为假定平行趋势成立时的原始区间，向右依次为相对幅度约束下"
        "不同 M̄ 或平滑性约束下不同 M 的稳健 95% 区间；两行是两个结果变量，颜色区分两种事件研究",
    )


def honest_section() -> PageOutput:
    """Rambachan-Roth sensitivity of the first-year effect: Δᴿᴹ (C-LF) and Δˢᴰ (FLCI)."""
    s = PageOutput()
    chart_rows, table_rows = [], []
    s.update(
        {
            "did_hd_rm_grid": "、".join(f"{m:g}" for m in RM_GRID),
            "did_hd_rm_max": max(RM_GRID),
            "did_hd_rm_tol": f"{RM_TOL:g}",
            "did_hd_n_pre": -HONEST_WINDOW[0] - 1,
        }
    )
    for outcome, (key, label) in OUTCOMES.items():
        studies = {study: _event_study(outcome, study).window(*HONEST_WINDOW) for study in STUDIES}
        # one grid of M for both event studies: from 0 to R's default upper end, or a quarter
        # past the larger breakdown value where that lies beyond it
        sd_zero = {study: [honest.sd_interval(es, 0.0)] for study, es in studies.items()}
        m_ub = {study: honest.sd_upper_bound(es) for study, es in studies.items()}
        sd_bd = {
            study: honest.breakdown_sd(
                es, SD_TOL_SHARE * m_ub[study], SD_UPPER_FACTOR * m_ub[study], known=sd_zero[study]
            )
            for study, es in studies.items()
        }
        top = max([*m_ub.values(), *(1.25 * b for b in sd_bd.values() if b is not None)])
        m_grid = np.linspace(0.0, top, SD_POINTS + 1)[1:]
        for study, (skey, slabel) in STUDIES.items():
            es = studies[study]
            original = honest.original_interval(es)
            rm = honest.rm_intervals(es, RM_GRID)
            rm_bd = honest.breakdown_rm(es, RM_TOL, RM_UPPER, known=rm)
            sd = sd_zero[study] + [honest.sd_interval(es, float(m)) for m in m_grid]
            tag = f"{key}_{skey}"
            s.update(
                {
                    f"did_hd_est_{tag}": float(es.beta[-1]),
                    f"did_hd_orig_{tag}": interval(original.lb, original.ub),
                    f"did_hd_rm_bd_{tag}": _breakdown_text(rm_bd, RM_UPPER, 2),
                    f"did_hd_rm_clause_{tag}": _rm_clause(rm_bd, RM_UPPER),
                    f"did_hd_sd_bd_{tag}": _breakdown_text(sd_bd[study], SD_UPPER_FACTOR * m_ub[study], 4),
                    f"did_hd_rm_m1_{tag}": interval(rm[1].lb, rm[1].ub),
                }
            )
            for restriction, rows_ in (("相对幅度 Δᴿᴹ（M̄）", rm), ("平滑性 Δˢᴰ（M）", sd)):
                chart_rows.append(
                    {"outcome": label, "study": slabel, "restriction": restriction, "param": "原始"}
                    | {"lb": original.lb, "ub": original.ub}
                )
                for row in rows_:
                    chart_rows.append(
                        {
                            "outcome": label,
                            "study": slabel,
                            "restriction": restriction,
                            "param": f"{row.parameter:.2g}",
                            "lb": row.lb,
                            "ub": row.ub,
                        }
                    )
            table_rows.append(
                {
                    "结果变量": label,
                    "事件研究": slabel,
                    "首年效应": fixed(float(es.beta[-1])),
                    "原始 95% 区间": interval(original.lb, original.ub),
                    "M̄ = 1 时的稳健区间": interval(rm[1].lb, rm[1].ub),
                    "崩溃值 M̄（Δᴿᴹ）": _breakdown_text(rm_bd, RM_UPPER, 2),
                    "崩溃值 M（Δˢᴰ）": _breakdown_text(sd_bd[study], SD_UPPER_FACTOR * m_ub[study], 4),
                }
            )
    s.table(
        "did_tbl_honest",
        BookTable(
            pd.DataFrame(table_rows),
            "首年效应的 HonestDiD 敏感性：原始区间、相对幅度约束下 M̄ = 1 的稳健区间，以及两种约束的崩溃值",
            "tbl-did-honest",
        ),
    )
    s.chart("did_fig_honest", _sensitivity_chart(pd.DataFrame(chart_rows)))
    return s


def _power_chart(curves: pd.DataFrame) -> OfflineChart:
    long = curves.melt(
        id_vars=["scenario", "estimator", "size"],
        value_vars=["reject_analytic", "reject_ri"],
        var_name="inference",
    )
    long["inference"] = long["inference"].map({"reject_analytic": "解析标准误", "reject_ri": "随机化推断"})
    long["estimator"] = long["estimator"].map({"TWFE": "TWFE", "CS": "CS 简单平均"})
    long["size_pct"] = long["size"] * 100
    base = alt.Chart().encode(
        x=alt.X("size_pct:Q", title="注入效应的满额幅度（%）"),
        y=alt.Y("value:Q", title="拒绝率（5% 水平）", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("estimator:N", title="估计量", legend=alt.Legend(orient="bottom")),
    )
    # lines only in the legend of the dash, so it shows solid against dashed strokes
    lines = base.mark_line(strokeWidth=2).encode(
        strokeDash=alt.StrokeDash(
            "inference:N",
            title="推断方法",
            scale=alt.Scale(domain=["解析标准误", "随机化推断"], range=[[1, 0], [6, 4]]),
            legend=alt.Legend(symbolType="stroke", symbolStrokeWidth=2, symbolSize=400, orient="bottom"),
        ),
        detail="inference:N",
    )
    points = base.mark_point(filled=True, size=18).encode(
        shape=alt.Shape("inference:N", legend=None),
        tooltip=[
            alt.Tooltip("scenario:N", title="情形"),
            alt.Tooltip("estimator:N", title="估计量"),
            alt.Tooltip("inference:N", title="推断"),
            alt.Tooltip("size_pct:Q", title="满额效应（%）"),
            alt.Tooltip("value:Q", title="拒绝率", format=".3f"),
        ],
    )
    target = alt.Chart().mark_rule(color="#666666", strokeDash=[2, 2], aria=False).encode(y=alt.datum(0.8))
    chart = (
        alt.layer(lines, points, target, data=long)
        .properties(width=180, height=220)
        .facet(column=alt.Column("scenario:N", title=None, sort=list(SCENARIOS)))
    )
    return OfflineChart(
        chart,
        "功效曲线：三栏分别为平行趋势成立、存在与效应反向的趋势偏离、存在与效应同向的趋势偏离；"
        "横轴为注入效应的满额幅度，纵轴为拒绝零假设的比例；颜色区分估计量，实线为解析标准误，"
        "虚线为随机化推断，水平虚线标出百分之八十的功效",
    )


def _mde(curve: pd.DataFrame, column: str) -> str:
    mde = minimum_detectable_effect(curve, column, 0.8)
    return f"{mde * 100:.1f}%" if mde is not None else f"超过所查网格的上限 {max(CURVE_SIZES):.0%}"


def power_section() -> PageOutput:
    """Power and size of TWFE and CS with injected effects, with and without a differential trend."""
    panel = load_panel()
    s = PageOutput()
    es = _event_study("ln_gdp", "CS").window(HONEST_WINDOW[0], -2)
    slope = abs(pretrend_slope(es.event_times, es.beta))
    s.update({"did_n_draws": N_DRAWS, "did_pw_trend": slope, "did_pw_trend_pct": slope * 100})
    curves, mde_rows = [], []
    for scenario, (tag, sign) in SCENARIOS.items():
        curve = power_table(panel, "ln_gdp", CURVE_SIZES, N_DRAWS, N_PERM, SEED, sign * slope)
        curves.append(curve.assign(scenario=scenario))
        cs, tw = curve[curve["estimator"] == "CS"], curve[curve["estimator"] == "TWFE"]
        zero = cs[cs["size"] == 0.0].iloc[0]
        s.update(
            {
                f"did_mde_cs_ri_{tag}": _mde(cs, "reject_ri"),
                f"did_mde_cs_an_{tag}": _mde(cs, "reject_analytic"),
                f"did_mde_twfe_ri_{tag}": _mde(tw, "reject_ri"),
                f"did_pw_size_ri_{tag}": float(zero["reject_ri"]),
                f"did_pw_size_an_{tag}": float(zero["reject_analytic"]),
                f"did_pw_bias0_{tag}": float(zero["bias"]),
            }
        )
        mde_rows.append(
            {
                "情形": scenario,
                "零效应时的拒绝率（CS，随机化推断）": fixed(float(zero["reject_ri"])),
                "零效应时的平均偏差（CS）": fixed(float(zero["bias"]), 4),
                "最小可检出满额效应（CS，随机化推断）": s.values[f"did_mde_cs_ri_{tag}"],
                "最小可检出满额效应（CS，解析）": s.values[f"did_mde_cs_an_{tag}"],
                "最小可检出满额效应（TWFE，随机化推断）": s.values[f"did_mde_twfe_ri_{tag}"],
            }
        )
        if tag == "pt":
            table = curve[curve["size"].isin(POWER_SIZES)].reset_index(drop=True)
    # the keys other pages cite: the parallel-trends scenario
    for k in ("cs_ri", "cs_an", "twfe_ri"):
        s.value(f"did_mde_{k}", s.values[f"did_mde_{k}_pt"])
    names = {"TWFE": "TWFE", "CS": "CS 简单平均"}
    s.table(
        "did_tbl_power",
        BookTable(
            pd.DataFrame(
                {
                    "估计量": [names[e] for e in table["estimator"]],
                    "满额效应": [f"{x * 100:.0f}%" for x in table["size"]],
                    "真实平均效应": [fixed(x, 4) for x in table["true"]],
                    "偏差": [fixed(x, 4) for x in table["bias"]],
                    "均方根误差": [fixed(x, 4) for x in table["rmse"]],
                    "覆盖率": [fixed(x) for x in table["coverage"]],
                    "拒绝率（解析）": [fixed(x) for x in table["reject_analytic"]],
                    "拒绝率（随机化推断）": [fixed(x) for x in table["reject_ri"]],
                }
            ),
            "平行趋势成立时（真实省份路径随机分配），在面板中注入已知效应后的模拟结果"
            "（名义GDP对数；每个效应幅度的抽样次数见正文）",
            "tbl-did-power",
        ),
    )
    for rec in table.to_dict("records"):
        tag = f"{str(rec['estimator']).lower()}_{round(float(rec['size']) * 100)}"
        s.value(f"did_pw_bias_{tag}", float(rec["bias"]))
        s.value(f"did_pw_rmse_{tag}", float(rec["rmse"]))
        s.value(f"did_pw_cov_{tag}", float(rec["coverage"]))
        s.value(f"did_pw_rej_{tag}", float(rec["reject_analytic"]))
        s.value(f"did_pw_rejri_{tag}", float(rec["reject_ri"]))
    s.value("did_curve_max_pct", max(CURVE_SIZES) * 100)
    s.value("did_pw_rmse_ratio", float(s.values["did_pw_rmse_twfe_0"]) / float(s.values["did_pw_rmse_cs_0"]))
    s.table(
        "did_tbl_mde",
        BookTable(
            pd.DataFrame(mde_rows),
            "三种情形下的误判率与最小可检出效应（名义GDP对数，检验力以百分之八十为准）",
            "tbl-did-mde",
        ),
    )
    s.chart("did_fig_power", _power_chart(pd.concat(curves, ignore_index=True)))
    return s


def _variants_chart(rows: pd.DataFrame) -> OfflineChart:
    order = list(VARIANT_NAMES.values())
    base = alt.Chart().encode(y=alt.Y("variant:N", title=None, sort=order, axis=alt.Axis(labelLimit=240)))
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("ci_low:Q", title="CS 简单平均及其 95% 区间"), x2="ci_high:Q"
    )
    points = base.mark_point(filled=True, size=50).encode(
        x="est:Q",
        tooltip=[
            alt.Tooltip("variant:N", title="设定"),
            alt.Tooltip("est:Q", title="估计", format=".3f"),
            alt.Tooltip("n_never:Q", title="从未处理省份数"),
        ],
    )
    zero = alt.Chart().mark_rule(color="#666666", strokeDash=[4, 4], aria=False).encode(x=alt.datum(0))
    chart = (
        alt.layer(bars, points, zero, data=rows)
        .properties(width=260, height=200)
        .facet(column=alt.Column("outcome:N", title=None, sort=[v[1] for v in OUTCOMES.values()]))
        .resolve_scale(x="independent")
    )
    return OfflineChart(
        chart,
        "不同协议设定下的 Callaway–Sant'Anna 简单平均估计及其 95% 置信区间：纵轴为六种处理日期设定，"
        "两栏为两个结果变量",
    )


def robustness_section() -> PageOutput:
    """Alternative compacts, the 2012-2020 window, placebo dates and regional placebo alliances."""
    s = PageOutput()
    regions = io.load_table("did_regions")
    main = load_panel()
    short = load_panel(end=2020)
    placebo = placebo_panel(main, 3)
    s.update(
        {
            "did_short_n_treated": int((short.groupby("unit")["cohort"].first() > 0).sum()),
            "did_placebo_shift": 3,
            "did_placebo_last": int(placebo["year"].max()),
            "did_n_regional": N_PERM,
            "did_n_variants": len(VARIANTS),
        }
    )
    rows, chart_rows = [], []
    estimates: dict[str, dict[str, float]] = {key: {} for key, _ in OUTCOMES.values()}
    frames = [(v, VARIANT_NAMES[v], load_panel(variant=v)) for v in VARIANTS]
    frames += [("short", "窗口止于2020年", short), ("pl", "安慰剂日期（各组提前三年）", placebo)]
    for tag, name, frame in frames:
        units = frame.groupby("unit")["cohort"].first()
        row: dict[str, object] = {
            "设定": name,
            "处理省份": int((units > 0).sum()),
            "从未处理省份": int((units == 0).sum()),
        }
        for outcome, (key, label) in OUTCOMES.items():
            cs = estimators.callaway_santanna(frame, outcome)
            ri = randomization_inference(frame, outcome, N_PERM, SEED)
            s.update(
                {
                    f"did_{tag}_cs_{key}": cs.simple.estimate,
                    f"did_{tag}_cs_p_{key}": cs.simple.p_value,
                    f"did_{tag}_ri_cs_{key}": ri.p_cs,
                    f"did_{tag}_twfe_{key}": estimators.twfe(frame, outcome).estimate,
                }
            )
            row[f"{label}：CS 简单平均"] = fixed(cs.simple.estimate)
            row[f"{label}：随机化推断 p"] = p_value(ri.p_cs)
            if tag in VARIANTS:
                estimates[key][tag] = cs.simple.estimate
                chart_rows.append(
                    {
                        "outcome": label,
                        "variant": name,
                        "est": cs.simple.estimate,
                        "ci_low": cs.simple.ci_low,
                        "ci_high": cs.simple.ci_high,
                        "n_never": int((units == 0).sum()),
                    }
                )
        rows.append(row)
    for key, by_variant in estimates.items():
        s.value(f"did_var_min_{key}", min(by_variant.values()))
        s.value(f"did_var_max_{key}", max(by_variant.values()))
    s.table(
        "did_tbl_robust",
        BookTable(pd.DataFrame(rows), "处理日期的其他设定、缩短窗口与安慰剂日期", "tbl-did-robust"),
    )
    s.chart("did_fig_variants", _variants_chart(pd.DataFrame(chart_rows)))
    regional = regional_placebo(main, regions, tuple(OUTCOMES), N_PERM, SEED)
    for outcome, (key, _) in OUTCOMES.items():
        reg = regional[outcome]
        s.update(
            {
                f"did_reg_p_cs_{key}": reg.p_cs,
                f"did_reg_p_twfe_{key}": reg.p_twfe,
                f"did_reg_rej_cs_{key}": reg.reject_cs,
                f"did_reg_rej_twfe_{key}": reg.reject_twfe,
            }
        )
    return s
