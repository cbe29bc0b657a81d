"""REFI-QDA interchange: lossless round trips, determinism, the official schema, a third-party reader."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from analysis.coding import refiqda as rq
from analysis.coding.codebook import Codebook, load_codebook, parse_codebook
from analysis.data import io as data_io
from analysis.data import paths
from analysis.data.errors import DataError
from analysis.data.io import read_csv_validated
from analysis.data.schemas.coding import CODED_SEGMENTS, SECOND_CODING

FIXTURES = Path(__file__).parent / "fixtures" / "coding"
QC_PYTHON = paths.PROJECT_ROOT / ".tools" / "qda" / "bin" / "python"
QC_RUNNER = paths.PROJECT_ROOT / "tools" / "qc_read_qdpx.py"
TAGUETTE_RUNNER = paths.PROJECT_ROOT / "tools" / "taguette_read_codebook.py"
XSD_SHA256 = "c702cc4a3e73b81dde722321331d9efc422a29b5866bbeea81a1e3b0e39a414b"

# ---------------------------------------------------------------------------------------------
# Inputs: the small fixture and a larger synthetic case built in memory
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_case() -> tuple[Codebook, pd.DataFrame, None, dict[str, str]]:
    codebook = load_codebook(FIXTURES / "codebook.yaml")
    segments = read_csv_validated(FIXTURES / "segments.csv", CODED_SEGMENTS)
    # synthetic seed text (fixture lines 93..109 must exist): 120 numbered Chinese lines
    seed = "\n".join(f"第{i}行：数字政府改革的示例文本。" for i in range(1, 121))
    return codebook, segments, None, {"000": seed}


_TOPS = ("CTX", "VAL", "COC", "ACT", "STR", "PLT", "DAT", "CAP")
_LEAVES = ("AA", "BB", "CC", "DDD")
_CASES = {"ZJ-HS": "000", "LX": "001", "HZ": "002", "SZ": "002", "C-YJ": "004", "S-A": "004",
          "QWJ": "003", "JJJ": "003", "XN": "003"}  # fmt: skip
_STUDY_OF_SEED = {"000": "000", "001": "001", "002": "002", "003": "003", "004": "004B"}


def _synthetic_codebook() -> Codebook:
    """8 x 4 integrated codes (listed out of tree order) and six frameworks, one nested 3 deep."""
    codes: list[dict[str, Any]] = []
    for t in _TOPS:
        codes.append(
            {"id": t, "parent": None, "name_zh": f"顶层{t}", "name_en": f"top {t}",
             "definition_zh": f"{t} 的定义：含“引号”、<尖括号> & 符号。", "include_zh": "见下位代码。",
             "exclude_zh": "见下位代码。", "example": None, "crosswalk": {}}
        )  # fmt: skip
    for i, t in enumerate(_TOPS):
        for j, leaf in enumerate(_LEAVES):
            codes.append(
                {"id": f"{t}.{leaf}", "parent": t, "name_zh": f"代码{t}{leaf}", "name_en": f"code {t}.{leaf}",
                 "definition_zh": f"定义 {i}-{j}\n第二行（含换行）\t制表符", "include_zh": f"适用 {i}{j}",
                 "exclude_zh": f"不适用，改用 {t}.{_LEAVES[(j + 1) % 4]}",
                 "example": {"seed_id": "003", "line_from": 10 + j, "line_to": 12 + j,
                             "quote_zh": "𠀀 扩展区汉字与示例引文"},
                 "crosswalk": {"003": ["003:S.B.X"], "000": ["000:M.R1", "000:M.C2"]} if j == 0 else {}}
            )  # fmt: skip
    # all top-level codes first, then the leaves: not the tree's pre-order
    frameworks = []
    for study in ("000", "001", "002", "003", "004A", "004B"):
        fcodes = [
            {"id": f"{study}:S.B.X", "parent": f"{study}:S.B", "name_zh": "孙代码", "name_en": "grandchild",
             "definition_zh": "第三层（先于其父列出）。", "source_lines": "3-4;9"},
            {"id": f"{study}:S", "parent": None, "name_zh": "结构", "name_en": "structure",
             "definition_zh": "顶层。", "source_lines": "1"},
            {"id": f"{study}:S.B", "parent": f"{study}:S", "name_zh": "子代码", "name_en": "child",
             "definition_zh": "第二层。", "source_lines": 2},
            {"id": f"{study}:M.R1", "parent": None, "name_zh": "行一", "name_en": "row 1",
             "definition_zh": "矩阵行。", "source_lines": "5"},
            {"id": f"{study}:M.C2", "parent": None, "name_zh": "列二", "name_en": "column 2",
             "definition_zh": "矩阵列。", "source_lines": "6-7"},
        ]  # fmt: skip
        frameworks.append(
            {"study": study, "name_zh": f"研究{study}框架", "source_lines": "1-9", "codes": fcodes}
        )
    obj = {
        "name_zh": "合成编码表",
        "version": "2.0.1",
        "changelog": [
            {"version": "1.0.0", "date": "2026-11-01", "changes_zh": "初版。", "changes_en": "First."},
            {
                "version": "2.0.1",
                "date": "2026-11-20",
                "changes_zh": "改 “A” 为 'B'。",
                "changes_en": "A -> B.",
            },
        ],
        "codes": codes,
        "frameworks": frameworks,
    }
    return parse_codebook(obj, "synthetic codebook")


def _synthetic_seeds() -> dict[str, str]:
    seeds = {}
    for k, seed_id in enumerate(("000", "001", "002", "003", "004")):
        n = 130_000 if seed_id == "003" else 200 + 10 * k
        lines = []
        for i in range(1, n + 1):
            if i % 17 == 0:
                lines.append("")  # empty lines
            elif i % 29 == 0:
                lines.append(f"𠀀𠀁 第{i}行（扩展区字符） tab\there")
            else:
                lines.append(f"种子{seed_id}第{i}行：整体智治与价值共创。")
        seeds[seed_id] = "\n".join(lines)
    return seeds


@pytest.fixture(scope="module")
def synthetic_case() -> tuple[Codebook, pd.DataFrame, pd.DataFrame, dict[str, str]]:
    codebook = _synthetic_codebook()
    seeds = _synthetic_seeds()
    leaves = codebook.leaf_ids
    rows = []
    counters = dict.fromkeys(_CASES, 0)
    for n in range(250):
        case = list(_CASES)[n % len(_CASES)]
        seed = _CASES[case]
        counters[case] += 1
        n_lines = seeds[seed].count("\n") + 1
        line_from = 1 if n == 0 else (n * 37) % (n_lines - 160) + 1
        line_to = line_from + (n % 5) * 30
        if n in (3, 4):  # segments ending on a seed's last line
            line_from, line_to = n_lines - 100, n_lines
        study = _STUDY_OF_SEED[seed]
        fw = [f"{study}:S.B.X", f"{study}:M.R1"][: n % 3]
        rows.append(
            {"segment_id": f"SEG-{case}-{counters[case]:03d}", "case_id": case, "seed_id": seed,
             "line_from": line_from, "line_to": line_to,
             "source_type": ("interview", "policy_document", "author_narrative", "news")[n % 4],
             "evidence_zh": f"示例引文{n}…第二段“引号”&<符号>", "codes": ";".join(leaves[(n + k * 7) % 32]
                                                                 for k in range(1 + n % 4)),
             "framework_codes": ";".join(fw), "coder": "A", "round": 1 + 2 * (n % 2),
             "note_en": "" if n % 6 == 0 else f"note {n}, with a comma"}
        )  # fmt: skip
    segments = CODED_SEGMENTS.validate(pd.DataFrame(rows))
    # coder B codes a shuffled subset of 200 segments
    picked = segments.sample(n=200, random_state=7)
    second = SECOND_CODING.validate(
        pd.DataFrame(
            {
                "segment_id": picked["segment_id"].to_list(),
                "codes": [";".join(leaves[(i * 5 + k) % 32] for k in range(1 + i % 3)) for i in range(200)],
                "coder": "B",
                "round": 1,
            }
        )
    )
    return codebook, segments, second.reset_index(drop=True), seeds


Case = tuple[Codebook, pd.DataFrame, pd.DataFrame | None, dict[str, str]]


@pytest.fixture(params=["fixture", "synthetic"])
def case(request: pytest.FixtureRequest) -> Case:
    return request.getfixturevalue(f"{request.param}_case")  # type: ignore[no-any-return]


def _export(case: Case, path: Path) -> Path:
    codebook, segments, second, seeds = case
    return rq.export_qdpx(codebook, segments, second, seeds, path)


# ---------------------------------------------------------------------------------------------
# Round trips with zero differences
# ---------------------------------------------------------------------------------------------


def _assert_frames_identical(got: pd.DataFrame, want: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert list(got.dtypes) == list(want.dtypes)
    assert got.equals(want)


def test_qdc_round_trip(case: Case) -> None:
    codebook = case[0]
    assert rq.qdc_to_codebook(rq.codebook_to_qdc(codebook)) == codebook


def test_qdpx_round_trip_zero_differences(case: Case, tmp_path: Path) -> None:
    codebook, segments, second, seeds = case
    content = rq.read_qdpx(_export(case, tmp_path / "p.qdpx"))
    assert content.codebook == codebook
    _assert_frames_identical(content.segments, segments)
    if second is None:
        assert content.second_coding is None
    else:
        assert content.second_coding is not None
        _assert_frames_identical(content.second_coding, second)
    assert content.seeds == seeds
    got = rq.import_qdpx(tmp_path / "p.qdpx")
    assert got[0] == codebook


def test_synthetic_case_exercises_what_it_claims(synthetic_case: Case) -> None:
    codebook, segments, second, seeds = synthetic_case
    assert len(segments) == 250 and second is not None and len(second) == 200
    assert seeds["003"].count("\n") + 1 == 130_000
    assert any(ord(c) > 0xFFFF for c in seeds["003"])
    ids = [c.id for c in codebook.codes]
    assert ids.index("CTX.AA") > ids.index("VAL")  # a leaf listed after another top-level code
    fw = codebook.framework("003").codes
    assert fw[0].parent == "003:S.B" and fw[2].id == "003:S.B"  # a child listed before its parent
    assert (segments["line_to"] == [seeds[s].count("\n") + 1 for s in segments["seed_id"]]).any()


def test_a_changed_field_is_a_difference(synthetic_case: Case, tmp_path: Path) -> None:
    """The comparison is not vacuous: one changed cell or code field makes the round trip differ."""
    codebook, segments, second, seeds = synthetic_case
    changed = segments.copy()
    changed.loc[5, "evidence_zh"] += "x"
    content = rq.read_qdpx(rq.export_qdpx(codebook, changed, second, seeds, tmp_path / "c.qdpx"))
    assert not content.segments.equals(segments)
    assert content.segments.equals(changed)


def test_positions_count_code_points_and_cover_whole_lines() -> None:
    text = "甲𠀀乙\n\nabc\n最后一行"
    lines = text.split("\n")
    for a in range(1, len(lines) + 1):
        for b in range(a, len(lines) + 1):
            start, end = rq.line_span_to_positions(text, a, b)
            assert text[start:end] == "\n".join(lines[a - 1 : b])
            assert rq.positions_to_line_span(text, start, end) == (a, b)
    assert rq.line_span_to_positions(text, 3, 3) == (5, 8)  # 𠀀 counts as one character
    assert rq.positions_to_line_span(text, 1, 3) is None  # not a line start
    assert rq.positions_to_line_span(text, 0, 2) is None  # not a line end
    assert rq.positions_to_line_span(text, 0, 4) == (1, 2)  # line 2 is empty: ends where it starts
    assert rq.positions_to_line_span("ab\ncd", 0, 3) is None  # just past a newline
    with pytest.raises(ValueError, match="outside"):
        rq.line_span_to_positions(text, 2, 5)


# ---------------------------------------------------------------------------------------------
# Determinism
# ---------------------------------------------------------------------------------------------


def test_two_exports_are_byte_identical(synthetic_case: Case, tmp_path: Path) -> None:
    a = _export(synthetic_case, tmp_path / "a.qdpx").read_bytes()
    b = _export(synthetic_case, tmp_path / "b.qdpx").read_bytes()
    assert hashlib.sha256(a).hexdigest() == hashlib.sha256(b).hexdigest()
    assert rq.codebook_to_qdc(synthetic_case[0]) == rq.codebook_to_qdc(_synthetic_codebook())
    with zipfile.ZipFile(io.BytesIO(a)) as zf:
        infos = zf.infolist()
    assert infos[0].filename == "project.qde"
    seeds = sorted(synthetic_case[3])
    assert [i.filename for i in infos[1:]] == [f"Sources/{rq._guid('source', s)}.txt" for s in seeds]
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}


def test_guids_derive_from_ids_not_from_order(synthetic_case: Case, tmp_path: Path) -> None:
    codebook, segments, second, seeds = synthetic_case
    shuffled = segments.sample(frac=1, random_state=3).reset_index(drop=True)
    qde = {}
    for name, frame in (("a", segments), ("b", shuffled)):
        with zipfile.ZipFile(rq.export_qdpx(codebook, frame, second, seeds, tmp_path / f"{name}.qdpx")) as zf:
            qde[name] = zf.read("project.qde").decode()
    guid_of = {
        name: dict(re.findall(r'guid="([0-9a-f-]{36})" name="(SEG-[^"]+)"', xml)) for name, xml in qde.items()
    }
    assert len(guid_of["a"]) == 250
    assert {v: k for k, v in guid_of["a"].items()} == {v: k for k, v in guid_of["b"].items()}


# ---------------------------------------------------------------------------------------------
# The official schema
# ---------------------------------------------------------------------------------------------


def test_vendored_schema_is_the_recorded_file() -> None:
    digest = hashlib.sha256(rq.PROJECT_XSD.read_bytes()).hexdigest()
    assert digest == XSD_SHA256
    readme = (rq.PROJECT_XSD.parent / "README.md").read_text(encoding="utf-8")
    assert XSD_SHA256 in readme and "qualitative_coding-1.6.0" in readme


def test_exports_validate_against_the_official_schema(case: Case, tmp_path: Path) -> None:
    with zipfile.ZipFile(_export(case, tmp_path / "p.qdpx")) as zf:
        qde = zf.read("project.qde")
    assert rq.validate_qde(qde) == []
    assert rq.validate_qdc(rq.codebook_to_qdc(case[0])) == []


def test_schema_check_can_fail(fixture_case: Case, tmp_path: Path) -> None:
    with zipfile.ZipFile(_export(fixture_case, tmp_path / "p.qdpx")) as zf:
        qde = zf.read("project.qde").decode()
    broken = qde.replace('isCodable="true"', 'isCodable="maybe"', 1)
    assert any("isCodable" in p for p in rq.validate_qde(broken.encode()))
    bad_guid = qde.replace('guid="', 'guid="x', 1)
    assert rq.validate_qde(bad_guid.encode())
    qdc = rq.codebook_to_qdc(fixture_case[0]).decode()
    assert rq.validate_qdc(qdc.replace("<Codes>", "<Codes><Bogus/>", 1).encode())
    assert rq.validate_qdc(qdc.replace("urn:QDA-XML:codebook:1.0", "urn:other", 1).encode())


# ---------------------------------------------------------------------------------------------
# A third-party reader: qualitative-coding 1.6.0 (in its own environment, .tools/qda)
# ---------------------------------------------------------------------------------------------


def _tool_read(runner: Path, infile: Path, tmp_path: Path) -> Any:
    """Run a third-party reader in the tool environment; return the JSON it wrote."""
    if not QC_PYTHON.is_file():
        pytest.fail(f"{QC_PYTHON} is missing: run `make setup` (or `make qda-tools`)")
    out = tmp_path / f"{runner.stem}.json"
    proc = subprocess.run(
        [str(QC_PYTHON), str(runner), str(infile), str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:] + proc.stdout[-2000:]
    return json.loads(out.read_text(encoding="utf-8"))


def _code_tree_names(codebook: Codebook) -> list[list[object]]:
    root = _xml_root(rq.codebook_to_qdc(codebook))
    out: list[list[object]] = []

    def walk(node: Any, depth: int) -> None:
        for child in node:
            if child.tag.endswith("}Code"):
                out.append([depth, child.attrib["name"]])
                walk(child, depth + 1)

    walk(root.find("{urn:QDA-XML:codebook:1.0}Codes"), 0)
    return sorted(out, key=lambda dn: (str(dn[1]), int(str(dn[0]))))


def _xml_root(data: bytes) -> Any:
    from xml.etree import ElementTree

    return ElementTree.fromstring(data)


def test_qualitative_coding_reads_our_project(synthetic_case: Case, tmp_path: Path) -> None:
    codebook, segments, second, seeds = synthetic_case
    assert second is not None
    qdpx = _export(synthetic_case, tmp_path / "p.qdpx")
    got = _tool_read(QC_RUNNER, qdpx, tmp_path)
    # the single documented adaptation: one plainTextPath per source, one member per source
    assert got["adapted"] == {"plainTextPath": len(seeds), "members_renamed": len(seeds)}
    # sources: one document per seed, with the full text
    doc_of = {s: f"{rq._guid('source', s)}.txt" for s in seeds}
    assert got["documents"] == sorted(doc_of.values())
    assert got["document_chars"] == {doc_of[s]: len(t) for s, t in seeds.items()}
    # users
    assert got["coders"] == ["A", "B"] and got["coder_guids"] == ["A", "B"]
    # codes: the whole tree, same names, same depths
    assert got["code_guids"] == 1 + len(codebook.codes) + len(codebook.frameworks) + sum(
        len(f.codes) for f in codebook.frameworks
    )
    assert sorted(got["codebook"], key=lambda dn: (dn[1], dn[0])) == _code_tree_names(codebook)
    # codings: qc keeps a coding per (document, coder, code, line); a selection not named
    # "line:N" lands on line 0 in qc 1.6.0 (see tools/qc_read_qdpx.py), so what it can show is
    # which codes each coder applied in each document: compare exactly that.
    name_of = {c.id: f"{c.id} {c.name_zh}" for c in codebook.codes}
    name_of |= {c.id: f"{c.id} {c.name_zh}" for f in codebook.frameworks for c in f.codes}
    expected = set()
    for rec in segments.itertuples():
        for code in [*rec.codes.split(";"), *filter(None, rec.framework_codes.split(";"))]:
            expected.add((doc_of[rec.seed_id], "A", name_of[code], 0))
    seed_of = dict(zip(segments["segment_id"], segments["seed_id"], strict=True))
    for rec in second.itertuples():
        for code in rec.codes.split(";"):
            expected.add((doc_of[seed_of[rec.segment_id]], "B", name_of[code], 0))
    assert sorted(map(tuple, got["coded_lines"])) == sorted(expected)
    assert len(expected) > 300  # a real test: hundreds of document x coder x code codings


# ---------------------------------------------------------------------------------------------
# Malformed input gives a DataError naming the member and the element
# ---------------------------------------------------------------------------------------------


def _rewrite(src: Path, dst: Path, edit: Callable[[str, bytes], tuple[str, bytes] | None]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            result = edit(info.filename, zin.read(info.filename))
            if result is not None:
                zout.writestr(result[0], result[1])
    return dst


def _qde_edit(old: str, new: str) -> Callable[[str, bytes], tuple[str, bytes]]:
    def edit(name: str, data: bytes) -> tuple[str, bytes]:
        if name == "project.qde":
            text = data.decode()
            assert old in text, old
            return name, text.replace(old, new, 1).encode()
        return name, data

    return edit


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda n, d: None if n == "project.qde" else (n, d), r"bad\.qdpx: member 'project\.qde' is missing"),
        (
            lambda n, d: None if n.startswith("Sources/") else (n, d),
            r"member 'Sources/.*\.txt' .*seed 000.* missing",
        ),
        (_qde_edit("</Project>", "</Projec>"), r"bad\.qdpx:project\.qde: malformed XML"),
        (
            _qde_edit('source_type: "author_narrative"\n', ""),
            r"project\.qde: <PlainTextSelection name='SEG-ZJ-HS-001'>: <Description> \(segment\): "
            r"missing fields \['source_type'\]",
        ),
        (
            _qde_edit('startPosition="', 'startPosition="1'),
            r"<PlainTextSelection name='SEG-ZJ-HS-001'>: positions .* are not whole lines of seed 000",
        ),
        (
            _qde_edit('<CodeRef targetGUID="', '<CodeRef targetGUID="0'),
            r"<PlainTextSelection name='SEG-ZJ-HS-001'>: <Coding guid=.*unknown creatingUser or CodeRef",
        ),
        (
            _qde_edit('name="CTX.POL 政策与战略驱动"', 'name="CTX.POL 改名"'),
            r"project\.qde: <Code name='CTX.POL 改名' guid=.*>: attribute 'name' does not match",
        ),
        (
            _qde_edit("position: 1\n", 'position: "1"\n'),
            r"<Code name='CTX.POL 政策与战略驱动' .*field 'position' must be int",
        ),
    ],
    ids=["no-qde", "no-source", "bad-xml", "missing-field", "off-line", "bad-coderef", "renamed", "bad-type"],
)
def test_malformed_qdpx_names_member_and_element(
    fixture_case: Case, tmp_path: Path, edit: Callable[[str, bytes], tuple[str, bytes] | None], message: str
) -> None:
    good = _export(fixture_case, tmp_path / "good.qdpx")
    bad = _rewrite(good, tmp_path / "bad.qdpx", edit)
    with pytest.raises(DataError, match=message):
        rq.import_qdpx(bad)


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "x.qdpx"
    path.write_text("not a zip")
    with pytest.raises(DataError, match=r"x\.qdpx: not a readable \.qdpx"):
        rq.import_qdpx(path)


def test_malformed_qdc_names_the_code(fixture_case: Case) -> None:
    qdc = rq.codebook_to_qdc(fixture_case[0]).decode()
    with pytest.raises(
        DataError, match=r"codebook\.qdc: <Code name='VAL.PV 公共价值' .*unknown fields \['colour'\]"
    ):
        rq.qdc_to_codebook(qdc.replace('id: "VAL.PV"\n', 'id: "VAL.PV"\ncolour: "red"\n').encode())
    with pytest.raises(DataError, match=r"codebook\.qdc: malformed XML"):
        rq.qdc_to_codebook(b"<CodeBook")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.assign(seed_id="001", case_id="LX", segment_id="SEG-LX-00" + s.index.astype(str)),
         r"cite seed\(s\) \['001'\] but no text"),
        (lambda s: s.assign(line_to=s["line_from"] + 150), r"segments row 1 \(SEG-ZJ-HS-001\): line range"),
        (lambda s: s.assign(codes="CTX"), r"column 'codes': 'CTX' is not a second-level integrated code"),
        (lambda s: s.assign(framework_codes="CTX.POL"), r"'framework_codes': 'CTX.POL' is not a framework"),
        (lambda s: s.assign(codes="CTX.POL;CTX.POL"), r"coder A gives code 'CTX.POL' twice"),
    ],
    ids=["no-seed", "outside-seed", "top-code", "integrated-as-framework", "duplicate"],
)  # fmt: skip
def test_bad_export_input_is_refused(
    fixture_case: Case, tmp_path: Path, change: Callable[[pd.DataFrame], pd.DataFrame], message: str
) -> None:
    codebook, segments, _, seeds = fixture_case
    with pytest.raises(DataError, match=message):
        rq.export_qdpx(codebook, change(segments), None, seeds, tmp_path / "x.qdpx")


# ---------------------------------------------------------------------------------------------
# Taguette
# ---------------------------------------------------------------------------------------------


def test_taguette_csv_follows_taguettes_import_rules(synthetic_case: Case) -> None:
    codebook = synthetic_case[0]
    text = rq.codebook_to_taguette_csv(codebook)
    assert not text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text)))
    header = [h.lower() for h in rows[0]]
    # Taguette 1.5.2 list_tags_csv: exactly one of tag/name/path; optional description
    assert sum(h in header for h in ("tag", "name", "path")) == 1 and "description" in header
    tags = [r[header.index("tag")].strip() for r in rows[1:]]
    expected = [c.id for c in codebook.codes] + [c.id for f in codebook.frameworks for c in f.codes]
    assert tags == expected
    assert all(len(r) == len(header) and r[header.index("description")].strip() for r in rows[1:])
    leaf = codebook.code("CAP.BB")
    assert any(leaf.exclude_zh in r[1] for r in rows if r[0] == "CAP.BB")


# ---------------------------------------------------------------------------------------------
# write_exports (the book's entry point) on the fixture files
# ---------------------------------------------------------------------------------------------


def _manifest_entry(name: str, path: Path, schema: str) -> str:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return (
        f"  {name}:\n    path: raw/{path.name}\n    schema: {schema}\n    title_zh: 测试\n"
        "    source:\n      kind: authored\n    method: test\n    changes: none\n    licence: test\n"
        f"    synthetic: false\n    sha256: {digest}\n"
    )


def test_write_exports_from_the_data_files(
    fixture_case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exports read the data files through the gate: a small project with its own manifest."""
    codebook, segments, _, seeds = fixture_case
    data = tmp_path / "project" / "data"
    raw = data / "raw"
    raw.mkdir(parents=True)
    (raw / "codebook.yaml").write_bytes((FIXTURES / "codebook.yaml").read_bytes())
    (raw / "coded_segments.csv").write_bytes((FIXTURES / "segments.csv").read_bytes())
    pd.DataFrame(
        {"segment_id": ["SEG-ZJ-HS-002"], "codes": ["CTX.POL"], "coder": ["B"], "round": [1]}
    ).to_csv(raw / "coded_segments_b.csv", index=False)
    seed_dir = tmp_path / "seeds"
    seed_dir.mkdir()
    seed_file = seed_dir / "000_0123456789abcdef.txt"
    seed_file.write_text(seeds["000"], encoding="utf-8")
    seed_sha = hashlib.sha256(seed_file.read_bytes()).hexdigest()
    (data / "MANIFEST.yaml").write_text(
        f'seeds:\n  "000":\n    file: {seed_file.name}\n    sha256: {seed_sha}\n'
        f"    lines: {len(seeds['000'].split(chr(10)))}\nfiles:\n"
        + _manifest_entry("codebook", raw / "codebook.yaml", "codebook")
        + _manifest_entry("coded_segments", raw / "coded_segments.csv", "coded_segments")
        + _manifest_entry("coded_segments_b", raw / "coded_segments_b.csv", "coded_segments_b"),
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path / "project")
    monkeypatch.setattr(paths, "DATA_DIR", data)
    monkeypatch.setattr(paths, "RAW_DIR", raw)
    monkeypatch.setattr(paths, "MANIFEST", data / "MANIFEST.yaml")
    monkeypatch.setenv("SEEDS_DIR", str(seed_dir))
    data_io.clear_caches()
    written = rq.write_exports(tmp_path / "out")
    assert sorted(p.name for p in written.values()) == [
        "codebook.qdc",
        "codebook_taguette.csv",
        "project.qdpx",
    ]
    assert rq.qdc_to_codebook(written["qdc"].read_bytes()) == codebook
    got_codebook, got_segments, got_second = rq.import_qdpx(written["qdpx"])
    assert got_codebook == codebook
    _assert_frames_identical(got_segments, segments)
    assert got_second is not None and got_second["codes"].to_list() == ["CTX.POL"]
    assert written["taguette_csv"].read_text(encoding="utf-8") == rq.codebook_to_taguette_csv(codebook)


