"""The page ``book/cross_case.md``: 跨案例比较：九个案例放在同一张编码表上."""

from __future__ import annotations

from analysis.coding import consensus, matrices
from analysis.coding.segments import load_codebook_data
from analysis.data import io
from analysis.report import casebook, coding_charts
from analysis.report.cross_case import (
    cluster_summary,
    cluster_table,
    cooccurrence_summary,
    family_counts_table,
    meta_matrix_long,
    overview,
    proposition_summary,
    top_pairs_table,
)
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

MIN_BOTH, MIN_JACCARD = 3, 0.1


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    counts = matrices.case_code_matrix(segments, cb)
    presence = matrices.case_code_matrix(segments, cb, presence=True)
    cooc = matrices.cooccurrence(segments, cb)
    code_counts = matrices.code_counts(segments, cb)
    clusters = matrices.cluster_cases(presence, k=3, exclude=["C-YJ"])
    propositions = io.load_table("propositions")
    evidence = matrices.proposition_evidence(propositions, segments)
    for key, value in overview(segments, cb, presence).items():
        out.value(f"cc_{key}", value)
    out.table(
        "cc_tbl_families",
        BookTable(
            family_counts_table(segments, cb),
            "各案例中带有各一级代码的片段数（一个片段可带多个一级代码）",
            "tbl-cc-families",
        ),
    )
    out.table(
        "cc_tbl_meta",
        BookTable(
            meta_matrix_long(segments, cb),
            "部分有序的元矩阵：每个一级代码在每个案例中的典型引文（选取规则见正文）",
            "tbl-cc-meta",
        ),
    )
    out.chart("cc_fig_heatmap", coding_charts.heatmap_chart(counts, cb))
    out.value("cc_net_min_both", MIN_BOTH)
    out.value("cc_net_min_jaccard", MIN_JACCARD)
    out.chart(
        "cc_fig_network", coding_charts.cooccurrence_chart(cooc, code_counts, cb, MIN_BOTH, MIN_JACCARD)
    )
    for key, value in cooccurrence_summary(cooc, cb, MIN_BOTH, MIN_JACCARD).items():
        out.value(f"cc_{key}", value)
    out.table(
        "cc_tbl_pairs",
        BookTable(
            top_pairs_table(cooc, cb, MIN_BOTH, n=12),
            "Jaccard 指数最高的代码对（共同片段不少于共现阈值）",
            "tbl-cc-pairs",
        ),
    )
    out.chart("cc_fig_dendrogram", coding_charts.dendrogram_chart(clusters))
    for key, value in cluster_summary(clusters, presence).items():
        out.value(f"cc_{key}", value)
    out.table(
        "cc_tbl_clusters",
        BookTable(
            cluster_table(clusters, presence, cb),
            "按代码剖面聚成的三组案例及每组独有的代码",
            "tbl-cc-clusters",
        ),
    )
    out.table(
        "cc_tbl_props",
        BookTable(
            casebook.propositions_table(propositions, evidence),
            "各框架的命题在九个案例中的共现证据（★ 为提出该命题的研究自己的案例；"
            "数字为同时带有条件代码与结果代码的片段数）",
            "tbl-cc-props",
        ),
    )
    for key, value in proposition_summary(propositions, evidence).items():
        out.value(f"cc_{key}", value)
    return out
