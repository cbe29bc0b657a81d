"""Numbers and tables of the cross-case chapter, computed from the consensus coding."""

from __future__ import annotations

import pandas as pd

from analysis.coding import quotecheck
from analysis.coding.codebook import Codebook
from analysis.coding.matrices import VERDICTS, CaseClusters, top_level_matrix
from analysis.coding.segments import long_codes, split_codes
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report.format import seed_ref

__all__ = [
    "cluster_summary",
    "cluster_table",
    "cooccurrence_summary",
    "family_counts_table",
    "meta_matrix_long",
    "meta_rule_summary",
    "operationalisation_table",
    "overview",
    "sensitivity_table",
    "top_pairs_table",
    "verdict_summary",
    "verdict_table",
]

#: Cases whose coded text is too thin to profile (the C市 abstract).
THIN = ("C-YJ",)


def _exemplar(candidates: pd.DataFrame, n_in_family: pd.Series, excluded: set[str]) -> pd.Series | None:
    """The exemplary segment of a cell, by a rule a reader can check (stated on the page).

    A candidate quotation must be one continuous passage (no "…" joining OCR fragments) of at
    least :data:`analysis.coding.quotecheck.MIN_READABLE` Chinese characters, and its segment
    must not be in ``excluded`` (outside its case's unit, a failed meaning check, or already the
    exemplar of the same case under an earlier family). Among candidates: most codes of the
    family first, then the shortest quotation, then the smallest id. ``None`` when no candidate
    qualifies.
    """
    frame = candidates.assign(
        _n=n_in_family.reindex(candidates.index),
        _len=candidates["evidence_zh"].map(quotecheck.han_count),
    )
    keep = frame["evidence_zh"].map(quotecheck.readable) & ~frame["segment_id"].isin(excluded)
    frame = frame[keep].sort_values(["_n", "_len", "segment_id"], ascending=[False, True, True])
    return None if frame.empty else frame.iloc[0]


