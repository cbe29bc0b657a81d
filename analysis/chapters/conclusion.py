"""The page ``book/conclusion.md``: 结论：证据能说明什么，不能说明什么."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.matrices import case_code_matrix, proposition_evidence
from analysis.coding.segments import load_codebook_data
from analysis.data import io
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
    props = cross_case.proposition_summary(propositions, proposition_evidence(propositions, final))
    out.value("con_n_segments", len(final))
    out.value("con_n_cases", int(final["case_id"].nunique()))
    out.value(
        "con_share_narrative", f"{100 * float((final['source_type'] == 'author_narrative').mean()):.0f}%"
    )
    out.value("con_share_interview", f"{100 * float((final['source_type'] == 'interview').mean()):.0f}%")
    out.value("con_n_universal", overview["n_universal_codes"])
    out.value("con_universal", overview["universal_codes"])
    for key in ("n_props", "n_props_elsewhere", "n_props_own_only", "n_props_none"):
        out.value(f"con_{key}", props[key])
    out.value("con_props_tally", props["tally"])
    return out
