"""Tables and the chart of intercoder reliability for the methods chapter."""

from __future__ import annotations

import altair as alt
import pandas as pd

from analysis.coding.codebook import Codebook
from analysis.coding.reliability import ReliabilityResult
from analysis.report.chart import PALETTE, OfflineChart

__all__ = [
    "THRESHOLD",
    "alpha_chart",
    "alpha_text",
    "kappa_gap",
    "reliability_table",
    "resolution_table",
    "rounds_chart",
    "rounds_table",
    "rows_table",
    "source_type_chart",
    "summary",
]

#: Krippendorff's lowest conventionally acceptable alpha for tentative conclusions.
THRESHOLD = 0.667

#: Chinese ordinal of a coding round, for table headers.
_ROUND_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}


def _name(codebook: Codebook, level: str, variable: str) -> str:
    if level == "pooled":
        return "全部代码（合并）"
    return f"{codebook.code(variable).name_zh}（{variable}）"


def alpha_text(value: float) -> str:
    """Two decimals, "—" for NaN; a value that rounds to zero is 0.00, never -0.00."""
    return "—" if pd.isna(value) else f"{round(float(value), 2) + 0.0:.2f}"


def rows_table(rows: pd.DataFrame, names: list[str], first: str) -> pd.DataFrame:
    """Rows of a :class:`ReliabilityResult` table: counts, agreement, and alpha with its interval.

    ``names`` labels the rows in a first column headed ``first``. Cohen's kappa is left out: with
    two coders, binary judgements and no missing data it differs from alpha only in the third
    decimal (:func:`kappa_gap`), so a kappa column would repeat alpha.
    """
    return pd.DataFrame(
        {
            first: names,
            "A 编码数": rows["n_a"].astype(int).to_list(),
            "B 编码数": rows["n_b"].astype(int).to_list(),
            "一致率": [f"{v:.1%}" for v in rows["agreement"]],
            "α": [alpha_text(v) for v in rows["alpha"]],
            "α 的 95% 区间": [
                f"[{alpha_text(lo)}, {alpha_text(hi)}]"
                for lo, hi in zip(rows["alpha_lo"], rows["alpha_hi"], strict=True)
            ],
        }
    )


def reliability_table(result: ReliabilityResult, codebook: Codebook, level: str) -> pd.DataFrame:
    """Rows of one level (code, family or pooled): counts, agreement, and alpha with its interval."""
    sub = result.table[result.table["level"] == level]
    return rows_table(sub, [_name(codebook, level, v) for v in sub["variable"]], "代码")


def kappa_gap(result: ReliabilityResult) -> float:
    """The largest absolute difference between alpha and kappa over every row of the result."""
    t = result.table.dropna(subset=["alpha", "kappa"])
    return float((t["alpha"] - t["kappa"]).abs().max())


def _below_phrase(names: list[str], kind: str) -> str:
    """Which codes fall below the threshold, as a clause that reads well for none, one or several."""
    if not names:
        return f"没有{kind}低于门槛"
    if len(names) == 1:
        return f"只有{names[0]}这一个{kind}低于门槛"
    return f"低于门槛的{kind}有 {len(names)} 个：{'、'.join(names)}"


def summary(result: ReliabilityResult, codebook: Codebook) -> dict[str, int | float | str]:
    """Headline figures: pooled alpha with its CI, codes and families below the threshold."""
    t = result.table
    pooled = t[t["level"] == "pooled"].iloc[0]
    codes = t[t["level"] == "code"]
    families = t[t["level"] == "family"]
    below = codes[codes["alpha"] < THRESHOLD]
    fam_below = families[families["alpha"] < THRESHOLD]
    lo, est = float(pooled["alpha_lo"]), float(pooled["alpha"])
    if lo >= THRESHOLD:
        ci_note = "整个置信区间都在门槛之上"
    elif est >= THRESHOLD:
        ci_note = f"点估计达到门槛，但置信区间的下限（{lo:.3f}）低于门槛"
    else:
        ci_note = "点估计低于门槛"
    return {
        "ci_note": ci_note,
        "n_double": result.n_segments,
        "n_boot": result.n_boot,
        "seed": result.seed,
        "alpha": f"{float(pooled['alpha']):.3f}",
        "alpha_ci": f"[{float(pooled['alpha_lo']):.3f}, {float(pooled['alpha_hi']):.3f}]",
        "agreement": f"{float(pooled['agreement']):.1%}",
        "n_units": int(pooled["n"]),
        "n_codes_below": len(below),
        "codes_below": _below_phrase([_name(codebook, "code", v) for v in below["variable"]], "二级代码"),
        "codes_below_brief": (
            _below_phrase([_name(codebook, "code", v) for v in below["variable"]], "二级代码")
            if len(below) <= 1
            else f"{len(below)} 个二级代码的 α 低于门槛"
        ),
        "n_families_below": len(fam_below),
        "families_below": _below_phrase([codebook.code(v).name_zh for v in fam_below["variable"]], "代码族"),
        "min_family": _name(codebook, "code", str(families.sort_values("alpha").iloc[0]["variable"])),
        "min_family_alpha": f"{float(families['alpha'].min()):.2f}",
        "max_family": _name(codebook, "code", str(families.sort_values("alpha").iloc[-1]["variable"])),
        "max_family_alpha": f"{float(families['alpha'].max()):.2f}",
    }


