"""The replication anchors: published reference numbers are data, and the replications use them.

DID (:mod:`analysis.did.anchors`): mpdta against the R did README, organ donations against
pyfixest's documentation, HonestDiD against the R HonestDiD README, weighted estimates against
the JEL guide and R did's tests. SEM
(:mod:`analysis.sem.anchors`): PoliticalDemocracy against lavaan's output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from analysis.data import io, paths
from analysis.data.schemas.common import SCHEMAS
from analysis.did import anchors as did_anchors
from analysis.did import estimators
from analysis.did.estimators import CSResult
from analysis.sem import anchors as sem_anchors
from bookkit.registry import extract_glue

REFERENCE_TABLES = {
    "did_mpdta_published": 24,
    "did_honest_published": 20,
    "did_organ_reference": 1,
    "did_jel_table3": 4,
    "did_jel_attgt": 11,
    "sem_pd_published": 25,
}


@pytest.fixture(scope="module")
def mpdta_fit() -> CSResult:
    return did_anchors.mpdta_fit()


@pytest.fixture(scope="module")
def pd_replication() -> sem_anchors.Replication:
    return sem_anchors.replicate_political_democracy()


def _write(tmp_path: Path, frame: pd.DataFrame, name: str) -> Path:
    path = tmp_path / f"{name}.csv"
    frame.to_csv(path, index=False)
    return path


def _raw(name: str, manifest: io.Manifest) -> pd.DataFrame:
    return pd.read_csv(manifest.files[name].full_path, dtype=str, keep_default_na=False)


# --- the reference tables -----------------------------------------------------------------------


@pytest.mark.parametrize(("name", "n_rows"), REFERENCE_TABLES.items())
def test_reference_tables_are_registered_and_load(manifest: io.Manifest, name: str, n_rows: int) -> None:
    entry = manifest.files[name]
    assert entry.schema == name and name in SCHEMAS
    assert entry.path == f"raw/{name}.csv" and not entry.synthetic
    assert len(io.load_table(name, manifest)) == n_rows


def test_reference_sources(manifest: io.Manifest) -> None:
    files = manifest.files
    assert files["did_mpdta_published"].source["repo"] == "bcallaway11/did"
    assert files["did_honest_published"].source["repo"] == "asheshrambachan/HonestDiD"
    assert files["did_jel_table3"].source["repo"] == "pedrohcgs/JEL-DiD"
    assert files["did_jel_attgt"].source["repo"] == "bcallaway11/did"
    assert files["sem_pd_published"].source["kind"] == "web_page"
    # the organ reference is printed by the same library, and says so
    organ = files["did_organ_reference"]
    assert organ.source["repo"] == "py-econometrics/pyfixest"
    assert "not with an independent implementation" in organ.method


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "message"),
    [
        ("did_mpdta_published", 0, "event_time", "1", "filled key columns fit the aggregation"),
        ("did_mpdta_published", 12, "event_time", "", "filled key columns fit the aggregation"),
        ("did_mpdta_published", 1, "time", "2004", "unique"),
        ("did_mpdta_published", 3, "aggregation", "calendar", "isin"),
        ("did_honest_published", 0, "value", "0.09", "lb <= ub"),
        ("did_honest_published", 1, "bound", "lb", "unique"),
        ("did_honest_published", 9, "delta", "sdrm", "isin"),
        ("did_organ_reference", 0, "quantity", "crv1_se", "isin"),
        ("did_jel_table3", 1, "statistic", "estimate", "unique"),
        ("did_jel_attgt", 10, "time", "2014", "att_gt rows name a year"),
        ("sem_pd_published", 5, "value", "0.9951", "no more decimals than printed"),
        ("sem_pd_published", 8, "lhs", "", "names lhs, op and rhs"),
        ("sem_pd_published", 0, "op", "~", "a model row names none"),
    ],
)
def test_a_bad_reference_row_is_named(
    manifest: io.Manifest, tmp_path: Path, name: str, row: int, column: str, value: str, message: str
) -> None:
    frame = _raw(name, manifest)
    frame.loc[row, column] = value
    with pytest.raises(
        io.DataError, match=rf"{name}\.csv, line {row + 2}, field '[^']*{column}[^']*'.*{message}"
    ):
        io.read_csv_validated(_write(tmp_path, frame, name), SCHEMAS[name])


# --- DID ------------------------------------------------------------------------------------------


def test_mpdta_replication_passes_on_the_file_values(mpdta_fit: CSResult) -> None:
    published = io.load_table(did_anchors.MPDTA_TABLE)
    rows = did_anchors.mpdta_rows(result=mpdta_fit)
    assert len(rows) == 24 and rows["pass"].all()
    assert rows["published"].tolist() == published["value"].tolist()
    assert rows["quantity"].iloc[0] == "ATT(2004,2004)" and rows["quantity"].iloc[-1] == "按组汇总（总体）"


def test_a_changed_mpdta_value_fails_its_row(mpdta_fit: CSResult) -> None:
    published = io.load_table(did_anchors.MPDTA_TABLE)
    changed = published.copy()
    changed.loc[changed.index == 5, "value"] += 2 * did_anchors.TOLERANCE
    rows = did_anchors.mpdta_rows(changed, result=mpdta_fit)
    assert rows.index[~rows["pass"]].tolist() == [5]


def test_sun_abraham_matches_the_published_event_study_on_mpdta() -> None:
    # with a never-treated control and no covariates, the post-period Sun-Abraham effects equal
    # the Callaway-Sant'Anna dynamic effects printed in the R did README
    published = io.load_table(did_anchors.MPDTA_TABLE)
    dynamic = published[published["aggregation"] == "dynamic"]
    post = {int(e): v for e, v in zip(dynamic["event_time"], dynamic["value"], strict=True) if int(e) >= 0}
    assert sorted(post) == [0, 1, 2, 3]
    _, es = estimators.sun_abraham(did_anchors.load_mpdta(), "lemp")
    sa = es.set_index("e")["att"]
    for e, value in post.items():
        assert abs(sa.loc[e] - value) < did_anchors.TOLERANCE


def test_organ_donations_one_treated_cluster() -> None:
    reference = io.load_table(did_anchors.ORGAN_TABLE)
    rows = did_anchors.organ_rows()
    assert rows["pass"].all() and rows["published"].tolist() == reference["value"].tolist()
    changed = reference.assign(value=reference["value"] + 2 * did_anchors.ORGAN_TOLERANCE)
    assert not did_anchors.organ_rows(changed)["pass"].any()
    inf = did_anchors.organ_inference(reps=999)
    assert inf["p_crve"] < 0.01 < 0.1 < inf["p_ri"] and inf["p_wild"] > 0.1
    assert inf["n_states"] == 27


def test_weighted_estimates_match_the_jel_guide() -> None:
    rows = did_anchors.jel_rows()
    assert len(rows) == 15 and rows["pass"].all()
    att = rows[rows["quantity"].str.startswith("ATT")]
    assert att["abs_diff"].max() < 1e-8  # ten printed decimals: the sample is the authors'
    # a reference moved by more than its tolerance fails its row, and only that row
    table3 = io.load_table(did_anchors.JEL_TABLE3)
    changed = table3.copy()
    changed.loc[2, "value"] += 0.1
    moved = did_anchors.jel_rows(table3=changed)
    assert moved.index[~moved["pass"]].tolist() == [2]


def test_the_built_appendix_passes_every_row(html_dir: Path) -> None:
    glue_file = paths.BUILD_DIR / "jupyter_execute" / "book" / "replication_did.glue.json"
    values = {e["key"]: e["value"] for e in extract_glue(glue_file, "replication_did.md")}
    for group in ("mpdta", "honest", "honest_rm", "honest_sd", "jel", "organ"):
        assert values[f"repdid_n_{group}_pass"] == values[f"repdid_n_{group}"], group
    assert values["repdid_n_honest_rm"] == 8 and values["repdid_n_honest_sd"] == 12


# --- SEM ------------------------------------------------------------------------------------------


def test_political_democracy_replication_passes_on_the_file_values(
    pd_replication: sem_anchors.Replication,
) -> None:
    published = sem_anchors.load_published()
    compared = published[published["statistic"].isin(list(sem_anchors.TOLERANCE))]
    table = pd_replication.table
    assert len(table) == 23 and table["pass"].all()
    assert table["published"].tolist() == compared["value"].tolist()
    assert table["quantity"].tolist()[:6] == ["chi2", "df", "baseline_chi2", "cfi", "tli", "rmsea"]
    assert {"dem60~ind60", "se dem65~dem60", "std dem65~ind60", "x2=~ind60"} <= set(table["quantity"])


def test_a_changed_political_democracy_value_fails_its_row() -> None:
    published = sem_anchors.load_published()
    changed = published.copy()
    row = published.index[(published["statistic"] == "se") & (published["lhs"] == "dem60")][0]
    changed.loc[row, "value"] += 0.01
    table = sem_anchors.replicate_political_democracy(changed).table
    assert table.loc[~table["pass"], "quantity"].tolist() == ["se dem60~ind60"]


def test_printed_fit_statistics_come_from_the_file() -> None:
    printed = sem_anchors.printed_fit()
    assert printed == {
        "chi2": "38.125",
        "df": "35",
        "n": "75",
        "baseline_chi2": "730.654",
        "baseline_df": "55",
        "cfi": "0.995",
        "tli": "0.993",
        "rmsea": "0.035",
    }
