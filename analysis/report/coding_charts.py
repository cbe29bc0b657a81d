"""Charts of the case coding: crosswalk, case x code heat map, co-occurrence network, dendrogram."""

from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd
from scipy.cluster import hierarchy

from analysis.coding.codebook import Codebook
from analysis.coding.matrices import CaseClusters
from analysis.data.schemas.coding import CASES
from analysis.report.chart import OfflineChart
from analysis.report.format import study_name

__all__ = ["cooccurrence_chart", "crosswalk_chart", "dendrogram_chart", "heatmap_chart"]


def _leaf_label(codebook: Codebook, code_id: str) -> str:
    return f"{code_id} {codebook.code(code_id).name_zh}"


def _family_of(codebook: Codebook) -> dict[str, str]:
    return {c: codebook.code(codebook.top_of(c)).name_zh for c in codebook.leaf_ids}


def crosswalk_chart(codebook: Codebook) -> OfflineChart:
    """Integrated second-level codes (rows) x studies (columns): how many study concepts map there.

    A cell with no concept stays blank (white, framed by the grid), so that blank means none, as
    the caption says; cells with one or more concepts are shaded by their number. The studies are
    named by their authors (the tooltip adds the year), horizontally above the grid.
    """
    studies = [f.study for f in codebook.frameworks]
    names = {s: study_name(s, short=True) for s in studies}
    rows = []
    for code in codebook.codes:
        if code.is_top:
            continue
        mapping = dict(code.crosswalk)
        for study in studies:
            concepts = [codebook.framework_code(t).name_zh for t in mapping.get(study, ())]
            rows.append(
                {
                    "code": _leaf_label(codebook, code.id),
                    "study": names[study],
                    "n": len(concepts),
                    "concepts": "；".join(concepts) or "无对应概念",
                }
            )
    data = pd.DataFrame(rows)
    order = [_leaf_label(codebook, c) for c in codebook.leaf_ids]
    n_max = int(data["n"].max())
    base = alt.Chart(data).encode(
        x=alt.X(
            "study:N",
            sort=[names[s] for s in studies],
            title=None,
            axis=alt.Axis(
                orient="top",
                labelAngle=0,
                labelExpr="split(datum.label, ' ')[0]",
                ticks=False,
                domain=False,
                labelPadding=6,
                labelBaseline="bottom",
            ),
        ),
        y=alt.Y("code:N", sort=order, title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[
            alt.Tooltip("code:N", title="整合代码"),
            alt.Tooltip("study:N", title="研究"),
            alt.Tooltip("n:Q", title="对应概念数"),
            alt.Tooltip("concepts:N", title="对应的研究概念"),
        ],
    )
    grid = base.mark_rect(fill="white", stroke="#d9d9d9", strokeWidth=0.8)
    filled = (
        base.transform_filter("datum.n > 0")
        .mark_rect(stroke="white", strokeWidth=1)
        .encode(
            color=alt.Color(
                "n:O",
                title="对应的研究概念数",
                scale=alt.Scale(scheme="blues", domain=list(range(1, n_max + 1))),
                legend=alt.Legend(orient="bottom", direction="horizontal"),
            )
        )
    )
    text = (
        base.transform_filter("datum.n > 0")
        .mark_text(fontSize=11)
        .encode(
            text="n:Q",
            color=alt.condition(f"datum.n > {n_max / 2:.1f}", alt.value("white"), alt.value("black")),
        )
    )
    chart = (grid + filled + text).properties(width=alt.Step(70), height=alt.Step(17))
    return OfflineChart(
        chart,
        description=(
            f"对照热图：纵轴为整合编码表的二级代码，横轴为 {len(studies)} 个研究框架，"
            "格中数字为该研究中对应到此代码的概念数，空白格表示该研究没有对应的概念。"
        ),
    )


def heatmap_chart(counts: pd.DataFrame, codebook: Codebook) -> OfflineChart:
    """Cases (rows) x second-level codes (columns): numbers of coded segments."""
    long = counts.reset_index().melt(id_vars="case_id", var_name="code_id", value_name="n")
    long["case"] = [CASES[c][1] for c in long["case_id"]]
    long["code"] = [_leaf_label(codebook, c) for c in long["code_id"]]
    long["family"] = [_family_of(codebook)[c] for c in long["code_id"]]
    base = alt.Chart(long).encode(
        x=alt.X(
            "code:N",
            sort=[_leaf_label(codebook, c) for c in codebook.leaf_ids],
            title=None,
            axis=alt.Axis(labelAngle=-60, labelLimit=260),
        ),
        y=alt.Y("case:N", sort=[v[1] for v in CASES.values()], title=None),
        tooltip=[
            alt.Tooltip("case:N", title="案例"),
            alt.Tooltip("code:N", title="代码"),
            alt.Tooltip("family:N", title="一级代码"),
            alt.Tooltip("n:Q", title="片段数"),
        ],
    )
    rect = base.mark_rect(stroke="white").encode(
        color=alt.Color("n:Q", title="片段数", scale=alt.Scale(scheme="blues", domainMin=0))
    )
    vmax = float(long["n"].max())
    text = base.mark_text(fontSize=9).encode(
        text=alt.condition("datum.n > 0", "n:Q", alt.value("")),
        color=alt.condition(f"datum.n > {vmax / 2:.1f}", alt.value("white"), alt.value("black")),
    )
    chart = (rect + text).properties(width=alt.Step(20), height=alt.Step(22))
    return OfflineChart(
        chart,
        description=(
            f"案例×代码热图：纵轴为 {len(counts.index)} 个案例，横轴为 {len(counts.columns)} 个二级代码"
            "（按一级代码分组），颜色越深表示带有"
            "该代码的片段越多，格中数字为片段数，空白表示编码文本中没有证据。"
        ),
    )


def cooccurrence_chart(
    cooc: pd.DataFrame, counts: pd.Series, codebook: Codebook, min_both: int, min_jaccard: float
) -> OfflineChart:
    """Codes on a circle (grouped by family), joined where they share enough segments.

    An edge is drawn when the two codes share at least ``min_both`` segments and their Jaccard
    index is at least ``min_jaccard``; its width is the Jaccard index.
    """
    leaves = list(codebook.leaf_ids)
    family = _family_of(codebook)
    # one empty slot between families, so the groups read as groups and labels do not collide
    slots: dict[str, int] = {}
    slot = 0
    for i, code in enumerate(leaves):
        if i and family[code] != family[leaves[i - 1]]:
            slot += 1
        slots[code] = slot
        slot += 1
    angle = {c: math.pi / 2 - 2 * math.pi * slots[c] / (slot + 1) for c in leaves}
    nodes = pd.DataFrame(
        {
            "code_id": leaves,
            "label": [_leaf_label(codebook, c) for c in leaves],
            "family": [family[c] for c in leaves],
            "x": [math.cos(angle[c]) for c in leaves],
            "y": [math.sin(angle[c]) for c in leaves],
            "n": [int(counts[c]) for c in leaves],
        }
    )
    nodes["lx"] = nodes["x"] * 1.07
    nodes["ly"] = nodes["y"] * 1.07
    nodes["align"] = np.where(nodes["x"] >= 0, "left", "right")
    # radial labels: Vega rotates text clockwise in degrees; the left half is turned upright
    degrees = [-math.degrees(angle[c]) for c in leaves]
    nodes["deg"] = [d if x >= 0 else d + 180 for d, x in zip(degrees, nodes["x"], strict=True)]
    edges = cooc[(cooc["both"] >= min_both) & (cooc["jaccard"] >= min_jaccard)].copy()
    xy = {c: (math.cos(angle[c]), math.sin(angle[c])) for c in leaves}
    edges["x"] = [xy[a][0] for a in edges["code_a"]]
    edges["y"] = [xy[a][1] for a in edges["code_a"]]
    edges["x2"] = [xy[b][0] for b in edges["code_b"]]
    edges["y2"] = [xy[b][1] for b in edges["code_b"]]
    scale = alt.Scale(domain=[-1.9, 1.9])
    axis = None
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#555555")
        .encode(
            x=alt.X("x:Q", scale=scale, axis=axis),
            y=alt.Y("y:Q", scale=scale, axis=axis),
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("jaccard:Q", title="Jaccard 指数", scale=alt.Scale(range=[0.5, 5])),
            opacity=alt.value(0.6),
            tooltip=["code_a:N", "code_b:N", alt.Tooltip("both:Q", title="共同片段"), "jaccard:Q"],
        )
    )
    points = (
        alt.Chart(nodes)
        .mark_circle(opacity=1)
        .encode(
            x=alt.X("x:Q", scale=scale, axis=axis),
            y=alt.Y("y:Q", scale=scale, axis=axis),
            color=alt.Color(
                "family:N", title="一级代码", sort=[codebook.code(t).name_zh for t in codebook.top_ids]
            ),
            size=alt.Size("n:Q", title="片段数", scale=alt.Scale(range=[30, 400])),
            tooltip=[alt.Tooltip("label:N", title="代码"), alt.Tooltip("n:Q", title="片段数")],
        )
    )
    labels = [
        alt.Chart(nodes[nodes["align"] == side])
        .mark_text(align=side, baseline="middle", fontSize=10)
        .encode(
            x=alt.X("lx:Q", scale=scale, axis=axis),
            y=alt.Y("ly:Q", scale=scale, axis=axis),
            text="label:N",
            angle=alt.Angle("deg:Q", scale=None),
        )
        for side in ("left", "right")
    ]
    chart = alt.layer(lines, points, *labels).properties(width=640, height=640)
    return OfflineChart(
        chart,
        description=(
            f"代码共现网络：{len(leaves)} 个二级代码按一级代码分组排列在圆周上，圆点大小表示片段数；"
            "两个代码在足够多的"
            "片段中同时出现时以线相连，线越粗表示 Jaccard 指数越高。"
        ),
    )


