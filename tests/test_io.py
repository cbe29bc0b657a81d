"""The gate (analysis.data.io): hashes on every load, paths inside the repository, safe YAML, the
source studies, and errors a person can act on (file, line, field, value, rule; short)."""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import pytest

from analysis.data import io, paths
from analysis.data.errors import MAX_LISTED, DataError
from analysis.data.io import load_manifest, load_table, read_csv_validated, read_seed_lines
from analysis.data.schemas.common import SCHEMAS
from analysis.data.schemas.rules import Violation, row_test
from analysis.did.panel import load_panel
from tests.datafaults import Sandbox

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
    assert io.line_of(events, 0) == 2 and io.line_of(events, 36) == 38


# --- the hash, on every load -------------------------------------------------------------------


def test_a_changed_file_with_a_stale_hash_fails_every_load(sandbox: Sandbox) -> None:
    """The issue's example: one GDP value x1000 moved the TWFE estimate and the book built."""
    line = sandbox.line_of("did_province_panel", province_en="Beijing", year="2018")
    gdp = sandbox.cell("did_province_panel", line, "gdp_nominal_100m_cny")
    text = sandbox.lines("did_province_panel")
    text[line - 1] = text[line - 1].replace(gdp, str(float(gdp) * 1000), 1)
    sandbox.write("did_province_panel", "\n".join(text), rehash=False)
    with pytest.raises(DataError, match=r"^data/raw/did_province_panel\.csv: sha256 \w+… is not the \w+…"):
        load_panel()
    with pytest.raises(DataError, match="sha256"):
        io.read_csv_validated(sandbox.path("did_province_panel"), SCHEMAS["did_province_panel"])


def test_each_file_is_hashed_once_per_process(sandbox: Sandbox, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: list[str] = []
    original = Path.read_bytes

    def counting(self: Path) -> bytes:
        reads.append(self.name)
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", counting)
    for _ in range(3):
        load_table("reform_events")
        load_table("did_alliance_membership")  # refers to reform_events
    assert reads.count("reform_events.csv") == 1
    assert reads.count("MANIFEST.yaml") == 1
    # a change is seen at once: the file is read and hashed again
    sandbox.set_cells("reform_events", 2, title_zh="新的标题")
    reads.clear()
    load_table("reform_events")
    assert reads.count("reform_events.csv") == 1


# --- paths inside the repository ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["../outside.csv", "raw/../../outside.csv", "/etc/passwd", "raw\\reform_events.csv"],
)
def test_a_manifest_path_must_stay_inside_data(sandbox: Sandbox, path: str) -> None:
    sandbox.edit_manifest(lambda t: t.replace("path: raw/reform_events.csv", f"path: '{path}'", 1))
    with pytest.raises(DataError) as err:
        load_manifest()
    assert "data/MANIFEST.yaml, line " in str(err.value)
    assert "field 'path'" in str(err.value) and "inside data/" in str(err.value)


def test_a_symlink_in_data_is_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    outside = tmp_path / "outside.csv"
    target = sandbox.path("did_regions")
    outside.write_bytes(target.read_bytes())
    target.unlink()
    target.symlink_to(outside)  # same bytes, same hash: only the link gives it away
    with pytest.raises(
        DataError, match=r"data/raw/did_regions\.csv: data/raw/did_regions\.csv is a symbolic link"
    ):
        load_table("did_regions")
    with pytest.raises(DataError, match="symbolic link"):
        io.read_csv_validated(target, SCHEMAS["did_regions"])
    problems = io.check_data_dir(load_manifest())
    assert [str(p) for p in problems] == [
        "data/raw/did_regions.csv: is a symbolic link; data files must be regular files"
    ]


def test_a_symlinked_folder_in_data_is_refused(sandbox: Sandbox, tmp_path: Path) -> None:
    raw = sandbox.root / "data" / "raw"
    moved = tmp_path / "elsewhere"
    raw.rename(moved)
    raw.symlink_to(moved, target_is_directory=True)
    with pytest.raises(DataError) as err:
        load_table("reform_events")
    assert str(err.value).startswith(
        "data/MANIFEST.yaml, line 36, field 'path', value 'raw/reform_events.csv': "
        "data/raw is a symbolic link; data files must be regular files in data/"
    )


