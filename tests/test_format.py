"""How sources, lines, counts and lists are written (analysis.report.format)."""

from __future__ import annotations

import pytest

from analysis.report.format import line_spec, seed_ref, source_name, study_name


def test_source_studies_are_named_by_author_and_year() -> None:
    assert seed_ref("000", 12, 15) == "王子琦、林晨（2022），第 12–15 行"
    assert seed_ref("003", 80664, 80664) == "刘旭然（2023），第 80664 行"
    assert seed_ref("000", 12, 15, short=True) == "王子琦、林晨 2022，12–15 行"
    # a study whose year is not printed says so in full and drops it when short
    assert study_name("001") == "詹国辉（年份不详）"
    assert study_name("001", short=True) == "詹国辉"


def test_file_004_is_named_by_the_text_the_line_belongs_to() -> None:
    assert source_name("004", 1) == "C市智慧应急论文摘要"
    assert source_name("004", 40) == "S市A区场景论文"
    assert seed_ref("004", 3, 5, short=True) == "S市A区论文，3–5 行"
    with pytest.raises(ValueError, match="two texts"):
        source_name("004")
    with pytest.raises(KeyError, match="'009'"):
        study_name("009")


def test_no_name_uses_the_word_for_a_random_seed() -> None:
    names = [study_name(s) for s in ("000", "001", "002", "003", "004A", "004B")]
    assert not any("种子" in n for n in names)


def test_line_specifications() -> None:
    assert line_spec("53;63-69") == "第 53、63–69 行"
    assert line_spec("53;63-69", bare=True) == "53、63–69"


def test_the_spliced_texts_are_named_as_their_citations_name_them() -> None:
    from analysis.data import paths

    bib = (paths.BOOK_DIR / "references.bib").read_text(encoding="utf-8")
    for study in ("004A", "004B"):
        assert f"shorthand = {{{study_name(study)}}}" in bib