def meta_matrix(
    segments: pd.DataFrame,
    codebook: Codebook,
    excluded: set[str] | None = None,
    typos: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The partially ordered meta-matrix: cases (book order) x top-level codes.

    Each cell holds the number of segments of that family and one exemplary quotation with its
    seed and line range (rule in :func:`_exemplar`; families in codebook order, so a case's
    quotation is not repeated under a later family), misprints of the source marked
    〔原文如此〕; "—" where the coded text holds no evidence. ``excluded`` (segments outside
    their case's unit or with a failed meaning check) and ``typos`` are read from ``data/`` when
    not given.
    """
    if excluded is None or typos is None:
        manifest = io.load_manifest()
        excluded = quotecheck.failing_segments(io.load_table("quote_checks", manifest))
        excluded |= quotecheck.outside_unit(segments, io.load_table("case_units", manifest))
        typos = io.load_table("source_typos", manifest)
    long = long_codes(segments)
    long["top"] = [codebook.top_of(c) for c in long["code_id"]]
    by_id = segments.set_index(segments["segment_id"].rename(None))
    used: dict[str, set[str]] = {case: set() for case in CASES}
    cells: dict[str, dict[str, str]] = {}
    for top in codebook.top_ids:
        column: dict[str, str] = {}
        for case in CASES:
            hits = long[(long["case_id"] == case) & (long["top"] == top)]
            if hits.empty:
                column[case] = "—"
                continue
            n_in_family = hits.groupby("segment_id").size()
            best = _exemplar(by_id.loc[n_in_family.index], n_in_family, excluded | used[case])
            if best is None:
                column[case] = f"（{len(n_in_family)} 段）{NO_EXEMPLAR}"
                continue
            used[case].add(str(best["segment_id"]))
            seed, lo, hi = str(best["seed_id"]), int(best["line_from"]), int(best["line_to"])
            quote = quotecheck.mark_typos(str(best["evidence_zh"]), seed, lo, hi, typos)
            column[case] = f"（{len(n_in_family)} 段）“{quote}”〔{seed_ref(seed, lo, hi)}〕"
        cells[top] = column
    table = pd.DataFrame(cells).reindex(index=list(CASES))
    table.index.name = "case_id"
    return table


#: A meta-matrix cell whose segments hold no quotation the exemplar rule admits.
NO_EXEMPLAR = "无合乎规则的典型引文"


def meta_rule_summary(meta: pd.DataFrame) -> dict[str, int | str]:
    """The exemplar rule's bound and what it leaves: cells without an exemplar, misprints marked."""
    empty = [case for case in meta.index for top in meta.columns if NO_EXEMPLAR in str(meta.at[case, top])]
    cases = list(dict.fromkeys(empty))
    if not cases:
        gap = "每一格都有合乎规则的引文"
    else:
        names = "、".join(CASES[c][1] for c in cases)
        gap = f"有 {len(empty)} 格没有合乎规则的引文，都属于{names}"
        if all(CASES[c][0] == "003" for c in cases):
            gap += "：这些案例出自博士论文，它的 OCR 文本把正文与表格打散，引文多由片段连接而成"
    cells = [str(c) for c in meta.to_numpy().ravel()]
    n_sic = sum(c.count(quotecheck.SIC) for c in cells)
    return {
        "min_chars": quotecheck.MIN_READABLE,
        "n_cells_with_segments": sum(c != "—" for c in cells),
        "gap_phrase": gap,
        "sic_phrase": f"本表有 {n_sic} 处" if n_sic else "本表的引文中没有",
    }


def _code_name(codebook: Codebook, code_id: str) -> str:
    return f"{codebook.code(code_id).name_zh}（{code_id}）"


def _join(items: list[str]) -> str:
    return "、".join(items) if items else "无"


def overview(segments: pd.DataFrame, codebook: Codebook, presence: pd.DataFrame) -> dict[str, int | str]:
    """Headline counts: cases, studies, segments, codes used, codes evidenced everywhere and in one case."""
    profiled = presence.drop(index=list(THIN))
    used = presence.sum(axis=0)
    universal = [c for c in codebook.leaf_ids if bool(profiled[c].all())]
    single = [c for c in codebook.leaf_ids if int(used[c]) == 1]
    long = long_codes(segments)
    igr = long[long["code_id"] == "ACT.IGR"]["case_id"]
    regional = float(igr.isin(["QWJ", "JJJ", "XN"]).mean()) if len(igr) else 0.0
    single_note = (
        f"有{len(single)}个代码只在一个案例中出现（{_join([_code_name(codebook, c) for c in single])}），"
        "它们更多反映某篇文献的关注点"
        if single
        else "没有哪个代码只在一个案例中出现，每个代码都至少在两个案例中有证据"
    )
    return {
        "n_cases": int(segments["case_id"].nunique()),
        "n_studies": int(segments["seed_id"].nunique()),
        "igr_share_regional": f"{100 * regional:.0f}%",
        "single_case_note": single_note,
        "n_segments": len(segments),
        "n_codes_used": int((used > 0).sum()),
        "n_cyj": int((segments["case_id"] == "C-YJ").sum()),
        "n_universal_codes": len(universal),
        "universal_codes": _join([_code_name(codebook, c) for c in universal]),
    }


def family_counts_table(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Cases x top-level codes (segments with at least one code of the family), with case totals."""
    table = top_level_matrix(segments, codebook)
    table.columns = [codebook.code(t).name_zh for t in table.columns]
    table.insert(
        0, "片段数", segments["case_id"].value_counts().reindex(list(CASES), fill_value=0).astype(int)
    )
    table.index = pd.Index([CASES[c][1] for c in table.index], name="案例")
    return table.reset_index()


def meta_matrix_long(segments: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The meta-matrix in long form: family, case, segments and the exemplary quotation."""
    meta = meta_matrix(segments, codebook)
    rows = []
    for top in codebook.top_ids:
        for case in CASES:
            cell = str(meta.at[case, top])
            rows.append(
                {
                    "一级代码": codebook.code(top).name_zh,
                    "案例": CASES[case][1],
                    "典型引文（片段数）与出处": cell,
                }
            )
    return pd.DataFrame(rows)


def _edges(cooc: pd.DataFrame, min_both: int, min_jaccard: float) -> pd.DataFrame:
    return cooc[(cooc["both"] >= min_both) & (cooc["jaccard"] >= min_jaccard)]


def cooccurrence_summary(
    cooc: pd.DataFrame, codebook: Codebook, min_both: int, min_jaccard: float
) -> dict[str, int | str]:
    """Number of edges drawn, how many cross families, and the strongest pair."""
    edges = _edges(cooc, min_both, min_jaccard)
    cross = sum(
        1
        for a, b in zip(edges["code_a"], edges["code_b"], strict=True)
        if codebook.top_of(a) != codebook.top_of(b)
    )
    top = cooc[cooc["both"] >= min_both].sort_values(["jaccard", "both"], ascending=False).iloc[0]
    return {
        "n_edges": len(edges),
        "n_cross_family_edges": cross,
        "top_pair": f"{_code_name(codebook, str(top['code_a']))}与{_code_name(codebook, str(top['code_b']))}",
        "top_jaccard": f"{float(top['jaccard']):.2f}",
    }


def top_pairs_table(cooc: pd.DataFrame, codebook: Codebook, min_both: int, n: int) -> pd.DataFrame:
    """The ``n`` code pairs with the highest Jaccard index among those sharing ``min_both`` segments."""
    top = cooc[cooc["both"] >= min_both].sort_values(["jaccard", "both"], ascending=False).head(n)
    return pd.DataFrame(
        {
            "代码甲": [_code_name(codebook, c) for c in top["code_a"]],
            "代码乙": [_code_name(codebook, c) for c in top["code_b"]],
            "共同片段": top["both"].astype(int).to_list(),
            "任一片段": top["either"].astype(int).to_list(),
            "Jaccard 指数": [f"{v:.2f}" for v in top["jaccard"]],
        }
    )


def _members(clusters: CaseClusters) -> dict[int, list[str]]:
    groups: dict[int, list[str]] = {}
    for case, label in zip(clusters.cases, clusters.labels, strict=True):
        groups.setdefault(label, []).append(case)
    return groups


def cluster_summary(clusters: CaseClusters, presence: pd.DataFrame) -> dict[str, int | str]:
    """The cophenetic correlation, the number of clusters and a sentence on single-case clusters, if any."""
    groups = _members(clusters)
    singles = [g[0] for g in groups.values() if len(g) == 1]
    used = presence.loc[list(clusters.cases)].sum(axis=1)
    rest = used.drop(index=singles)
    names = "与".join(CASES[c][1] for c in singles)
    note = (
        f"切成 {len(groups)} 组时，{names}各自单独成组，它们在树上最晚并入其余案例；它们分别只用到"
        f"{'、'.join(str(int(used[c])) for c in singles)}个二级代码，"
        f"而其余案例平均用到{float(rest.mean()):.1f}个。"
        if singles
        else f"切成 {len(groups)} 组时，没有案例单独成组。"
    )
    return {"cophenetic": f"{clusters.cophenetic:.2f}", "n_clusters": len(groups), "outlier_note": note}


def cluster_table(clusters: CaseClusters, presence: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Each cluster: its cases, the codes all members share, and those only its members share."""
    rows = []
    profiled = presence.loc[list(clusters.cases)]
    for label, members in sorted(_members(clusters).items()):
        inside = profiled.loc[members]
        outside = profiled.drop(index=members)
        shared = [c for c in codebook.leaf_ids if bool(inside[c].all())]
        own = [c for c in shared if not bool(outside[c].any())]
        rows.append(
            {
                "组": label,
                "案例": "、".join(CASES[c][1] for c in members),
                "用到的二级代码数": "、".join(
                    str(int(n)) for n in profiled.loc[members].sum(axis=1).to_numpy()
                ),
                "组内共有的代码数": len(shared),
                "仅本组共有的代码": _join([_code_name(codebook, c) for c in own]),
            }
        )
    return pd.DataFrame(rows)


VERDICT_ZH = dict(zip(VERDICTS, ("支持", "反证迹象", "无证据"), strict=True))

#: The thresholds of the verdict rule the sensitivity table compares (the book's rule: 2).
THRESHOLDS = (1, 2, 3)
RULE_K = 2


def operationalisation_table(propositions: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Each proposition: its distinctive condition (all of) and its outcome (any of)."""

    def names(cell: str, joiner: str) -> str:
        return joiner.join(_code_name(codebook, c) for c in split_codes(str(cell)))

    return pd.DataFrame(
        {
            "命题": [f"{r['proposition_id']} {r['statement_zh']}" for r in propositions.to_dict("records")],
            "区分性条件（须同时出现）": [names(c, " + ") for c in propositions["distinctive_codes"]],
            "结果（任一）": [names(c, "、") for c in propositions["outcome_codes"]],
        }
    )


def verdict_table(propositions: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Propositions x cases: the verdict with (segments with outcome / without); ★ the own study's case."""
    cells = {(r["proposition_id"], r["case_id"]): r for r in verdicts.to_dict("records")}
    cases = [c for c in CASES if c not in THIN]
    rows = []
    for pid in propositions["proposition_id"]:
        row: dict[str, str] = {"命题": str(pid)}
        for case in cases:
            r = cells[(pid, case)]
            star = "★" if r["own_study"] else ""
            row[CASES[case][1]] = (
                f"{VERDICT_ZH[r['verdict']]}{star}（{r['with_outcome']}/{r['without_outcome']}）"
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _usable(verdicts: pd.DataFrame) -> pd.DataFrame:
    return verdicts[~verdicts["case_id"].isin(THIN)]


def _n_supported(verdicts: pd.DataFrame) -> int:
    usable = _usable(verdicts)
    return int(usable[usable["verdict"] == "supported"]["proposition_id"].nunique())


def sensitivity_table(by_k: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """For each threshold of the rule: how many proposition x case cells get each verdict."""
    rows = []
    for k, verdicts in by_k.items():
        counts = _usable(verdicts)["verdict"].value_counts()
        rows.append(
            {
                "阈值 k": f"{k}（本书采用）" if k == RULE_K else str(k),
                **{VERDICT_ZH[v]: int(counts.get(v, 0)) for v in VERDICT_ZH},
                "得到支持的命题数": _n_supported(verdicts),
            }
        )
    return pd.DataFrame(rows)


def verdict_summary(propositions: pd.DataFrame, by_k: dict[int, pd.DataFrame]) -> dict[str, int | str]:
    """Glued numbers of the verdicts under the book's rule, and how they move with the threshold.

    Also what was compared: the documents and frameworks the propositions come from, the cases
    judged (all but :data:`THIN`) and how many distinctive codes a proposition has (``"1 至 2"``).
    """
    usable = _usable(by_k[RULE_K])
    counts = usable["verdict"].value_counts()
    supported = list(dict.fromkeys(usable[usable["verdict"] == "supported"]["proposition_id"]))
    elsewhere = list(
        dict.fromkeys(usable[(usable["verdict"] == "supported") & ~usable["own_study"]]["proposition_id"])
    )
    n = len(propositions)
    if not supported:
        supported_phrase = f"{n} 个命题没有一个在任何案例中得到支持"
    elif len(supported) == n:
        supported_phrase = f"全部 {n} 个命题都在至少一个案例中得到支持"
    else:
        supported_phrase = (
            f"{n} 个命题中只有 {len(supported)} 个在至少一个案例中得到支持（{'、'.join(supported)}）"
        )
    low, high = _n_supported(by_k[max(THRESHOLDS)]), _n_supported(by_k[min(THRESHOLDS)])
    n_distinctive = sorted({len(split_codes(str(c))) for c in propositions["distinctive_codes"]})
    return {
        "k": RULE_K,
        "n_props": n,
        "n_seeds": int(propositions["seed_id"].nunique()),
        "n_frameworks": int(propositions["study"].nunique()),
        "n_cases": int(usable["case_id"].nunique()),
        "n_distinctive": (
            f"{n_distinctive[0]} 至 {n_distinctive[-1]}" if len(n_distinctive) > 1 else str(n_distinctive[0])
        ),
        "n_cells": len(usable),
        "n_supported_cells": int(counts.get("supported", 0)),
        "n_counter_cells": int(counts.get("counter", 0)),
        "n_none_cells": int(counts.get("not_evidenced", 0)),
        "supported_phrase": supported_phrase,
        "elsewhere_phrase": (
            f"在提出它的研究之外的案例中得到支持的有 {len(elsewhere)} 个（{'、'.join(elsewhere)}）"
            if elsewhere
            else "没有一个命题在提出它的研究之外的案例中得到支持"
        ),
        "range_supported": f"从 {high} 个减到 {low} 个" if low != high else f"始终是 {low} 个",
        "k_low": min(THRESHOLDS),
        "k_high": max(THRESHOLDS),
    }
