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
from analysis.report.cross_case import meta_matrix

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
            r"codes\[1\] \(CTX\.POL\): field 'definition_zh' is missing",
        ),
        (
            lambda d: d["codes"][2].update(include_zh=" "),
            r"codes\[2\] \(CTX\.END\): field 'include_zh' must be",
        ),
        (
            lambda d: d["codes"][2].update(id="CTX.POL"),
            r"codes\[2\] \(CTX\.POL\): field 'id': duplicate of codes\[1\]",
        ),
        (
            lambda d: d["codes"][4].update(parent="XYZ", id="XYZ.PV"),
            r"'parent': 'XYZ' is not a top-level code",
        ),
        (
            lambda d: d["codes"][1].update(example=None),
            r"CTX\.POL\): field 'example': a second-level code needs",
        ),
        (lambda d: d["codes"][1]["example"].update(line_to=1), r"CTX\.POL\) example: bad line range 105-1"),
        (
            lambda d: d["codes"][1].update(crosswalk={"000": ["000:NOPE"]}),
            r"unknown framework code '000:NOPE'",
        ),
        (lambda d: d["codes"][1].update(crosswalk={"009": []}), r"names unknown study '009'"),
        (lambda d: d["codes"][1].update(colour="red"), r"CTX\.POL\): unknown field\(s\) \['colour'\]"),
        (
            lambda d: d.update(version="1.2.0"),
            r"last entry is 1\.1\.0, but the codebook's version is 1\.2\.0",
        ),
        (lambda d: d["frameworks"][0]["codes"][0].update(id="001:X"), r"field 'id' must start with '000:'"),
        (lambda d: d["codes"].pop(4), r"top-level code\(s\) \['VAL'\] have no second-level codes"),
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
    with pytest.raises(DataError, match=r"codebook\.yaml: malformed YAML"):
        load_codebook(path)


def _write(frame: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "segments.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("evidence_zh", "", r"row 2 \(line 3\), column 'evidence_zh'"),
        ("segment_id", "SEG-ZJ-HS-001", r"column 'segment_id'.*field_uniqueness"),
        ("line_to", "1", r"row 2 \(line 3\), check across columns: line_to - line_from"),
        ("case_id", "NOPE", r"row 2 \(line 3\), column 'case_id'"),
        ("codes", "CTX.POL;;", r"row 2 \(line 3\), column 'codes'"),
        ("source_type", "blog", r"row 2 \(line 3\), column 'source_type'"),
    ],
)
def test_bad_segment_cells_name_row_and_column(
    segments: pd.DataFrame, tmp_path: Path, column: str, value: str, message: str
) -> None:
    bad = segments.astype(str)
    bad.loc[1, column] = value
    with pytest.raises(DataError, match=message):
        read_csv_validated(_write(bad, tmp_path), SCHEMAS["coded_segments"])


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("codes", "CTX.XXX", r"row 2 \(line 3, SEG-ZJ-HS-002\), field 'codes': unknown code 'CTX\.XXX'"),
        ("codes", "CTX.END;CTX.END", r"SEG-ZJ-HS-002\), field 'codes': a code is repeated"),
        ("framework_codes", "000:NOPE", r"SEG-ZJ-HS-002\), field 'framework_codes': unknown framework code"),
        (
            "evidence_zh",
            "浙江红船干部学院牵头打造了红色教学一点通应用场景",
            r"same lines and quotation as SEG-ZJ-HS-001",
        ),
    ],
)
def test_segments_are_checked_against_the_codebook(
    segments: pd.DataFrame, codebook: Codebook, column: str, value: str, message: str
) -> None:
    bad = segments.copy()
    bad.loc[1, column] = value
    if column == "evidence_zh":
        bad.loc[1, ["line_from", "line_to"]] = [105, 107]
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
    meta = meta_matrix(segments, codebook)
    assert meta.loc["LX", "CTX"] == "—"
    quote = "（1 段）“用好用活红色资源”〔王子琦、林晨（2022），第 109 行〕"
    assert meta.loc["ZJ-HS", "VAL"].startswith(quote)
    # CTX: segments 001 and 003 have one CTX code each, 002 too: ties go to the shortest >= 12 chars
    assert "第 93 行" in meta.loc["ZJ-HS", "CTX"]
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
