"""The page ``book/index.md``: 整体智治与价值共创：数字政府跨域治理的可复现研究."""

from __future__ import annotations

from analysis.coding import consensus, reliability
from analysis.coding.segments import load_codebook_data, load_segments
from analysis.data import io
from analysis.report import colophon, timeline
from analysis.report.page import PageOutput

#: The front page says whether this build checked every quotation against the source studies.
SOURCES_CHECKED = "本次构建逐条核对了每一段引文与来源研究原文的对应行。"
SOURCES_MISSING = "本次构建时来源研究的原文不可用，引文没有与原文逐行核对（见数据来源附录）。"


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    events = timeline.prepare_events(io.load_table("reform_events"))
    summary = timeline.event_summary(events)
    out.value("home_n_studies", len(io.load_table("source_studies")))
    out.value("home_n_events", summary["n_events"])
    out.value("home_first_year", summary["first_year"])
    out.value("home_last_year", summary["last_year"])
    out.value("home_python", colophon.required_python())
    out.value("home_sources_note", SOURCES_CHECKED if io.sources().available else SOURCES_MISSING)
    cb = load_codebook_data()
    final = consensus.final_segments(cb)
    out.value("home_n_frameworks", len(cb.frameworks))
    out.value("home_n_leaf", len(cb.leaf_ids))
    out.value("home_n_cases", int(final["case_id"].nunique()))
    out.value("home_n_segments", len(final))
    out.value("home_share_narrative", f"{(final['source_type'] == 'author_narrative').mean():.0%}")
    out.value("home_share_interview", f"{(final['source_type'] == 'interview').mean():.0%}")
    first = load_segments(codebook=cb)
    manifest = io.load_manifest()
    # Each round is compared with the coding as it stood when that round was coded.
    before2 = consensus.consensus_through(1, cb, manifest)
    for name, base, r in (("home_alpha1", first, 1), ("home_alpha2", before2, 2)):
        out.value(
            name,
            f"{reliability.pooled_alpha(base, consensus.load_second_coding(first, manifest, r), cb):.3f}",
        )
    return out
