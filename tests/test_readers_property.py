"""Property tests of the readers: any input gives a valid table (or parsed YAML, or a codebook) or a
DataError, never another exception, within a bounded time and message size."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.coding.codebook import Codebook, parse_codebook
from analysis.data import io
from analysis.data.errors import DataError
from analysis.data.schemas.common import SCHEMAS

#: Bounds every reader must keep, whatever it is given.
SECONDS = 5.0
MESSAGE = 10_000

FIXTURE_CODEBOOK = (Path(__file__).parent / "fixtures" / "coding" / "codebook.yaml").read_text(
    encoding="utf-8"
)
PROFILE = settings(
    max_examples=120,
    deadline=None,  # the time bound is asserted below, with room for a busy machine
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)


def _bounded(read: Callable[[], Any]) -> Any:
    """Run ``read``: its result, or ``None`` after a DataError; any other exception fails."""
    start = time.perf_counter()
    try:
        result = read()
    except DataError as exc:
        assert len(str(exc)) <= MESSAGE, len(str(exc))
        assert exc.__cause__ is None
        result = None
    assert time.perf_counter() - start < SECONDS
    return result


# --- CSV -----------------------------------------------------------------------------------------

CELLS = st.sampled_from(
    [
        "",
        "0",
        "1",
        "-1",
        "0.5",
        "2",
        "1e309",
        "inf",
        "-inf",
        "nan",
        "NaN",
        " 1",
        "1 ",
        "１",
        "0x10",
        "1_000",
        "lb",
        "ub",
        "nominal",
        "ordinal",
        "docstring_3x15",
        "abc",
        '"',
        "a,b",
        "a\nb",
        "中文",
        "\x00",
        "\u2028",
    ]
)


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    buffer = pd.io.common.StringIO()
    frame = pd.DataFrame(rows, columns=header)
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


NUMBERS = st.floats(-1, 1, allow_nan=False).map(lambda x: f"{x:.3f}")
#: Values that fit each column, so that whole valid tables occur as well as broken ones.
FITTING: dict[str, st.SearchStrategy[str]] = {
    "example": st.sampled_from(["docstring_3x15", "krippendorff2011_4x12"]),
    "level": st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
    "published": NUMBERS,
    "decimals": st.sampled_from(["3", "4", "6"]),
    "delta": st.sampled_from(["rm", "sd"]),
    "parameter": st.sampled_from(["0", "0.01", "0.5", "1", "1.5", "2"]),
    "bound": st.sampled_from(["lb", "ub"]),
    "value": NUMBERS,
    "quantity": st.sampled_from(["twfe_coefficient"]),
}


def _cells(column: str) -> st.SearchStrategy[str]:
    fitting = FITTING[column]
    return st.one_of(fitting, fitting, fitting, fitting, fitting, CELLS)


@st.composite
def tables(draw: st.DrawFn, name: str) -> bytes:
    header = list(SCHEMAS[name].columns)
    if draw(st.integers(0, 4)) == 0:
        header = draw(st.permutations(header))[: draw(st.integers(1, len(header)))]
    row = st.tuples(*(_cells(c) for c in header)).map(list)
    rows = draw(st.lists(row, max_size=12))
    data = _csv(header, rows)
    if draw(st.integers(0, 2)) == 0:  # break the text: cut, duplicate or drop a line
        lines = data.split(b"\n")
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["cut", "dup", "drop"]))
        if op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, len(lines[i])))]
        elif op == "dup":
            lines.insert(i, lines[i])
        else:
            del lines[i]
        data = b"\n".join(lines)
    return data


def _check_table(result: pd.DataFrame | None, name: str) -> None:
    if result is None:
        return
    assert list(result.columns) == list(SCHEMAS[name].columns)
    io.validate_table(result, SCHEMAS[name], "again")  # a returned table passes its schema


@PROFILE
@given(st.binary(max_size=3000))
def test_any_bytes_give_a_table_or_a_data_error(data: bytes) -> None:
    result = _bounded(lambda: io.parse_csv(data, SCHEMAS["did_honest_published"], "x.csv"))
    _check_table(result, "did_honest_published")


@PROFILE
@given(st.text(alphabet=st.sampled_from(list(',"\n\r\t ab1.-;中\ufeff\x00')), max_size=2000))
def test_any_csv_like_text_gives_a_table_or_a_data_error(text: str) -> None:
    data = b"delta,parameter,bound,value\n" + text.encode("utf-8")
    result = _bounded(lambda: io.parse_csv(data, SCHEMAS["did_honest_published"], "x.csv"))
    _check_table(result, "did_honest_published")


@PROFILE
@given(
    st.sampled_from(["krippendorff_published", "did_honest_published", "did_organ_reference"]).flatmap(
        lambda name: st.tuples(st.just(name), tables(name))
    )
)
def test_any_table_of_a_schema_gives_a_table_or_a_data_error(case: tuple[str, bytes]) -> None:
    name, data = case
    _check_table(_bounded(lambda: io.parse_csv(data, SCHEMAS[name], f"{name}.csv")), name)


# --- YAML ----------------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.text(max_size=20),
    st.sampled_from(["000", "CTX", "CTX.POL", "000:HS.ZTZZ", "1.0.0", "2026-02-30", "43-47;50"]),
)
KEYS = st.sampled_from(
    [
        "id",
        "parent",
        "name_zh",
        "name_en",
        "codes",
        "frameworks",
        "study",
        "example",
        "version",
        "changelog",
        "x",
    ]
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=5),
    max_leaves=30,
)


@PROFILE
@given(st.text(max_size=2000))
def test_any_text_gives_yaml_or_a_data_error(text: str) -> None:
    _bounded(lambda: io.parse_yaml(text.encode("utf-8", "surrogatepass"), "x.yaml"))


@PROFILE
@given(st.binary(max_size=2000))
def test_any_bytes_give_yaml_or_a_data_error(data: bytes) -> None:
    _bounded(lambda: io.parse_yaml(data, "x.yaml"))


def _codebook(data: bytes) -> Codebook:
    return parse_codebook(io.parse_yaml(data, "codebook.yaml"), "codebook.yaml")


@PROFILE
@given(DOCUMENTS)
def test_any_document_gives_a_codebook_or_a_data_error(document: object) -> None:
    data = yaml.safe_dump(document, allow_unicode=True).encode("utf-8")
    result = _bounded(lambda: _codebook(data))
    assert result is None or isinstance(result, Codebook)


@PROFILE
@given(
    st.lists(
        st.tuples(st.sampled_from(["drop", "dup", "indent", "dedent"]), st.integers(0, 10**6)), max_size=6
    )
)
def test_any_edit_of_a_codebook_gives_a_codebook_or_a_data_error(edits: list[tuple[str, int]]) -> None:
    lines = FIXTURE_CODEBOOK.split("\n")
    for op, position in edits:
        i = position % len(lines)
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        else:
            lines[i] = lines[i][2:] if lines[i].startswith("  ") else lines[i]
        if not lines:
            lines = [""]
    result = _bounded(lambda: _codebook("\n".join(lines).encode("utf-8")))
    assert result is None or isinstance(result, Codebook)


def test_a_deep_or_huge_yaml_is_refused_quickly() -> None:
    _bounded(lambda: io.parse_yaml(b"[" * 5000 + b"]" * 5000, "deep.yaml"))
    bomb = b"a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n"
    assert _bounded(lambda: io.parse_yaml(bomb, "bomb.yaml")) is None


@PROFILE
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["docstring_3x15", "krippendorff2011_4x12", "例子"]),
            st.sampled_from(["nominal", "ordinal", "interval", "ratio"]),
            st.integers(-1000, 1000),
            st.sampled_from([3, 4, 6]),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda r: (r[0], r[1]),
    )
)
def test_a_table_of_fitting_values_is_read_back_exactly(rows: list[tuple[str, str, int, int]]) -> None:
    records = [
        [example, level, f"{value / 1000:.3f}", str(decimals)] for example, level, value, decimals in rows
    ]
    data = _csv(list(SCHEMAS["krippendorff_published"].columns), records)
    table = _bounded(lambda: io.parse_csv(data, SCHEMAS["krippendorff_published"], "k.csv"))
    assert table is not None
    assert table["example"].tolist() == [r[0] for r in rows]
    assert table["published"].tolist() == [round(r[2] / 1000, 3) for r in rows]
    assert table["decimals"].tolist() == [r[3] for r in rows]
    assert [io.line_of(table, i) for i in table.index] == list(range(2, len(rows) + 2))
