"""The meaning check of the quotations: every flag judged, no failing quotation shown.

The judgements are data (``data/raw/quote_checks.csv``); the flagging rules are
:mod:`analysis.coding.quotecheck`. A quotation recorded as failing is never shown as evidence
for the code it fails (its code is revised away in the consensus coding) and never as an
exemplar quotation of the cross-case meta-matrix.
"""

from __future__ import annotations

import html
from pathlib import Path

import pandas as pd
import pytest

from analysis.coding import actors, consensus, quotecheck
from analysis.coding.codebook import Codebook
from analysis.coding.segments import load_codebook_data, split_codes
from analysis.data import io
from analysis.data.schemas.coding import CASES
from analysis.report.cross_case import NO_EXEMPLAR, meta_matrix


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook_data()


@pytest.fixture(scope="module")
def final(codebook: Codebook) -> pd.DataFrame:
    return consensus.final_segments(codebook)


@pytest.fixture(scope="module")
def checks() -> pd.DataFrame:
    return io.load_table("quote_checks")


def _unjudged(found: pd.DataFrame, checks: pd.DataFrame) -> set[tuple[str, str]]:
    judged = set(zip(checks["segment_id"], checks["check"], strict=True))
    return set(zip(found["segment_id"], found["check"], strict=True)) - judged


def test_every_flag_of_the_rules_is_judged(
    final: pd.DataFrame, checks: pd.DataFrame, seeds_dir: Path
) -> None:
    found = quotecheck.rule_flags(final)
    assert found is not None and len(found) > 0
    assert _unjudged(found, checks) == set()
    # an unjudged flag is caught
    dropped = checks[checks["segment_id"] != found.iloc[0]["segment_id"]]
    assert (found.iloc[0]["segment_id"], found.iloc[0]["check"]) in _unjudged(found, dropped)


def test_a_failing_code_is_revised_away(final: pd.DataFrame, checks: pd.DataFrame) -> None:
    revisions = io.load_table("coding_revisions")
    framework = io.load_table("framework_revisions")
    removed = set(zip(revisions["segment_id"], revisions["code_id"], revisions["action"], strict=True)) | set(
        zip(framework["segment_id"], framework["framework_code"], framework["action"], strict=True)
    )
    by_id = final.set_index("segment_id")
    fixed = checks[(checks["status"] == "fails") & (checks["fix"] == "revision")]
    assert len(fixed) > 0
    for sid, code in zip(fixed["segment_id"], fixed["code_id"], strict=True):
        assert (sid, code, "remove") in removed, (sid, code)
        held = split_codes(str(by_id.at[sid, "codes"])) + split_codes(str(by_id.at[sid, "framework_codes"]))
        assert code not in held, (sid, code)


def test_no_failing_quotation_is_an_exemplar(
    final: pd.DataFrame, codebook: Codebook, checks: pd.DataFrame
) -> None:
    meta = meta_matrix(final, codebook)
    shown = "\n".join(str(c) for c in meta.to_numpy().ravel())
    by_id = final.set_index("segment_id")
    for sid in quotecheck.failing_segments(checks):
        assert f"“{by_id.at[sid, 'evidence_zh']}”" not in shown, sid


def test_the_exemplars_follow_the_stated_rule(final: pd.DataFrame, codebook: Codebook) -> None:
    manifest = io.load_manifest()
    units = io.load_table("case_units", manifest)
    outside = quotecheck.outside_unit(final, units)
    meta = meta_matrix(final, codebook)
    quotes = {str(q): str(s) for q, s in zip(final["evidence_zh"], final["segment_id"], strict=True)}
    for case in CASES:
        seen: list[str] = []
        for top in meta.columns:
            cell = str(meta.at[case, top])
            if cell == "—" or NO_EXEMPLAR in cell:
                continue
            quote = cell.split("“", 1)[1].rsplit("”〔", 1)[0].replace(quotecheck.SIC, "")
            assert quotecheck.readable(quote), cell
            assert quotes[quote] not in outside, cell
            seen.append(quote)
        assert len(seen) == len(set(seen)), case


def test_the_built_meta_matrix_shows_no_failing_quotation(checks: pd.DataFrame, html_dir: Path) -> None:
    page = (html_dir / "book" / "cross_case.html").read_text(encoding="utf-8")
    assert "tbl-cc-meta" in page
    first = io.load_table("coded_segments").set_index("segment_id")
    for sid in quotecheck.failing_segments(checks):
        quote = html.escape(str(first.at[sid, "evidence_zh"]), quote=False)
        assert f"“{quote}”" not in page, sid


def test_misprints_are_marked() -> None:
    typos = pd.DataFrame({"seed_id": ["002"], "line_from": [143], "line_to": [143], "printed_zh": ["跨年级"]})
    quote = "跨区域、跨部门、跨年级的数据共享机制创新"
    assert quotecheck.mark_typos(quote, "002", 143, 143, typos) == (
        "跨区域、跨部门、跨年级〔原文如此〕的数据共享机制创新"
    )
    assert quotecheck.mark_typos(quote, "002", 150, 151, typos) == quote
    assert quotecheck.mark_typos(quote, "004", 143, 143, typos) == quote


def test_the_misprint_rule_finds_a_confusable_pair() -> None:
    seed = "共治型则足以社会力量为主导。纵向嵌入型则是以行政力量为主，内源型则是以"
    assert ("则足", "则是") in quotecheck.typo_candidates("共治型则足以社会力量为主导", seed)


def test_comparisons_between_cases_count_only_the_segments_about_their_case(
    final: pd.DataFrame, checks: pd.DataFrame
) -> None:
    not_case = quotecheck.not_the_case(checks)
    assert {f"SEG-ZJ-HS-{i:03d}" for i in range(1, 13)} <= not_case  # Zhejiang's province-wide part
    kept = quotecheck.case_evidence(final)
    assert set(kept["segment_id"]) == set(final["segment_id"]) - not_case
    # a segment outside its case's unit counts only where a reader judged it about the case
    units = io.load_table("case_units")
    passed = set(checks[(checks["check"] == "case") & (checks["status"] == "passes")]["segment_id"])
    assert quotecheck.outside_unit(kept, units) <= passed
    coding = actors.load_actor_coding(final)
    roles = actors.case_roles(kept, coding)
    assert not set(roles["segment_id"]) & not_case
    assert set(actors.case_roles(final, coding)["segment_id"]) & not_case  # they do name actors
