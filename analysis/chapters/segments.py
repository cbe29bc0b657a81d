"""The page ``book/segments.md``: 编码片段浏览."""

from __future__ import annotations

from analysis.coding import consensus
from analysis.coding.segments import load_codebook_data, split_codes
from analysis.data import io
from analysis.report import segment_browser
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

#: The filter menus, as the page's prose names them.
FILTER_NAMES_ZH = {"case": "案例", "type": "来源类型", "code": "代码", "actor": "主体"}


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    codebook = load_codebook_data(manifest)
    final = consensus.final_segments(codebook, manifest)
    actors = segment_browser.actor_labels(manifest)
    out.value("seg_n_segments", len(final))
    out.value("seg_n_cases", int(final["case_id"].nunique()))
    out.value("seg_n_studies", int(final["seed_id"].nunique()))
    out.value("seg_n_codes", len({c for cell in final["codes"] for c in split_codes(cell)}))
    names = [FILTER_NAMES_ZH[f] for f in segment_browser.FILTERS if f != "actor" or actors is not None]
    out.value("seg_filter_names", "、".join(names[:-1]) + "和" + names[-1])
    out.table(
        "seg_tbl_all",
        BookTable(
            segment_browser.browser_frame(final, codebook, actors),
            "共识编码的全部片段：案例、出处、来源类型、引文与代码",
            "tbl-seg-all",
        ),
    )
    return out
