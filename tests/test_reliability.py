"""Reliability statistics: closed forms equal the libraries; the log must match the codings."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.coding import reliability
from analysis.coding.codebook import load_codebook
from analysis.data.errors import DataError

FIXTURES = Path(__file__).parent / "fixtures" / "coding"


@pytest.fixture
def codebook():  # type: ignore[no-untyped-def]
    return load_codebook(FIXTURES / "codebook.yaml")


def test_closed_forms_equal_the_libraries() -> None:
    rng = np.random.default_rng(1)
    for _ in range(200):
        n = int(rng.integers(5, 60))
        a = (rng.random(n) < rng.random()).astype(float)
        b = np.where(rng.random(n) < 0.8, a, 1 - a)
        lib_a, lib_k = reliability.library_alpha(a, b), reliability.library_kappa(a, b)
        fast_a = float(reliability.binary_alpha(a, b))
        fast_k = float(reliability.binary_kappa(a, b))
        if np.isnan(lib_a):
            assert np.isnan(fast_a)
        else:
            assert fast_a == pytest.approx(lib_a, abs=1e-12)
        if np.isnan(lib_k):
            assert np.isnan(fast_k)
        else:
            assert fast_k == pytest.approx(lib_k, abs=1e-12)


def test_perfect_and_chance_agreement() -> None:
    a = np.array([1, 0, 1, 0, 1, 1, 0, 0], dtype=float)
    assert reliability.library_alpha(a, a) == 1.0
    assert reliability.binary_kappa(a, a) == 1.0
    assert np.isnan(reliability.library_alpha(np.zeros(8), np.zeros(8)))


def _codings() -> tuple[pd.DataFrame, pd.DataFrame]:
    first = pd.DataFrame(
        {"segment_id": ["S1", "S2", "S3", "S4"], "codes": ["CTX.POL", "VAL.PV;CTX.END", "CTX.END", "VAL.PV"]}
    )
    second = pd.DataFrame(
        {"segment_id": ["S1", "S2", "S3"], "codes": ["CTX.POL", "VAL.PV", "CTX.END;CTX.POL"]}
    )
    return first, second


def test_disagreements_and_reliability_table(codebook) -> None:  # type: ignore[no-untyped-def]
    first, second = _codings()
    found = reliability.disagreements(first, second, codebook)
    assert list(map(tuple, found.to_numpy())) == [("S2", "CTX.END", 1, 0), ("S3", "CTX.POL", 0, 1)]
    result = reliability.reliability(first, second, codebook, n_boot=200, seed=3)
    table = result.table.set_index("variable")
    assert table.loc["VAL.PV", "alpha"] == 1.0
    assert table.loc["ALL", "n"] == 9
    assert table.loc["ALL", "agreement"] == pytest.approx(7 / 9)
    assert set(table["level"]) == {"code", "family", "pooled"}
    again = reliability.reliability(first, second, codebook, n_boot=200, seed=3)
    pd.testing.assert_frame_equal(result.table, again.table)


def _log(rows: list[tuple[str, str, int, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(*r, "理由") for r in rows],
        columns=["segment_id", "code_id", "coder_a", "coder_b", "resolution", "final", "rationale_zh"],
    )


def test_the_log_must_match_the_disagreements(codebook) -> None:  # type: ignore[no-untyped-def]
    first, second = _codings()
    found = reliability.disagreements(first, second, codebook)
    good = _log([("S2", "CTX.END", 1, 0, "keep_a", 1), ("S3", "CTX.POL", 0, 1, "accept_b", 1)])
    reliability.check_disagreement_log(good, found, "log.csv")
    with pytest.raises(
        DataError,
        match=r"log\.csv, field 'segment_id/code_id', value 'S3 CTX\.POL': "
        r"disagreement \(0, 1\) is not resolved",
    ):
        reliability.check_disagreement_log(good.iloc[:1], found, "log.csv")
    with pytest.raises(
        DataError, match=r"log\.csv, row 2, field 'final', value 0: contradicts resolution 'accept_b'"
    ):
        reliability.check_disagreement_log(
            _log([("S2", "CTX.END", 1, 0, "keep_a", 1), ("S3", "CTX.POL", 0, 1, "accept_b", 0)]),
            found,
            "log.csv",
        )
    with pytest.raises(
        DataError,
        match=r"log\.csv, row 1, field 'segment_id/code_id', value 'S1 VAL\.PV': not a disagreement",
    ):
        reliability.check_disagreement_log(
            pd.concat([good, _log([("S1", "VAL.PV", 0, 1, "keep_a", 0)])]), found, "log.csv"
        )
    final = reliability.reconcile(first, good, codebook)
    assert list(final["codes"]) == ["CTX.POL", "CTX.END;VAL.PV", "CTX.POL;CTX.END", "VAL.PV"]


def test_pooled_alpha_is_the_pooled_row_of_the_table(codebook) -> None:  # type: ignore[no-untyped-def]
    first, second = _codings()
    table = reliability.reliability(first, second, codebook, n_boot=50, seed=1).table
    pooled = table.loc[table["level"] == "pooled", "alpha"].iloc[0]
    assert reliability.pooled_alpha(first, second, codebook) == pooled
