"""The page ``book/cross_case.md``: 跨案例比较：谁与谁共同创造价值，经由什么结构."""

from __future__ import annotations

import pandas as pd

from analysis.coding import actors, consensus, matrices, quotecheck
from analysis.coding import synthesis as rules
from analysis.coding.codebook import Codebook
from analysis.coding.reliability import ReliabilityResult
from analysis.coding.segments import load_codebook_data
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report import actors as actor_views
from analysis.report import coding_charts, fidelity_views
from analysis.report import synthesis as views
from analysis.report.cross_case import (
    RULE_K,
    THIN,
    THRESHOLDS,
    cluster_summary,
    cluster_table,
    cooccurrence_summary,
    family_counts_table,
    meta_matrix,
    meta_matrix_long,
    meta_rule_summary,
    operationalisation_table,
    overview,
    sensitivity_table,
    top_pairs_table,
    verdict_summary,
    verdict_table,
)
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

MIN_BOTH, MIN_JACCARD = 3, 0.1
#: The number of clusters the case dendrogram is cut into.
N_CLUSTERS = 3

#: The floors of the configuration rule the sensitivity table compares (the book's: rules.MIN_SEGMENTS).
FLOORS = (rules.MIN_SEGMENTS - 1, rules.MIN_SEGMENTS, rules.MIN_SEGMENTS + 1)


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    cb = load_codebook_data()
    segments = consensus.final_segments(cb)
    counts = matrices.case_code_matrix(segments, cb)
    presence = matrices.case_code_matrix(segments, cb, presence=True)
    cooc = matrices.cooccurrence(segments, cb)
    code_counts = matrices.code_counts(segments, cb)
    clusters = matrices.cluster_cases(presence, k=N_CLUSTERS, exclude=list(THIN))
    propositions = io.load_table("propositions")
    # comparisons between cases count only the segments that are about their case
    in_case = quotecheck.case_evidence(segments)
    n_not_case = len(segments) - len(in_case)
    out.value(
        "cc_not_case_phrase",
        f"引文含义核查判定为写的不是所归案例的 {n_not_case} 个片段仍是各自研究框架的证据，但不计入这些比较"
        if n_not_case
        else "引文含义核查没有发现写的不是所归案例的片段",
    )
    by_k = {k: matrices.proposition_verdicts(propositions, in_case, k) for k in THRESHOLDS}
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
    out.update(meta_rule_summary(meta_matrix(segments, cb)), prefix="cc_meta_")
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
    summary = cluster_summary(clusters, presence)
    for key, value in summary.items():
        out.value(f"cc_{key}", value)
    out.table(
        "cc_tbl_clusters",
        BookTable(
            cluster_table(clusters, presence, cb),
            f"按代码剖面聚成的 {summary['n_clusters']} 组案例及每组独有的代码",
            "tbl-cc-clusters",
        ),
    )
    out.table(
        "cc_tbl_prop_ops",
        BookTable(
            operationalisation_table(propositions, cb),
            "各命题的操作化：区分性条件（整合代码，须在同一片段中同时出现）与结果（任一）",
            "tbl-cc-prop-ops",
        ),
    )
    verdicts = verdict_summary(propositions, by_k)
    out.table(
        "cc_tbl_props",
        BookTable(
            verdict_table(propositions, by_k[RULE_K]),
            f"各命题在 {verdicts['n_cases']} 个案例中的判定（★ 为提出该命题的研究自己的案例；括号内为带有"
            "区分性条件的片段中有结果与没有结果的片段数）",
            "tbl-cc-props",
        ),
    )
    out.table(
        "cc_tbl_prop_sensitivity",
        BookTable(
            sensitivity_table(by_k),
            f"判定规则的阈值 k 对判定的影响（{verdicts['n_cases']} 个案例）",
            "tbl-cc-prop-sensitivity",
        ),
    )
    for key, value in verdicts.items():
        out.value(f"cc_prop_{key}", value)
    coding = actors.load_actor_coding(segments)
    roles = actors.case_roles(in_case, coding)
    result = actors.actor_reliability(coding)
    out.update(actor_views.actor_summary(result, coding), prefix="cc_act_")
    out.update(actor_views.roles_summary(roles, coding, segments), prefix="cc_act_")
    out.table(
        "cc_tbl_actor_alpha",
        BookTable(
            actor_views.reliability_table(result, coding),
            "行动者编码的信度：编码员A与盲编的编码员B在同一批片段上的一致性"
            "（Krippendorff α，区间为按片段重抽样的 95% 自助区间）",
            "tbl-cc-actor-alpha",
        ),
    )
    out.chart("cc_fig_actor_roles", actor_views.role_chart(roles, coding))
    out.merge(configurations(in_case, cb, roles, coding, result))
    return out.merge(fidelity_section())


