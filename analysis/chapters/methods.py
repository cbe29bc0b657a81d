"""The page ``book/methods.md``: 研究方法."""

from __future__ import annotations

from analysis.coding import consensus, quotecheck, reliability
from analysis.coding.matrices import code_counts
from analysis.coding.segments import load_codebook_data, load_segments
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report import casebook, reliability_views
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

SAMPLE_FRACTION, SAMPLE_SEED = 0.25, 20261122
SAMPLE2_FRACTION = 0.15


def final_phrase(n_b: int, n_a: int) -> str:
    """Whose judgement the adjudication kept, and what an imbalance means, for every split."""
    if n_b > n_a:
        return (
            f"裁决并不平衡：最终值有 {n_b} 处与编码员 B 的判断相同，只有 {n_a} 处与编码员 A 相同。"
            "主要原因是 B 更严格地按纳入规则补上了代码，而 A 在博士论文的 OCR 残片上给出了不少原文字面"
            "不能支持的代码。这说明第一编码员的编码偏宽"
        )
    if n_a > n_b:
        return (
            f"裁决并不平衡：最终值有 {n_a} 处与编码员 A 的判断相同，只有 {n_b} 处与编码员 B 相同，"
            "说明第二编码员的编码偏离规则更多"
        )
    return f"裁决是平衡的：最终值与两名编码员相同的各有 {n_a} 处"


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    cb = load_codebook_data(manifest)
    first = load_segments(codebook=cb, manifest=manifest)
    second = consensus.load_second_coding(first, manifest)
    log = io.load_table("coding_disagreements", manifest)
    revisions = io.load_table("coding_revisions", manifest)
    final = consensus.final_segments(cb, manifest)
    result = reliability.reliability(first, second, cb, n_boot=2000, seed=SAMPLE_SEED)
    out.value("met_n_segments", len(first))
    out.value("met_n_cases", int(first["case_id"].nunique()))
    out.value("met_n_leaf", len(cb.leaf_ids))
    out.value("met_n_top", len(cb.top_ids))
    out.value("met_cb_version", cb.version)
    out.value("met_cb_first_version", cb.changelog[0].version)
    out.value("met_min_case", int(first[first["case_id"] != "C-YJ"]["case_id"].value_counts().min()))
    out.value("met_min_code_use", int(code_counts(first, cb).min()))
    out.value("met_n_fw_coded", int((first["framework_codes"] != "").sum()))
    out.value("met_share_narrative", f"{(first['source_type'] == 'author_narrative').mean():.0%}")
    sources = casebook.source_type_table(first, list(CASES))
    out.chart("met_fig_sources", reliability_views.source_type_chart(sources))
    out.table(
        "met_tbl_sources",
        BookTable(sources, "各案例编码片段的数量与来源类型（第一编码员）", "tbl-met-sources"),
    )
    sample = reliability.second_coding_sample(first, SAMPLE_FRACTION, SAMPLE_SEED)
    if sample != list(second["segment_id"]):
        raise RuntimeError("the second coding does not cover exactly the drawn sample")
    out.value("met_sample_pct", f"{100 * len(sample) / len(first):.0f}%")
    out.value("met_sample_fraction", f"{100 * SAMPLE_FRACTION:.0f}%")
    for key, value in reliability_views.summary(result, cb).items():
        out.value(f"met_rel_{key}", value)
    out.value("met_threshold", reliability_views.THRESHOLD)
    out.value("met_ci_level", "95%")
    out.chart("met_fig_alpha", reliability_views.alpha_chart(result, cb))
    out.table(
        "met_tbl_rel_family",
        BookTable(
            reliability_views.reliability_table(result, cb, "family"),
            "一级代码（代码族）与全部代码合并的信度：第一轮双人编码",
            "tbl-met-rel-family",
        ),
    )
    out.table(
        "met_tbl_rel_code",
        BookTable(
            reliability_views.reliability_table(result, cb, "code"),
            "各二级代码的信度：第一轮双人编码",
            "tbl-met-rel-code",
        ),
    )
    out.value("met_n_disagreements", len(log))
    out.value("met_n_final_b", int((log["final"] == log["coder_b"]).sum()))
    out.value("met_n_final_a", int((log["final"] == log["coder_a"]).sum()))
    out.value(
        "met_final_phrase",
        final_phrase(
            int((log["final"] == log["coder_b"]).sum()), int((log["final"] == log["coder_a"]).sum())
        ),
    )
    out.table(
        "met_tbl_resolution",
        BookTable(reliability_views.resolution_table(log), "双人编码分歧的裁决", "tbl-met-resolution"),
    )
    framework_revision = revisions["code_id"].str.contains(":", regex=False)
    integrated = revisions[~framework_revision]
    out.value("met_n_revisions", len(integrated))
    out.value("met_n_revision_add", int((integrated["action"] == "add").sum()))
    out.value("met_n_revision_remove", int((integrated["action"] == "remove").sum()))
    out.value("met_n_fw_revisions", int(framework_revision.sum()))
    for key, value in quotecheck.summary(final, manifest).items():
        out.value(f"met_qc_{key}", value)
    changed = consensus.changed_segments(first, final)
    out.value("met_n_changed_segments", changed)
    second2 = consensus.load_second_coding(first, manifest, 2)
    sample2 = reliability.second_coding_sample(
        first, SAMPLE2_FRACTION, SAMPLE_SEED + 1, exclude=frozenset(sample)
    )
    if sample2 != list(second2["segment_id"]):
        raise RuntimeError("round 2 does not cover exactly its drawn sample")
    result2 = reliability.reliability(final, second2, cb, n_boot=2000, seed=SAMPLE_SEED + 1)
    for key, value in reliability_views.summary(result2, cb).items():
        out.value(f"met_rel2_{key}", value)
    out.value("met_rel2_fraction", f"{100 * SAMPLE2_FRACTION:.0f}%")
    gap = max(reliability_views.kappa_gap(result), reliability_views.kappa_gap(result2))
    out.value("met_kappa_gap", f"{gap:.3f}")
    out.value("met_n_disagreements2", len(reliability.disagreements(final, second2, cb)))
    out.chart("met_fig_rounds", reliability_views.rounds_chart(result, result2, cb))
    out.table(
        "met_tbl_rounds",
        BookTable(
            reliability_views.rounds_table(result, result2, cb),
            f"两轮独立编码的信度比较：第一轮（编码表 {cb.changelog[0].version} 版，"
            f"对照第一编码员的原始编码）与第二轮（{cb.version} 版，对照共识编码）",
            "tbl-met-rounds",
        ),
    )
    return out
