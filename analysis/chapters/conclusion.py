"""The page ``book/conclusion.md``: 结论：一个整合模型，以及证据能支撑它多远."""

from __future__ import annotations

import pandas as pd

from analysis.coding import actors, consensus, quotecheck
from analysis.coding import synthesis as rules
from analysis.coding.matrices import case_code_matrix, proposition_verdicts
from analysis.coding.segments import load_codebook_data
from analysis.data import io
from analysis.report import actors as actor_views
from analysis.report import cross_case
from analysis.report import synthesis as views
from analysis.report.page import PageOutput
from analysis.report.reliability_views import alpha_text
from analysis.report.table import BookTable


def mechanism_sentence(row: pd.Series) -> str:
    """What the verdicts say about one mechanism, worded for every count."""
    pids = str(row["propositions"]).replace(";", "、")
    head = f"{int(row['n_props'])} 个命题（{pids}）出自 {int(row['n_studies'])} 项研究"
    supported, elsewhere, counter = (int(row[k]) for k in ("supported", "supported_elsewhere", "counter"))
    cells, cases = int(row["n_cells"]), int(row["supported_cases"])
    if supported == 1:
        where = "提出者自己的案例之外" if elsewhere else "提出者自己的案例中"
        support = f"在 {cells} 个命题×案例中判为支持的只有一个，它在{where}"
    elif cases == 1:
        where = "提出者自己案例之外的一个案例" if elsewhere else "提出者自己的一个案例"
        support = f"在 {cells} 个命题×案例中判为支持的有 {supported} 个，同在{where}中"
    elif supported:
        where = f"，其中 {elsewhere} 个在提出者自己的案例之外" if elsewhere else "，都在提出者自己的案例中"
        support = f"在 {cells} 个命题×案例中判为支持的有 {supported} 个，涉及 {cases} 个案例{where}"
    else:
        support = f"在 {cells} 个命题×案例中没有一个判为支持"
    tail = f"，判为反证迹象的有 {counter} 个" if counter else "，也没有一个判为反证迹象"
    return f"{head}；{support}{tail}"


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    cb = load_codebook_data(manifest)
    final = consensus.final_segments(cb, manifest)
    presence = case_code_matrix(final, cb, presence=True)
    overview = cross_case.overview(final, cb, presence)
    propositions = io.load_table("propositions", manifest)
    in_case = quotecheck.case_evidence(final, manifest)
    by_k = {k: proposition_verdicts(propositions, in_case, k) for k in cross_case.THRESHOLDS}
    props = cross_case.verdict_summary(propositions, by_k)
    out.value("con_n_segments", len(final))
    out.value("con_n_cases", overview["n_cases"])
    out.value("con_n_studies", overview["n_studies"])
    out.value(
        "con_share_narrative", f"{100 * float((final['source_type'] == 'author_narrative').mean()):.0f}%"
    )
    out.value("con_share_interview", f"{100 * float((final['source_type'] == 'interview').mean()):.0f}%")
    out.value("con_n_universal", overview["n_universal_codes"])
    out.value("con_universal", overview["universal_codes"])
    out.value("con_prop_supported_phrase", props["supported_phrase"])
    out.value("con_prop_elsewhere_phrase", props["elsewhere_phrase"])
    out.value("con_prop_k", props["k"])
    out.value("con_prop_n_supported_cells", props["n_supported_cells"])
    out.value("con_prop_n_counter_cells", props["n_counter_cells"])
    out.value("con_prop_n_cells", props["n_cells"])

    # the common core and the codebook: how many studies' concepts anchor each integrated code
    anchors = {c: len(cb.code(c).crosswalk) for c in cb.leaf_ids}
    profiled = presence.drop(index=list(cross_case.THIN))
    universal = [c for c in cb.leaf_ids if bool(profiled[c].all())]
    rest = [c for c in cb.leaf_ids if c not in universal]
    out.value("con_min_anchor_studies", min(anchors.values()))
    out.value(
        "con_anchor_universal",
        f"{sum(anchors[c] for c in universal) / len(universal):.1f}" if universal else "—",
    )
    out.value("con_anchor_rest", f"{sum(anchors[c] for c in rest) / len(rest):.1f}" if rest else "—")
    out.value("con_n_profiled", len(profiled))

    # the model: mechanisms by the element of each proposition's first distinctive code
    verdicts = by_k[cross_case.RULE_K]
    strength = rules.mechanism_strength(propositions, verdicts, cross_case.THIN)
    edges = rules.model_edges(propositions, verdicts, cross_case.THIN)
    out.chart("con_fig_model", views.model_chart(edges, strength))
    out.table(
        "con_tbl_elements",
        BookTable(views.elements_table(cb), "整合模型的要素及其所含的整合代码", "tbl-con-elements"),
    )
    out.table(
        "con_tbl_mechanisms",
        BookTable(
            views.mechanism_table(strength, propositions),
            f"各机制按证据强度排序（判定规则阈值 k = {cross_case.RULE_K}；C市不参与判定）",
            "tbl-con-mechanisms",
        ),
    )
    for rank, row in enumerate(strength.to_dict("records"), start=1):
        key = str(row["mechanism"])
        out.value(f"con_mech_{key}_rank", rank)
        out.value(f"con_mech_{key}_sentence", mechanism_sentence(pd.Series(row)))
    out.value("con_n_elements", len(rules.ELEMENTS))
    out.value("con_n_props", len(propositions))
    out.value("con_mech_first", views.ELEMENT_ZH[str(strength.iloc[0]["mechanism"])])
    out.value("con_mech_n", len(strength))

    # who co-creates: the actor coding and the configurations
    coding = actors.load_actor_coding(final, manifest)
    roles = actors.case_roles(in_case, coding)
    summary = actor_views.roles_summary(roles, coding, final)
    result = actors.actor_reliability(coding)
    out.value("con_act_gov_only_share", summary["gov_only_share"])
    out.value("con_act_n_producing", summary["n_producing"])
    out.value("con_act_n_gov_only", summary["n_gov_only"])
    pooled = result.table[result.table["level"] == "pooled_type"].iloc[0]
    out.value("con_act_alpha_types", alpha_text(float(pooled["alpha"])))
    out.value("con_act_alpha_gov_own", views.type_alpha(result, "GOV_OWN"))
    profile = rules.partner_profile(roles)
    assigned = rules.assign_configurations(profile)
    gov_only = dict(zip(profile.index, profile["gov_only"].astype(int), strict=True))
    n_co = dict(zip(profile.index, profile["n_cocreating"].astype(int), strict=True))
    n_majority = sum(1 for c in assigned.index if 2 * gov_only[c] > n_co[c])
    out.value("con_cfg_n_majority", n_majority)
    out.value("con_cfg_n_assigned", len(assigned))
    cfg = views.configuration_summary(profile, assigned, (rules.MIN_SEGMENTS,), rules.MIN_SEGMENTS)
    out.value("con_cfg_n_configurations", cfg["n_configurations"])
    out.value("con_cfg_n_government", cfg["n_government"])
    out.value("con_cfg_fin_alpha", views.type_alpha(result, "FIN"))
    return out
