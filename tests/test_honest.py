"""Rambachan-Roth sensitivity through moderndid: R's polyhedra, the README rows, the breakdown values."""

from __future__ import annotations

import numpy as np
import pytest
from moderndid.didhonest.delta.rm.rm import _create_relative_magnitudes_constraint_matrix

from analysis.data import io
from analysis.did import anchors, honest
from analysis.did.estimators import EventStudy


def _study(beta: list[float], n_pre: int, sd: float = 0.002) -> EventStudy:
    b = np.asarray(beta, dtype=float)
    e = np.array([*range(-n_pre - 1, -1), *range(len(b) - n_pre)], dtype=np.int64)
    return EventStudy("test", e, b, np.eye(len(b)) * sd**2, np.ones(len(b), dtype=np.int64))


@pytest.fixture(scope="module")
def ehec() -> EventStudy:
    return anchors.ehec_event_study()


def test_r_polyhedra_are_moderndids_plus_the_earliest() -> None:
    n_pre, n_post = 5, 2
    ours = honest.rm_polyhedra(n_pre)
    assert len(ours) == 2 * n_pre  # R: s = -(T_pre - 1), ..., 0, both signs
    for s, positive in ours:
        mine = honest.rm_constraints(n_pre, n_post, 1.5, s, positive)
        if s > -(n_pre - 1):
            # moderndid's s is R's s - 1: the same polyhedron
            theirs = _create_relative_magnitudes_constraint_matrix(n_pre, n_post, 1.5, s - 1, positive)
            assert np.array_equal(mine, theirs)
        else:
            # the polyhedron moderndid never builds: the earliest change is the largest
            assert mine[0, 0] != 0


def test_identified_set_when_the_earliest_change_is_largest() -> None:
    # pre-period changes 0.04, 0.005, 0.003, 0.002: the earliest is the largest; tau_0 = 0.01
    es = _study([-0.05, -0.01, -0.005, -0.002, 0.01, 0.02], n_pre=4)
    gap = honest.moderndid_rm_gap(es, 1.0)
    assert (gap["lb"], gap["ub"]) == pytest.approx((0.01 - 0.04, 0.01 + 0.04))
    assert gap["moderndid_lb"] == pytest.approx(gap["moderndid_ub"])  # moderndid 0.2.0: a point
    # where the largest change is not the earliest, the two agree
    es = _study([-0.05, -0.045, -0.04, -0.002, 0.01, 0.02], n_pre=4)
    gap = honest.moderndid_rm_gap(es, 1.0)
    assert (gap["moderndid_lb"], gap["moderndid_ub"]) == pytest.approx((gap["lb"], gap["ub"]))


def test_readme_smoothness_rows_and_one_relative_magnitude(ehec: EventStudy) -> None:
    published = io.load_table(anchors.HONEST_TABLE)
    sub = published[(published["delta"] == "sd") | (published["parameter"] == 1.5)].reset_index(drop=True)
    intervals = anchors.readme_intervals(sub, ehec)
    rows = anchors.honest_rows(sub, intervals)
    assert len(rows) == 14 and rows["pass"].all()
    assert rows["published"].tolist() == sub["value"].tolist()
    changed = sub.assign(value=sub["value"] + 2 * anchors.HONEST_TOLERANCE)
    assert not anchors.honest_rows(changed, intervals)["pass"].any()


def test_breakdown_values_are_roots(ehec: EventStudy) -> None:
    short = ehec.window(-6, 0)
    target = 0.0
    bd = honest.breakdown_rm(short, tol=1e-2)
    assert bd is not None and 0 < bd < 10
    assert honest.rm_accepts(short, bd, target) and not honest.rm_accepts(short, bd - 1e-2, target)
    ub = honest.sd_upper_bound(short)
    sd = honest.breakdown_sd(short, tol=1e-4, upper=10 * ub)
    assert sd is not None
    assert honest.sd_interval(short, sd + 1e-4).covers_zero
    assert not honest.sd_interval(short, max(sd - 1e-3, 0.0)).covers_zero
    # a study whose original interval covers zero breaks down at zero
    flat = _study([0.001, -0.001, 0.0005, 0.0, 0.001], n_pre=4, sd=0.01)
    assert honest.breakdown_rm(flat) == 0.0
    assert honest.original_interval(flat).covers_zero


def test_the_chapter_target_is_the_first_post_period(ehec: EventStudy) -> None:
    short = ehec.window(-6, 0)
    assert short.n_post == 1 and short.n_pre == 5
    row = honest.rm_interval(short, 1.0)
    full = honest.original_interval(ehec, np.array([1.0, 0.0]))
    assert honest.original_interval(short).lb == pytest.approx(full.lb)
    assert row.lb < full.lb < full.ub < row.ub


def test_sensitivity_rows_cover() -> None:
    row = honest.SensitivityRow(1.0, -0.1, 0.2)
    assert row.covers_zero and not honest.SensitivityRow(1.0, 0.1, 0.2).covers_zero
