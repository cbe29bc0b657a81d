from __future__ import annotations

from pathlib import Path

import pytest

from analysis.coding import quotecheck
from analysis.coding import synthesis as rules
from analysis.data import paths
from bookkit.registry import read_registry
from checks.prose import (
    TextBlock,
    block_problems,
    bold_numbers,
    glue_styles,
    latin_allowed,
    numerals,
    page_blocks,
    prose_lines,
    reader_text_problems,
    source_problems,
)

HEADER = "---\njupytext: {x: 1}\n---\n\n(lbl-1)=\n# 标题\n\n"


def _chapter(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "ch.md"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_book_has_no_hand_typed_numbers() -> None:
    chapters = sorted(paths.BOOK_DIR.rglob("*.md"))
    assert chapters
    assert [p for c in chapters for p in numerals(c)] == []


#: Counts and rule bounds the pages once typed as Chinese numerals, which the numeral lint cannot
#: see: (page, the glue key now pasted, the phrase it replaced).
ONCE_TYPED = [
    ("cross_case", "cc_n_cases", "本章把九个案例"),
    ("cross_case", "cc_n_clusters", "切成三组"),
    ("cross_case", "cc_cfg_n_partner_classes", "分为五类伙伴"),
    ("cross_case", "cc_cfg_quote_min_chars", "不短于十二个字"),
    ("cross_case", "cc_prop_n_frameworks", "六个框架"),
    ("cross_case", "cc_prop_n_cases", "与八个案例"),
    ("cross_case", "cc_prop_n_distinctive", "一至两个代码"),
    ("conclusion", "con_n_studies", "五份研究"),
    ("cases", "cases_n_studies", "来自五项来源研究"),
    ("how_to_cite", "cite_n_studies", "出自五项来源研究"),
    ("methods", "met_n_studies", "为五项来源研究"),
    ("cross_case", "cc_n_studies", "汇总五项研究"),
    ("methods", "met_codes_per_segment_max", "每段一到四个"),
    ("megacity_smart_emergency", "mse_sa_n_mech_sub", "八个子机制"),
    ("suzhou_hangzhou_paths", "sh_compare_cells_phrase", "的六格中"),
    ("zhejiang_red_education", "zj_cell_support", "每一格只有一句话支撑"),
    ("zhejiang_red_education", "zj_cell_statement", "每一格只有作者的一句陈述"),
]


@pytest.mark.parametrize(("page", "key", "phrase"), ONCE_TYPED)
def test_counts_once_typed_as_chinese_numerals_are_pasted(page: str, key: str, phrase: str) -> None:
    text = (paths.BOOK_DIR / f"{page}.md").read_text(encoding="utf-8")
    assert f"{{glue:text}}`{key}`" in text
    assert phrase not in text


def test_the_exemplar_rules_bounds_are_the_codes() -> None:
    """The cross-case page states the quotation rules with the bounds the code applies."""
    registry = read_registry(paths.GLUE_REGISTRY)
    built = {r["key"]: r["value"] for r in registry if r["page"] == "book/cross_case"}
    assert built["cc_meta_min_chars"] == quotecheck.MIN_READABLE
    assert built["cc_cfg_quote_min_chars"] == rules.MIN_QUOTE_CHARS
    assert built["cc_cfg_n_partner_classes"] == len(rules.PARTNERS)


def test_the_book_sources_are_clean() -> None:
    assert source_problems(paths.BOOK_DIR) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "共有 37 个事件。",
        "系数为 0.25。",
        "增长了 5%。",
        "样本量 1,234。",
        "2019 年有 12 项。",
    ],
)
def test_hand_typed_numbers_are_caught(tmp_path: Path, sentence: str) -> None:
    problems = numerals(_chapter(tmp_path, sentence + "\n"))
    assert problems and "typed into prose" in problems[0]
    assert problems[0].startswith("ch.md:8:")


@pytest.mark.parametrize(
    "sentence",
    [
        "长三角在 2019 年、京津冀在 2020年建立联盟，2012—2023 年的面板。",
        "见第 3 章与表 3-1、图 4-2，以及第二部分。",
        "假设 H1 至 H12，模型 M0 与 M1，Jupyter Book v1，SHA-256。",
        "来源研究 003 是博士论文。",
        "共有 {glue:text}`intro_n:d` 个，见 {numref}`tbl-intro-2` 与 {cite:p}`roth2022`。",
        "代码 `x = 42` 与数学 $x_1 = 2$ 不算，[链接](page2.md) 也不算。",
        "1. 列表项\n2. 第二项",
    ],
)
def test_allowed_digits_pass(tmp_path: Path, sentence: str) -> None:
    assert numerals(_chapter(tmp_path, sentence + "\n")) == []


