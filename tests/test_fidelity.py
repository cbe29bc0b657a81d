"""The fidelity records: statuses computed from the coding, the shown tables, the pages' own claims."""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd
import pytest

from analysis.chapters import (
    cross_province_services,
    lx_one_network_management,
    megacity_smart_emergency,
    suzhou_hangzhou_paths,
    zhejiang_red_education,
)
from analysis.coding import consensus, fidelity
from analysis.coding.codebook import Codebook, Framework, FrameworkCode
from analysis.coding.segments import load_codebook_data, split_codes
from analysis.report.casebook import framework_table
from analysis.report.page import PageOutput

PAGES: dict[str, Callable[[], PageOutput]] = {
    "zhejiang_red_education": zhejiang_red_education.build,
    "lx_one_network_management": lx_one_network_management.build,
    "suzhou_hangzhou_paths": suzhou_hangzhou_paths.build,
    "cross_province_services": cross_province_services.build,
    "megacity_smart_emergency": megacity_smart_emergency.build,
}


@pytest.fixture(scope="module")
def final() -> pd.DataFrame:
    return consensus.final_segments()


@pytest.fixture(scope="module")
def record() -> pd.DataFrame:
    return fidelity.load_record()


@pytest.fixture(scope="module")
def outputs() -> dict[str, PageOutput]:
    return {page: build() for page, build in PAGES.items()}


@pytest.mark.parametrize(
    ("says", "n", "expected"),
    [
        ("states", 2, "agrees"),
        ("states", 0, "not_coded"),
        ("silent", 1, "adds"),
        ("silent", 0, "agrees"),
        ("denies", 1, "contradicts"),
        ("denies", 0, "agrees"),
    ],
)
def test_status_rule(says: str, n: int, expected: str) -> None:
    assert fidelity.status(says, n) == expected


def test_status_rejects_what_it_cannot_read() -> None:
    with pytest.raises(ValueError, match="seed_says"):
        fidelity.status("maybe", 1)
    with pytest.raises(ValueError, match="negative"):
        fidelity.status("states", -1)


def test_no_cell_contradicts_its_study(record: pd.DataFrame, final: pd.DataFrame) -> None:
    cells = fidelity.fidelity(record, final)
    assert not (cells["status"] == "contradicts").any(), cells[cells["status"] == "contradicts"]
    assert not (cells["status"] == "not_coded").any(), cells[cells["status"] == "not_coded"]


def _without(segments: pd.DataFrame, ids: set[str], codes: set[str]) -> pd.DataFrame:
    out = segments.copy()
    out["framework_codes"] = [
        ";".join(c for c in split_codes(cell) if not (s in ids and c in codes))
        for s, cell in zip(out["segment_id"], out["framework_codes"], strict=True)
    ]
    return out


def test_a_status_follows_the_coding(record: pd.DataFrame, final: pd.DataFrame) -> None:
    cells = fidelity.fidelity(record, final).set_index("cell_id")
    # take the evidence away from a stated cell: it becomes a coding gap
    stated = cells.loc["F000-24"]
    assert stated["status"] == "agrees"
    codes = set(load_codebook_data().with_subconcepts(split_codes(stated["row_codes"])))
    gone = _without(final, set(stated["segment_ids"].split(";")), codes)
    assert fidelity.fidelity(record, gone).set_index("cell_id").loc["F000-24", "status"] == "not_coded"
    # code a concept the study denies for a case: the cell contradicts the study
    denied = cells.loc["F002-44"]
    assert denied["seed_says"] == "denies" and denied["status"] == "agrees"
    wrong = final.copy()
    row = wrong.index[wrong["segment_id"] == "SEG-SZ-005"][0]
    wrong.loc[row, "framework_codes"] += ";" + denied["row_codes"]
    assert fidelity.fidelity(record, wrong).set_index("cell_id").loc["F002-44", "status"] == "contradicts"
    # a silent cell that gains a segment becomes "rebuilt adds"
    silent = cells.loc["F001-01"]
    assert silent["seed_says"] == "silent" and silent["status"] == "agrees"
    row = wrong.index[wrong["segment_id"] == "SEG-LX-001"][0]
    wrong.loc[row, "framework_codes"] = ";".join(
        [*split_codes(wrong.loc[row, "framework_codes"]), "001:LX.V.T"]
    )
    assert fidelity.fidelity(record, wrong).set_index("cell_id").loc["F001-01", "status"] == "adds"