def alpha_chart(result: ReliabilityResult, codebook: Codebook) -> OfflineChart:
    """Alpha per second-level code with its bootstrap interval and the threshold.

    Colour and shape encode one variable (below the threshold or not) with one scale and one
    title, so the chart has a single legend; the dashed threshold line is labelled in the chart.
    """
    codes = result.table[result.table["level"] == "code"].copy()
    codes["label"] = [_name(codebook, "code", v) for v in codes["variable"]]
    below, above = f"低于 {THRESHOLD}", f"不低于 {THRESHOLD}"
    codes["below"] = [below if a < THRESHOLD else above for a in codes["alpha"]]
    order = [_name(codebook, "code", c) for c in codebook.leaf_ids]
    y = alt.Y("label:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    x_scale = alt.Scale(domain=[-0.2, 1.05], nice=False)
    x_axis = alt.Axis(values=[-0.2, 0, 0.2, 0.4, 0.6, 0.8, 1.0], format=".1f")
    groups = alt.Scale(domain=[below, above])
    bars = (
        alt.Chart(codes)
        .mark_rule(strokeWidth=2, color="#999999")
        .encode(
            x=alt.X("alpha_lo:Q", title="Krippendorff α（95% 自助法区间）", scale=x_scale, axis=x_axis),
            x2="alpha_hi:Q",
            y=y,
        )
    )
    points = (
        alt.Chart(codes)
        .mark_point(filled=True, size=60, opacity=1)
        .encode(
            x=alt.X("alpha:Q", scale=x_scale, axis=x_axis),
            y=y,
            color=alt.Color("below:N", title="α 与门槛", scale=groups, legend=alt.Legend(orient="bottom")),
            shape=alt.Shape("below:N", title="α 与门槛", scale=groups, legend=alt.Legend(orient="bottom")),
            tooltip=[
                alt.Tooltip("label:N", title="代码"),
                alt.Tooltip("alpha:Q", format=".2f", title="α"),
                alt.Tooltip("alpha_lo:Q", format=".2f", title="下限"),
                alt.Tooltip("alpha_hi:Q", format=".2f", title="上限"),
                alt.Tooltip("n_a:Q", title="A 编码数"),
                alt.Tooltip("n_b:Q", title="B 编码数"),
            ],
        )
    )
    threshold = pd.DataFrame({"t": [THRESHOLD], "label": [f"门槛 {THRESHOLD}"]})
    rule = alt.Chart(threshold).mark_rule(strokeDash=[4, 4], color="#D55E00").encode(x="t:Q")
    rule_label = (
        alt.Chart(threshold)
        .mark_text(align="left", dx=4, dy=-6, color="#D55E00", fontSize=11)
        .encode(x="t:Q", y=alt.value(0), text="label:N")
    )
    chart = (bars + points + rule + rule_label).properties(width=420, height=alt.Step(16))
    return OfflineChart(
        chart,
        description=(
            f"各二级代码的 Krippendorff α 点估计及其 95% 自助法区间，虚线为 {THRESHOLD} 的门槛；"
            "低于门槛的代码以不同颜色和形状标出。"
        ),
    )


def source_type_chart(table: pd.DataFrame) -> OfflineChart:
    """Segments per case, stacked by source type (the frame of :func:`casebook.source_type_table`)."""
    types = [c for c in table.columns if c not in ("案例", "合计")]
    long = table.melt(id_vars="案例", value_vars=types, var_name="来源类型", value_name="片段数")
    order = list(table["案例"])
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("案例:N", sort=order, title=None, axis=alt.Axis(labelLimit=200)),
            x=alt.X("片段数:Q", title="片段数", stack="zero"),
            color=alt.Color(
                "来源类型:N",
                sort=types,
                scale=alt.Scale(domain=types, range=[PALETTE[5], PALETTE[2], "#bbbbbb", PALETTE[0]]),
                legend=alt.Legend(orient="bottom", title="来源类型"),
            ),
            order=alt.Order("order:Q"),
            tooltip=["案例:N", "来源类型:N", "片段数:Q"],
        )
        .transform_calculate(order=f"indexof({types!r}, datum['来源类型'])")
        .properties(width=460, height=alt.Step(22))
    )
    return OfflineChart(
        chart,
        description="各案例编码片段的数量，按来源类型（访谈、政策文件、作者叙述、新闻报道）堆叠；灰色为作者叙述。",
    )


