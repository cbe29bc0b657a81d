"""The reconstruction, measurement-quality functions, audit of the thesis and re-estimation."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
import semopy

from analysis.data import io
from analysis.sem.reconstruction import (
    M0_PATHS,
    M1_PATHS,
    Reconstruction,
    algebraic_paths,
    ave,
    composite_reliability,
    fit_models,
    fornell_larcker,
    htmt,
    measurement_table,
    model_syntax,
    reconstruct,
    reproduced_paths,
    sensitivity,
    standardized_paths,
    thesis_audit,
)
from analysis.sem.reported import load_reported


@pytest.fixture(scope="module")
def rep() -> pd.DataFrame:
    return load_reported()


@pytest.fixture(scope="module")
def recon(rep: pd.DataFrame) -> Reconstruction:
    return reconstruct(rep)


@pytest.fixture(scope="module")
def fitted(recon: Reconstruction) -> dict[str, semopy.Model]:
    return fit_models(recon)


def test_cr_and_ave_by_hand() -> None:
    lam = [0.7, 0.8, 0.9]
    assert composite_reliability(lam) == pytest.approx(2.4**2 / (2.4**2 + 0.51 + 0.36 + 0.19))
    assert ave(lam) == pytest.approx((0.49 + 0.64 + 0.81) / 3)


def test_htmt_equals_phi_for_equal_loadings() -> None:
    phi = pd.DataFrame([[1.0, 0.6], [0.6, 1.0]], index=["A", "B"], columns=["A", "B"])
    groups = {"A": ["a1", "a2", "a3"], "B": ["b1", "b2"]}
    lam = np.zeros((5, 2))
    lam[:3, 0], lam[3:, 1] = 0.8, 0.7
    sigma = lam @ phi.to_numpy() @ lam.T
    np.fill_diagonal(sigma, 1.0)
    corr = pd.DataFrame(sigma, index=["a1", "a2", "a3", "b1", "b2"], columns=["a1", "a2", "a3", "b1", "b2"])
    assert htmt(corr, groups).loc["B", "A"] == pytest.approx(0.6)


def test_fornell_larcker_flags_a_failure() -> None:
    phi = pd.DataFrame([[1.0, 0.9], [0.9, 1.0]], index=["A", "B"], columns=["A", "B"])
    table = fornell_larcker({"A": 0.85, "B": 0.64}, phi).set_index("construct")
    assert bool(table.loc["A", "pass"]) and not bool(table.loc["B", "pass"])


def test_thesis_audit_flags_what_the_thesis_gets_wrong(rep: pd.DataFrame) -> None:
    audit = thesis_audit(rep)
    flagged = {
        (m, i) for m, i, ok in audit[["model", "index", "consistent"]].itertuples(index=False) if not ok
    }
    assert flagged == {
        ("M0", "chi2_df"),
        ("M1", "chi2_df"),
        ("RES_CFA", "chi2_df"),
        ("M1", "agfi"),
        ("M1", "pgfi"),
    }
    m0 = audit[audit["model"] == "M0"].set_index("index")
    assert m0.loc["chi2_df", "recomputed"] == pytest.approx(1673.579 / 390)
    assert len(audit[audit["model"] == "M0"]) == 13


def test_reconstruction_is_positive_definite_and_keeps_printed_aves(
    rep: pd.DataFrame, recon: Reconstruction
) -> None:
    assert np.linalg.eigvalsh(recon.sigma.to_numpy()).min() > 0.05
    assert np.linalg.eigvalsh(recon.phi.to_numpy()).min() > 0.05
    table = measurement_table(rep, recon).set_index("construct")
    for construct in ("DSC", "BPC", "PV"):  # the constructs whose unread loadings are solved
        assert table.loc[construct, "ave_ours"] == pytest.approx(
            table.loc[construct, "ave_reported"], abs=1e-9
        )
    assert set(recon.phi_fill) == {("BPC", "VP"), ("PV", "DSC")}
    for value in recon.phi_fill.values():
        assert 0.700 <= value <= 0.799


def test_every_inferred_loading_is_labelled(recon: Reconstruction) -> None:
    loadings = recon.loadings
    assert len(loadings) == 30 and loadings["loading"].between(0.8, 0.96).all()
    inferred = loadings[loadings["source"].str.startswith("推断")]
    assert set(inferred["item"]) == {"DSC3", "BPC1", *(f"BPC{i}" for i in range(2, 8)), "PV2"}
    assert not inferred["exact"].any()


def test_algebraic_paths_equal_semopy_for_saturated_m0(
    recon: Reconstruction, fitted: dict[str, semopy.Model]
) -> None:
    got = standardized_paths(fitted["M0"], M0_PATHS).set_index("hyp")["std"]
    algebra = algebraic_paths(recon.phi, M0_PATHS)
    for h in M0_PATHS:
        assert got[h] == pytest.approx(algebra[h], abs=2e-3)


def test_reproduced_paths_are_close_to_the_printed_ones(
    rep: pd.DataFrame, fitted: dict[str, semopy.Model]
) -> None:
    table = reproduced_paths(rep, fitted)
    assert len(table) == 19
    assert table["diff"].abs().max() < 0.03
    assert (table["diff"] == table["reproduced"] - table["reported"]).all()


def test_sensitivity_moves_paths_only_for_uncertain_inputs(
    rep: pd.DataFrame, recon: Reconstruction, fitted: dict[str, semopy.Model]
) -> None:
    table = sensitivity(rep, recon, fitted)
    assert set(table["scenario"]) >= {"BPC–VP low", "BPC–VP high", "loadings low", "loadings high"}
    spread = table.groupby(["model", "hyp"])["std"].agg(lambda s: s.max() - s.min())
    assert spread.loc[("M0", "H6")] < 0.03  # DK->DSC: only the narrow 0.83? cell matters
    assert spread.loc[("M0", "H9")] > 0.2  # VP->BPC moves with the 0.7?? cell BPC-VP


def test_model_syntax_lists_every_path() -> None:
    text = model_syntax(M1_PATHS)
    assert "DSC ~ DP + DK + VP" in text and "PV ~ BPC" in text and "DP ~~ DK" in text
    assert "PV ~ DP" not in text


def test_synthetic_file_is_reproducible_from_its_seed(manifest: io.Manifest, recon: Reconstruction) -> None:
    from analysis.sem.synthetic import SEED, generate, to_csv_bytes

    first = to_csv_bytes(generate(recon.sigma))
    second = to_csv_bytes(generate(recon.sigma))
    assert hashlib.sha256(first).hexdigest() == hashlib.sha256(second).hexdigest()
    entry = manifest.files["sem_items_synthetic"]
    assert entry.synthetic and "SYNTHETIC" in entry.method and str(SEED) in entry.method
    assert hashlib.sha256(first).hexdigest() == entry.sha256
    other = to_csv_bytes(generate(recon.sigma, seed=SEED + 1))
    assert other != first


def test_the_thesis_nc_range_is_the_one_it_prints() -> None:
    """The 1 < NC < 3 range the audit judges the ratios by is printed in the thesis (表6-9)."""
    from analysis.chapters.sem_value_cocreation import THESIS_NC_RANGE
    from analysis.data.text import normalise

    lines = io.seed_lines("003")
    if lines is None:
        pytest.skip("the source studies are not beside the project")
    line = normalise(lines[80320 - 1])
    assert line.startswith("卡方自由度比") and f"<NC<{THESIS_NC_RANGE[1]:g}" in line
    assert THESIS_NC_RANGE[0] == 1.0  # the lower bound is an unreadable glyph there: the usual 1


def test_audit_phrases_read_well_for_every_outcome(rep: pd.DataFrame) -> None:
    from analysis.chapters.sem_value_cocreation import audit_phrases

    audit = thesis_audit(rep)
    found = audit_phrases(audit)
    assert found["nc_wrong"] == "3 个模型的卡方自由度比都印错了"
    assert found["nc_out"].startswith("按正确的比值，3 个模型都超出了论文自己采用的判断区间（1 < χ²/df < 3）")
    assert found["m0_gfi"] == "M0 的三者则彼此一致"
    assert found["recomputable"] == "RMSEA、CFI、TLI、NFI、IFI、RFI、PNFI、NCP 和 ECVI 全部能"
    # none wrong, all inside a wide range, M0's triple broken, one index not reproduced
    fixed = audit.copy()
    ratio = fixed["index"] == "chi2_df"
    fixed.loc[ratio, "consistent"] = True
    fixed.loc[(fixed["model"] == "M0") & (fixed["index"] == "agfi"), "consistent"] = False
    fixed.loc[(fixed["model"] == "M1") & (fixed["index"] == "rmsea"), "consistent"] = False
    other = audit_phrases(fixed, nc_range=(1.0, 6.0))
    assert other["nc_wrong"] == "3 个模型的卡方自由度比都与 χ² 和自由度相符"
    assert "都在论文自己采用的判断区间（1 < χ²/df < 6）之内" in other["nc_out"]
    assert other["nc_out_short"] == "按正确值都在论文自己的判断区间之内"
    assert other["m0_gfi"] == "M0 的三者也不一致"
    assert other["recomputable"] == "CFI、TLI、NFI、IFI、RFI、PNFI、NCP 和 ECVI 能（RMSEA 则不能）"
    # some: one model wrong, two outside
    fixed.loc[ratio & (fixed["model"] == "M1"), "consistent"] = False
    some = audit_phrases(fixed, nc_range=(1.0, 4.5))
    assert some["nc_wrong"] == "3 个模型中有 1 个的卡方自由度比印错了"
    assert (
        "3 个模型中有 1 个超出了" in some["nc_out"]
        and some["nc_out_short"] == "按正确值有 1 个超出论文自己的判断区间"
    )
