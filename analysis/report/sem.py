"""Tables and the path diagram for the SEM chapter.

Every function takes computed results (from :mod:`analysis.sem.reconstruction`, :mod:`analysis.sem.synthetic`,
:mod:`analysis.sem.fit_audit`) and returns a display frame with Chinese headers or an Altair chart;
the chapter only glues what these return. The PoliticalDemocracy replication is
:mod:`analysis.sem.anchors`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import altair as alt
import pandas as pd

from analysis.report.chart import PALETTE, OfflineChart
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
    "paths_chart",
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
#: The fit indices' names as the page prints them (by the audit's ``index``).
INDEX_ZH = {
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
                "指标": INDEX_ZH[str(r["index"])],
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


def paths_chart(reproduced: pd.DataFrame, sens: pd.DataFrame) -> OfflineChart:
    """Reported and reproduced betas of every path, with the range the uncertain cells allow."""
    spread = sens.groupby(["model", "hyp"])["std"].agg(["min", "max"])
    rows = []
    for r in reproduced.to_dict("records"):
        lo, hi = spread.loc[(r["model"], r["hyp"])]
        label = f"{r['model']} {r['hyp']}（{r['path']}）"
        rows += [
            {"path": label, "model": r["model"], "kind": "论文报告值", "beta": float(r["reported"])},
            {"path": label, "model": r["model"], "kind": "由重建矩阵复现", "beta": float(r["reproduced"])},
        ]
        rows.append({"path": label, "model": r["model"], "kind": "range", "lo": float(lo), "hi": float(hi)})
    data = pd.DataFrame(rows)
    order = list(dict.fromkeys(data["path"]))
    y = alt.Y("path:N", sort=order, title=None, axis=alt.Axis(labelLimit=220))
    ranges = (
        alt.Chart(data[data["kind"] == "range"])
        .mark_rule(strokeWidth=6, color="#d9d9d9")
        .encode(
            y=y,
            x=alt.X("lo:Q", title="标准化路径系数"),
            x2="hi:Q",
            tooltip=[
                alt.Tooltip("path:N", title="路径"),
                alt.Tooltip("lo:Q", format=".3f", title="不确定单元格变动时的下端"),
                alt.Tooltip("hi:Q", format=".3f", title="上端"),
            ],
        )
    )
    kinds = ["论文报告值", "由重建矩阵复现"]
    points = (
        alt.Chart(data[data["kind"] != "range"])
        .mark_point(size=60, opacity=1, strokeWidth=1.6)
        .encode(
            y=y,
            x=alt.X("beta:Q"),
            shape=alt.Shape(
                "kind:N", scale=alt.Scale(domain=kinds, range=["circle", "diamond"]), title="数值"
            ),
            color=alt.Color(
                "kind:N", scale=alt.Scale(domain=kinds, range=["#000000", PALETTE[0]]), title="数值"
            ),
            tooltip=[
                alt.Tooltip("path:N", title="路径"),
                alt.Tooltip("kind:N", title="数值"),
                alt.Tooltip("beta:Q", format=".3f", title="β"),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"x": [0.0]})).mark_rule(color="#999999").encode(x="x:Q")
    chart = (zero + ranges + points).properties(width=440, height=alt.Step(18))
    return OfflineChart(
        chart,
        description=(
            "每条路径的论文报告值（黑色圆圈）与由重建矩阵复现的值（蓝色菱形），"
            "灰色横条为不确定单元格在其可能范围内变动时复现值的范围。"
        ),
    )


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
            "CR（论文）": [fixed(x, missing="无法辨认") for x in table["cr_reported"]],
            "CR（重算）": [fixed(x) for x in table["cr_ours"]],
            "AVE（论文）": [fixed(x, 4, missing="无法辨认") for x in table["ave_reported"]],
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
#
# Drawn in pixel coordinates (no graph library): the three resources on the left, the two
# capabilities in the middle, public value on the right, each an ellipse wide enough for its
# Chinese name. Arrows run from ellipse edge to ellipse edge. Each label sits on its own arrow on a
# white box, at the point of the arrow where the box crosses no other arrow, no node and no other
# label (searched in a fixed order, so the layout is the same on every build).

_WIDTH, _HEIGHT = 700, 480
_NODE_W, _NODE_H = 150, 62  # ellipse axes in px
_POS: dict[str, tuple[float, float]] = {
    "DP": (95, 62),
    "DK": (95, 222),
    "VP": (95, 382),
    "DSC": (370, 72),
    "BPC": (370, 372),
    "PV": (610, 222),
}
_LABEL_H, _LABEL_CHAR_W = 16.0, 6.4  # label box height and width per character (px, font 11)
_HEAD = 6.0  # half the arrowhead's length (px)
_KEPT, _DROPPED = "M1 保留的路径", "M1 删除、仅在 M0 中的路径"
# an ellipse as a Vega symbol path, in the unit square that the symbol's size scales
_ELLIPSE = f"M -1 0 A 1 {_NODE_H / _NODE_W:.4f} 0 1 1 1 0 A 1 {_NODE_H / _NODE_W:.4f} 0 1 1 -1 0 Z"


def _boundary(node: str, toward: tuple[float, float]) -> tuple[float, float]:
    """Where the line from a node's centre toward a point leaves the node's ellipse."""
    (cx, cy), (tx, ty) = _POS[node], toward
    dx, dy = tx - cx, ty - cy
    a, b = _NODE_W / 2, _NODE_H / 2
    scale = 1 / math.sqrt((dx / a) ** 2 + (dy / b) ** 2)
    return cx + dx * scale, cy + dy * scale


def _segments_cross(
    p1: tuple[float, float], p2: tuple[float, float], q1: tuple[float, float], q2: tuple[float, float]
) -> bool:
    def orient(a: tuple[float, float], b: tuple[float, float], c: tuple[float, float]) -> float:
        return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])

    d1, d2 = orient(q1, q2, p1), orient(q1, q2, p2)
    d3, d4 = orient(p1, p2, q1), orient(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def _box_hits_segment(
    box: tuple[float, float, float, float], a: tuple[float, float], b: tuple[float, float]
) -> bool:
    x0, y0, x1, y1 = box
    inside = any(x0 <= x <= x1 and y0 <= y <= y1 for x, y in (a, b))
    edges = [((x0, y0), (x1, y0)), ((x1, y0), (x1, y1)), ((x1, y1), (x0, y1)), ((x0, y1), (x0, y0))]
    return inside or any(_segments_cross(a, b, p, q) for p, q in edges)


def _boxes_overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _node_box(node: str) -> tuple[float, float, float, float]:
    x, y = _POS[node]
    return x - _NODE_W / 2, y - _NODE_H / 2, x + _NODE_W / 2, y + _NODE_H / 2


_Box = tuple[float, float, float, float]


@dataclass
class _Edge:
    hyp: str
    start: tuple[float, float]
    end: tuple[float, float]
    kept: str
    label: str
    box: _Box = (0.0, 0.0, 0.0, 0.0)


def _place_labels(edges: list[_Edge]) -> None:
    """Give every edge a label box on its own line that covers no other edge, node or label."""
    placed: list[_Box] = []
    nodes = [_node_box(n) for n in _POS]
    for edge in edges:
        (x0, y0), (x1, y1) = edge.start, edge.end
        half_w = len(edge.label) * _LABEL_CHAR_W / 2 + 3
        best: tuple[float, float, tuple[float, float, float, float]] | None = None
        for step in range(13):
            t = 0.2 + 0.05 * step
            cx, cy = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
            box = (cx - half_w, cy - _LABEL_H / 2, cx + half_w, cy + _LABEL_H / 2)
            crossings = sum(
                _box_hits_segment(box, other.start, other.end) for other in edges if other is not edge
            )
            clashes = sum(_boxes_overlap(box, other) for other in placed + nodes)
            cost = 10.0 * crossings + 100.0 * clashes + abs(t - 0.5)
            if best is None or cost < best[0]:
                best = (cost, t, box)
        assert best is not None
        placed.append(best[2])
        edge.box = best[2]


def path_diagram(reproduced: pd.DataFrame) -> alt.LayerChart:
    """The hypothesised model (H1-H12) with M0's and M1's reported and reproduced betas.

    A solid arrow is a path kept in M1, a dashed one a path M1 deletes; the label gives the
    hypothesis and the reported / reproduced beta (M1 where kept, else M0).
    """
    rec = {(str(r["model"]), str(r["hyp"])): r for r in reproduced.to_dict("records")}
    edges: list[_Edge] = []
    for h, (source, target) in HYPOTHESES.items():
        model = "M1" if h in M1_PATHS else "M0"
        start = _boundary(source, _POS[target])
        end = _boundary(target, _POS[source])
        r = rec[(model, h)]
        label = f"{h} {float(r['reported']):.2f}/{float(r['reproduced']):.2f}"
        edges.append(_Edge(h, start, end, _KEPT if model == "M1" else _DROPPED, label))
    _place_labels(edges)
    rows = []
    for edge in edges:
        (x0, y0), (x1, y1) = edge.start, edge.end
        length = math.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / length, (y1 - y0) / length
        bx0, by0, bx1, by1 = edge.box
        rows.append(
            {
                "hyp": edge.hyp,
                "kept": edge.kept,
                "label": edge.label,
                "x": x0,
                "y": y0,
                "x2": x1 - 2 * _HEAD * ux,
                "y2": y1 - 2 * _HEAD * uy,
                "hx": x1 - _HEAD * ux,
                "hy": y1 - _HEAD * uy,
                # Vega rotates a symbol clockwise from "up"; the screen's y axis points down
                "angle": math.degrees(math.atan2(ux, -uy)),
                "bx": bx0,
                "by": by0,
                "bx2": bx1,
                "by2": by1,
                "lx": (bx0 + bx1) / 2,
                "ly": (by0 + by1) / 2,
            }
        )
    e = pd.DataFrame(rows)
    nodes = pd.DataFrame([{"code": c, "x": x, "y": y, "name": NAMES_ZH[c]} for c, (x, y) in _POS.items()])
    legend = pd.DataFrame(
        [
            {"kept": _KEPT, "x": 420.0, "x2": 460.0, "y": 440.0, "tx": 466.0},
            {"kept": _DROPPED, "x": 420.0, "x2": 460.0, "y": 462.0, "tx": 466.0},
        ]
    )
    xs = alt.Scale(domain=[0, _WIDTH], nice=False)
    ys = alt.Scale(domain=[0, _HEIGHT], nice=False, reverse=True)
    ax = None

    def x(field: str) -> alt.X:
        return alt.X(f"{field}:Q", scale=xs, axis=ax)

    def y(field: str) -> alt.Y:
        return alt.Y(f"{field}:Q", scale=ys, axis=ax)

    kinds = alt.Scale(domain=[_KEPT, _DROPPED], range=[PALETTE[0], "#8c8c8c"])
    dashes = alt.Scale(domain=[_KEPT, _DROPPED], range=[[1, 0], [5, 4]])
    colour = alt.Color("kept:N", scale=kinds, legend=None)
    dash = alt.StrokeDash("kept:N", scale=dashes, legend=None)
    tooltip = [alt.Tooltip("hyp:N", title="假设"), alt.Tooltip("label:N", title="论文值/复现值")]
    rules = (
        alt.Chart(e)
        .mark_rule(strokeWidth=1.8)
        .encode(x=x("x"), y=y("y"), x2="x2:Q", y2="y2:Q", color=colour, strokeDash=dash, tooltip=tooltip)
    )
    heads = (
        alt.Chart(e)
        .mark_point(shape="triangle", size=110, filled=True, opacity=1)
        .encode(x=x("hx"), y=y("hy"), angle=alt.Angle("angle:Q", scale=None), color=colour)
    )
    boxes = (
        alt.Chart(e)
        .mark_rect(fill="white", opacity=0.95)
        .encode(x=x("bx"), y=y("by"), x2="bx2:Q", y2="by2:Q")
    )
    labels = (
        alt.Chart(e)
        .mark_text(fontSize=11, baseline="middle")
        .encode(x=x("lx"), y=y("ly"), text="label:N", color=colour, tooltip=tooltip)
    )
    ellipses = (
        alt.Chart(nodes)
        .mark_point(
            shape=_ELLIPSE,
            size=_NODE_W**2,
            filled=True,
            color="#f2f2f2",
            stroke="#444444",
            strokeWidth=1.2,
            opacity=1,
        )
        .encode(x=x("x"), y=y("y"))
    )
    names = alt.Chart(nodes).mark_text(fontSize=12, dy=-8).encode(x=x("x"), y=y("y"), text="name:N")
    abbrs = (
        alt.Chart(nodes)
        .mark_text(fontSize=12, dy=9, fontWeight="bold")
        .encode(x=x("x"), y=y("y"), text="code:N")
    )
    key_lines = (
        alt.Chart(legend)
        .mark_rule(strokeWidth=1.8)
        .encode(x=x("x"), x2="x2:Q", y=y("y"), color=colour, strokeDash=dash)
    )
    key_text = (
        alt.Chart(legend)
        .mark_text(align="left", baseline="middle", fontSize=11)
        .encode(x=x("tx"), y=y("y"), text="kept:N")
    )
    layered = alt.layer(rules, heads, ellipses, names, abbrs, boxes, labels, key_lines, key_text)
    return layered.properties(width=_WIDTH, height=_HEIGHT)  # type: ignore[return-value]