def configurations(
    segments: pd.DataFrame,
    cb: Codebook,
    roles: pd.DataFrame,
    coding: actors.ActorCoding,
    result: ReliabilityResult,
) -> PageOutput:
    """The typology of co-creation configurations: rule, members, figures, evidence, vocabulary."""
    out = PageOutput()
    profile = rules.partner_profile(roles)
    assigned = rules.assign_configurations(profile)
    structures = rules.structure_lift(segments, views.STRUCTURE_CODES, list(assigned.index))
    out.value("cc_cfg_min", rules.MIN_SEGMENTS)
    out.value("cc_cfg_n_partner_classes", len(rules.PARTNERS))
    out.value("cc_cfg_quote_min_chars", rules.MIN_QUOTE_CHARS)
    out.value("cc_cfg_fin_reliability", views.type_reliability_sentence(result, coding, "FIN"))
    out.value(
        "cc_cfg_fin_place",
        views.partner_place_sentence(profile, assigned, FLOORS, rules.MIN_SEGMENTS, "finance"),
    )
    out.update(views.configuration_summary(profile, assigned, FLOORS, rules.MIN_SEGMENTS), prefix="cc_cfg_")
    for cfg in rules.CONFIGURATIONS:
        code_of = {str(k): str(v) for k, v in structures["code"].items()}
        members = [str(c) for c, v in assigned["configuration"].items() if v == cfg]
        found = [(m, code_of[m]) for m in members if code_of[m]]
        out.value(
            f"cc_cfg_struct_{cfg}",
            "、".join(f"{cb.code(c).name_zh}（{CASES[m][1]}）" for m, c in found)
            if found
            else "无一达到阈值",
        )
    out.table(
        "cc_tbl_typology",
        BookTable(
            views.typology_table(profile, assigned, structures, cb, result),
            "共创构型：各案例的共创片段、达到阈值的非政府伙伴、最突出的结构代码，以及构型所依据的行动者类型的编码一致性（归类规则见正文）",
            "tbl-cc-typology",
        ),
    )
    out.chart("cc_fig_config_heatmap", views.heatmap_chart(roles, profile, assigned, coding))
    out.chart("cc_fig_config_network", views.network_chart(roles, assigned, coding))
    out.table(
        "cc_tbl_config_evidence",
        BookTable(
            views.evidence_table(
                roles,
                segments,
                assigned,
                coding,
                exclude=frozenset(quotecheck.failing_segments(io.load_table("quote_checks"))),
            ),
            "各案例最能说明其构型的片段（按固定规则选出，规则见正文）",
            "tbl-cc-config-evidence",
        ),
    )
    out.table(
        "cc_tbl_config_sensitivity",
        BookTable(
            views.config_sensitivity_table(profile, FLOORS, rules.MIN_SEGMENTS),
            "归类阈值对各案例构型的影响",
            "tbl-cc-config-sensitivity",
        ),
    )
    for case, key in (("LX", "lx"), ("S-A", "sa")):
        counts = rules.vocabulary_counts(segments, case, views.VOCABULARIES)
        n_case = int((segments["case_id"] == case).sum())
        out.value(
            f"cc_voc_{key}_sentence",
            views.vocabulary_sentence(CASES[case][1], n_case, counts["service"], counts["operations"]),
        )
    names = rules.vocabulary_counts(segments, "LX", {"tongban": ("一网通办",), "tongguan": ("一网统管",)})
    out.value("cc_voc_lx_tongguan", names["tongguan"])
    out.value("cc_voc_lx_tongban", names["tongban"])
    users = roles[roles["actor_type"].isin(rules.PARTNERS["users"])]
    co_users = set(rules.cocreating_roles(users)["segment_id"])
    out.value("cc_usr_n_any", int(users["segment_id"].nunique()))
    out.value("cc_usr_n_cocreate", len(co_users))
    out.value("cc_usr_n_use_only", int(users["segment_id"].nunique()) - len(co_users))
    for name, words in views.VOCABULARIES.items():
        out.value(f"cc_voc_terms_{name}", "".join(f"“{w}”" for w in words))
    return out


def fidelity_section() -> PageOutput:
    """The closing section 与原文对照 (issue 13): the five studies' fidelity records summarised."""
    out = PageOutput()
    record = fidelity_views.load_fidelity()
    out.value("cc_fid_phrase", fidelity_views.counts_phrase(record.cells))
    out.value("cc_fid_changed_phrase", fidelity_views.changed_phrase(record.cells))
    out.table(
        "cc_tbl_fid",
        BookTable(
            fidelity_views.studies_table(record),
            "与原文对照：五项来源研究的表格在各案例章中重建后的逐格对照结果",
            "tbl-cc-fid",
        ),
    )
    return out
