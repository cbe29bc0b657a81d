"""Everything the DID chapter shows: estimates, diagnostics, power, as glue values, tables, charts.

Each public function returns a :class:`~analysis.report.page.PageOutput`: plain scalars for
``{glue:text}``, formatted tables and Altair charts. The chapter only calls these functions
and glues what they return.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd

from analysis.data import io
from analysis.did import estimators
from analysis.did.fast import RAMP_YEARS
from analysis.did.panel import load_panel
from analysis.did.simulation import (
    minimum_detectable_effect,
    placebo_panel,
    power_draws,
    power_table,
    randomization_inference,
    regional_placebo,
)
from analysis.report.chart import OfflineChart
from analysis.report.format import fixed, p_value, seed_ref
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

__all__ = [
    "N_DRAWS",
    "N_PERM",
    "OUTCOMES",
    "design_section",
    "diagnostics_section",
    "estimates_section",
    "power_section",
    "robustness_section",
]

#: Outcome column -> (glue suffix, Chinese label).
OUTCOMES: dict[str, tuple[str, str]] = {
    "ln_gdp": ("lgdp", "名义GDP对数"),
    "credit_gdp": ("credit", "存贷款余额与GDP之比"),
}
N_PERM = 999
N_DRAWS = 500
WILD_REPS = 9999
SEED = 20261122
HONEST_GRID = (0.0, 0.25, 0.5, 1.0, 1.5, 2.0)
BREAKDOWN_GRID = tuple(round(0.05 * k, 2) for k in range(41))
POWER_SIZES = (0.0, 0.01, 0.02, 0.05)
CURVE_SIZES = tuple(round(0.005 * k, 3) for k in range(16)) + tuple(round(0.01 * k, 3) for k in range(8, 17))


def design_section() -> PageOutput:
    """Cohorts, alliance dates with their seed lines, and panel dimensions."""
    alliances = io.load_table("did_alliance_membership")
    panel = load_panel()
    variant = load_panel(include_panpearl=True)
    s = PageOutput()
    sizes = panel.groupby("unit")["cohort"].first().value_counts()
    s.update(
        {
            "did_n_provinces": int(panel["unit"].nunique()),
            "did_n_years": int(panel["year"].nunique()),
            "did_n_obs": len(panel),
            "did_n_treated": int((panel.groupby("unit")["cohort"].first() > 0).sum()),
            "did_n_never": int(sizes.get(0, 0)),
            "did_n_never_ppd": int((variant.groupby("unit")["cohort"].first() == 0).sum()),
            "did_n_treated_ppd": int((variant.groupby("unit")["cohort"].first() > 0).sum()),
            "did_n_2021_ppd": int((variant.groupby("unit")["cohort"].first() == 2021).sum()),
            "did_n_alliance_rows": len(alliances),
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
    rows = []
    for aid, grp in alliances.groupby("alliance_id", sort=False):
        first = grp.iloc[0]
        rows.append(
            {
                "联盟": first["alliance_zh"],
                "省份": "、".join(grp["province_zh"]),
                "日期": first["event_date"],
                "首年": int(first["first_year"]),
                "可信度": {"high": "高", "medium": "中", "low": "低"}[first["certainty"]],
                "出处": seed_ref(first["seed_id"], first["line_from"], first["line_to"])
                + f"（{first['event_id']}）",
                "本章用法": "仅稳健性" if aid == "ppd" else "主设定",
            }
        )
    s.table(
        "did_tbl_alliances",
        BookTable(
            pd.DataFrame(rows),
            "区域通办联盟、首次协议日期及其在刘旭然（2023）博士论文中的出处",
            "tbl-did-alliances",
        ),
    )
    return s


def estimates_section() -> PageOutput:
    """Headline estimates for both outcomes, with RI, wild bootstrap and the Bacon decomposition."""
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
        BookTable(pd.DataFrame(rows), "主设定（2012—2023年，不含泛珠三角）的估计结果", "tbl-did-estimates"),
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
    # every layer inherits the facet's data, so each panel shows only its own outcome
    base = alt.Chart().encode(
        x=alt.X("e:Q", title="相对联盟首年的年份（e = -1 为基期）", axis=alt.Axis(tickMinStep=1, format="d"))
    )
    rule = alt.Chart().mark_rule(color="#666666", strokeDash=[4, 4], aria=False).encode(y=alt.datum(0))
    bars = base.mark_errorbar().encode(y=alt.Y("ci_low:Q", title="ATT（相对基期）"), y2="ci_high:Q")
    points = base.mark_point(filled=True, size=50).encode(
        y="att:Q",
        color=alt.Color("period:N", title="", scale=alt.Scale(domain=["处理前", "处理后"])),
        tooltip=["e", alt.Tooltip("att:Q", format=".3f"), alt.Tooltip("se:Q", format=".3f"), "n_groups"],
    )
    chart = (
        alt.layer(bars, points, rule, data=data)
        .properties(width=300, height=260)
        .facet(column=alt.Column("outcome:N", title=None, sort=[v[1] for v in OUTCOMES.values()]))
        .resolve_scale(y="independent")
    )
    return OfflineChart(
        chart,
        "两个结果变量的事件研究图：横轴为相对联盟首年的年份，纵轴为 Callaway–Sant'Anna "
        "估计的效应及其 95% 置信区间，处理前与处理后用颜色区分",
    )


def diagnostics_section() -> PageOutput:
    """Event study, pre-trend power (Roth 2022) and HonestDiD bounds for both outcomes."""
    panel = load_panel()
    s = PageOutput()
    frames, rows = [], []
    for outcome, (key, label) in OUTCOMES.items():
        es = estimators.event_study(panel, outcome)
        frames.append(es.assign(outcome=label, period=np.where(es["e"] < 0, "处理前", "处理后")))
        pre = es[es["e"] < -1]
        n_sig = int(((pre["ci_low"] > 0) | (pre["ci_high"] < 0)).sum())
        power = estimators.pretrend_power(panel, outcome, ())
        honest = estimators.honest_bounds(panel, outcome, HONEST_GRID)
        fine = estimators.honest_bounds(panel, outcome, BREAKDOWN_GRID)
        s.update(
            {
                f"did_pre_n_{key}": len(pre),
                f"did_pre_maxabs_{key}": float(pre["att"].abs().max()),
                f"did_pre_nsig_{key}": n_sig,
                # "中有 8 个" / "中没有一个" / "中每一个": reads well for every count
                f"did_pre_sig_{key}": "没有一个"
                if n_sig == 0
                else "每一个"
                if n_sig == len(pre)
                else f"有 {n_sig} 个",
                f"did_pre_mdv_{key}": power.mdv,
                f"did_hd_est_{key}": honest.original.estimate,
                f"did_hd_breakdown_{key}": (
                    f"{fine.breakdown:.2f}" if fine.breakdown is not None else "超出所查网格"
                ),
            }
        )
        for m, lo, hi in honest.grid.itertuples(index=False):
            s.value(f"did_hd_lo_{key}_m{round(m * 100):03d}", float(lo))
            s.value(f"did_hd_hi_{key}_m{round(m * 100):03d}", float(hi))
            rows.append({"结果变量": label, "M̄": f"{m:.2f}", "稳健95%区间下限": fixed(lo), "上限": fixed(hi)})
    s.value("did_pre_slope_mdv_pct_lgdp", float(s.values["did_pre_mdv_lgdp"]) * 100)
    s.table(
        "did_tbl_honest",
        BookTable(
            pd.DataFrame(rows),
            "HonestDiD 相对幅度约束 Δᴿᴹ 下的稳健置信区间：处理后各期效应的平均值",
            "tbl-did-honest",
        ),
    )
    s.chart("did_fig_event", _event_chart(frames))
    return s


def _power_chart(curve: pd.DataFrame) -> OfflineChart:
    long = curve.melt(
        id_vars=["estimator", "size"], value_vars=["reject_analytic", "reject_ri"], var_name="inference"
    )
    long["inference"] = long["inference"].map({"reject_analytic": "解析标准误", "reject_ri": "随机化推断"})
    long["size_pct"] = long["size"] * 100
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("size_pct:Q", title="注入效应的满额幅度（%，按三年线性爬坡）"),
            y=alt.Y("value:Q", title="拒绝率（5% 水平）", scale=alt.Scale(domain=[0, 1])),
            color=alt.Color("estimator:N", title="估计量"),
            strokeDash=alt.StrokeDash("inference:N", title="推断方法"),
            tooltip=["estimator", "inference", "size_pct", alt.Tooltip("value:Q", format=".3f")],
        )
    )
    target = (
        alt.Chart(pd.DataFrame({"y": [0.8]}))
        .mark_rule(color="#666666", strokeDash=[2, 2], aria=False)
        .encode(y="y:Q")
    )
    return OfflineChart(
        (lines + target).properties(width=600, height=320),
        "功效曲线：横轴为注入到真实省级面板中的效应幅度（百分比），"
        "纵轴为拒绝零假设的比例；两种估计量、两种推断方法各一条线，虚线标出百分之八十的功效",
    )


def power_section() -> PageOutput:
    """Power and size of TWFE and CS on the real panel with injected effects (fast path)."""
    panel = load_panel()
    s = PageOutput()
    s.value("did_n_draws", N_DRAWS)
    curve = power_table(panel, "ln_gdp", CURVE_SIZES, N_DRAWS, N_PERM, SEED)
    table = curve[curve["size"].isin(POWER_SIZES)].reset_index(drop=True)
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
                    "RMSE": [fixed(x, 4) for x in table["rmse"]],
                    "覆盖率": [fixed(x) for x in table["coverage"]],
                    "拒绝率（解析）": [fixed(x) for x in table["reject_analytic"]],
                    "拒绝率（随机化推断）": [fixed(x) for x in table["reject_ri"]],
                }
            ),
            "在真实省级面板中注入已知效应后的模拟结果（名义GDP对数；每个效应幅度的抽样次数见正文）",
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
    for est in ("TWFE", "CS"):
        sub = curve[curve["estimator"] == est]
        for col, tag in (("reject_ri", "ri"), ("reject_analytic", "an")):
            mde = minimum_detectable_effect(sub, col, 0.8)
            s.value(
                f"did_mde_{est.lower()}_{tag}",
                f"{mde * 100:.1f}%" if mde is not None else f"超过所查网格的上限 {max(CURVE_SIZES):.0%}",
            )
    s.value("did_curve_max_pct", max(CURVE_SIZES) * 100)
    s.value("did_pw_rmse_ratio", float(s.values["did_pw_rmse_twfe_0"]) / float(s.values["did_pw_rmse_cs_0"]))
    s.chart("did_fig_power", _power_chart(curve))
    # the fast path against the libraries, on a sample of the simulated draws
    design, y, _ = power_draws(panel, "ln_gdp", 0.02, N_DRAWS, SEED)
    checks = []
    for r in (0, N_DRAWS // 2, N_DRAWS - 1):
        frame = panel.assign(sim=y[:, r])
        checks += [
            abs(estimators.twfe(frame, "sim").estimate - float(design.twfe(y[:, r])[0])),
            abs(
                estimators.callaway_santanna(frame, "sim").simple.estimate
                - float(design.aggregate(y[:, r])[0])
            ),
        ]
    s.value("did_fast_check_n", 3)
    s.value("did_fast_check_ok", "一致（差异在数值误差之内）" if max(checks) < 1e-8 else "不一致")
    return s


def robustness_section() -> PageOutput:
    """The 2012-2020 window, the 泛珠三角 variant, placebo dates and regional placebo alliances."""
    s = PageOutput()
    regions = io.load_table("did_regions")
    main = load_panel()
    short = load_panel(end=2020)
    ppd = load_panel(include_panpearl=True)
    placebo = placebo_panel(main, 3)
    s.update(
        {
            "did_short_n_treated": int((short.groupby("unit")["cohort"].first() > 0).sum()),
            "did_placebo_shift": 3,
            "did_placebo_last": int(placebo["year"].max()),
            "did_n_regional": N_PERM,
        }
    )
    regional = regional_placebo(main, regions, tuple(OUTCOMES), N_PERM, SEED)
    rows = []
    for outcome, (key, label) in OUTCOMES.items():
        for tag, name, frame in (
            ("short", "窗口止于2020年", short),
            ("ppd", "计入泛珠三角（2021）", ppd),
            ("pl", "安慰剂日期（各组提前三年）", placebo),
        ):
            tw = estimators.twfe(frame, outcome)
            cs = estimators.callaway_santanna(frame, outcome)
            ri = randomization_inference(frame, outcome, N_PERM, SEED)
            s.update(
                {
                    f"did_{tag}_twfe_{key}": tw.estimate,
                    f"did_{tag}_cs_{key}": cs.simple.estimate,
                    f"did_{tag}_cs_p_{key}": cs.simple.p_value,
                    f"did_{tag}_ri_cs_{key}": ri.p_cs,
                }
            )
            rows.append(
                {
                    "结果变量": label,
                    "设定": name,
                    "TWFE": fixed(tw.estimate),
                    "CS 简单平均": fixed(cs.simple.estimate),
                    "CS 的 p（解析）": p_value(cs.simple.p_value),
                    "CS 的 p（随机化推断）": p_value(ri.p_cs),
                }
            )
        reg = regional[outcome]
        s.update(
            {
                f"did_reg_p_cs_{key}": reg.p_cs,
                f"did_reg_p_twfe_{key}": reg.p_twfe,
                f"did_reg_rej_cs_{key}": reg.reject_cs,
                f"did_reg_rej_twfe_{key}": reg.reject_twfe,
            }
        )
    s.table("did_tbl_robust", BookTable(pd.DataFrame(rows), "稳健性与安慰剂检验", "tbl-did-robust"))
    return s
