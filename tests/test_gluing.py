from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.report.page import GlueError, PageOutput, as_glue_value
from bookkit.glue import glue_page


@pytest.mark.parametrize(
    ("value", "expected", "kind"),
    [
        (np.float64(0.25), 0.25, float),
        (np.float32(0.5), 0.5, float),
        (np.int64(7), 7, int),
        (np.int32(-3), -3, int),
        (3, 3, int),
        (2.5, 2.5, float),
        ("长三角", "长三角", str),
        (np.str_("京津冀"), "京津冀", str),
    ],
)
def test_scalars_become_builtin(value: object, expected: object, kind: type) -> None:
    out = as_glue_value("t_value", value)
    assert out == expected
    assert type(out) is kind


def test_numpy_scalar_repr_is_plain_after_conversion() -> None:
    # The failure mode of MyST-NB #610: repr(np.float64) is not a number under NumPy 2.
    assert repr(np.float64(0.1)) != "0.1"
    assert repr(as_glue_value("t_x", np.float64(0.1))) == "0.1"


@pytest.mark.parametrize(
    "value",
    [True, np.bool_(False), pd.DataFrame({"a": [1]}), [1, 2], None, complex(1, 2), np.array([1.0]), ""],
)
def test_other_values_are_refused(value: object) -> None:
    with pytest.raises(GlueError, match="t_bad"):
        as_glue_value("t_bad", value)


@pytest.mark.parametrize("value", [math.nan, np.float64("inf")])
def test_non_finite_numbers_are_refused(value: float) -> None:
    with pytest.raises(GlueError, match="non-finite"):
        as_glue_value("t_nan", value)


@pytest.mark.parametrize("key", ["Intro_n", "intro", "intro-n", "1_intro", "intro n"])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(GlueError, match="snake_case"):
        as_glue_value(key, 1)


def test_a_page_output_checks_what_it_is_given() -> None:
    out = PageOutput()
    with pytest.raises(GlueError, match="BookTable"):
        out.table("t_table", pd.DataFrame({"a": [1]}))  # type: ignore[arg-type]
    with pytest.raises(GlueError, match="OfflineChart"):
        out.chart("t_chart", "<div></div>")  # type: ignore[arg-type]
    with pytest.raises(GlueError, match="t_bool"):
        out.value("t_bool", True)


def test_a_key_is_given_once() -> None:
    out = PageOutput()
    out.value("t_a", 1)
    with pytest.raises(GlueError, match="twice"):
        out.value("t_a", 2)
    with pytest.raises(GlueError, match="twice"):
        PageOutput().merge(out, out)


def test_floats_are_rounded_to_twelve_significant_digits() -> None:
    # Refits that differ in the last bits (threads, BLAS) glue the same value.
    a = PageOutput()
    a.value("t_x", 0.021268081373139243)
    b = PageOutput()
    b.value("t_x", 0.021268081373139236)
    assert a.values == b.values == {"t_x": 0.0212680813731}


def test_glue_page_takes_only_a_page_output() -> None:
    with pytest.raises(TypeError, match="PageOutput"):
        glue_page({"t_a": 1})  # type: ignore[arg-type]
