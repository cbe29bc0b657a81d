"""Tables and the path diagram for the SEM chapter.

Every function takes computed results (from :mod:`analysis.sem.reconstruction`, :mod:`analysis.sem.synthetic`,
:mod:`analysis.sem.fit_audit`) and returns a display frame with Chinese headers or an Altair chart;
the chapter only glues what these return. The PoliticalDemocracy replication is
:mod:`analysis.sem.anchors`.
"""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from analysis.report.chart import PALETTE
from analysis.report.format import fixed
from analysis.sem.reconstruction import HYPOTHESES, M1_PATHS

__all__ = [
    "NAMES_ZH",
    "audit_table",
    "fl_table",
    "htmt_table",
    "measurement_table_zh",
    "mediation_table",
    "path_diagram",
    "paths_table",
    "sensitivity_table",
    "synthetic_paths_table",
]

NAMES_ZH: dict[str, str] = {
    "DP": "数字化平台支撑",
    "DK": "数字化知识基础",
    "VP": "价值链伙伴关系",
    "DSC": "数据共享利用能力",
    "BPC": "业务流程优化能力",
    "PV": "公共价值",
}
_INDEX_ZH = {
    "chi2_df": "χ²/df",
    "ncp": "NCP",
    "rmsea": "RMSEA",
    "cfi": "CFI",
    "tli": "TLI",
    "nfi": "NFI",
    "ifi": "IFI",
    "rfi": "RFI",
    "pnfi": "PNFI",
    "ecvi": "ECVI",
    "agfi": "AGFI",
    "pgfi": "PGFI",
    "rmsea_ci_low": "RMSEA 90% 下限",
    "rmsea_ci_high": "RMSEA 90% 上限",
}
_BASIS_ZH = {
    "chi2 / df": "χ² ÷ df",
    "chi2 - df": "χ² − df",
    "chi2, df, N": "χ²、df、N",
    "chi2, df, baseline": "χ²、df、基准模型",
    "chi2, baseline": "χ²、基准模型",
    "chi2, df, N, p": "χ²、df、N、题项数",
    "printed GFI, df, p": "论文的 GFI、df、题项数",
    "printed AGFI, df, p": "论文的 AGFI、df、题项数",
}
_MODEL_ZH = {
    "RES_CFA": "资源验证性因子模型（表6-7）",
    "M0": "初始模型 M0（表6-9）",
    "M1": "修正模型 M1（表6-12）",
}


def audit_table(audit: pd.DataFrame) -> pd.DataFrame:
    """The thesis audit for display: printed, recomputed (range) and verdict."""
    rows = []
    for r in audit.to_dict("records"):
        nd = 3
        rng = (
            f"{fixed(r['low'], nd)}–{fixed(r['high'], nd)}"
            if r["high"] - r["low"] >= 5e-4
            else fixed(r["recomputed"], nd)
        )
        rows.append(
            {
                "模型": _MODEL_ZH[str(r["model"])],
                "指标": _INDEX_ZH[str(r["index"])],
                "重算依据": _BASIS_ZH[str(r["basis"])],
                "论文印出": fixed(float(r["printed"]), 3),
                "重算值（含舍入范围）": rng,
                "结论": "一致" if r["consistent"] else "不一致",
            }
        )
    return pd.DataFrame(rows)


def paths_table(reproduced: pd.DataFrame, sens: pd.DataFrame) -> pd.DataFrame:
    """Reported versus reproduced standardized paths, with the sensitivity range."""
    spread = sens.groupby(["model", "hyp"])["std"].agg(["min", "max"])
    rows = []
    for r in reproduced.to_dict("records"):
        lo, hi = spread.loc[(r["model"], r["hyp"])]
        rows.append(
            {
                "模型": str(r["model"]),
                "假设": str(r["hyp"]),
                "路径": str(r["path"]),
                "论文 β": fixed(float(r["reported"]), 2),
                "复现 β": fixed(float(r["reproduced"])),
                "差值": f"{float(r['diff']):+.3f}",
                "不确定单元格变动范围": f"{lo:.3f} 至 {hi:.3f}",
            }
        )
    return pd.DataFrame(rows)


def sensitivity_table(reproduced: pd.DataFrame, sens: pd.DataFrame) -> pd.DataFrame:
    """Per scenario: the largest move of any path from the central reproduction."""
    central = reproduced.set_index(["model", "hyp"])["reproduced"]
    moved = sens.assign(
        move=[abs(s - central[(m, h)]) for m, h, s in sens[["model", "hyp", "std"]].to_numpy()]
    )
    rows = []
    for name, group in moved.groupby("scenario", sort=False):
        top = group.sort_values("move", ascending=False).iloc[0]
        label = (
            str(name)
            .replace(" low", "（下端）")
            .replace(" high", "（上端）")
            .replace("loadings", "全部不确定载荷")
        )
        rows.append(
            {
                "情景": label,
                "最大变动": f"{float(top['move']):.3f}",
                "变动最大的路径": f"{top['model']} {top['hyp']}",
            }
        )
    return pd.DataFrame(rows)