def dendrogram_chart(clusters: CaseClusters) -> OfflineChart:
    """The agglomerative clustering of cases as a dendrogram (Jaccard distance)."""
    labels = [CASES[c][1] for c in clusters.cases]
    tree = hierarchy.dendrogram(clusters.linkage, labels=labels, no_plot=True, orientation="left")
    segs = []
    for xs, ys in zip(tree["dcoord"], tree["icoord"], strict=True):
        for i in range(3):
            segs.append({"x": xs[i], "y": ys[i], "x2": xs[i + 1], "y2": ys[i + 1]})
    leaves = pd.DataFrame(
        {"label": tree["ivl"], "y": [5 + 10 * i for i in range(len(tree["ivl"]))], "x": 0.0}
    )
    lines = (
        alt.Chart(pd.DataFrame(segs))
        .mark_rule(color="#0072B2", strokeWidth=2)
        .encode(
            x=alt.X("x:Q", title="Jaccard 距离（平均联结）", scale=alt.Scale(reverse=True)),
            y=alt.Y("y:Q", axis=None),
            x2="x2:Q",
            y2="y2:Q",
        )
    )
    text = (
        alt.Chart(leaves).mark_text(align="left", dx=6, fontSize=11).encode(x="x:Q", y="y:Q", text="label:N")
    )
    chart = (lines + text).properties(width=520, height=30 * len(labels))
    return OfflineChart(
        chart,
        description=(
            "案例聚类树状图：按二级代码出现与否计算案例之间的 Jaccard 距离，用平均联结法聚类；"
            "越早（越靠右）相连的案例，代码剖面越相似。"
        ),
    )