def _concept(code_id: str, parent: str | None) -> FrameworkCode:
    return FrameworkCode(code_id, parent, code_id.split(":")[1], code_id, "定义", "1")


def test_a_parent_concept_counts_its_subconcepts_in_tables_and_fidelity() -> None:
    """One rule for both: a parent concept holds the segments of its sub-concepts, each once."""
    concepts = (
        _concept("001:P", None),
        _concept("001:P.C", "001:P"),
        _concept("001:P.C.G", "001:P.C"),
        _concept("001:P.D", "001:P"),
        _concept("001:Q", None),
    )
    codebook = Codebook("测试", "1.0.0", (), (), (Framework("001", "测试框架", "1", concepts),))
    assert codebook.with_subconcepts(["001:P"]) == ["001:P", "001:P.C", "001:P.C.G", "001:P.D"]
    assert codebook.with_subconcepts(["001:P.C", "001:Q", "001:P.C.G"]) == ["001:P.C", "001:P.C.G", "001:Q"]
    segments = pd.DataFrame(
        {
            "segment_id": ["S1", "S2", "S3", "S4", "S5"],
            "case_id": ["LX"] * 5,
            "framework_codes": ["001:P.C.G", "001:P.C;001:P.C.G", "001:Q", "001:P", "001:P.D;001:Q"],
        }
    )
    table = framework_table(segments, codebook, "001", ["LX"])
    shown = dict(zip(table.iloc[:, 0].str.strip("\u3000"), table.iloc[:, 1], strict=True))
    assert shown == {
        "P（P，含下位概念）": 4,
        "P.C（P.C，含下位概念）": 2,
        "P.C.G（P.C.G）": 2,
        "P.D（P.D）": 1,
        "Q（Q）": 2,
    }
    # the fidelity record finds the same segments for a cell on each row
    for code, n in zip(["001:P", "001:P.C", "001:P.C.G", "001:P.D", "001:Q"], shown.values(), strict=True):
        assert len(fidelity.cell_segments(segments, "LX", code, "", codebook)) == n
    both = fidelity.cell_segments(segments, "LX", "001:P", "001:Q", codebook)
    assert list(both["segment_id"]) == ["S5"]


def test_earlier_coding_undoes_every_revision(final: pd.DataFrame) -> None:
    earlier = fidelity.earlier_coding(final)
    assert (earlier["round"] == 1).all()
    merged = earlier.merge(final, on="segment_id", suffixes=("_then", "_now"))
    changed = merged[merged["framework_codes_then"] != merged["framework_codes_now"]]
    assert 0 < len(changed) <= 30


def _label(text: object) -> str:
    # a parent concept's row says that it adds up its sub-concepts: 'name（code，含下位概念）'
    return str(text).replace("\u3000", "").replace("，含下位概念", "").strip()


def _shown(frame: pd.DataFrame, row_zh: str, column_zh: str) -> object:
    """The cell of a shown table at (row_zh, column_zh); rows match by name or by 'name（code）'."""
    corner = frame.columns[0]
    rows = [
        i
        for i, label in enumerate(frame[corner])
        if _label(label) == row_zh or _label(label).startswith(row_zh + "（")
    ]
    assert len(rows) == 1, (row_zh, list(frame[corner]))
    assert column_zh in frame.columns, (column_zh, list(frame.columns))
    return frame.iloc[rows[0]][column_zh]