def measurement_table_zh(table: pd.DataFrame) -> pd.DataFrame:
    """CR and AVE, printed versus computed from the reconstruction's loadings."""
    return pd.DataFrame(
        {
            "构念": [f"{NAMES_ZH[c]}（{c}）" for c in table["construct"]],
            "题项数": table["k"].astype(int),
            "CR（论文）": [fixed(x) for x in table["cr_reported"]],
            "CR（重算）": [fixed(x) for x in table["cr_ours"]],
            "AVE（论文）": [fixed(x, 4) for x in table["ave_reported"]],
            "AVE（重算）": [fixed(x, 4) for x in table["ave_ours"]],
        }
    )


def fl_table(fl: pd.DataFrame, htmt: pd.DataFrame) -> pd.DataFrame:
    """Fornell-Larcker per construct, with its largest HTMT."""
    rows = []
    for r in fl.to_dict("records"):
        c = str(r["construct"])
        vals = pd.concat([htmt.loc[c].dropna(), htmt[c].dropna()])
        rows.append(
            {
                "构念": c,
                "√AVE": fixed(float(r["sqrt_ave"])),
                "最大相关": f"{float(r['max_r']):.3f}（与 {r['with']}）",
                "Fornell-Larcker": "通过" if r["pass"] else "未通过",
                "最大 HTMT": f"{vals.max():.3f}（与 {vals.idxmax()}）",
            }
        )
    return pd.DataFrame(rows)


def htmt_table(htmt: pd.DataFrame) -> pd.DataFrame:
    """The HTMT matrix (lower triangle) for display."""
    out = htmt.map(lambda x: "" if pd.isna(x) else f"{x:.3f}")
    out.insert(0, "构念", out.index)
    return out.reset_index(drop=True)


def synthetic_paths_table(reproduced: pd.DataFrame, synthetic: pd.DataFrame) -> pd.DataFrame:
    """Reported, matrix-reproduced and synthetic-data paths side by side."""
    syn = synthetic.set_index(["model", "hyp"])
    rows = []
    for r in reproduced.to_dict("records"):
        s = syn.loc[(r["model"], r["hyp"])]
        rows.append(
            {
                "模型": str(r["model"]),
                "路径": str(r["path"]),
                "论文 β": fixed(float(r["reported"]), 2),
                "矩阵复现 β": fixed(float(r["reproduced"])),
                "合成数据 β": fixed(float(s["std"])),
                "合成数据标准误": fixed(float(s["se"])),
            }
        )
    return pd.DataFrame(rows)


def mediation_table(
    results: dict[str, tuple[dict[str, float], dict[str, tuple[float, float]]]],
    reported: dict[str, dict[str, str]],
) -> pd.DataFrame:
    """Synthetic-data effects with bias-corrected intervals beside the printed ones."""
    names = {"indirect": "间接效应", "direct": "直接效应", "total": "总效应"}
    model_zh = {"DSC": "资源→数据共享利用能力→业务流程优化能力", "BPC": "资源→业务流程优化能力→公共价值"}
    rows = []
    for key, (est, ci) in results.items():
        for effect in ("indirect", "direct", "total"):
            rows.append(
                {
                    "中介模型": model_zh[key],
                    "效应": names[effect],
                    "论文（95% 偏差校正区间）": reported[key].get(effect, "未印出或无法辨认"),
                    "合成数据估计": fixed(est[effect]),
                    "合成数据 95% 偏差校正区间": f"[{ci[effect][0]:.3f}, {ci[effect][1]:.3f}]",
                }
            )
    return pd.DataFrame(rows)


# --- path diagram -----------------------------------------------------------------------------

_POS: dict[str, tuple[float, float]] = {
    "DP": (0.0, 2.6),
    "DK": (0.0, 1.3),
    "VP": (0.0, 0.0),
    "DSC": (1.5, 2.5),
    "BPC": (1.5, 0.1),
    "PV": (3.0, 1.3),
}
_X_DOMAIN, _Y_DOMAIN = (-0.4, 3.4), (-0.45, 3.05)
_WIDTH, _HEIGHT = 640, 420
_NODE_SIZE = 7000  # point area in px^2: radius sqrt(size / pi)
_NODE_R_PX = math.sqrt(_NODE_SIZE / math.pi) + 6.0  # arrow tips stop just outside the circle
_LABEL_AT = {"H10": 0.3, "H5": 0.25, "H6": 0.62}


def _edge_points(a: str, b: str) -> tuple[float, float, float, float]:
    """Start and end of an arrow between node centres, cut back by the node radius in pixels."""
    (x0, y0), (x1, y1) = _POS[a], _POS[b]
    sx = _WIDTH / (_X_DOMAIN[1] - _X_DOMAIN[0])
    sy = _HEIGHT / (_Y_DOMAIN[1] - _Y_DOMAIN[0])
    length_px = math.hypot((x1 - x0) * sx, (y1 - y0) * sy)
    t = _NODE_R_PX / length_px
    return x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, x1 - (x1 - x0) * t, y1 - (y1 - y0) * t