def test_an_unlisted_file_in_data_is_found_and_refused(sandbox: Sandbox) -> None:
    extra = sandbox.root / "data" / "raw" / "extra.csv"
    extra.write_text("a,b\n1,2\n", encoding="utf-8")
    assert [str(p) for p in io.check_data_dir(load_manifest())] == [
        "data/raw/extra.csv: is not listed in data/MANIFEST.yaml"
    ]
    with pytest.raises(DataError, match=r"data/raw/extra\.csv: is not listed in data/MANIFEST\.yaml"):
        io.read_csv_validated(extra, SCHEMAS["did_regions"])


# --- the manifest and YAML ---------------------------------------------------------------------


def test_a_duplicate_key_in_the_manifest_is_refused(sandbox: Sandbox) -> None:
    text = sandbox.manifest_path.read_text(encoding="utf-8").split("\n")
    first, line = text.index("  did_regions:") + 1, text.index("  did_honest_published:") + 1
    sandbox.edit_manifest(lambda t: t.replace("  did_regions:", "  did_honest_published:", 1))
    with pytest.raises(DataError) as err:
        load_manifest()
    assert str(err.value) == (
        f"data/MANIFEST.yaml, line {line}, field 'did_honest_published': "
        f"duplicate key (first at line {first})"
    )


def test_aliases_are_refused() -> None:
    with pytest.raises(DataError, match=r"x\.yaml, line 2: aliases"):
        io.parse_yaml(b"a: &x [1, 2]\nb: *x\n", "x.yaml")


def test_yaml_remembers_lines() -> None:
    parsed = io.parse_yaml(b"top:\n  - id: A\n    name: a\n  - id: B\n", "x.yaml")
    assert isinstance(parsed, dict)
    items = parsed["top"]
    assert io.yaml_line(parsed, "top") == 1
    assert io.yaml_line(items, 1) == 4 and io.yaml_line(items[0], "name") == 3


def test_manifest_errors(tmp_path: Path) -> None:
    bad = tmp_path / "MANIFEST.yaml"
    bad.write_text("files:\n  x:\n    path: raw/x.csv\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"MANIFEST\.yaml, line 2, field 'x': entry lacks"):
        load_manifest(bad)
    with pytest.raises(DataError, match=r"field 'files', value 'nope': no such table"):
        load_table("nope")


# --- the source studies ------------------------------------------------------------------------


def test_a_wrong_seeds_dir_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SEEDS_DIR", str(tmp_path / "typo"))
    io.clear_caches()
    with pytest.raises(DataError, match=r"^SEEDS_DIR, value '.*typo': is set but is not a folder"):
        io.sources()
    with pytest.raises(DataError, match="SEEDS_DIR"):
        io.seed_lines("000")


def test_a_seeds_dir_without_every_study_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "000_9a8604ed01ec2015.txt").write_text("一\n二", encoding="utf-8")
    monkeypatch.setenv("SEEDS_DIR", str(tmp_path))
    io.clear_caches()
    with pytest.raises(DataError) as err:
        io.sources()
    message = str(err.value)
    assert message.startswith("source study 000 (")
    assert "sha256" in message and "source study 001" in message and "cannot be read" in message


def test_absent_sources_are_said_not_hidden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SEEDS_DIR", raising=False)
    monkeypatch.setattr(paths, "seeds_dir", lambda: tmp_path / "absent")
    io.clear_caches()
    found = io.sources()
    assert not found.available and "does not exist" in found.reason
    assert io.seed_lines("000") is None


def test_seed_line_range_is_checked(tmp_path: Path) -> None:
    seed = tmp_path / "seed.txt"
    seed.write_text("一\n二\n三", encoding="utf-8")  # no trailing newline, as the seeds
    assert read_seed_lines(seed, 2, 3) == ["二", "三"]
    with pytest.raises(DataError, match="outside 1-3"):
        read_seed_lines(seed, 3, 4)


# --- errors a person can act on ----------------------------------------------------------------


