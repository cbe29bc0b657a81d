"""The page ``book/replication_did.md``: 双重差分估计量的复现."""

from __future__ import annotations

from analysis.did import anchors
from analysis.report.page import PageOutput


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    out = PageOutput()
    section = anchors.section()
    for key, value in section.glue_values().items():
        out.value(key, value)
    for key, table in section.tables.items():
        out.table(key, table)
    return out