def test_taguette_imports_our_codebook_csv(synthetic_case: Case, tmp_path: Path) -> None:
    """Taguette 1.5.2's own importer (taguette.import_codebook.list_tags) reads every tag."""
    codebook = synthetic_case[0]
    text = rq.codebook_to_taguette_csv(codebook)
    path = tmp_path / "codebook_taguette.csv"
    path.write_text(text, encoding="utf-8")
    got = _tool_read(TAGUETTE_RUNNER, path, tmp_path)
    want = [{"path": r[0], "description": r[1].strip()} for r in list(csv.reader(io.StringIO(text)))[1:]]
    assert got == want
    assert len(got) == len(codebook.codes) + sum(len(f.codes) for f in codebook.frameworks)


def test_the_books_coding_data_round_trips(tmp_path: Path, manifest: Any, seeds_dir: Path) -> None:
    """Once the coding data are in data/, their export reads back with zero differences and validates."""
    if "coded_segments" not in manifest.files:
        pytest.skip("data/MANIFEST.yaml lists no coded_segments yet: nothing of the book's own to export")
    written = rq.write_exports(tmp_path)
    codebook = load_codebook(paths.RAW_DIR / "codebook.yaml")
    segments = read_csv_validated(paths.RAW_DIR / "coded_segments.csv", CODED_SEGMENTS)
    b_path = paths.RAW_DIR / "coded_segments_b.csv"
    second = read_csv_validated(b_path, SECOND_CODING) if b_path.is_file() else None
    got_codebook, got_segments, got_second = rq.import_qdpx(written["qdpx"])
    assert got_codebook == codebook
    assert rq.qdc_to_codebook(written["qdc"].read_bytes()) == codebook
    _assert_frames_identical(got_segments, segments)
    if second is None:
        assert got_second is None
    else:
        assert got_second is not None
        _assert_frames_identical(got_second, second)
    with zipfile.ZipFile(written["qdpx"]) as zf:
        assert rq.validate_qde(zf.read("project.qde")) == []
    assert rq.validate_qdc(written["qdc"].read_bytes()) == []