def test_missing_column(events_frame: pd.DataFrame, tmp_path: Path) -> None:
    path = _write(events_frame.drop(columns="certainty"), tmp_path)
    with pytest.raises(
        DataError, match=r"reform_events\.csv, line 1, field 'certainty': missing from the header"
    ):
        read_csv_validated(path, SCHEMAS["reform_events"])


@pytest.mark.parametrize(
    ("row", "column", "value", "message"),
    [
        (4, "level", "provincial", r"line 6, field 'level', value 'provincial': isin"),
        (
            2,
            "event_id",
            "E02",
            r"line 4, field 'event_id', value 'E02': event_id must be unique.*same as line 3",
        ),
        (6, "date_precision", "day", r"line 8, field 'date/date_precision', .*date has the form"),
        (3, "evidence_zh", "", r"line 5, field 'evidence_zh', value '': needs at least 10 characters"),
        (9, "line_from", "l.44", r"line 11, field 'line_from', value 'l\.44': must be an integer"),
        (0, "line_from", "9999", r"line 2, field 'line_from/line_to', .*line_to - line_from"),
        (5, "date", "2019-02-30", r"line 7, field 'date', value '2019-02-30': not a real calendar date"),
    ],
)
def test_bad_cell_names_file_line_field_and_value(
    events_frame: pd.DataFrame, tmp_path: Path, row: int, column: str, value: str, message: str
) -> None:
    events_frame.loc[row, column] = value
    with pytest.raises(DataError, match=r"reform_events\.csv, " + message):
        read_csv_validated(_write(events_frame, tmp_path), SCHEMAS["reform_events"])


def test_lines_are_the_editor_lines_across_quoted_newlines(
    events_frame: pd.DataFrame, tmp_path: Path
) -> None:
    events_frame.loc[1, "note_en"] = "first line\nsecond line"
    events_frame.loc[3, "level"] = "provincial"
    with pytest.raises(DataError, match=r"reform_events\.csv, line 6, field 'level'"):
        read_csv_validated(_write(events_frame, tmp_path), SCHEMAS["reform_events"])


def test_malformed_csv(tmp_path: Path) -> None:
    text = EVENTS.read_text(encoding="utf-8").split("\n")
    text[3] = text[3] + ',"an extra field"'
    path = tmp_path / "reform_events.csv"
    path.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"^\S*reform_events\.csv, line 4: has 15 fields, the header \(line 1\) has 14$"
    ):
        read_csv_validated(path, SCHEMAS["reform_events"])
    path.write_text("\n".join(text[:5]) + '\nE99,"unclosed\n', encoding="utf-8")
    with pytest.raises(DataError, match=r"reform_events\.csv, line 6: malformed CSV: unexpected end of data"):
        read_csv_validated(path, SCHEMAS["reform_events"])


def test_missing_empty_bom_and_non_utf8_files(tmp_path: Path) -> None:
    with pytest.raises(DataError, match="cannot be read"):
        read_csv_validated(tmp_path / "nope.csv", SCHEMAS["reform_events"])
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"empty\.csv, line 1: is empty"):
        read_csv_validated(tmp_path / "empty.csv", SCHEMAS["reform_events"])
    (tmp_path / "bom.csv").write_bytes(b"\xef\xbb\xbf" + EVENTS.read_bytes())
    with pytest.raises(DataError, match=r"bom\.csv, line 1: starts with a byte-order mark"):
        read_csv_validated(tmp_path / "bom.csv", SCHEMAS["reform_events"])
    (tmp_path / "latin.csv").write_bytes(
        EVENTS.read_bytes().replace("2005年".encode(), "2005\xe5".encode("latin-1"), 1)
    )
    with pytest.raises(DataError, match=r"latin\.csv, line 2, value .*: is not UTF-8"):
        read_csv_validated(tmp_path / "latin.csv", SCHEMAS["reform_events"])


def test_a_repeated_header_gives_one_short_exact_error(sandbox: Sandbox) -> None:
    lines = sandbox.lines("coded_segments")
    sandbox.write("coded_segments", "\n".join([*lines[:100], lines[0], *lines[100:]]))
    with pytest.raises(DataError) as err:
        load_table("coded_segments")
    assert str(err.value) == "data/raw/coded_segments.csv, line 101: repeats the header (line 1)"


