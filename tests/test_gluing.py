from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from bookkit.glue import GlueError, as_glue_value, glue_chart, glue_table


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


def test_table_and_chart_helpers_check_their_type() -> None:
    with pytest.raises(GlueError, match="BookTable"):
        glue_table("t_table", pd.DataFrame({"a": [1]}))
    with pytest.raises(GlueError, match="OfflineChart"):
        glue_chart("t_chart", {"mark": "bar"})