def path_diagram(reproduced: pd.DataFrame) -> alt.LayerChart:
    """The hypothesised model (H1-H12) with M0's and M1's reported and reproduced betas.

    Node positions are computed here (no graph library): the three resources on the left, the
    two capabilities in the middle, public value on the right. A solid arrow is a path kept in
    M1, a dashed one a path M1 deletes; the label gives the reported / reproduced beta (M1 where
    kept, else M0).
    """
    rec = {(str(r["model"]), str(r["hyp"])): r for r in reproduced.to_dict("records")}
    edges = []
    for h, (s, t) in HYPOTHESES.items():
        model = "M1" if h in M1_PATHS else "M0"
        x0, y0, x1, y1 = _edge_points(s, t)
        r = rec[(model, h)]
        sx = _WIDTH / (_X_DOMAIN[1] - _X_DOMAIN[0])
        sy = _HEIGHT / (_Y_DOMAIN[1] - _Y_DOMAIN[0])
        angle = math.degrees(math.atan2((x1 - x0) * sx, (y1 - y0) * sy))  # vega: 0 = up, clockwise
        at = _LABEL_AT.get(h, 0.5)
        edges.append(
            {
                "hyp": h,
                "x": x0,
                "y": y0,
                "x2": x1,
                "y2": y1,
                "mx": x0 + at * (x1 - x0),
                "my": y0 + at * (y1 - y0),
                "angle": angle,
                "kept": "M1 保留" if model == "M1" else "M1 删除（仅 M0）",
                "label": f"{h} {float(r['reported']):.2f}/{float(r['reproduced']):.2f}",
            }
        )
    e = pd.DataFrame(edges)
    nodes = pd.DataFrame(
        [{"code": c, "x": x, "y": y, "name": f"{NAMES_ZH[c]}", "abbr": c} for c, (x, y) in _POS.items()]
    )
    xs = alt.Scale(domain=list(_X_DOMAIN), nice=False)
    ys = alt.Scale(domain=list(_Y_DOMAIN), nice=False)
    ax = alt.Axis(title=None, labels=False, ticks=False, domain=False, grid=False)
    dash = alt.StrokeDash(
        "kept:N",
        scale=alt.Scale(domain=["M1 保留", "M1 删除（仅 M0）"], range=[[1, 0], [5, 4]]),
        title="路径",
    )
    colour_scale = alt.Scale(domain=["M1 保留", "M1 删除（仅 M0）"], range=[PALETTE[0], "#999999"])
    colour = alt.Color("kept:N", scale=colour_scale, title="路径")
    base = alt.Chart(e)
    rules = base.mark_rule(strokeWidth=1.6).encode(
        x=alt.X("x:Q", scale=xs, axis=ax),
        y=alt.Y("y:Q", scale=ys, axis=ax),
        x2="x2:Q",
        y2="y2:Q",
        strokeDash=dash,
        color=colour,
    )
    heads = base.mark_point(shape="triangle", size=90, filled=True, opacity=1).encode(
        x=alt.X("x2:Q", scale=xs, axis=ax),
        y=alt.Y("y2:Q", scale=ys, axis=ax),
        angle=alt.Angle("angle:Q", scale=None),
        color=alt.Color("kept:N", scale=colour_scale, legend=None),
    )
    labels = base.mark_text(fontSize=10, dy=-6, color="#333333").encode(
        x=alt.X("mx:Q", scale=xs, axis=ax), y=alt.Y("my:Q", scale=ys, axis=ax), text="label:N"
    )
    ellipses = (
        alt.Chart(nodes)
        .mark_point(
            shape="circle",
            size=_NODE_SIZE,
            filled=True,
            color="#f2f2f2",
            stroke="#444444",
            strokeWidth=1.2,
            opacity=1,
        )
        .encode(x=alt.X("x:Q", scale=xs, axis=ax), y=alt.Y("y:Q", scale=ys, axis=ax))
    )
    names = (
        alt.Chart(nodes)
        .mark_text(fontSize=11, dy=-7)
        .encode(x=alt.X("x:Q", scale=xs, axis=ax), y=alt.Y("y:Q", scale=ys, axis=ax), text="name:N")
    )
    abbrs = (
        alt.Chart(nodes)
        .mark_text(fontSize=11, dy=9, fontWeight="bold")
        .encode(x=alt.X("x:Q", scale=xs, axis=ax), y=alt.Y("y:Q", scale=ys, axis=ax), text="abbr:N")
    )
    layered = alt.layer(rules, heads, ellipses, names, abbrs, labels)
    return layered.properties(width=_WIDTH, height=_HEIGHT)  # type: ignore[return-value]
