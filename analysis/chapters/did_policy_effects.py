"""The page ``book/did_policy_effects.md``: 区域通办联盟的政策效应：双重差分."""

from __future__ import annotations

from analysis.report.did import (
    design_section,
    estimates_section,
    honest_section,
    power_section,
    pretrend_section,
    robustness_section,
)
from analysis.report.page import PageOutput


def build() -> PageOutput:
    """Every value, table and chart the page glues."""
    return PageOutput().merge(
        design_section(),
        pretrend_section(),
        estimates_section(),
        honest_section(),
        power_section(),
        robustness_section(),
    )
