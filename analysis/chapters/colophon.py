"""The page ``book/colophon.md``: 版本记录."""

from __future__ import annotations

from analysis.report import colophon
from analysis.report.page import PageOutput
from analysis.report.table import BookTable


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    state = colophon.git_state()
    out.value("col_git_commit", state["commit"])
    out.value("col_commit_date", state["date"])
    out.value("col_git_dirty", state["dirty"])
    versions = colophon.package_versions()
    out.value("col_n_packages", len(versions))
    out.value("col_python", colophon.python_version())
    out.value("col_python_required", colophon.required_python())
    out.table(
        "col_tbl_versions",
        BookTable(versions, "构建本书所用的 Python 与主要软件包版本（读取自运行环境）", "tbl-col-versions"),
    )
    return out
