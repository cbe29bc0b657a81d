"""The page ``book/replication_coding.md``: 编码信度的复现."""

from __future__ import annotations

from analysis.coding import reliability
from analysis.data import io
from analysis.report.page import PageOutput
from analysis.report.replication_coding import closed_form_check, krippendorff_table
from analysis.report.table import BookTable


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    examples = io.load_table("krippendorff_examples")
    published = io.load_table("krippendorff_published")
    rows = reliability.replicate_krippendorff(examples, published)
    if not rows["passed"].all():
        raise RuntimeError("Krippendorff replication failed:\n" + rows.to_string())
    for name, key in (("docstring_3x15", "a"), ("krippendorff2011_4x12", "b")):
        ex = examples[examples["example"] == name]
        out.value(f"repcod_{key}_coders", int(ex["coder"].nunique()))
        out.value(f"repcod_{key}_units", int(ex["unit"].nunique()))
    out.value("repcod_n_rows", len(rows))
    out.value("repcod_n_passed", int(rows["passed"].sum()))
    out.value("repcod_max_diff", f"{rows['abs_diff'].max():.1e}")
    out.table(
        "repcod_tbl_alpha",
        BookTable(
            krippendorff_table(rows), "Krippendorff α：公开算例的公开值与本书复现值", "tbl-repcod-alpha"
        ),
    )
    check = closed_form_check()
    out.value("repcod_closed_n", check["n"])
    out.value("repcod_closed_max_alpha", f"{check['max_alpha']:.1e}")
    out.value("repcod_closed_max_kappa", f"{check['max_kappa']:.1e}")
    return out
