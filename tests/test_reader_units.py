"""Unit tests of the reader-experience helpers that need no build: PDF checks, LaTeX tables, parts."""

from __future__ import annotations

from pathlib import Path

from bookkit import toc
from bookkit.latex import column_weights, tex_escape
from bookkit.sphinx.theme import repair_theme_markup
from checks.pdf import chapter_heads, missing_glue


def test_chapter_heads_must_run_in_one_sequence() -> None:
    assert chapter_heads("第 1 章\n导论\n第 2 章\n方法\n第 3 章\n结论", 3) == []
    # numbering restarted per part: chapter 3 never appears
    restarted = "第1章\n导论\n第2章\n方法\n第1章\n案例\n第2章\n案例"
    assert chapter_heads(restarted, 3) == ["no chapter head 第3章 in the PDF"]
    assert chapter_heads("第1章\n第2章", 1) == ["chapter head 第2章 beyond the 1 numbered chapters"]
    # a chapter of another book, cited in the prose, is not a head
    assert chapter_heads("第1章\n见《The Effect》第 18 章的讨论", 1) == []


def test_the_pdfs_ellipsis_is_the_htmls(tmp_path: Path) -> None:
    """xeCJK's ellipsis comes back from the text layer as U+22EF; it is the same punctuation."""
    (tmp_path / "book").mkdir()
    page = tmp_path / "book" / "q.html"
    page.write_text('<p><span class="pasted-text">甲…乙</span></p>', encoding="utf-8")
    assert missing_glue(tmp_path, "甲⋯乙") == []
    assert missing_glue(tmp_path, "甲乙") == ["q.html: glued value '甲…乙' is not in the PDF"]


def test_missing_glue_is_reported_with_its_page(tmp_path: Path) -> None:
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "c.html").write_text(
        '<p>共 <span class="pasted-text">37</span> 个，始于 <span class="pasted-text">2005</span> 年</p>',
        encoding="utf-8",
    )
    assert missing_glue(tmp_path, "共37个，始于2005年") == []
    assert missing_glue(tmp_path, "共37个") == ["c.html: glued value '2005' is not in the PDF"]


def test_column_weights_keep_narrow_columns_and_share_the_rest() -> None:
    weights = column_weights([4, 80, 80])
    assert weights[0] < weights[1] == weights[2]
    assert column_weights([10, 10]) == [127, 127]


def testtex_escape() -> None:
    assert tex_escape("第一部分 A&B_1") == r"第一部分\quad A\&B\_1"


def test_parts_come_from_the_toc() -> None:
    parts = toc.parts()
    assert parts and all(p.docs for p in parts)
    assert toc.chapters()[0] == "book/index"
    assert [p for p in parts if not p.numbered], "the appendix part is expected to be unnumbered"


def test_theme_repairs() -> None:
    html = (
        '<summary>\n<span class="toctree-toggle" role="presentation"></span></summary>'
        '<button class="btn search-button-field" title="搜索" aria-label="搜索">搜索 Ctrl+K</button>'
        '<button aria-label="Color mode"></button><div class="citation" role="doc-biblioentry"></div>'
    )
    fixed = repair_theme_markup(html)
    assert '<summary aria-label="' in fixed
    assert 'aria-label="搜索"' not in fixed
    assert "Color mode" not in fixed and "doc-biblioentry" not in fixed


def test_missing_glyphs_in_the_latex_log_fail_the_pdf(tmp_path: Path) -> None:
    from checks.pdf import missing_characters

    log = tmp_path / "book.log"
    log.write_text("Missing character: There is no α (U+03B1) in font [lmroman10-regular]:mapping=t\n" * 2)
    assert missing_characters(log) == ["α (U+03B1) has no glyph in the PDF's fonts"]
    log.write_text("Output written on book.pdf (181 pages).\n")
    assert missing_characters(log) == []
