from __future__ import annotations

from pathlib import Path

import pytest

from analysis.data import paths
from checks.prose import numerals, prose_lines, source_problems

HEADER = "---\njupytext: {x: 1}\n---\n\n(lbl-1)=\n# 标题\n\n"


def _chapter(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "ch.md"
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def test_the_book_has_no_hand_typed_numbers() -> None:
    chapters = sorted(paths.BOOK_DIR.rglob("*.md"))
    assert chapters
    assert [p for c in chapters for p in numerals(c)] == []


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
        "种子 003 是博士论文。",
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
