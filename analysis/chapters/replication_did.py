"""The page ``book/replication_did.md``: 双重差分估计量的复现."""

from __future__ import annotations

from importlib.metadata import version

import pandas as pd

from analysis.data import io
from analysis.did import anchors, estimators, honest
from analysis.did.panel import load_panel
from analysis.did.simulation import power_draws
from analysis.report.did import HONEST_WINDOW, N_DRAWS, RM_TOL, SEED
from analysis.report.format import fixed
from analysis.report.page import PageOutput
from analysis.report.table import BookTable

#: Power draws on which the linear fast path is checked against the library calls.
FAST_CHECK_DRAWS = (0, N_DRAWS // 2, N_DRAWS - 1)


def _comparison(frame: pd.DataFrame, digits: int = 4) -> pd.DataFrame:
    """A published-versus-reproduced frame of :mod:`analysis.did.anchors` for display."""
    return pd.DataFrame(
        {
            "数量": frame["quantity"],
            "已发表": [f"{v:.10f}".rstrip("0").rstrip(".") for v in frame["published"]],
            "本书复现": [fixed(v, digits) for v in frame["reproduced"]],
            "绝对差": [f"{v:.1e}" for v in frame["abs_diff"]],
            "通过": ["是" if ok else "否" for ok in frame["pass"]],
        }
    )


def _fast_path_gap() -> float:
    """Largest difference between the fast path and pyfixest/moderndid on sampled power draws."""
    panel = load_panel()
    design, y, _ = power_draws(panel, "ln_gdp", 0.02, N_DRAWS, SEED)
    gaps = []
    for r in FAST_CHECK_DRAWS:
        frame = panel.assign(sim=y[:, r])
        gaps += [
            abs(estimators.twfe(frame, "sim").estimate - float(design.twfe(y[:, r])[0])),
            abs(
                estimators.callaway_santanna(frame, "sim").simple.estimate
                - float(design.aggregate(y[:, r])[0])
            ),
        ]
    return max(gaps)


def build() -> PageOutput:
    """Every value, table and chart the page glues (``repdid_`` keys)."""
    fit = anchors.mpdta_fit()
    mp = anchors.mpdta_rows(result=fit)
    published = io.load_table(anchors.HONEST_TABLE)
    ehec = anchors.ehec_event_study()
    intervals = anchors.readme_intervals(published, ehec)
    hd = anchors.honest_rows(published, intervals)
    is_rm = hd["quantity"].str.startswith("Δ^RM")
    gap = honest.moderndid_rm_gap(estimators.cs_event_study(load_panel(), "ln_gdp").window(-99, 0), 1.0)
    jel = anchors.jel_rows()
    organ = anchors.organ_rows()
    inf = anchors.organ_inference()
    fast_gap = _fast_path_gap()
    out = PageOutput()
    out.update(
        {
            "n_mpdta": len(mp),
            "n_mpdta_pass": int(mp["pass"].sum()),
            "max_diff": float(mp["abs_diff"].max()),
            "tol": f"{anchors.TOLERANCE:g}",
            "simple": fit.simple.estimate,
            "simple_se": fit.simple.se,
            "n_honest": len(hd),
            "n_honest_pass": int(hd["pass"].sum()),
            "n_honest_rm": int(is_rm.sum()),
            "n_honest_rm_pass": int(hd.loc[is_rm, "pass"].sum()),
            "n_honest_sd": int((~is_rm).sum()),
            "n_honest_sd_pass": int(hd.loc[~is_rm, "pass"].sum()),
            "honest_tol": f"{anchors.HONEST_TOLERANCE:g}",
            "honest_max_diff": float(hd["abs_diff"].max()),
            "honest_grid": honest.GRID_POINTS,
            "short_gap": anchors.short_path_gap(intervals, ehec),
            "gap_md_lb": gap["moderndid_lb"],
            "gap_md_ub": gap["moderndid_ub"],
            "gap_lb": gap["lb"],
            "gap_ub": gap["ub"],
            "chapter_min_e": HONEST_WINDOW[0],
            "rm_tol": f"{RM_TOL:g}",
            "n_jel": len(jel),
            "n_jel_pass": int(jel["pass"].sum()),
            "jel_twfe_w": float(jel.loc[jel["quantity"] == "TWFE 系数（按人口加权）", "reproduced"].item()),
            "jel_att_max_diff": float(jel.loc[~jel["quantity"].str.startswith("TWFE"), "abs_diff"].max()),
            "jel_att_tol": f"{anchors.JEL_ATTGT_TOLERANCE:g}",
            "n_jel_counties": int(anchors.load_jel()["unit"].nunique()),
            "organ_est": inf["estimate"],
            "organ_p_crve": inf["p_crve"],
            "organ_p_ri": inf["p_ri"],
            "organ_n_states": int(inf["n_states"]),
            "organ_p_ri_min": 1 / inf["n_states"],
            "organ_p_wild": inf["p_wild"],
            "organ_reps": int(inf["reps"]),
            "n_organ_pass": int(organ["pass"].sum()),
            "n_organ": len(organ),
            "organ_pass_phrase": (
                f"全部 {len(organ)} 项都在容差以内"
                if organ["pass"].all() and len(organ) > 1
                else "这一项在容差以内"
                if organ["pass"].all()
                else f"{len(organ)} 项中有 {int(organ['pass'].sum())} 项在容差以内"
                if organ["pass"].any()
                else "没有一项在容差以内"
            ),
            "fast_n": len(FAST_CHECK_DRAWS),
            "fast_gap": fast_gap,
            "fast_ok": "一致" if fast_gap < 1e-8 else "不一致",
            "moderndid_version": version("moderndid"),
        },
        prefix="repdid_",
    )
    out.table(
        "repdid_tbl_mpdta",
        BookTable(
            _comparison(mp),
            "mpdta：R did 包 README 印出的 ATT(g,t) 与汇总结果，和本书函数的复现",
            "tbl-repdid-mpdta",
        ),
    )
    out.table(
        "repdid_tbl_honest",
        BookTable(
            _comparison(hd, 5),
            "HonestDiD：R HonestDiD 包 README 的 Medicaid 例子中两种约束的稳健区间，和本书函数的复现",
            "tbl-repdid-honest",
        ),
    )
    out.table(
        "repdid_tbl_jel",
        BookTable(
            _comparison(jel, 6),
            "加权估计：Baker 等（2025）的县级死亡率样本上，表3 印出的二乘二 TWFE（一位小数）"
            "与 R did 包测试记录的加权 ATT(2014,t)（十位小数），和本书函数的复现",
            "tbl-repdid-jel",
        ),
    )
    out.table(
        "repdid_tbl_organ",
        BookTable(
            _comparison(organ),
            "器官捐献登记率：TWFE 系数与 pyfixest 文档印出的值（三位小数）",
            "tbl-repdid-organ",
        ),
    )
    inference = pd.DataFrame(
        {
            "推断方法": [
                "按州聚类稳健标准误",
                "随机化推断（处理轮换到每个州）",
                "野聚类自助法（WCR，Rademacher）",
            ],
            "p 值": [fixed(inf["p_crve"], 4), fixed(inf["p_ri"], 4), fixed(inf["p_wild"], 4)],
        }
    )
    out.table(
        "repdid_tbl_organ_inference",
        BookTable(
            inference,
            "只有一个处理州时，同一个 TWFE 系数在三种推断方法下的 p 值",
            "tbl-repdid-organ-inference",
        ),
    )
    return out