def test_200k_duplicated_rows_fail_fast_with_a_short_message(sandbox: Sandbox) -> None:
    lines = sandbox.lines("coded_segments")
    body = [line for line in lines[1:] if line]
    sandbox.write("coded_segments", "\n".join([lines[0], *body, *([body[10]] * 200_000)]) + "\n")
    start = time.perf_counter()
    with pytest.raises(DataError) as err:
        load_table("coded_segments")
    elapsed = time.perf_counter() - start
    message = str(err.value)
    assert elapsed < 5, f"{elapsed:.1f} s"
    assert len(message) < 3000, len(message)
    assert (
        message.split("\n")[0]
        == f"data/raw/coded_segments.csv, line {len(body) + 2}: repeats line 12 exactly"
    )
    assert message.split("\n")[-1] == f"… and {200_000 - MAX_LISTED} more problems (200000 in all)"


def test_at_most_twenty_problems_then_a_count(events_frame: pd.DataFrame, tmp_path: Path) -> None:
    events_frame["level"] = "provincial"
    with pytest.raises(DataError) as err:
        read_csv_validated(_write(events_frame, tmp_path), SCHEMAS["reform_events"])
    lines = str(err.value).split("\n")
    assert len(lines) == MAX_LISTED + 1
    assert lines[-1] == f"… and {len(events_frame) - MAX_LISTED} more problems ({len(events_frame)} in all)"
    assert len(err.value.problems) == len(events_frame)


def test_no_pandas_traceback_reaches_the_reader(events_frame: pd.DataFrame, tmp_path: Path) -> None:
    events_frame.loc[0, "line_from"] = "x"
    with pytest.raises(DataError) as err:
        read_csv_validated(_write(events_frame, tmp_path), SCHEMAS["reform_events"])
    assert err.value.__cause__ is None and err.value.__suppress_context__
    assert "Traceback" not in str(err.value) and "pandera" not in str(err.value)
    assert str(err.value) == f"{err.value.problems[0]}"


def test_validation_happens_once_per_content(monkeypatch: pytest.MonkeyPatch) -> None:
    io.clear_caches()
    first = load_table("did_regions")
    calls = []
    monkeypatch.setattr(io, "parse_csv", lambda *a, **k: calls.append(a))
    second = load_table("did_regions")
    assert not calls and first.equals(second) and first is not second


#: Files that read something outside data/ and the sources with a reader the gate also uses.
_NOT_DATA = {
    "bookkit/toc.py": "_toc.yml, the book's table of contents",
    "benchmarks/build.py": "names the source studies' folder to the copies it builds; reads nothing",
}


def test_the_gate_is_the_only_reader_of_data() -> None:
    """No module outside analysis.data opens data/ or the sources by itself."""
    root = paths.PROJECT_ROOT
    needles = (
        "paths.RAW_DIR",
        "paths.DATA_DIR",
        "paths.MANIFEST",
        "paths.seeds_dir",
        "read_csv(",
        "yaml.safe_load",
    )
    offenders = []
    for folder in ("analysis", "bookkit", "checks", "tools", "benchmarks"):
        for path in sorted((root / folder).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            if rel in {"analysis/data/io.py", "analysis/data/paths.py"} or rel in _NOT_DATA:
                continue
            text = path.read_text(encoding="utf-8")
            offenders += [f"{rel}: {needle}" for needle in needles if needle in text]
    assert offenders == []


def test_a_row_test_reads_each_rows_fields_in_order() -> None:
    rule = row_test(("low", "high"), lambda low, high: low < high, "low is below high", "a range")
    frame = pd.DataFrame({"high": [2, 1, 5], "low": [1, 3, 5]}, index=["r1", "r2", "r3"])
    assert list(rule.find(frame)) == [
        Violation("r2", "low/high", {"low": 3, "high": 1}),
        Violation("r3", "low/high", {"low": 5, "high": 5}),
    ]
    assert list(rule.find(frame.iloc[:0])) == []
    assert rule.statement == "low is below high (fact: a range)"
