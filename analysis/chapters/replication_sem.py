"""The page ``book/replication_sem.md``: 结构方程估计的复现."""

from __future__ import annotations

import pandas as pd

from analysis.report.format import fixed
from analysis.report.page import PageOutput
from analysis.report.table import BookTable
from analysis.sem import anchors, fit_audit

_FIT_ZH = {
    "chi2": "χ²",
    "df": "自由度",
    "baseline_chi2": "独立模型的 χ²",
    "cfi": "CFI",
    "tli": "TLI",
    "rmsea": "RMSEA",
}
_KIND_ZH = {"": "回归系数", "se": "回归系数的标准误", "std": "标准化回归系数"}


def quantity_zh(quantity: str) -> str:
    """A published quantity in words: ``dem60~ind60`` is the regression of dem60 on ind60."""
    if quantity in _FIT_ZH:
        return _FIT_ZH[quantity]
    if "=~" in quantity:
        item, factor = quantity.split("=~")
        return f"载荷 {factor} → {item}"
    kind, _, path = quantity.rpartition(" ")
    outcome, predictor = path.split("~")
    return f"{_KIND_ZH[kind]} {predictor} → {outcome}"


def pass_phrase(n_ok: int, n: int, unit: str = "行", ok: str = "在容差之内", bad: str = "超出容差") -> str:
    """How many of ``n`` rows (or checks) pass, worded for all, none and some."""
    if n_ok == n:
        return f"全部 {n} {unit}都{ok}"
    if n_ok == 0:
        return f"{n} {unit}无一{ok}"
    return f"{n} {unit}中有 {n_ok} {unit}{ok}，{n - n_ok} {unit}{bad}"


def build() -> PageOutput:
    """Every value, table and chart the page glues (``repsem_`` keys)."""
    published = anchors.load_published()
    printed = anchors.printed_fit(published)
    rep = anchors.replicate_political_democracy(published)
    table = rep.table
    out = PageOutput()
    out.value("repsem_n_rows", len(table))
    out.value("repsem_n_pass", int(table["pass"].sum()))
    out.value("repsem_pass_phrase", pass_phrase(int(table["pass"].sum()), len(table)))
    out.value("repsem_chi2", fixed(rep.values["chi2"], 3))
    out.value("repsem_df", int(rep.values["df"]))
    out.value("repsem_n", int(printed["n"]))
    estimates = table["quantity"].str.contains("~")
    out.value("repsem_max_est_diff", fixed(table.loc[estimates, "diff"].abs().max(), 4))
    shown = pd.DataFrame(
        {
            "量": [quantity_zh(q) for q in table["quantity"]],
            "lavaan 发表值": [fixed(v, 3) for v in table["published"]],
            "本书复现": [fixed(v, 4) for v in table["reproduced"]],
            "差值": [f"{v:+.4f}" for v in table["diff"]],
            "容差": [fixed(v, 3) for v in table["tolerance"]],
            "通过": ["是" if v else "否" for v in table["pass"]],
        }
    )
    out.table(
        "repsem_tbl_pd",
        BookTable(shown, "PoliticalDemocracy 模型：lavaan 发表值与本书复现值", "tbl-repsem-pd"),
    )
    # The audit recomputes CFI, TLI and RMSEA from chi2, df, N and the baseline model: the
    # reproduced chi2s with the printed df, N and baseline df, against the printed indices.
    pd_table = fit_audit.FitTable(
        chi2=fixed(rep.values["chi2"], 3),
        df=printed["df"],
        n=printed["n"],
        baseline_chi2=fixed(rep.values["baseline_chi2"], 3),
        baseline_df=printed["baseline_df"],
        reported={index: printed[index] for index in ("cfi", "tli", "rmsea")},
        rmsea_n_minus_one=False,
    )
    audit = fit_audit.audit(pd_table)
    out.value("repsem_n_audit", len(audit))
    out.value("repsem_n_audit_ok", int(audit["consistent"].sum()))
    out.value(
        "repsem_audit_phrase",
        pass_phrase(int(audit["consistent"].sum()), len(audit), "项", "判为一致", "判为不一致"),
    )
    return out
