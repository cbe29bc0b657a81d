"""Fault injection: each case breaks a copy of a real data file, records its new SHA-256 in the copy's
manifest (so the hash cannot catch it), loads it as the book does, and requires a DataError that
names the file, the line an editor shows and the field.

The cases are grouped by the class of fault they stand for (``CLASSES``); ``test_the_suite_covers``
keeps the counts honest. Faults that have no line of their own (a stale hash, a path out of the
repository, a missing source study) are in tests/test_io.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from analysis.coding import consensus
from analysis.coding.codebook import load_book_codebook
from analysis.coding.inputs import load_coded_table
from analysis.coding.segments import load_segments
from analysis.data import io
from analysis.data.errors import DataError
from analysis.did.panel import load_panel
from analysis.sem.reported import load_reported
from tests.datafaults import Sandbox, names

Expect = tuple[int, str]


@dataclass(frozen=True)
class Fault:
    """One fault: its class, the file it breaks, and the edit (returns the line and field to name)."""

    kind: str
    name: str
    edit: Callable[[Sandbox], Expect]


#: How the book loads each file (the loader that the chapters call).
def _load(name: str) -> None:
    if name == "codebook":
        load_book_codebook()
    elif name == "coded_segments":
        load_segments()
    elif name in {"coded_segments_b", "coding_disagreements", "coding_revisions", "framework_revisions"}:
        consensus.final_segments()
    elif name.startswith("sem_") and name not in {"sem_pd_published"}:
        load_reported()
    elif name == "did_province_panel":
        load_panel()
    elif name == "manifest":
        io.load_manifest()
    else:
        load_coded_table(name)


def cell(name: str, match: dict[str, str], **values: str) -> Callable[[Sandbox], Expect]:
    """Set cells of the first row matching ``match``; expect that line and the (first) field."""

    def edit(sb: Sandbox) -> Expect:
        line = sb.line_of(name, **match)
        sb.set_cells(name, line, **values)
        return line, next(iter(values))

    return edit


def cell_expect(name: str, match: dict[str, str], field: str, **values: str) -> Callable[[Sandbox], Expect]:
    """As :func:`cell`, expecting the message to name ``field`` (a rule over several fields)."""

    def edit(sb: Sandbox) -> Expect:
        line = sb.line_of(name, **match)
        sb.set_cells(name, line, **values)
        return line, field

    return edit


def scaled(name: str, match: dict[str, str], column: str, factor: float) -> Callable[[Sandbox], Expect]:
    def edit(sb: Sandbox) -> Expect:
        line = sb.line_of(name, **match)
        sb.set_cells(name, line, **{column: f"{float(sb.cell(name, line, column)) * factor:g}"})
        return line, column

    return edit


def yaml_edit(find: str, old: str, new: str, field: str, occurrence: int = 0) -> Callable[[Sandbox], Expect]:
    """Replace ``old`` by ``new`` on the line holding the ``occurrence``-th ``find`` of the codebook."""

    def edit(sb: Sandbox) -> Expect:
        lines = sb.lines("codebook")
        hits = [i for i, text in enumerate(lines) if find in text]
        i = hits[occurrence]
        assert old in lines[i], lines[i]
        lines[i] = lines[i].replace(old, new, 1)
        sb.write("codebook", "\n".join(lines))
        return i + 1, field

    return edit


def drop_row(
    name: str, match: dict[str, str], expect: Callable[[Sandbox, int], Expect]
) -> Callable[[Sandbox], Expect]:
    def edit(sb: Sandbox) -> Expect:
        line = sb.line_of(name, **match)
        expected = expect(sb, line)
        sb.edit_lines(name, lambda lines: lines[: line - 1] + lines[line:])
        return expected

    return edit


def _jump(sb: Sandbox) -> Expect:
    """Deposits, loans and their sum x3 in one year: the identities hold, the jump does not."""
    name = "did_province_panel"
    line = sb.line_of(name, province_en="Hubei", year="2015")
    values = {c: float(sb.cell(name, line, c)) * 3 for c in ("deposits_100m_cny", "loans_100m_cny")}
    total = values["deposits_100m_cny"] + values["loans_100m_cny"]
    gdp = float(sb.cell(name, line, "gdp_nominal_100m_cny"))
    sb.set_cells(
        name,
        line,
        **{k: f"{v:.2f}" for k, v in values.items()},
        deposits_plus_loans_100m_cny=f"{total:.2f}",
        findev_ratio=f"{total / gdp:.6f}",
    )
    return line, "deposits_100m_cny"


def _consistent(column: str, factor: float, province: str, year: str) -> Callable[[Sandbox], Expect]:
    """One amount times ``factor`` in one year, its sum and ratio kept consistent: only the jump is wrong."""

    def edit(sb: Sandbox) -> Expect:
        name = "did_province_panel"
        line = sb.line_of(name, province_en=province, year=year)
        row = {
            c: float(sb.cell(name, line, c))
            for c in ("deposits_100m_cny", "loans_100m_cny", "gdp_nominal_100m_cny")
        }
        row[column] *= factor
        total = row["deposits_100m_cny"] + row["loans_100m_cny"]
        sb.set_cells(
            name,
            line,
            **{c: f"{v:.2f}" for c, v in row.items()},
            deposits_plus_loans_100m_cny=f"{total:.2f}",
            findev_ratio=f"{total / row['gdp_nominal_100m_cny']:.6f}",
        )
        return line, column

    return edit


def _swap_name(sb: Sandbox) -> Expect:
    name = "did_province_panel"
    line = sb.line_of(name, province_en="Beijing", year="2010")
    sb.set_cells(name, line, province_zh="天津")
    return line, "province_en"


def _repeated_row_in_alliances(sb: Sandbox) -> Expect:
    """A province entered twice in one alliance, the copy with a note of its own."""
    name = "did_alliance_membership"
    line = sb.line_of(name, province_en="Hebei")
    lines = sb.lines(name)
    sb.write(name, "\n".join([*lines[:line], lines[line - 1] + "copy", *lines[line:]]))
    return line + 1, "province_en/alliance_id"


def _round_gap(sb: Sandbox) -> Expect:
    name = "coded_segments_b"
    _, rows = sb.rows(name)
    lines = sb.lines(name)
    first_two = next(line for line, row in rows if row[3] == "2")
    for line, row in rows:
        if row[3] == "2":
            lines[line - 1] = lines[line - 1][: -len(",2")] + ",3"
    sb.write(name, "\n".join(lines))
    return first_two, "round"


def _unknown_code_round_two(sb: Sandbox) -> Expect:
    """The issue's example: an unknown code in a round-2 row was dropped without a word."""
    name = "coded_segments_b"
    line = sb.line_of(name, round="2")
    codes = sb.cell(name, line, "codes").split(";")
    sb.set_cells(name, line, codes=";".join([*codes[:-1], "CAP.XYZ"]))
    return line, "codes"