def rounds_chart(first: ReliabilityResult, second: ReliabilityResult, codebook: Codebook) -> OfflineChart:
    """Alpha of each family and of all codes pooled in the two rounds, with their intervals."""
    rows = []
    for round_name, result in (("第一轮", first), ("第二轮", second)):
        t = result.table[result.table["level"].isin(["family", "pooled"])]
        for r in t.to_dict("records"):
            rows.append(
                {
                    "代码族": _name(codebook, str(r["level"]), str(r["variable"])),
                    "轮次": round_name,
                    "alpha": float(r["alpha"]),
                    "lo": float(r["alpha_lo"]),
                    "hi": float(r["alpha_hi"]),
                }
            )
    data = pd.DataFrame(rows)
    order = list(dict.fromkeys(data["代码族"]))
    y = alt.Y("代码族:N", sort=order, title=None, axis=alt.Axis(labelLimit=240))
    offset = alt.YOffset("轮次:N", sort=["第一轮", "第二轮"], scale=alt.Scale(paddingOuter=0.5))
    colour = alt.Color(
        "轮次:N",
        scale=alt.Scale(domain=["第一轮", "第二轮"], range=[PALETTE[1], PALETTE[0]]),
        legend=alt.Legend(orient="bottom", title="独立编码的轮次"),
    )
    x_scale = alt.Scale(domain=[0.2, 1.02], nice=False)
    base = alt.Chart(data).encode(y=y, yOffset=offset, color=colour)
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("lo:Q", title="Krippendorff α（95% 自助法区间）", scale=x_scale), x2="hi:Q"
    )
    points = base.mark_point(filled=True, size=60, opacity=1).encode(
        x=alt.X("alpha:Q", scale=x_scale),
        tooltip=[
            "代码族:N",
            "轮次:N",
            alt.Tooltip("alpha:Q", format=".2f", title="α"),
            alt.Tooltip("lo:Q", format=".2f", title="下限"),
            alt.Tooltip("hi:Q", format=".2f", title="上限"),
        ],
    )
    rule = (
        alt.Chart(pd.DataFrame({"t": [THRESHOLD]}))
        .mark_rule(strokeDash=[4, 4], color="#D55E00")
        .encode(x=alt.X("t:Q", scale=x_scale))
    )
    chart = (rule + bars + points).properties(width=420, height=alt.Step(12))
    return OfflineChart(
        chart,
        description=(
            f"各代码族与全部代码合并的 Krippendorff α 在两轮独立编码中的点估计与 95% 区间，"
            f"虚线为 {THRESHOLD} 的门槛。"
        ),
    )


def resolution_table(log: pd.DataFrame) -> pd.DataFrame:
    """Disagreements by how they were resolved, one pair of columns per round of the log."""
    names = {
        "keep_a": "维持编码员 A（第二轮：维持共识编码）",
        "accept_b": "采纳编码员 B",
        "codebook_revised": "修订编码表后按新规则裁定",
    }
    rounds = sorted(int(r) for r in set(log["round"]))
    rows = []
    for key, name in names.items():
        row: dict[str, object] = {"裁决方式": name}
        for r in rounds:
            part = log[(log["round"] == r) & (log["resolution"] == key)]
            row[f"第{_ROUND_ZH[r]}轮分歧数"] = len(part)
            row[f"第{_ROUND_ZH[r]}轮其中最终有该代码"] = int(part["final"].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def rounds_table(first: ReliabilityResult, second: ReliabilityResult, codebook: Codebook) -> pd.DataFrame:
    """Alpha of each family and of all codes pooled, in two rounds, with their intervals."""
    rows = []
    for level in ("family", "pooled"):
        one = first.table[first.table["level"] == level].set_index("variable")
        two = second.table[second.table["level"] == level].set_index("variable")
        for var in one.index:
            a, b = one.loc[var], two.loc[var]
            rows.append(
                {
                    "代码族": _name(codebook, level, str(var)),
                    "第一轮 α": alpha_text(float(a["alpha"])),
                    "第一轮区间": f"[{alpha_text(float(a['alpha_lo']))}, {alpha_text(float(a['alpha_hi']))}]",
                    "第二轮 α": alpha_text(float(b["alpha"])),
                    "第二轮区间": f"[{alpha_text(float(b['alpha_lo']))}, {alpha_text(float(b['alpha_hi']))}]",
                }
            )
    return pd.DataFrame(rows)
