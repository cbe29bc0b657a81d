"""Show the calls: the page's code cell, collapsed, with a sentence that says what it does.

Every page has one code cell: it imports the page's chapter module and glues what its
``build()`` returns. The cell is tagged ``hide-input``: the HTML shows it collapsed under the
label ``nb_code_prompt_show`` of ``_config.yml`` (the reader can open it); the PDF leaves it out
(``doctree-resolved``).
In the HTML, the opened cell ends with :func:`explanation`: which module computes the page, where
its source is, and how to reach the origin of a single number.
"""

from __future__ import annotations

import re

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode
from sphinx.application import Sphinx

__all__ = ["explain_calls", "explanation", "page_module"]

_CHAPTER_IMPORT = re.compile(r"^from analysis\.chapters import (\w+)\s*$", re.MULTILINE)


def page_module(cell: nodes.Element) -> str:
    """The chapter module a code cell imports (empty when it imports none)."""
    match = _CHAPTER_IMPORT.search(cell.astext())
    return f"analysis.chapters.{match.group(1)}" if match else ""


def explanation(module: str) -> nodes.paragraph:
    """The sentence under the page's code: what the call does and where to read more."""
    path = module.replace(".", "/") + ".py"
    para = nodes.paragraph(classes=["book-calls-note"])
    para += nodes.Text("这个单元格就是本页的全部计算：它导入本页的章节模块 ")
    para += nodes.literal(module, module)
    para += nodes.Text("（源文件 ")
    para += nodes.literal(path, path)
    para += nodes.Text("），其 ")
    para += nodes.literal("build()", "build()")
    para += nodes.Text(" 从数据文件重新算出本页的每个数字、表格和图，再由 ")
    para += nodes.literal("glue_page", "glue_page")
    para += nodes.Text(
        " 交给正文引用。正文中带虚线下划线的数字、表题与图题旁的“来源”按钮，"
        "会打开一个面板，列出算出它的函数与语句、本页读取的数据文件及其 SHA-256 校验和，"
        "以及引文所出的原文行号。"
    )
    return para


def explain_calls(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Add the explanation to the collapsed cell (HTML); leave the cell out of the PDF."""
    for cell in list(doctree.findall(nodes.container)):
        if cell.get("nb_element") != "cell_code" or cell.get("hide_mode") != "input":
            continue
        module = page_module(cell)
        if not module:
            continue
        if app.builder.format != "html":
            cell.parent.remove(cell)
            continue
        hidden = next(iter(cell.findall(HideCodeCellNode)), None)
        if hidden is not None:
            hidden.append(explanation(module))
