"""Every data file matches its checksum; every quotation is in the seed lines it cites."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.data import io, provenance
from analysis.report import datasources
from tests.datafaults import Sandbox


def test_every_data_file_is_in_the_manifest(manifest: io.Manifest) -> None:
    assert io.check_data_dir(manifest) == [], (
        "every file in data/ needs a MANIFEST.yaml entry (and vice versa)"
    )


def test_manifest_records_source_and_licence(manifest: io.Manifest) -> None:
    for entry in manifest.files.values():
        assert entry.source["kind"] in {"seed_lines", "repository", "authored", "web_page"}
        if entry.source["kind"] == "repository":
            assert {"repo", "commit", "path"} <= set(entry.source)
        if entry.source["kind"] == "web_page":
            assert str(entry.source.get("url", "")).startswith("https://")
        assert entry.licence.strip() and entry.changes.strip() and entry.method.strip()


def test_checksums_match(manifest: io.Manifest) -> None:
    for entry in manifest.files.values():
        assert io.sha256_file(entry.full_path) == entry.sha256, f"data/{entry.path} changed"


def test_a_changed_data_cell_is_caught(sandbox: Sandbox) -> None:
    sandbox.replace("reform_events", "2019-03", "2019-04", rehash=False)
    report = datasources.provenance_report(io.load_manifest())
    assert any(
        p.startswith("data/raw/reform_events.csv: sha256") and "is not the" in p for p in report.problems
    ), report.problems


def test_seeds_match_their_checksums(manifest: io.Manifest, seeds_dir: Path) -> None:
    assert provenance.check_seeds(manifest, seeds_dir) == []
    for seed_id, info in manifest.seeds.items():
        text = (seeds_dir / info["file"]).read_text(encoding="utf-8")
        assert len(text.split("\n")) == info["lines"], seed_id


def test_every_quotation_and_fact_is_in_its_seed_lines(manifest: io.Manifest, seeds_dir: Path) -> None:
    report = datasources.provenance_report(manifest)
    assert report.seeds_available
    assert report.problems == ()
    quoted = [
        datasources.load_entry(e, manifest)
        for e in manifest.files.values()
        if e.source["kind"] == "seed_lines"
    ]
    assert report.n_rows == sum(int((t["seed_id"] != "").sum()) for t in quoted) > 0


def _events(manifest: io.Manifest) -> pd.DataFrame:
    return io.load_table("reform_events", manifest)


def test_a_quote_not_in_its_lines_is_caught(manifest: io.Manifest, seeds_dir: Path) -> None:
    events = _events(manifest)
    bad = events.copy()
    bad.loc[0, "evidence_zh"] = bad.loc[0, "date"] + "年这句话并不在种子文件里出现过"
    problems = provenance.check_events(bad, manifest, seeds_dir)
    assert len(problems) == 1
    assert problems[0].startswith("data/raw/reform_events.csv, line 2 (E01), field 'evidence_zh'")
    assert "not found in lines" in problems[0]


def test_a_quote_cited_at_the_wrong_lines_is_caught(manifest: io.Manifest, seeds_dir: Path) -> None:
    bad = _events(manifest)
    bad.loc[1, ["line_from", "line_to"]] = [1, 1]
    assert provenance.check_events(bad, manifest, seeds_dir)


def test_a_stated_year_missing_from_the_quote_is_caught(manifest: io.Manifest, seeds_dir: Path) -> None:
    bad = _events(manifest)
    stated = bad.index[bad["date_source"] == "stated"][0]
    bad.loc[stated, "date"] = "1999"
    problems = provenance.check_events(bad, manifest, seeds_dir)
    line = io.line_of(bad, stated)
    assert (
        f"line {line} ({bad.loc[stated, 'event_id']}), field 'date', value '1999': stated year"
        in "\n".join(problems)
    )


def test_a_wrong_author_is_caught(manifest: io.Manifest, seeds_dir: Path) -> None:
    studies = io.load_table("source_studies", manifest)
    studies.loc[0, "authors_zh"] = "王子琦、张三"
    problems = provenance.check_source_studies(studies, manifest, seeds_dir)
    assert "line 2 (000), field 'authors_zh', value '张三': is not in evidence_zh" in "\n".join(problems)


def test_short_fragments_prove_nothing(tmp_path: Path) -> None:
    seed = tmp_path / "s.txt"
    seed.write_text("政务服务 跨省 通办\n第二行", encoding="utf-8")
    assert provenance.check_evidence(seed, 1, 1, "政务服务跨省…通办") == [
        "fragment '通办' is shorter than 4 characters"
    ]
    assert provenance.check_evidence(seed, 1, 1, "政务 服务跨省通办") == []


def test_normalise_and_fragments() -> None:
    assert provenance.normalise("2 0 1 9 年\u3000３月") == "2019年3月"
    assert provenance.fragments("甲乙丙丁…戊己庚辛[…]壬癸子丑") == ["甲乙丙丁", "戊己庚辛", "壬癸子丑"]
    assert provenance.letters("——“跨省通办”") == "跨省通办"