def _log_not_a_disagreement(sb: Sandbox) -> Expect:
    name = "coding_disagreements"
    line = sb.line_of(name, segment_id="SEG-S-A-014", code_id="PLT.INF")
    sb.set_cells(name, line, code_id="VAL.RSK")
    return line, "segment_id/code_id"


def _event_with_another_date(sb: Sandbox) -> Expect:
    """Every row of an alliance pointing to an event of another date (E16 is 2020-09, not 2020)."""
    name = "did_alliance_membership"
    _, rows = sb.rows(name)
    lines = [line for line, row in rows if row[2] == "jjj"]
    for line in lines:
        sb.set_cells(name, line, event_id="E16")
    return lines[0], "event_date"


def _final_against_resolution(sb: Sandbox) -> Expect:
    name = "coding_disagreements"
    line = sb.line_of(name, resolution="keep_a")
    sb.set_cells(name, line, final=str(1 - int(sb.cell(name, line, "coder_a"))))
    return line, "resolution/final"


def _example_past_end(sb: Sandbox) -> Expect:
    """An example citing lines 600-600 of a study of 240 lines: named at its code's entry."""
    lines = sb.lines("codebook")
    code = lines.index("- id: CTX.END")
    start = next(i for i in range(code, len(lines)) if lines[i].strip() == "line_from: 177")
    lines[start] = lines[start].replace("177", "600")
    lines[start + 1] = lines[start + 1].replace("177", "600")
    sb.write("codebook", "\n".join(lines))
    return code + 1, "line_to"


