"""The case-chapter display tables of analysis.report.case_tables, on small hand-made segment frames."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding.codebook import Codebook
from analysis.coding.segments import load_codebook_data, repeated_block
from analysis.report import case_tables
from analysis.report.chart import OfflineChart


@pytest.fixture(scope="module")
def codebook() -> Codebook:
    return load_codebook_data()


def _segments(rows: list[tuple[str, str, int, str, str, str]]) -> pd.DataFrame:
    """(segment_id, case_id, line, evidence, codes, framework_codes) -> a segments frame."""
    records = [
        {
            "segment_id": sid,
            "case_id": case,
            "seed_id": {"LX": "001", "HZ": "002", "SZ": "002"}[case],
            "line_from": line,
            "line_to": line + 1,
            "source_type": "author_narrative",
            "evidence_zh": text,
            "codes": codes,
            "framework_codes": fw,
        }
        for sid, case, line, text, codes, fw in rows
    ]
    return pd.DataFrame(records)


@pytest.fixture
def lx() -> pd.DataFrame:
    return _segments(
        [
            ("SEG-LX-001", "LX", 10, "甲", "STR.INT", "001:LX.S.T"),
            ("SEG-LX-002", "LX", 20, "乙", "STR.SIL", "001:LX.S.L1;001:LX.A.L1"),
            ("SEG-LX-003", "LX", 30, "丙", "CAP.HUM", "001:LX.A.L3"),
            ("SEG-LX-004", "LX", 40, "丁", "VAL.PPL", ""),
        ]
    )


def test_segments_with_any_matches_whole_codes(lx: pd.DataFrame) -> None:
    assert list(case_tables.segments_with_any(lx, ["001:LX.A.L1"])["segment_id"]) == ["SEG-LX-002"]
    # a stem of a code is not a match
    assert case_tables.segments_with_any(lx, ["001:LX.A.L"]).empty
    assert list(case_tables.segments_with_any(lx, ["VAL.PPL"], column="codes")["segment_id"]) == [
        "SEG-LX-004"
    ]


def test_grouped_count_table_counts_segments_once(lx: pd.DataFrame) -> None:
    groups = {
        "结构": {"内核": ["001:LX.S.T"], "局限": ["001:LX.S.L1", "001:LX.S.L2"], "建议": []},
        "行动": {"内核": ["001:LX.A.T"], "局限": ["001:LX.A.L1", "001:LX.A.L3"], "建议": []},
    }
    table = case_tables.grouped_count_table(lx, groups, "维度")
    assert list(table.columns) == ["维度", "内核", "局限", "建议"]
    assert table.set_index("维度").loc["结构"].tolist() == [1, 1, "—"]
    assert table.set_index("维度").loc["行动"].tolist() == [0, 2, "—"]
    assert case_tables.empty_cells(table) == ["行动 × 内核"]


def test_grouped_count_table_rejects_ragged_rows(lx: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="expected"):
        case_tables.grouped_count_table(lx, {"a": {"x": ["c"]}, "b": {"y": ["c"]}}, "k")
    with pytest.raises(ValueError, match="empty"):
        case_tables.grouped_count_table(lx, {}, "k")


def test_grouped_cross_table_needs_both_groups(lx: pd.DataFrame) -> None:
    table = case_tables.grouped_cross_table(
        lx,
        {"结构局限": ["001:LX.S.L1"], "结构内核": ["001:LX.S.T"]},
        {"行动局限": ["001:LX.A.L1", "001:LX.A.L3"]},
        "行",
    )
    assert table.set_index("行")["行动局限"].tolist() == [1, 0]
    with pytest.raises(ValueError, match="no codes"):
        case_tables.grouped_cross_table(lx, {"r": []}, {"c": ["x"]}, "k")


def test_quote_grid_cells_carry_count_seed_and_lines(codebook: Codebook) -> None:
    segs = _segments(
        [
            ("SEG-HZ-001", "HZ", 100, "一二三四五六七八九十", "STR.INT", "002:SH.CMP.INST"),
            ("SEG-HZ-002", "HZ", 120, "短句", "STR.INT", "002:SH.CMP.INST"),
            ("SEG-SZ-001", "SZ", 130, "苏州", "STR.NET", "002:SH.CMP.ORG"),
        ]
    )
    grid = case_tables.quote_grid(
        segs, codebook, ["002:SH.CMP.INST", "002:SH.CMP.ORG"], ["HZ", "SZ"], "维度", 5
    )
    assert list(grid.columns) == ["维度", "杭州", "苏州"]
    first = grid.iloc[0]
    assert first["维度"] == "体制机制（SH.CMP.INST）"
    expected = "（2 段）“一二三四…”〔李慧凤（2022），第 100–101 行〕；“短句”〔李慧凤（2022），第 120–121 行〕"
    assert first["杭州"] == expected
    assert first["苏州"] == "—"
    assert grid.iloc[1]["苏州"].startswith("（1 段）“苏州”")
    with pytest.raises(ValueError):
        case_tables.quote_grid(segs, codebook, ["002:SH.CMP.INST"], ["HZ"], "维度", 1)


def test_framework_rows_keeps_descendants_only(codebook: Codebook, lx: pd.DataFrame) -> None:
    table = case_tables.framework_rows(lx, codebook, "001", ["001:LX.OUT"])
    labels = [label.strip("\u3000") for label in table.iloc[:, 0]]
    assert labels == [
        "治理实践成效（LX.OUT，含下位概念）",
        "显著提升服务水平（LX.OUT1）",
        "持续改善办事效率（LX.OUT2）",
        "稳步优化业务流程（LX.OUT3）",
    ]
    limits = case_tables.framework_rows(lx, codebook, "001", ["001:LX.A"])
    counts = dict(zip([x.strip("\u3000") for x in limits.iloc[:, 0]], limits.iloc[:, 1], strict=True))
    assert counts["技术瓶颈（LX.A.L1）"] == 1
    assert counts["专业化人才短缺（LX.A.L3）"] == 1
    # a parent concept counts the segments bearing it or any sub-concept, each once; never a row of
    # zeros above evidenced sub-concepts
    below = [c.id for c in codebook.framework("001").codes if c.id.startswith("001:LX.A")]
    expected = int(case_tables.segments_with_any(lx[lx["case_id"] == "LX"], below).shape[0])
    assert counts["行动维度（LX.A，含下位概念）"] == expected >= 1
    with pytest.raises(ValueError, match="not codes"):
        case_tables.framework_rows(lx, codebook, "001", ["001:LX.NOPE"])


def test_empty_cells_ignores_text_cells() -> None:
    table = pd.DataFrame({"行": ["a", "b"], "x": [0, 2], "y": ["—", 0]})
    assert case_tables.empty_cells(table) == ["a × x", "b × y"]


def test_framework_source_span(codebook: Codebook) -> None:
    assert case_tables.framework_source_span(codebook, ["001:LX.V.T", "001:LX.A.T"]) == "第 39–43 行"
    assert case_tables.framework_source_span(codebook, ["001:LX.V.T"]) == "第 39 行"
    with pytest.raises(ValueError):
        case_tables.framework_source_span(codebook, [])


def test_repeated_block_finds_the_longest_verbatim_copy() -> None:
    block = ["甲", "乙", "", "丙", "丁", "戊"]
    lines = ["标题", *block, "中间", *block, "结尾"]
    assert repeated_block(lines) == (2, 7, 9)
    assert repeated_block(["a", "b", "c", "d"]) is None
    # a run shorter than min_length non-blank lines does not count
    assert repeated_block(["a", "b", "x", "a", "b"], min_length=3) is None
    # a self-overlapping repetition (a line repeated many times) is bounded by the shift
    assert repeated_block(["z"] * 12, min_length=5) == (1, 6, 7)


def test_case_code_profiles_and_chart(codebook: Codebook) -> None:
    segs = _segments(
        [
            ("SEG-HZ-001", "HZ", 100, "甲", "STR.INT;DAT.SHR", ""),
            ("SEG-HZ-002", "HZ", 110, "乙", "DAT.SHR", ""),
            ("SEG-SZ-001", "SZ", 130, "丙", "STR.NET", ""),
        ]
    )
    profiles = case_tables.case_code_profiles(segs, codebook, ["HZ", "SZ"])
    wide = profiles.pivot(index="code_id", columns="case", values="n")
    assert wide.loc["DAT.SHR"].tolist() == [2, 0]  # columns sort as 杭州, 苏州
    assert wide.loc["STR.NET", "苏州"] == 1
    assert set(profiles["code_id"]) == {"STR.INT", "DAT.SHR", "STR.NET"}
    order = [c for c in codebook.leaf_ids if c in set(profiles["code_id"])]
    assert list(dict.fromkeys(profiles["code_id"])) == order
    chart = case_tables.code_profile_chart(profiles, "两市剖面")
    assert isinstance(chart, OfflineChart)
    assert chart.spec["mark"]["type"] == "bar"