def test_code_cells_and_options_are_not_prose_but_captions_are(tmp_path: Path) -> None:
    body = (
        "```{code-cell} ipython3\n:tags: [remove-cell]\nx = 42\n```\n\n"
        "```{glue:figure} key_1\n:name: fig-a-1\n:width: 600px\n\n图注里有 17 个点。\n```\n"
    )
    lines = [text for _, text in prose_lines(HEADER + body)]
    assert not any("42" in t or "600px" in t for t in lines)
    problems = numerals(_chapter(tmp_path, body))
    assert len(problems) == 1 and "'17'" in problems[0]


def test_paired_notebook_and_direct_glue_are_caught(tmp_path: Path) -> None:
    (tmp_path / "ch.md").write_text(
        HEADER + "```{code-cell} ipython3\nfrom myst_nb import glue\ndef f():\n    pass\n```\n",
        encoding="utf-8",
    )
    (tmp_path / "ch.ipynb").write_text("{}", encoding="utf-8")
    problems = source_problems(tmp_path)
    assert any("paired .ipynb" in p for p in problems)
    assert any("not myst_nb" in p for p in problems)
    assert any("def/class" in p for p in problems)


PAGE_CELL = "from analysis.chapters import ch\nfrom bookkit.glue import glue_page\n\nglue_page(ch.build())\n"


def _page(tmp_path: Path, cell: str) -> list[str]:
    (tmp_path / "ch.md").write_text(HEADER + f"```{{code-cell}} ipython3\n:tags: [remove-cell]\n{cell}```\n")
    return source_problems(tmp_path)


def test_a_page_that_only_imports_and_calls_passes(tmp_path: Path) -> None:
    assert _page(tmp_path, PAGE_CELL) == []


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (PAGE_CELL + "glue_page(ch.build(n_boot=2000))\n", "the literal 2000"),
        (PAGE_CELL + 'ch.note("published: 0.995")\n', "the literal 'published: 0.995'"),
        (PAGE_CELL + "MIN_BOTH = ch.MIN\n", "a assign belongs in analysis.chapters.ch"),
        (PAGE_CELL + "for x in ch.rows():\n    glue_page(x)\n", "a for belongs"),
        (PAGE_CELL + "ch.run(lambda: None)\n", "def/class/lambda"),
        (PAGE_CELL + "ch.run()\n" * 8, "a cell of 11 lines"),
        (
            "from analysis.chapters import other\nglue_page(other.build())\n",
            "does not import analysis.chapters.ch",
        ),
    ],
)
def test_logic_literals_and_long_cells_in_a_page_are_caught(tmp_path: Path, cell: str, expected: str) -> None:
    problems = _page(tmp_path, cell)
    assert any(expected in p for p in problems), problems


def test_every_chapter_module_has_its_page_and_every_page_with_code_its_module() -> None:
    modules = {p.stem for p in (paths.PROJECT_ROOT / "analysis" / "chapters").glob("*.py")} - {"__init__"}
    pages_with_code = {p.stem for p in paths.BOOK_DIR.glob("*.md") if "```{code-cell}" in p.read_text()}
    assert modules == pages_with_code


# --- the text a reader sees (built pages) -------------------------------------------------


def test_the_built_book_reads_cleanly(html_dir: Path) -> None:
    assert reader_text_problems(html_dir) == []


