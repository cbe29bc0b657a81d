"""Codebook and segment validation (each bad input names its row and field) and the displays."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from analysis.coding.codebook import Codebook, load_codebook, parse_codebook
from analysis.coding.matrices import (
    case_code_matrix,
    cluster_cases,
    cooccurrence,
    cross_table,
    top_level_matrix,
)
from analysis.coding.segments import validate_segments
from analysis.data.errors import DataError
from analysis.data.io import read_csv_validated
from analysis.data.schemas.common import SCHEMAS
from analysis.report.cross_case import NO_EXEMPLAR, meta_matrix

FIXTURES = Path(__file__).parent / "fixtures" / "coding"


@pytest.fixture
def raw() -> dict[str, Any]:
    return yaml.safe_load((FIXTURES / "codebook.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.fixture
def codebook() -> Codebook:
    return load_codebook(FIXTURES / "codebook.yaml")


@pytest.fixture
def segments() -> pd.DataFrame:
    return read_csv_validated(FIXTURES / "segments.csv", SCHEMAS["coded_segments"])


def test_fixture_codebook_parses(codebook: Codebook) -> None:
    assert codebook.top_ids == ("CTX", "VAL")
    assert codebook.leaf_ids == ("CTX.POL", "CTX.END", "VAL.PV")
    assert codebook.top_of("VAL.PV") == "VAL"
    assert codebook.framework("000").codes[1].parent == "000:HS.ZTZZ"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["codes"][1].pop("definition_zh"),
            r"field 'codes\[1\]\.definition_zh': is missing \(code CTX\.POL\)",
        ),
        (
            lambda d: d["codes"][2].update(include_zh=" "),
            r"field 'codes\[2\]\.include_zh', value ' ': must be a non-empty string \(code CTX\.END\)",
        ),
        (
            lambda d: d["codes"][2].update(id="CTX.POL"),
            r"field 'codes\[2\]\.id', value 'CTX\.POL': duplicate of codes\[1\]",
        ),
        (
            lambda d: d["codes"][4].update(parent="XYZ", id="XYZ.PV"),
            r"field 'codes\[4\]\.parent', value 'XYZ': is not a top-level code",
        ),
        (
            lambda d: d["codes"][1].update(example=None),
            r"field 'codes\[1\]\.example': a second-level code needs an example \(code CTX\.POL\)",
        ),
        (
            lambda d: d["codes"][1]["example"].update(line_to=1),
            r"field 'codes\[1\]\.example\.line_to', value '105-1': bad line range",
        ),
        (
            lambda d: d["codes"][1].update(crosswalk={"000": ["000:NOPE"]}),
            r"field 'codes\[1\]\.crosswalk', value '000:NOPE': 000: unknown framework code",
        ),
        (lambda d: d["codes"][1].update(crosswalk={"009": []}), r"value '009': names an unknown study"),
        (
            lambda d: d["codes"][1].update(colour="red"),
            r"field 'codes\[1\]\.colour': unknown field\(s\) \['colour'\] \(code CTX\.POL\)",
        ),
        (
            lambda d: d.update(version="1.2.0"),
            r"field 'changelog', value '1\.1\.0': the last entry's version is not the codebook's "
            r"version 1\.2\.0",
        ),
        (
            lambda d: d["changelog"][0].update(date="2026-02-30"),
            r"field 'changelog\[0\]\.date', value '2026-02-30': is not a real calendar date",
        ),
        (
            lambda d: d["frameworks"][0]["codes"][0].update(id="001:X"),
            r"field 'frameworks\[0\]\.codes\[0\]\.id', value '001:X': must start with '000:'",
        ),
        (lambda d: d["codes"].pop(4), r"top-level code\(s\) \['VAL'\] have no second-level codes"),
        (
            lambda d: d["frameworks"][0]["codes"][0].update(parent=d["frameworks"][0]["codes"][1]["id"]),
            r"field 'frameworks\[0\]\.codes\[0\]\.parent', value '000:HS\.DF': the parents form a cycle: "
            r"000:HS\.ZTZZ -> 000:HS\.DF -> 000:HS\.ZTZZ",
        ),
    ],
)
def test_bad_codebooks_are_refused_with_their_place(raw: dict[str, Any], edit: Any, message: str) -> None:
    bad = copy.deepcopy(raw)
    edit(bad)
    with pytest.raises(DataError, match=message):
        parse_codebook(bad, "codebook.yaml")


def test_malformed_yaml_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "codebook.yaml"
    path.write_text("codes: [unclosed", encoding="utf-8")
    with pytest.raises(DataError, match=r"codebook\.yaml, line 1: malformed YAML"):
        load_codebook(path)


def _write(frame: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "segments.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("evidence_zh", "", r"segments\.csv, line 3, field 'evidence_zh', value '': needs at least 8"),
        (
            "segment_id",
            "SEG-ZJ-HS-001",
            r"line 3, field 'segment_id', value 'SEG-ZJ-HS-001': segment_id must be unique"
            r".*\(same as line 2\)",
        ),
        (
            "line_to",
            "1",
            r"line 3, field 'line_from/line_to', value .*line_to - line_from must lie in \[0, 150\]",
        ),
        ("case_id", "NOPE", r"line 3, field 'case_id', value 'NOPE': isin"),
        ("codes", "CTX.POL;;", r"line 3, field 'codes', value 'CTX\.POL;;': str_matches"),
        ("source_type", "blog", r"line 3, field 'source_type', value 'blog': isin"),
    ],
)
def test_bad_segment_cells_name_line_and_field(
    segments: pd.DataFrame, tmp_path: Path, column: str, value: str, message: str
) -> None:
    bad = segments.astype(str)
    bad.loc[1, column] = value
    with pytest.raises(DataError, match=message):
        read_csv_validated(_write(bad, tmp_path), SCHEMAS["coded_segments"])


def test_the_same_quotation_twice_is_one_segment(segments: pd.DataFrame, tmp_path: Path) -> None:
    bad = segments.astype(str)
    bad.loc[1, ["seed_id", "line_from", "line_to", "evidence_zh"]] = bad.loc[
        0, ["seed_id", "line_from", "line_to", "evidence_zh"]
    ]
    with pytest.raises(
        DataError, match=r"line 3, field 'seed_id/line_from/line_to/evidence_zh'.*same as line 2"
    ):
        read_csv_validated(_write(bad, tmp_path), SCHEMAS["coded_segments"])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        (
            "codes",
            "CTX.XXX",
            r"segments\.csv, line 3, field 'codes', value 'CTX\.XXX': is not a second-level code",
        ),
        (
            "codes",
            "CTX.END;CTX.END",
            r"line 3, field 'codes', value 'CTX\.END;CTX\.END': a code is given twice",
        ),
        ("codes", "CTX", r"value 'CTX': is a top-level code; code with its second-level codes"),
        (
            "framework_codes",
            "000:NOPE",
            r"line 3, field 'framework_codes', value '000:NOPE': is not a framework code",
        ),
    ],
)
def test_segments_are_checked_against_the_codebook(
    segments: pd.DataFrame, codebook: Codebook, column: str, value: str, message: str
) -> None:
    bad = segments.copy()
    bad.loc[1, column] = value
    with pytest.raises(DataError, match=message):
        validate_segments(bad, codebook, "segments.csv")


def test_seed_004_rules(segments: pd.DataFrame, codebook: Codebook) -> None:
    row = segments.iloc[[0]].copy()
    row[["segment_id", "case_id", "seed_id", "line_from", "line_to", "framework_codes"]] = [
        "SEG-S-A-001",
        "S-A",
        "004",
        90,
        90,
        "",
    ]
    with pytest.raises(DataError, match=r"overlaps seed 004's duplicated block 87-131"):
        validate_segments(row, codebook, "segments.csv")
    row[["line_from", "line_to"]] = [1, 1]
    with pytest.raises(DataError, match=r"C-YJ segments must lie in the abstract"):
        validate_segments(row, codebook, "segments.csv")


def test_matrices_and_displays(segments: pd.DataFrame, codebook: Codebook) -> None:
    counts = case_code_matrix(segments, codebook)
    assert counts.shape == (9, 3)
    assert counts.loc["ZJ-HS"].to_dict() == {"CTX.POL": 1, "CTX.END": 2, "VAL.PV": 1}
    assert case_code_matrix(segments, codebook, presence=True).loc["LX"].sum() == 0
    assert top_level_matrix(segments, codebook).loc["ZJ-HS"].to_dict() == {"CTX": 3, "VAL": 1}
    no_typos = pd.DataFrame(columns=["seed_id", "line_from", "line_to", "printed_zh"])
    meta = meta_matrix(segments, codebook, excluded=set(), typos=no_typos)
    assert meta.loc["LX", "CTX"] == "—"
    # VAL: the one segment's quotation has fewer than MIN_READABLE characters
    assert meta.loc["ZJ-HS", "VAL"] == f"（1 段）{NO_EXEMPLAR}"
    # CTX: segments 001-003 have one CTX code each; 002 is too short; the shortest of 001, 003 wins
    assert "第 93 行" in meta.loc["ZJ-HS", "CTX"]
    assert "第 105–107 行" in meta_matrix(segments, codebook, {"SEG-ZJ-HS-003"}, no_typos).loc["ZJ-HS", "CTX"]
    # a quotation is not repeated for a case: 002, now readable and shortest, takes CTX and not VAL
    longer = segments.copy()
    longer.loc[1, "evidence_zh"] = "用好用活红色资源传承红色基因代代相传"
    meta = meta_matrix(longer, codebook, excluded=set(), typos=no_typos)
    assert "第 109 行" in meta.loc["ZJ-HS", "CTX"]
    assert meta.loc["ZJ-HS", "VAL"] == f"（1 段）{NO_EXEMPLAR}"
    # an elided quotation is never an exemplar
    longer.loc[1, "evidence_zh"] = "用好用活红色资源…传承红色基因代代相传"
    assert "第 93 行" in meta_matrix(longer, codebook, excluded=set(), typos=no_typos).loc["ZJ-HS", "CTX"]
    # a recorded misprint is marked
    typo = pd.DataFrame({"seed_id": ["000"], "line_from": [93], "line_to": [93], "printed_zh": ["红色教育"]})
    assert "红色教育〔原文如此〕是" in meta_matrix(segments, codebook, set(), typo).loc["ZJ-HS", "CTX"]
    co = cooccurrence(segments, codebook)
    assert co.to_dict("records") == [
        {"code_a": "CTX.END", "code_b": "VAL.PV", "both": 1, "either": 2, "jaccard": 0.5}
    ]
    table = cross_table(segments, ["000:HS.DF", "000:HS.ZTZZ"], ["000:HS.CD"])
    assert table.to_numpy().tolist() == [[1], [0]]


def test_clustering_groups_identical_profiles() -> None:
    matrix = pd.DataFrame(
        [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 1], [0, 1, 1, 1], [0, 0, 0, 1]],
        index=["a", "b", "c", "d", "thin"],
    )
    result = cluster_cases(matrix, k=2, exclude=["thin"])
    labels = dict(zip(result.cases, result.labels, strict=True))
    assert labels["a"] == labels["b"] != labels["c"] == labels["d"]
    assert 0 < result.cophenetic <= 1