def _revision_of_double_coded(sb: Sandbox) -> Expect:
    """A revision of a code the round-1 log decided (JJJ-067 ACT.LED: final 1)."""
    name = "coding_revisions"
    line = sb.line_of(name, segment_id="SEG-ZJ-HS-021")
    sb.set_cells(name, line, segment_id="SEG-JJJ-067", code_id="ACT.LED")
    return line, "segment_id/code_id"


def _log_row_of_another_round(sb: Sandbox) -> Expect:
    """A round-2 decision filed under round 1: not a disagreement of round 1."""
    name = "coding_disagreements"
    line = sb.line_of(name, segment_id="SEG-XN-024", code_id="CTX.POL")
    sb.set_cells(name, line, round="1")
    return line, "segment_id/code_id"


def _revision_adds_present_code(sb: Sandbox) -> Expect:
    name = "coding_revisions"
    line = sb.line_of(name, segment_id="SEG-ZJ-HS-022", code_id="STR.INT")
    sb.set_cells(name, line, action="add")
    return line, "action"


def _fw_revision_removes_absent_code(sb: Sandbox) -> Expect:
    name = "framework_revisions"
    line = sb.line_of(name, segment_id="SEG-HZ-020")
    sb.set_cells(name, line, framework_code="002:SH.P.WHOLE")
    return line, "action"


def _cycle(sb: Sandbox) -> Expect:
    lines = sb.lines("codebook")
    start = lines.index("  - id: 000:HS.DIM")
    i = start + 1
    assert lines[i] == "    parent: null"
    lines[i] = "    parent: 000:HS.D"
    sb.write("codebook", "\n".join(lines))
    return i + 1, "frameworks[0].codes[1].parent"


def _duplicate_yaml_key(sb: Sandbox) -> Expect:
    lines = sb.lines("codebook")
    i = lines.index("- id: CTX.POL")
    lines.insert(i + 1, "  name_en: policy driver")
    sb.write("codebook", "\n".join(lines))
    return i + 2, "name_en"


def _manifest(edit: Callable[[str], str], find: str, field: str) -> Callable[[Sandbox], Expect]:
    def run(sb: Sandbox) -> Expect:
        before = sb.manifest_path.read_text(encoding="utf-8").split("\n")
        line = next(i for i, text in enumerate(before) if find in text) + 1
        sb.edit_manifest(edit)
        return line, field

    return run


PANEL = "did_province_panel"
ALLY = "did_alliance_membership"
BJ = {"province_en": "Beijing", "year": "2018"}