def _prose(text: str, kind: str = "prose", appendix: bool = False) -> list[str]:
    return block_problems(TextBlock("book/p.html", kind, appendix, text, text))


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("只对应一个框架的代码有 0 个。", "a count of zero"),
        ("处理前 9 个系数中有 0 个单独显著。", "a count of zero"),
        ("有 1 个事件的可信度为低，例如泛珠三角的协议。", "a count of one"),
        ("有 1 项分别来自两个案例。", "a count of one"),
        ("全部 12 个单元格中有 12 个有证据。", "'n of n'"),
        ("集中了本案例 5 段访谈中的 5 段。", "'n of n'"),
        ("在任何案例中都没有共现证据的是 无 。", "无 standing"),
        ("低于门槛的代码族：无。", "无 standing"),
        ("以业务协同与数字政府一体化。”。", "doubled punctuation"),
        ("两者一致，。", "doubled punctuation"),
        ("相对幅度（Δ^RM）的区间。", "markup left unrendered"),
        ("列 note_en 的内容。", "markup left unrendered"),
        ("路径 dem60~ind60 的估计。", "markup left unrendered"),
        ("每个片段注明种子文件与行号。", "种子 names a random seed"),
        ("TWFE coefficient 为负。", "'coefficient'"),
        ("按 chi2 计算。", "'chi2'"),
        ("未能编码的片段标为 fallback-coded。", "'fallback-coded'"),
        ("两者差异小于 1e-8。", "e-notation"),
        ("由基准脚本 benchmarks/sem_bootstrap.py 测量。", "script or module path"),
        ("每次重抽样都从全样本估计值出发（热启动）。", "warm starts"),
        ("用 semopy 拟合模型。", "'semopy'"),
    ],
)
def test_template_artefacts_latin_words_and_build_talk_are_caught(sentence: str, reason: str) -> None:
    problems = _prose(sentence)
    assert any(reason in p for p in problems), problems


@pytest.mark.parametrize(
    "sentence",
    [
        "只对应一个框架的代码没有；每个代码都至少扎根于两项研究。",
        "有 1 个事件的年份是推断的：泛珠三角九省区的协议。",
        "全部 12 个单元格都有证据。",
        "苏州集中在敏捷回应（0 对 17）。",
        "编码只记录代码的有无，不记录方向。",
        "“两名编码员、取值为有无、无缺失”的情形。",
        "随机种子为 20261122，随机数种子固定。",
        "TWFE 与 Callaway–Sant’Anna 估计量、HTMT、AVE、REFI-QDA 与 SHA-256。",
        "L市X局、C市与S市A区，代码 CTX.POL 与 HS.VP.CD，片段 SEG-LX-012，假设 H12，模型 M0，题项 BPC3。",
        "Krippendorff α 与 Cohen κ，p 值，自由度 df。",
    ],
)
def test_clean_sentences_pass(sentence: str) -> None:
    assert _prose(sentence) == []


def test_appendices_may_name_software_and_files_and_tables_are_not_checked_for_words() -> None:
    assert _prose("用 semopy 与 lavaan 比较，数据在 data/raw/sem_fit.csv。", appendix=True) == []
    assert _prose("用 semopy 与 lavaan 比较。") != []
    assert _prose("string[pyarrow]", kind="table", appendix=True) == []
    assert _prose("string[pyarrow]", kind="table") != []
    assert not latin_allowed("coefficient", appendix=True)
    # an appendix's prose keeps the template checks
    assert _prose("全部 23 行中有 23 行在容差之内。", appendix=True) != []


def test_table_cells_may_hold_a_bare_zero_or_none() -> None:
    assert _prose("0 个", kind="table") == []
    assert _prose("无", kind="table") == []


def test_blocks_leave_out_code_math_and_citations() -> None:
    html = (
        "<article><h1>标题</h1><p>正文 <code>x_1 = chi2</code> 与 <span class='math'>\\beta^RM</span>"
        "<span class='bibtex-citation'>[Callaway and Sant'Anna, 2021]</span>。</p>"
        "<table><caption><span class='caption-number'>表 1.1 </span>表题</caption>"
        "<tr><td><p>单元格</p></td></tr></table>"
        "<figure><figcaption><p>图注</p></figcaption></figure></article>"
    )
    blocks = page_blocks(html, "p.html", appendix=False)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds == {
        "标题": "prose",
        "正文 与 。": "prose",
        "表题": "caption",
        "单元格": "table",
        "图注": "caption",
    }
    assert [b.raw for b in blocks if b.kind == "prose"][1] == "正文 x_1 = chi2 与 。"


def test_numbers_in_bold_and_bold_glue_are_caught(tmp_path: Path) -> None:
    assert bold_numbers("<article><p><strong>0.42</strong> 与 <strong>说明</strong></p></article>", "p") == [
        "p: the number in bold '0.42'"
    ]
    static = tmp_path / "_static"
    static.mkdir()
    (static / "mystnb.css").write_text("span.pasted-text {\n  font-weight: bold;\n}\n", encoding="utf-8")
    assert glue_styles(tmp_path) != []
    (static / "book.css").write_text("span.pasted-text { font-weight: inherit; }", encoding="utf-8")
    assert glue_styles(tmp_path) == []
