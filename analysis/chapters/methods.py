"""The page ``book/methods.md``: 研究方法."""

from __future__ import annotations

from analysis.coding import consensus, quotecheck, reliability
from analysis.coding.matrices import code_counts
from analysis.coding.segments import first_cut, load_codebook_data, load_segments, split_codes
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report import casebook, fidelity_views, reliability_views
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


def round2_phrase(n_keep: int, n_accept: int) -> str:
    """How the round-2 disagreements were decided, for every split (none, one side, both)."""
    n = n_keep + n_accept
    if n == 0:
        return "第二轮没有出现分歧，无需裁决"
    if n_keep == 0:
        return f"第二轮的 {n} 处分歧全部采纳了编码员 B 的判断"
    if n_accept == 0:
        return f"第二轮的 {n} 处分歧全部维持了共识编码"
    split = f"第二轮的 {n} 处分歧中，{n_accept} 处采纳编码员 B 的判断，{n_keep} 处维持共识编码"
    if n_accept > n_keep:
        return (
            f"{split}。采纳 B 的居多，主要是因为这些片段的共识编码大多仍是第一编码员按旧规则给出的，"
            "修订只改动了其中一部分"
        )
    return split


def recheck_phrase(n_checked: int, n_removed: int, n_added: int) -> str:
    """What the re-check of the round-1 agreed codes under the revised rules changed."""
    if n_removed == 0 and n_added == 0:
        return "它们都仍然符合新规则，没有修改"
    added = f"，并按排除规则指向的代码补上 {n_added} 个" if n_added else ""
    return f"其中 {n_removed} 个不再符合新规则而删除{added}，同样记入修订表"


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    manifest = io.load_manifest()
    cb = load_codebook_data(manifest)
    first = load_segments(codebook=cb, manifest=manifest)
    second = consensus.load_second_coding(first, manifest)
    log = io.load_table("coding_disagreements", manifest)
    log1, log2 = log[log["round"] == 1], log[log["round"] == 2]
    revisions = io.load_table("coding_revisions", manifest)
    final = consensus.final_segments(cb, manifest)
    result = reliability.reliability(first, second, cb, n_boot=2000, seed=SAMPLE_SEED)
    out.value("met_n_segments", len(first))
    out.value("met_n_cases", int(first["case_id"].nunique()))
    out.value("met_n_studies", len(io.load_table("source_studies", manifest)))
    out.value("met_n_leaf", len(cb.leaf_ids))
    out.value("met_n_top", len(cb.top_ids))
    out.value("met_cb_version", cb.version)
    out.value("met_cb_first_version", cb.changelog[0].version)
    out.value("met_min_case", int(first[first["case_id"] != "C-YJ"]["case_id"].value_counts().min()))
    out.value("met_min_code_use", int(code_counts(first, cb).min()))
    per_segment = first["codes"].map(lambda cell: len(split_codes(str(cell))))
    out.value("met_codes_per_segment_min", int(per_segment.min()))
    out.value("met_codes_per_segment_max", int(per_segment.max()))
    out.value("met_n_fw_coded", int((first["framework_codes"] != "").sum()))
    out.value("met_share_narrative", f"{(first['source_type'] == 'author_narrative').mean():.0%}")
    sources = casebook.source_type_table(first, list(CASES))
    out.chart("met_fig_sources", reliability_views.source_type_chart(sources))
    out.table(
        "met_tbl_sources",
        BookTable(sources, "各案例编码片段的数量与来源类型（第一编码员）", "tbl-met-sources"),
    )
    sample = reliability.second_coding_sample(first_cut(first), SAMPLE_FRACTION, SAMPLE_SEED)
    if sample != list(second["segment_id"]):
        raise RuntimeError("the second coding does not cover exactly the drawn sample")
    out.value("met_sample_pct", f"{100 * len(sample) / len(first_cut(first)):.0f}%")
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
    out.value("met_n_disagreements", len(log1))
    out.value("met_n_final_b", int((log1["final"] == log1["coder_b"]).sum()))
    out.value("met_n_final_a", int((log1["final"] == log1["coder_a"]).sum()))
    out.value(
        "met_final_phrase",
        final_phrase(
            int((log1["final"] == log1["coder_b"]).sum()), int((log1["final"] == log1["coder_a"]).sum())
        ),
    )
    out.table(
        "met_tbl_resolution",
        BookTable(reliability_views.resolution_table(log), "两轮双人编码分歧的裁决", "tbl-met-resolution"),
    )
    # The revisions of the round-1 sample are the re-check of the codes both coders gave there
    # (the log settles the rest of that sample); the others revise the segments coded once.
    rechecked = revisions[revisions["segment_id"].isin(sample)]
    others = revisions[~revisions["segment_id"].isin(sample)]
    out.value("met_n_revisions", len(others))
    out.value("met_n_revision_add", int((others["action"] == "add").sum()))
    out.value("met_n_revision_remove", int((others["action"] == "remove").sum()))
    agreed = reliability.presence(first, cb.leaf_ids, sample) * reliability.presence(
        second, cb.leaf_ids, sample
    )
    n_checked = int(agreed.to_numpy().sum())
    out.value("met_n_recheck", n_checked)
    out.value(
        "met_recheck_phrase",
        recheck_phrase(
            n_checked,
            int((rechecked["action"] == "remove").sum()),
            int((rechecked["action"] == "add").sum()),
        ),
    )
    for key, value in quotecheck.summary(final, manifest).items():
        out.value(f"met_qc_{key}", value)
    changed = consensus.changed_segments(first, final)
    out.value("met_n_changed_segments", changed)
    second2 = consensus.load_second_coding(first, manifest, 2)
    sample2 = reliability.second_coding_sample(
        first_cut(first), SAMPLE2_FRACTION, SAMPLE_SEED + 1, exclude=frozenset(sample)
    )
    if sample2 != list(second2["segment_id"]):
        raise RuntimeError("round 2 does not cover exactly its drawn sample")
    # Round 2 was coded against the consensus as it stood before round 2 was adjudicated.
    compared2 = consensus.consensus_through(1, cb, manifest)
    result2 = reliability.reliability(compared2, second2, cb, n_boot=2000, seed=SAMPLE_SEED + 1)
    for key, value in reliability_views.summary(result2, cb).items():
        out.value(f"met_rel2_{key}", value)
    out.value("met_rel2_fraction", f"{100 * SAMPLE2_FRACTION:.0f}%")
    gap = max(reliability_views.kappa_gap(result), reliability_views.kappa_gap(result2))
    out.value("met_kappa_gap", f"{gap:.3f}")
    out.value("met_n_disagreements2", len(reliability.disagreements(compared2, second2, cb)))
    out.value(
        "met_round2_phrase",
        round2_phrase(
            int((log2["resolution"] == "keep_a").sum()), int((log2["resolution"] == "accept_b").sum())
        ),
    )
    out.chart("met_fig_rounds", reliability_views.rounds_chart(result, result2, cb))
    # round 3: every segment added for the gaps the fidelity records found, coded blind by B
    added = first[first["round"] == 3]
    second3 = consensus.load_second_coding(first, manifest, 3)
    if sorted(second3["segment_id"]) != sorted(added["segment_id"]):
        raise RuntimeError("round 3 does not cover exactly the segments added in round 3")
    # as round 2: compared with the consensus before round 3 was adjudicated
    compared3 = consensus.consensus_through(2, cb, manifest)
    result3 = reliability.reliability(compared3, second3, cb, n_boot=2000, seed=SAMPLE_SEED + 2)
    for key, value in reliability_views.summary(result3, cb).items():
        out.value(f"met_rel3_{key}", value)
    out.value("met_n_round3", len(added))
    out.value("met_n_disagreements3", len(reliability.disagreements(compared3, second3, cb)))
    fw_revisions = io.load_table("framework_revisions", manifest)
    out.value("met_n_fw_revisions", len(fw_revisions))
    out.value("met_n_fw_add", int((fw_revisions["action"] == "add").sum()))
    out.value("met_n_fw_remove", int((fw_revisions["action"] == "remove").sum()))
    out.value("met_n_fw_segments", int(fw_revisions["segment_id"].nunique()))
    record = fidelity_views.load_fidelity(final, manifest)
    out.value("met_fid_phrase", fidelity_views.counts_phrase(record.cells))
    out.value("met_fid_changed_phrase", fidelity_views.changed_phrase(record.cells))
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