FAULTS: dict[str, Fault] = {
    # --- numbers: finite, in range, identities, jumps ----------------------------------------
    "panel-gdp-x1000": Fault("range", PANEL, scaled(PANEL, BJ, "gdp_nominal_100m_cny", 1000)),
    "panel-ratio-inf": Fault("finite", PANEL, cell(PANEL, BJ, findev_ratio="inf")),
    "panel-ratio-nan": Fault("finite", PANEL, cell(PANEL, BJ, findev_ratio="nan")),
    "panel-gdp-negative": Fault("range", PANEL, cell(PANEL, BJ, gdp_nominal_100m_cny="-4812.15")),
    "panel-ratio-vs-parts": Fault("identity", PANEL, scaled(PANEL, BJ, "findev_ratio", 1.1)),
    "panel-sum-vs-parts": Fault("identity", PANEL, scaled(PANEL, BJ, "deposits_plus_loans_100m_cny", 0.9)),
    "panel-jump-x3": Fault("jump", PANEL, _jump),
    "panel-gdp-jump": Fault("jump", PANEL, _consistent("gdp_nominal_100m_cny", 1.8, "Gansu", "2014")),
    "panel-loans-halved": Fault("jump", PANEL, _consistent("loans_100m_cny", 0.4, "Yunnan", "2020")),
    "panel-year-letter": Fault("type", PANEL, cell(PANEL, BJ, year="2O18")),
    "panel-year-out": Fault(
        "range", PANEL, cell(PANEL, {"province_en": "Hebei", "year": "2023"}, year="2031")
    ),
    "panel-deposits-text": Fault("type", PANEL, cell(PANEL, BJ, deposits_100m_cny="1,234")),
    "panel-missing-year": Fault(
        "coverage",
        PANEL,
        drop_row(PANEL, {"province_en": "Jilin", "year": "2016"}, lambda sb, line: (line - 1, "year")),
    ),
    "panel-name-typo": Fault("names", PANEL, cell(PANEL, BJ, province_en="Peking")),
    "panel-name-pair": Fault("names", PANEL, _swap_name),
    # --- the alliances ---------------------------------------------------------------------------
    "ally-date-feb30": Fault("date", ALLY, cell(ALLY, {"province_en": "Chongqing"}, event_date="2021-02-30")),
    "ally-date-month13": Fault("date", ALLY, cell(ALLY, {"province_en": "Shanghai"}, event_date="2019-13")),
    "ally-year-vs-date": Fault(
        "identity",
        ALLY,
        cell_expect(ALLY, {"province_en": "Jiangsu"}, "event_date/first_year", first_year="2018"),
    ),
    "ally-unknown-event": Fault("reference", ALLY, cell(ALLY, {"province_en": "Beijing"}, event_id="E99")),
    "ally-event-other-date": Fault("reference", ALLY, _event_with_another_date),
    "ally-name-pair": Fault("names", ALLY, cell(ALLY, {"province_en": "Anhui"}, province_zh="安微")),
    "ally-alliance-name": Fault(
        "names",
        ALLY,
        cell_expect(ALLY, {"province_en": "Hunan"}, "alliance_id/alliance_zh", alliance_zh="西南合作"),
    ),
    "ally-past-seed-end": Fault(
        "quotation", ALLY, cell(ALLY, {"province_en": "Fujian"}, line_to="130000", line_from="129990")
    ),
    "ally-span": Fault(
        "quotation", ALLY, cell_expect(ALLY, {"province_en": "Hainan"}, "line_from/line_to", line_to="46000")
    ),
    "ally-short-quote": Fault("quotation", ALLY, cell(ALLY, {"province_en": "Guangxi"}, evidence_zh="年3月")),
    "ally-repeated-row": Fault("duplicate", ALLY, _repeated_row_in_alliances),
    # --- regions and published reference numbers --------------------------------------------
    "regions-unknown": Fault(
        "allowed", "did_regions", cell("did_regions", {"province_en": "Jilin"}, region_zh="华西")
    ),
    "regions-twice": Fault(
        "duplicate",
        "did_regions",
        cell_expect("did_regions", {"province_en": "Jilin"}, "province_en", province_en="Liaoning"),
    ),
    "mpdta-decimal-slip": Fault(
        "range", "did_mpdta_published", cell("did_mpdta_published", {"event_time": "2"}, value="-13.73")
    ),
    "mpdta-value-text": Fault(
        "type", "did_mpdta_published", cell("did_mpdta_published", {"event_time": "0"}, value="-0,0199")
    ),
    "honest-lb-above-ub": Fault(
        "identity",
        "did_honest_published",
        cell("did_honest_published", {"delta": "rm", "parameter": "1", "bound": "lb"}, value="0.08"),
    ),
    "honest-not-nested": Fault(
        "identity",
        "did_honest_published",
        cell("did_honest_published", {"delta": "rm", "parameter": "2", "bound": "lb"}, value="0.02"),
    ),
    "organ-coefficient-text": Fault(
        "type",
        "did_organ_reference",
        cell("did_organ_reference", {"quantity": "twfe_coefficient"}, value="n/a"),
    ),
    "honest-sd-not-nested": Fault(
        "identity",
        "did_honest_published",
        cell("did_honest_published", {"delta": "sd", "parameter": "0.05", "bound": "lb"}, value="-0.01"),
    ),
    "sources-date-feb30": Fault(
        "date",
        "did_alliance_sources",
        cell("did_alliance_sources", {"compact_id": "cy"}, event_date="2020-02-30"),
    ),
    "sources-role": Fault(
        "identity",
        "did_alliance_sources",
        cell_expect("did_alliance_sources", {"compact_id": "yrd"}, "used_as/compact_id", used_as="variant"),
    ),
    "sources-unknown-compact": Fault(
        "allowed",
        "did_alliance_sources",
        cell("did_alliance_sources", {"compact_id": "g60"}, compact_id="g61"),
    ),
    "jel-table3-inf": Fault(
        "finite",
        "did_jel_table3",
        cell("did_jel_table3", {"weighted": "yes", "statistic": "estimate"}, value="inf"),
    ),
    "jel-attgt-text": Fault("type", "did_jel_attgt", cell("did_jel_attgt", {"time": "2010"}, value="n/a")),
    "jel-attgt-year-missing": Fault(
        "identity",
        "did_jel_attgt",
        cell_expect("did_jel_attgt", {"time": "2010"}, "aggregation/time", time=""),
    ),
    "jel-county-deaths-negative": Fault(
        "range",
        "did_jel_county_panel",
        cell("did_jel_county_panel", {"county_code": "1001", "year": "2009"}, deaths="-129"),
    ),
    # --- events, studies ---------------------------------------------------------------------------
    "events-date-feb29": Fault(
        "date", "reform_events", cell("reform_events", {"event_id": "E29"}, date="2022-02-29")
    ),
    "events-precision": Fault(
        "identity",
        "reform_events",
        cell_expect("reform_events", {"event_id": "E11"}, "date/date_precision", date_precision="day"),
    ),
    "events-year-1899": Fault(
        "range", "reform_events", cell("reform_events", {"event_id": "E02"}, date="1899")
    ),
    "events-duplicate-id": Fault(
        "duplicate", "reform_events", cell("reform_events", {"event_id": "E05"}, event_id="E04")
    ),
    "events-lines-reversed": Fault(
        "quotation",
        "reform_events",
        cell_expect("reform_events", {"event_id": "E02"}, "line_from/line_to", line_from="18"),
    ),
    "studies-year-source": Fault(
        "identity",
        "source_studies",
        cell_expect("source_studies", {"seed_id": "002"}, "year/year_source", year_source="not_printed"),
    ),
    "studies-seed-file": Fault(
        "allowed", "source_studies", cell("source_studies", {"seed_id": "004"}, seed_file="../004.txt")
    ),
    # --- reliability examples ---------------------------------------------------------------------
    "kripp-category": Fault(
        "allowed",
        "krippendorff_examples",
        cell(
            "krippendorff_examples",
            {"example": "krippendorff2011_4x12", "coder": "2", "unit": "3"},
            value="7",
        ),
    ),
    "kripp-missing-cell": Fault(
        "coverage",
        "krippendorff_examples",
        drop_row(
            "krippendorff_examples",
            {"example": "docstring_3x15", "coder": "2", "unit": "7"},
            lambda sb, line: (
                sb.line_of("krippendorff_examples", example="docstring_3x15", coder="3", unit="15") - 1,
                "coder/unit",
            ),
        ),
    ),
    "kripp-alpha-above-one": Fault(
        "range",
        "krippendorff_published",
        cell("krippendorff_published", {"level": "ratio"}, published="1.797"),
    ),
    "kripp-unknown-example": Fault(
        "reference",
        "krippendorff_published",
        cell("krippendorff_published", {"level": "ordinal"}, example="krippendorff2011_4x13"),
    ),
    # --- the first coding -------------------------------------------------------------------------
    "seg-unknown-code": Fault(
        "code", "coded_segments", cell("coded_segments", {"segment_id": "SEG-LX-003"}, codes="STR.INT;ZZZ.ZZ")
    ),
    "seg-code-twice": Fault(
        "code",
        "coded_segments",
        cell("coded_segments", {"segment_id": "SEG-HZ-002"}, codes="PLT.INF;PLT.INF"),
    ),
    "seg-framework-other-study": Fault(
        "code",
        "coded_segments",
        cell("coded_segments", {"segment_id": "SEG-ZJ-HS-001"}, framework_codes="001:VSA.V"),
    ),
    "seg-case-seed": Fault(
        "identity",
        "coded_segments",
        cell_expect("coded_segments", {"segment_id": "SEG-LX-005"}, "case_id/seed_id", seed_id="002"),
    ),
    "seg-id-case": Fault(
        "identity",
        "coded_segments",
        cell_expect(
            "coded_segments", {"segment_id": "SEG-HZ-003"}, "segment_id/case_id", segment_id="SEG-SZ-999"
        ),
    ),
    "seg-004-duplicate-block": Fault(
        "quotation",
        "coded_segments",
        cell_expect("coded_segments", {"case_id": "S-A"}, "line_from/line_to", line_from="90", line_to="90"),
    ),
    "seg-003-past-dissertation": Fault(
        "quotation",
        "coded_segments",
        cell("coded_segments", {"case_id": "QWJ"}, line_to="115400", line_from="115350"),
    ),
    "seg-short-quote": Fault(
        "quotation",
        "coded_segments",
        cell("coded_segments", {"segment_id": "SEG-SZ-002"}, evidence_zh="数字化"),
    ),
    "seg-round": Fault(
        "allowed", "coded_segments", cell("coded_segments", {"segment_id": "SEG-XN-001"}, round="2")
    ),
    "seg-source-type": Fault(
        "allowed", "coded_segments", cell("coded_segments", {"segment_id": "SEG-XN-002"}, source_type="blog")
    ),
    # --- the second coding, the log, the revisions -------------------------------------------
    "b-unknown-code-round-2": Fault("code", "coded_segments_b", _unknown_code_round_two),
    "b-unknown-segment": Fault(
        "reference",
        "coded_segments_b",
        cell("coded_segments_b", {"segment_id": "SEG-HZ-001"}, segment_id="SEG-HZ-900"),
    ),
    "b-round-gap": Fault("coverage", "coded_segments_b", _round_gap),
    "actors-unknown-type": Fault(
        "allowed",
        "segment_actors",
        cell("segment_actors", {"segment_id": "SEG-ZJ-HS-001"}, actors="GOV_OWN:design;MEDIA:use"),
    ),
    "actors-repeated-coder": Fault(
        "duplicate",
        "segment_actors",
        cell_expect(
            "segment_actors", {"segment_id": "SEG-ZJ-HS-012", "coder": "B"}, "segment_id/coder", coder="A"
        ),
    ),
    "actor-codebook-role-as-type": Fault(
        "identity", "actor_codebook", cell_expect("actor_codebook", {"id": "design"}, "kind/id", kind="type")
    ),
    "b-coder": Fault(
        "allowed", "coded_segments_b", cell("coded_segments_b", {"segment_id": "SEG-SZ-030"}, coder="A")
    ),
    "b-segment-twice": Fault(
        "duplicate",
        "coded_segments_b",
        cell("coded_segments_b", {"segment_id": "SEG-S-A-014"}, segment_id="SEG-SZ-030"),
    ),
    "log-unknown-code": Fault(
        "code",
        "coding_disagreements",
        cell("coding_disagreements", {"segment_id": "SEG-JJJ-067"}, code_id="ACT.XXX"),
    ),
    "log-same-values": Fault(
        "identity",
        "coding_disagreements",
        cell_expect("coding_disagreements", {"segment_id": "SEG-JJJ-067"}, "coder_a/coder_b", coder_a="1"),
    ),
    "log-final-vs-resolution": Fault("identity", "coding_disagreements", _final_against_resolution),
    "log-not-a-disagreement": Fault("reference", "coding_disagreements", _log_not_a_disagreement),
    "log-wrong-round": Fault("reference", "coding_disagreements", _log_row_of_another_round),
    "rev-unknown-code": Fault(
        "code",
        "coding_revisions",
        cell("coding_revisions", {"segment_id": "SEG-ZJ-HS-021"}, code_id="CTX.PLX"),
    ),
    "rev-double-coded": Fault("reference", "coding_revisions", _revision_of_double_coded),
    "rev-add-present": Fault("identity", "coding_revisions", _revision_adds_present_code),
    "rev-action": Fault(
        "allowed",
        "coding_revisions",
        cell("coding_revisions", {"segment_id": "SEG-ZJ-HS-022"}, action="delete"),
    ),
    "fw-rev-other-study": Fault(
        "reference",
        "framework_revisions",
        cell("framework_revisions", {"segment_id": "SEG-SZ-005", "action": "add"}, framework_code="000:HS.D"),
    ),
    "fw-rev-remove-absent": Fault("identity", "framework_revisions", _fw_revision_removes_absent_code),
    "fidelity-silent-with-quote": Fault(
        "identity",
        "fidelity_cells",
        cell_expect(
            "fidelity_cells",
            {"cell_id": "F001-01"},
            "seed_says/seed_id/line_from/line_to/evidence_zh",
            evidence_zh="价值维度:理念冲突与公共价值的忽视",
        ),
    ),
    "fidelity-unknown-code": Fault(
        "code", "fidelity_cells", cell("fidelity_cells", {"cell_id": "F000-01"}, row_codes="000:HS.DX")
    ),
    "arguments-kind": Fault(
        "allowed", "study_arguments", cell("study_arguments", {"arg_id": "A000-01"}, kind="claim")
    ),
    "case-unit-seed": Fault(
        "identity",
        "case_units",
        cell_expect("case_units", {"case_id": "LX"}, "case_id/seed_id", seed_id="002"),
    ),
    "seed004-section-status": Fault(
        "allowed",
        "seed004_sections",
        cell("seed004_sections", {"section_zh": "摘要"}, status="missing"),
    ),
    "seed-citation-year": Fault(
        "identity",
        "seed_citations",
        cell_expect(
            "seed_citations",
            {"bib_key": "osborne2016"},
            "author/year/title_words/evidence_zh",
            year="2015",
        ),
    ),
    "quote-check-fail-without-fix": Fault(
        "identity",
        "quote_checks",
        cell_expect("quote_checks", {"segment_id": "SEG-SZ-002"}, "status/fix", status="fails"),
    ),
    "source-typo-not-in-evidence": Fault(
        "identity",
        "source_typos",
        cell_expect("source_typos", {"printed_zh": "跨年级"}, "printed_zh/evidence_zh", printed_zh="跨层级"),
    ),
    "prop-overlap": Fault(
        "identity",
        "propositions",
        cell_expect(
            "propositions",
            {"proposition_id": "P01"},
            "condition_codes/outcome_codes",
            outcome_codes="DAT.SHR",
        ),
    ),
    "prop-study-seed": Fault(
        "identity",
        "propositions",
        cell_expect("propositions", {"proposition_id": "P17"}, "study/seed_id", study="003"),
    ),
    "prop-unknown-code": Fault(
        "code",
        "propositions",
        cell(
            "propositions", {"proposition_id": "P05"}, condition_codes="STR.XYZ", distinctive_codes="STR.XYZ"
        ),
    ),
    # --- the codebook (YAML) ----------------------------------------------------------------------
    "codebook-cycle": Fault("cycle", "codebook", _cycle),
    "codebook-duplicate-key": Fault("duplicate", "codebook", _duplicate_yaml_key),
    "codebook-date": Fault(
        "date", "codebook", yaml_edit("date: '2026-11-22'", "2026-11-22", "2026-11-31", "changelog[0].date")
    ),
    "codebook-empty-name": Fault(
        "allowed",
        "codebook",
        yaml_edit("name_zh: 政策与战略驱动", "政策与战略驱动", "''", "codes[1].name_zh"),
    ),
    "codebook-example-lines": Fault(
        "quotation", "codebook", yaml_edit("line_to: 59", "59", "58", "codes[1].example.line_to")
    ),
    "codebook-example-past-end": Fault("quotation", "codebook", _example_past_end),
    # --- the SEM statistics -------------------------------------------------------------------------
    "sem-loading-above-one": Fault(
        "range",
        "sem_measurement",
        cell_expect(
            "sem_measurement",
            {"stat_id": "t65_load_DK1"},
            "quantity/lhs/value/low/high",
            value="1.850",
            low="1.850",
            high="1.850",
            legible="1850",
        ),
    ),
    "sem-legible": Fault(
        "identity",
        "sem_measurement",
        cell_expect(
            "sem_measurement", {"stat_id": "t65_load_DK1"}, "value/low/high/legible/certainty", legible="0851"
        ),
    ),
    "sem-duplicate-stat": Fault(
        "duplicate",
        "sem_measurement",
        cell("sem_measurement", {"stat_id": "t65_load_DK2"}, stat_id="t65_load_DK1"),
    ),
    "sem-not-positive-definite": Fault(
        "definite",
        "sem_latent_corr",
        cell_expect(
            "sem_latent_corr",
            {"stat_id": "t66_PV_DK"},
            "value",
            value="-0.690",
            low="-0.690",
            high="-0.690",
        ),
    ),
    "sem-sqrt-ave": Fault(
        "identity",
        "sem_latent_corr",
        cell(
            "sem_latent_corr",
            {"stat_id": "t66_DK_DK"},
            value="0.8299",
            low="0.8299",
            high="0.8299",
            legible="08299",
        ),
    ),
    "sem-df-fraction": Fault(
        "type",
        "sem_fit",
        cell_expect(
            "sem_fit", {"stat_id": "t69_df"}, "quantity/lhs/value", value="390.5", low="390.5", high="390.5"
        ),
    ),
    "sem-valid-n": Fault(
        "identity",
        "sem_fit",
        cell("sem_fit", {"stat_id": "text_n"}, value="475", low="475", high="475", legible="475"),
    ),
    "sem-ci-excludes": Fault(
        "identity",
        "sem_paths",
        cell(
            "sem_paths", {"stat_id": "t616_direct"}, value="0.490", low="0.490", high="0.490", legible="0490"
        ),
    ),
    "sem-p-above-one": Fault(
        "range",
        "sem_paths",
        cell_expect(
            "sem_paths",
            {"stat_id": "t610_p_H1"},
            "quantity/lhs/value/low/high",
            value="1.498",
            low="1.498",
            high="1.498",
            legible="1498",
        ),
    ),
    "pd-se-negative": Fault(
        "range",
        "sem_pd_published",
        cell_expect(
            "sem_pd_published",
            {"statistic": "se", "rhs": "ind60", "lhs": "dem60"},
            "statistic/value",
            value="-0.399",
        ),
    ),
    "pd-df-above-baseline": Fault(
        "identity", "sem_pd_published", cell("sem_pd_published", {"statistic": "df"}, value="60")
    ),
    "synthetic-item": Fault(
        "allowed", "sem_items_synthetic", cell("sem_items_synthetic", {"respondent": "17"}, PV3="6")
    ),
    "synthetic-numbering": Fault(
        "coverage",
        "sem_items_synthetic",
        cell_expect("sem_items_synthetic", {"respondent": "200"}, "respondent", respondent="2000"),
    ),
    # --- the manifest -------------------------------------------------------------------------------
    "manifest-schema": Fault(
        "reference",
        "manifest",
        _manifest(
            lambda t: t.replace("schema: did_regions", "schema: did_region", 1),
            "schema: did_regions",
            "schema",
        ),
    ),
    "manifest-sha-form": Fault(
        "allowed",
        "manifest",
        _manifest(
            lambda t: t.replace(
                "sha256: 25aa66c510e996fffe36430496fe6ace1ace78957671a6ca98ea182d578a62de",
                "sha256: 25aa66c5",
                1,
            ),
            "sha256: 25aa66c5",
            "sha256",
        ),
    ),
    "manifest-seed-lines": Fault(
        "type",
        "manifest",
        _manifest(lambda t: t.replace("lines: 195", "lines: many", 1), "lines: 195", "lines"),
    ),
}


