"""The page ``book/replication_did.md``: 双重差分估计量的复现."""

from __future__ import annotations

import pandas as pd

from analysis.did import anchors
from analysis.report.format import fixed
from analysis.report.page import PageOutput
from analysis.report.table import BookTable


def _comparison(frame: pd.DataFrame) -> pd.DataFrame:
    """A published-versus-reproduced frame of :mod:`analysis.did.anchors` for display."""
    return pd.DataFrame(
        {
            "数量": frame["quantity"],
            "已发表": [fixed(v, 4) for v in frame["published"]],
            "本书复现": [fixed(v, 6) for v in frame["reproduced"]],
            "绝对差": [f"{v:.1e}" for v in frame["abs_diff"]],
            "通过": ["是" if ok else "否" for ok in frame["pass"]],
        }
    )


def build() -> PageOutput:
    """Every value, table and chart the page glues (``repdid_`` keys)."""
    fit = anchors.mpdta_fit()
    mp = anchors.mpdta_rows(result=fit)
    organ = anchors.organ_rows()
    honest = anchors.honest_rows()
    inf = anchors.organ_inference()
    out = PageOutput()
    out.update(
        {
            "n_mpdta": len(mp),
            "n_mpdta_pass": int(mp["pass"].sum()),
            "max_diff": float(mp["abs_diff"].max()),
            "tol": f"{anchors.TOLERANCE:g}",
            "simple": fit.simple.estimate,
            "simple_se": fit.simple.se,
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
                if organ["pass"].all()
                else f"{len(organ)} 项中有 {int(organ['pass'].sum())} 项在容差以内"
                if organ["pass"].any()
                else f"{len(organ)} 项无一在容差以内"
            ),
            "n_honest": len(honest),
            "n_honest_pass": int(honest["pass"].sum()),
            "honest_tol": f"{anchors.HONEST_TOLERANCE:g}",
            "honest_max_diff": float(honest["abs_diff"].max()),
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
        "repdid_tbl_organ",
        BookTable(
            _comparison(organ),
            "器官捐献登记率：TWFE 估计与聚类标准误，和项目早先的独立计算对照",
            "tbl-repdid-organ",
        ),
    )
    out.table(
        "repdid_tbl_honest",
        BookTable(
            _comparison(honest),
            "HonestDiD 相对幅度区间：R HonestDiD README 的 Medicaid 例子与 diff-diff 的结果（已知不一致）",
            "tbl-repdid-honest",
        ),
    )
    inference = pd.DataFrame(
        {
            "推断方法": [
                "按州聚类稳健标准误（CRV1）",
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
