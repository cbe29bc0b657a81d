"""The synthesis rules: configurations of co-creation, exemplars, actor-codebook examples, the model."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.coding import actors
from analysis.coding import synthesis as rules
from analysis.coding.segments import load_codebook_data
from analysis.data.schemas.coding import ACTOR_TYPES


def _profile(rows: dict[str, dict[str, int]]) -> pd.DataFrame:
    cols = ["n_cocreating", *rules.PARTNERS, "gov_only"]
    frame = pd.DataFrame([{c: r.get(c, 0) for c in cols} for r in rows.values()], index=list(rows))
    frame.index.name = "case_id"
    return frame


def _roles(entries: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(entries, columns=["segment_id", "case_id", "actor_type", "role"])


def test_configuration_is_the_most_distinctive_qualifying_partner() -> None:
    profile = _profile(
        {
            # platform has more segments here, but finance is rarer elsewhere: finance sets the case apart
            "A": {"n_cocreating": 20, "platform": 6, "finance": 3, "gov_only": 11},
            "B": {"n_cocreating": 20, "platform": 6, "gov_only": 14},
            # users below the floor: government-internal integration
            "C": {"n_cocreating": 20, "users": 2, "gov_only": 18},
            "D": {"n_cocreating": 0},
        }
    )
    out = rules.assign_configurations(profile, min_segments=3)
    assert list(out.index) == ["A", "B", "C"]  # a case with no co-creating segment is not assigned
    assert out.at["A", "configuration"] == "finance"
    assert out.at["A", "qualifying"] == "finance;platform"
    assert out.at["B", "configuration"] == "platform"
    assert out.at["C", "configuration"] == rules.GOVERNMENT_INTERNAL
    assert out.at["C", "lift"] == 0.0
    # lowering the floor lets the users qualify in C
    assert rules.assign_configurations(profile, min_segments=2).at["C", "configuration"] == "users"
    with pytest.raises(ValueError):
        rules.assign_configurations(profile, min_segments=0)


def test_equal_lift_goes_to_the_earlier_partner_class() -> None:
    profile = _profile(
        {
            "A": {"n_cocreating": 10, "social": 3, "expert": 3},
            "B": {"n_cocreating": 10, "social": 3, "expert": 3},
            "C": {"n_cocreating": 10, "gov_only": 10},
        }
    )
    out = rules.assign_configurations(profile, min_segments=3)
    assert list(rules.PARTNERS).index("social") < list(rules.PARTNERS).index("expert")
    assert set(out.loc[["A", "B"], "configuration"]) == {"social"}


def test_a_partner_no_more_frequent_than_in_all_cases_does_not_qualify() -> None:
    # users reach the floor in A, but A has them at the pooled share (lift 1): A is not set apart
    profile = _profile(
        {
            "A": {"n_cocreating": 30, "users": 3, "gov_only": 27},
            "B": {"n_cocreating": 10, "users": 1, "gov_only": 9},
        }
    )
    out = rules.assign_configurations(profile, min_segments=3)
    assert out.at["A", "configuration"] == rules.GOVERNMENT_INTERNAL
    assert out.at["A", "qualifying"] == ""


def test_partner_profile_counts_co_creating_roles_only() -> None:
    roles = _roles(
        [
            ("s1", "LX", "GOV_OWN", "production"),
            ("s1", "LX", "FIRM_TECH", "production"),
            ("s2", "LX", "GOV_OWN", "design"),
            ("s2", "LX", "USER_CIT", "use"),  # use is not co-creation
            ("s3", "LX", "USER_FIRM", "evaluation"),
            ("s3", "LX", "USER_CIT", "evaluation"),  # one segment, counted once for the users
        ]
    )
    profile = rules.partner_profile(roles, cases=["LX"])
    rec = profile.loc["LX"]
    assert (rec["n_cocreating"], rec["platform"], rec["users"], rec["gov_only"]) == (3, 1, 1, 1)


def test_exemplar_prefers_who_works_with_whom_then_whole_sentences() -> None:
    roles = _roles(
        [
            ("s1", "SZ", "SOC", "production"),
            ("s2", "SZ", "SOC", "delivery"),
            ("s2", "SZ", "GOV_OWN", "delivery"),
            ("s3", "SZ", "SOC", "delivery"),
            ("s3", "SZ", "GOV_OWN", "production"),
            ("s4", "SZ", "GOV_OWN", "production"),
        ]
    )
    segments = pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s3", "s4"],
            "evidence_zh": [
                "短而完整的一句话但只有一类行动者",
                "碎片…拼接…而成",
                "一句完整的长句子，写到社会组织与政府",
                "只有政府",
            ],
        }
    )
    assert rules.exemplar_segment(roles, segments, "SZ", "social") == "s3"
    assert rules.exemplar_segment(roles, segments, "SZ", rules.GOVERNMENT_INTERNAL) == "s4"
    assert rules.exemplar_segment(roles, segments, "SZ", "finance") is None
    # a quotation that failed the meaning check is never the exemplar
    assert rules.exemplar_segment(roles, segments, "SZ", "social", frozenset({"s3"})) != "s3"


def test_structure_lift_needs_the_floor() -> None:
    segments = pd.DataFrame(
        {
            "segment_id": [f"s{i}" for i in range(8)],
            "case_id": ["A"] * 4 + ["B"] * 4,
            "codes": ["STR.VER", "STR.VER", "STR.VER", "STR.INT", "ACT.IGR", "ACT.IGR", "ACT.IGR", "STR.INT"],
        }
    )
    out = rules.structure_lift(segments, ["STR.VER", "ACT.IGR", "STR.INT"], ["A", "B"], min_segments=3)
    assert out.at["A", "code"] == "STR.VER"
    assert out.at["B", "code"] == "ACT.IGR"
    assert rules.structure_lift(segments, ["STR.INT"], ["A", "B"], min_segments=3).at["B", "code"] == ""


def test_every_integrated_code_belongs_to_one_element() -> None:
    cb = load_codebook_data()
    held = [c for codes in rules.ELEMENTS.values() for c in codes]
    assert sorted(held) == sorted(cb.leaf_ids)
    assert len(held) == len(set(held))
    with pytest.raises(KeyError):
        rules.element_of("NOPE.X")


def test_mechanisms_rank_by_support_outside_the_own_study() -> None:
    props = pd.DataFrame(
        {
            "proposition_id": ["P1", "P2", "P3"],
            "study": ["000", "001", "001"],
            "distinctive_codes": ["PLT.INF;STR.VER", "STR.SIL", "CTX.END"],
            "outcome_codes": ["VAL.EFF", "DAT.SHR;CAP.PRC", "STR.INT"],
        }
    )
    verdicts = pd.DataFrame(
        {
            "proposition_id": ["P1", "P1", "P2", "P2", "P3", "P3"],
            "case_id": ["ZJ-HS", "LX", "LX", "HZ", "LX", "C-YJ"],
            "own_study": [True, False, True, False, True, False],
            "verdict": ["supported", "supported", "supported", "counter", "counter", "supported"],
        }
    )
    strength = rules.mechanism_strength(props, verdicts, thin=["C-YJ"])
    assert list(strength["mechanism"]) == ["technology", "structure", "context"]
    tech = strength.iloc[0]
    assert (tech["supported"], tech["supported_elsewhere"], tech["counter"]) == (2, 1, 0)
    assert strength.iloc[2]["supported"] == 0  # C-YJ is not judged
    edges = rules.model_edges(props, verdicts, thin=["C-YJ"])
    pairs = set(zip(edges["source"], edges["target"], strict=True))
    assert pairs == {
        ("technology", "value"),
        ("structure", "technology"),
        ("structure", "process"),
        ("context", "structure"),
    }


def test_vocabulary_counts_a_segment_once() -> None:
    segments = pd.DataFrame({"case_id": ["LX", "LX", "S-A"], "evidence_zh": ["审批与好差评", "工单", "审批"]})
    counts = rules.vocabulary_counts(segments, "LX", {"service": ("审批", "好差评"), "operations": ("工单",)})
    assert counts == {"service": 1, "operations": 1}


def test_codebook_examples_need_both_coders_and_are_not_shared() -> None:
    book = pd.DataFrame({"id": list(ACTOR_TYPES), "name_zh": list(ACTOR_TYPES)})
    first = pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s3", "s4"],
            "actors": ["USER_CIT:use;USER_FIRM:use", "USER_CIT:use", "GOV_OWN:design", "SOC:production"],
        }
    )
    second = pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s3", "s4"],
            "actors": ["USER_CIT:use;USER_FIRM:use", "USER_CIT:design", "GOV_OWN:production", ""],
        }
    )
    coding = actors.ActorCoding(first, second, book, {t: t for t in ACTOR_TYPES}, {})
    segments = pd.DataFrame(
        {
            "segment_id": ["s1", "s2", "s3", "s4"],
            "evidence_zh": [
                "公众与企业都是场景用户",
                "一句更长一些的话，写到群众使用服务",
                "政府部门设计方案的一句话",
                "社会组织",
            ],
        }
    )
    chosen = actors.agreed_examples(coding, segments)
    # s1 is the shortest for the citizens too, but the firms (fewer candidates) take it first
    assert chosen["USER_FIRM"] == "s1"
    assert chosen["USER_CIT"] == "s2"
    assert chosen["GOV_OWN"] == "s3"  # the roles may differ; the type is what both recorded
    assert chosen["SOC"] is None  # only coder A recorded it


def test_partner_place_sentence_reads_for_every_state() -> None:
    from analysis.report import synthesis as views

    cols = {"n_cocreating": 20, "gov_only": 18}
    one = _profile({"XN": {**cols, "finance": 2}, "LX": {**cols}})
    assigned = rules.assign_configurations(one, 3)
    text = views.partner_place_sentence(one, assigned, (2, 3, 4), 3, "finance")
    assert "都少于" not in text and "少于本书的阈值（3 个）" in text and "阈值降到 2 时" in text
    two = _profile({"XN": {**cols, "finance": 2}, "LX": {**cols, "finance": 1}, "HZ": {**cols}})
    text = views.partner_place_sentence(two, rules.assign_configurations(two, 3), (2, 3, 4), 3, "finance")
    assert "都少于" in text
    none = _profile({"LX": {**cols}})
    assert views.partner_place_sentence(
        none, rules.assign_configurations(none, 3), (2, 3, 4), 3, "finance"
    ).startswith("没有一个案例")
    three = _profile({"XN": {**cols, "finance": 3}, "LX": {**cols}})
    assert "归入这一构型" in views.partner_place_sentence(
        three, rules.assign_configurations(three, 3), (2, 3, 4), 3, "finance"
    )