def _where(sb: Sandbox, name: str) -> str:
    return "data/MANIFEST.yaml" if name == "manifest" else sb.where(name)


@pytest.mark.parametrize("case", list(FAULTS), ids=list(FAULTS))
def test_a_fault_is_named_by_file_line_and_field(sandbox: Sandbox, case: str) -> None:
    fault = FAULTS[case]
    line, field = fault.edit(sandbox)
    with pytest.raises(DataError) as err:
        _load(fault.name)
    message = str(err.value)
    assert names(message, _where(sandbox, fault.name), line, field), message
    assert err.value.__cause__ is None
    assert len(message) < 5000


#: The classes of fault the suite stands for, with what each means.
CLASSES = {
    "range": "a number outside its stated range (x1000, negative, a slipped decimal)",
    "finite": "inf or NaN where a finite number is needed",
    "type": "text where a number or an integer is needed",
    "identity": "columns or rows that contradict each other (a ratio and its parts, an interval, a rule)",
    "jump": "a year-to-year change beyond the stated factor",
    "coverage": "a missing unit-year, matrix cell or round",
    "names": "names in two languages that disagree with the reference table",
    "date": "a date that is not a real calendar date",
    "reference": "a value pointing to a row, table or schema that does not exist",
    "code": "a code that is not in the codebook, is top-level, or is repeated",
    "quotation": "a quotation too short, or lines reversed, too long or past the study's end",
    "duplicate": "a repeated key, row or YAML key",
    "allowed": "a value outside its allowed set or form",
    "cycle": "a cycle in a framework's parents",
    "definite": "a correlation matrix that is not positive definite",
}


def test_the_suite_covers_every_class_and_file(manifest: io.Manifest) -> None:
    kinds = Counter(f.kind for f in FAULTS.values())
    assert set(kinds) == set(CLASSES), set(kinds) ^ set(CLASSES)
    assert len(FAULTS) >= 60
    assert {f.name for f in FAULTS.values()} == {*manifest.files, "manifest"}
