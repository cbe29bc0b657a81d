"""The page ``book/conclusion.md``: 结论：证据能说明什么，不能说明什么."""

from __future__ import annotations

from analysis.coding import actors, consensus
from analysis.coding.matrices import case_code_matrix, proposition_verdicts
from analysis.coding.segments import load_codebook_data
from analysis.data import io
from analysis.report import actors as actor_views
from analysis.report import cross_case
from analysis.report.page import PageOutput


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    cb = load_codebook_data(manifest)
    final = consensus.final_segments(cb, manifest)
    presence = case_code_matrix(final, cb, presence=True)
    overview = cross_case.overview(final, cb, presence)
    propositions = io.load_table("propositions", manifest)
    by_k = {k: proposition_verdicts(propositions, final, k) for k in cross_case.THRESHOLDS}
    props = cross_case.verdict_summary(propositions, by_k)
    out.value("con_n_segments", len(final))
    out.value("con_n_cases", int(final["case_id"].nunique()))
    out.value(
        "con_share_narrative", f"{100 * float((final['source_type'] == 'author_narrative').mean()):.0f}%"
    )
    out.value("con_share_interview", f"{100 * float((final['source_type'] == 'interview').mean()):.0f}%")
    out.value("con_n_universal", overview["n_universal_codes"])
    out.value("con_universal", overview["universal_codes"])
    out.value("con_prop_supported_phrase", props["supported_phrase"])
    out.value("con_prop_elsewhere_phrase", props["elsewhere_phrase"])
    coding = actors.load_actor_coding(final)
    summary = actor_views.roles_summary(actors.case_roles(final, coding), coding, final)
    out.value("con_act_gov_only_share", summary["gov_only_share"])
    return out
