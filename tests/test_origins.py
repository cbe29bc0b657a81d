"""What the provenance panels are built from: each key's origin and the files a page read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data import io
from analysis.report.page import Origin, PageOutput
from analysis.report.table import BookTable


def _helper_adds(out: PageOutput) -> None:
    out.value("t_from_helper", 2)


def _helper_output() -> PageOutput:
    out = PageOutput()
    out.update({"a": 1, "b": 2}, prefix="t_sub_")
    return out


def test_a_key_records_the_function_that_added_it() -> None:
    out = PageOutput()
    out.value("t_here", 1)
    _helper_adds(out)
    out.table("t_tbl_x", BookTable(pd.DataFrame({"a": [1]}), "表", "tbl-x"))
    here = out.origins["t_here"]
    assert here.module == __name__
    assert here.function == "test_a_key_records_the_function_that_added_it"
    assert (
        Path(__file__)
        .read_text(encoding="utf-8")
        .splitlines()[here.line - 1]
        .strip()
        .startswith('out.value("t_here"')
    )
    assert out.origins["t_from_helper"].function == "_helper_adds"
    assert out.origins["t_tbl_x"].function == "test_a_key_records_the_function_that_added_it"


def test_update_and_merge_keep_the_function_that_computed_the_values() -> None:
    out = PageOutput().merge(_helper_output())
    assert set(out.origins) == {"t_sub_a", "t_sub_b"}
    assert all(o.function == "_helper_output" and o.module == __name__ for o in out.origins.values())
    assert isinstance(out.origins["t_sub_a"], Origin)


def test_io_records_every_file_read_with_its_sha256() -> None:
    io.load_table("reform_events")
    read = io.files_read()
    assert "data/MANIFEST.yaml" in read and "data/raw/reform_events.csv" in read
    path = io.paths.RAW_DIR / "reform_events.csv"
    assert read["data/raw/reform_events.csv"] == io.sha256_file(path)
    # the record is a copy: the caller cannot change it
    read.clear()
    assert io.files_read()
