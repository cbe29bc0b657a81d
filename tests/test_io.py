"""Bad input gets a clear error naming file, row and column, never a silently wrong table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data import paths
from analysis.data.io import DataError, load_manifest, load_table, read_csv_validated, read_seed_lines
from analysis.data.schemas.common import SCHEMAS

EVENTS = paths.RAW_DIR / "reform_events.csv"


@pytest.fixture
def events_frame() -> pd.DataFrame:
    return pd.read_csv(EVENTS, dtype=str, keep_default_na=False)


def _write(frame: pd.DataFrame, tmp_path: Path) -> Path:
    path = tmp_path / "reform_events.csv"
    frame.to_csv(path, index=False)
    return path


def test_real_tables_load() -> None:
    events = load_table("reform_events")
    assert events["line_from"].dtype.kind == "i"
    assert len(load_table("source_studies")) == 5


def test_missing_column(events_frame: pd.DataFrame, tmp_path: Path) -> None:
    path = _write(events_frame.drop(columns="certainty"), tmp_path)
    with pytest.raises(DataError, match=r"reform_events\.csv: header .*missing columns \['certainty'\]"):
        read_csv_validated(path, SCHEMAS["reform_events"])


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (4, "level", "provincial", r"row 5 \(line 6\), column 'level': isin"),
        (2, "event_id", "E02", r"row 3 \(line 4\), column 'event_id'.*unique"),
        (6, "date_precision", "day", r"row 7 \(line 8\).*date does not match date_precision"),
        (3, "evidence_zh", "", r"row 4 \(line 5\), column 'evidence_zh'"),
        (9, "line_from", "l.44", r"row 10 \(line 11\), column 'line_from': coerce_dtype"),
        (0, "line_from", "9999", r"row 1 \(line 2\).*line_to - line_from"),
    ],
)
def test_bad_cell_names_file_row_and_column(
    events_frame: pd.DataFrame, tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    events_frame.loc[row, column] = value
    with pytest.raises(DataError, match=r"reform_events\.csv: .*" + message):
        read_csv_validated(_write(events_frame, tmp_path), SCHEMAS["reform_events"])


def test_malformed_csv(tmp_path: Path) -> None:
    text = EVENTS.read_text(encoding="utf-8").split("\n")
    text[3] = text[3] + ',"an extra field"'
    path = tmp_path / "reform_events.csv"
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(DataError, match=r"reform_events\.csv: malformed CSV: .*line 4"):
        read_csv_validated(path, SCHEMAS["reform_events"])


def test_missing_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="file not found"):
        read_csv_validated(tmp_path / "nope.csv", SCHEMAS["reform_events"])
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"empty\.csv: malformed CSV"):
        read_csv_validated(tmp_path / "empty.csv", SCHEMAS["reform_events"])


def test_manifest_errors(tmp_path: Path) -> None:
    bad = tmp_path / "MANIFEST.yaml"
    bad.write_text("files:\n  x:\n    path: raw/x.csv\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"entry 'x' lacks"):
        load_manifest(bad)
    with pytest.raises(DataError, match="no table named"):
        load_table("nope")


def test_seed_line_range_is_checked(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("一\n二\n三", encoding="utf-8")  # no trailing newline, as the seeds
    assert read_seed_lines(seed, 2, 3) == ["二", "三"]
    with pytest.raises(DataError, match="outside 1-3"):
        read_seed_lines(seed, 3, 4)