def test_every_recorded_cell_is_the_shown_cell(
    record: pd.DataFrame, final: pd.DataFrame, outputs: dict[str, PageOutput]
) -> None:
    """The count a cell's status rests on is the number the page shows in that cell."""
    cells = fidelity.fidelity(record, final)
    for rec in cells.to_dict("records"):
        page = outputs[str(rec["page"])]
        key = next(k for k, t in page.tables.items() if t.label == rec["table"])
        value = _shown(page.tables[key].frame, str(rec["row_zh"]), str(rec["column_zh"]))
        n = int(rec["n_segments"])
        if isinstance(value, str):
            assert value.startswith(f"（{n} 段）") if n else value == "—", (rec["cell_id"], value)
        else:
            assert int(value) == n, (rec["cell_id"], value, n)


def test_each_chapter_shows_its_record(record: pd.DataFrame, outputs: dict[str, PageOutput]) -> None:
    for page, out in outputs.items():
        prefix = next(k for k in out.values if k.endswith("_fid_n")).removesuffix("_fid_n")
        assert out.values[f"{prefix}_fid_n"] == int((record["page"] == page).sum())
        full = out.tables[f"{prefix}_tbl_fid_all"].frame
        assert len(full) == int((record["page"] == page).sum())
        assert f"{prefix}_tbl_args" in out.tables


# --- the pages' claims about their own tables --------------------------------------------


def _lines(source: str) -> tuple[int, int]:
    m = re.search(r"(\d+)(?:–(\d+))? 行$", source) or re.search(r"第 (\d+)(?:–(\d+))? 行", source)
    assert m, source
    return int(m.group(1)), int(m.group(2) or m.group(1))


def _zj_claim(out: PageOutput, record: pd.DataFrame) -> None:
    """The ZJ page says the matrix's segments all come from the passage that states the matrix."""
    quotes = out.tables["zj_tbl_matrix_quotes"].frame
    assert len(quotes) == out.values["zj_n_matrix_segments"]
    stated = record[record["table"] == "tbl-zj-matrix"]
    lo, hi = stated["line_from"].astype(int).min(), stated["line_to"].astype(int).max()
    spans = [_lines(str(s)) for s in quotes["出处"]]
    inside = all(lo <= a and b <= hi for a, b in spans)
    assert str(out.values["zj_matrix_source_phrase"]).startswith("全部来自") == inside


def test_the_zj_page_claim_holds(outputs: dict[str, PageOutput], record: pd.DataFrame) -> None:
    _zj_claim(outputs["zhejiang_red_education"], record)
    assert str(outputs["zhejiang_red_education"].values["zj_matrix_source_phrase"]).startswith("全部来自")


def test_the_zj_page_claim_changes_with_the_coding(
    monkeypatch: pytest.MonkeyPatch, final: pd.DataFrame, record: pd.DataFrame
) -> None:
    """Give a province-wide segment a matrix cell's codes: the page must stop saying 'all from l.126-138'."""
    moved = final.copy()
    row = moved.index[moved["segment_id"] == "SEG-ZJ-HS-005"][0]
    moved.loc[row, "framework_codes"] = "000:HS.PF1;000:HS.D;000:HS.VP.CD"
    monkeypatch.setattr(consensus, "final_segments", lambda *a, **k: moved)
    out = zhejiang_red_education.build()
    _zj_claim(out, record)
    assert not str(out.values["zj_matrix_source_phrase"]).startswith("全部来自")
    assert "SEG-ZJ-HS-005" in set(out.tables["zj_tbl_matrix_quotes"].frame["片段"])


def test_the_cps_page_names_exactly_the_empty_cells(outputs: dict[str, PageOutput]) -> None:
    out = outputs["cross_province_services"]
    cross = out.tables["cps_tbl_cross"].frame
    zeros = [
        f"{r[cross.columns[0]]} × {c}"
        for r in cross.to_dict("records")
        for c in cross.columns[1:]
        if r[c] == 0
    ]
    phrase = str(out.values["cps_empty_phrase"])
    assert (phrase == "每一格都有片段") == (not zeros)
    assert all(z in phrase for z in zeros)
