"""Lints on the chapter sources in ``book/``.

* :func:`numerals`: digits typed into prose. Every number in the narrative must be glued; the
  allow-list admits only years, chapter/section/table/figure numbers, identifiers that carry a
  digit (H1, M0, v1) and seed numbers.
* :func:`source_problems`: a paired ``.ipynb`` beside the sources, a chapter that glues through
  ``myst_nb`` directly (bypassing :mod:`bookkit.glue`), and :func:`cell_problems` of every cell.
* :func:`export_page_code`: every page's code cells as a ``py:percent`` file, for ruff
  (``make lint``), so the pages' code is linted like the package.
* :func:`cell_problems`: a page's code only calls. A cell has at most :data:`MAX_CELL_LINES`
  lines of imports and calls, no ``def``, ``class`` or ``lambda``, no assignment or control flow, and
  no literal at all (a parameter, a caption or a published number belongs in the page's
  :mod:`analysis.chapters` module); a page with code imports its own chapter module.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

from analysis.data import paths

__all__ = [
    "ALLOWED",
    "MAX_CELL_LINES",
    "cell_problems",
    "export_page_code",
    "numerals",
    "prose_lines",
    "source_problems",
]

#: Patterns of digits that may stand in prose, each with the reason.
ALLOWED: dict[str, re.Pattern[str]] = {
    "year or year range": re.compile(r"(?<!\d)(19|20)\d{2}(\s*[-–—至到]\s*(19|20)\d{2})?(?!\d)"),
    "chapter, section, table or figure number": re.compile(
        r"第\s*\d+\s*[章节部篇]|[表图]\s*\d+(\s*-\s*\d+)?(?!\d)"
    ),
    "identifier with a digit": re.compile(r"(?<![0-9])[A-Za-z_][A-Za-z_-]*\d+[A-Za-z0-9_]*"),
    "seed number": re.compile(r"种子\s*00[0-4](?!\d)"),
    "ordered-list marker": re.compile(r"^\s*\d+[.)]\s"),
}

_FENCE = re.compile(r"^(\s*)(`{3,}|:{3,})\s*(\{[^}]*\})?(.*)$")
_CODE_DIRECTIVES = ("{code-cell}", "{code-block}", "{code}")
_INLINE_DROP = [
    re.compile(r"\{[a-zA-Z:_-]+\}`[^`]*`"),  # roles: {glue:text}`k`, {numref}`x`, {cite:p}`k`
    re.compile(r"`[^`]*`"),  # inline code
    re.compile(r"\$[^$]+\$"),  # inline math
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"<!--.*?-->"),  # html comments
    re.compile(r"^\s*\([\w-]+\)=\s*$"),  # labels
]


def prose_lines(text: str) -> list[tuple[int, str]]:
    """The lines of a MyST notebook that a reader sees as prose, with inline code removed.

    Front matter, code cells, code blocks and directive options are dropped; the bodies of other
    directives (captions, admonitions) are prose and are kept.
    """
    lines = text.split("\n")
    out: list[tuple[int, str]] = []
    i = 0
    if lines and lines[0].strip() == "---":
        i = next((j for j in range(1, len(lines)) if lines[j].strip() == "---"), len(lines)) + 1
    stack: list[tuple[str, bool]] = []  # (fence, is_prose)
    while i < len(lines):
        line = lines[i]
        number = i + 1
        i += 1
        match = _FENCE.match(line)
        if match:
            fence, directive, rest = match.group(2), match.group(3), match.group(4).strip()
            if (
                stack
                and fence[0] == stack[-1][0][0]
                and len(fence) >= len(stack[-1][0])
                and not directive
                and not rest
            ):
                stack.pop()
                continue
            if stack and not stack[-1][1]:
                continue  # inside code only a long-enough closing fence counts
            stack.append((fence, directive is not None and directive not in _CODE_DIRECTIVES))
            continue
        if stack and not stack[-1][1]:
            continue
        if stack and line.lstrip().startswith(":"):
            continue  # directive option
        if line.lstrip().startswith("%"):
            continue  # MyST comment
        for pattern in _INLINE_DROP:
            line = pattern.sub(" ", line)
        out.append((number, line))
    return out


def numerals(path: Path) -> list[str]:
    """Digits in the prose of one chapter that the allow-list does not admit."""
    problems = []
    for number, line in prose_lines(path.read_text(encoding="utf-8")):
        for pattern in ALLOWED.values():
            line = pattern.sub(" ", line)
        for match in re.finditer(r"\d+(?:[.,]\d+)*%?", line):
            problems.append(
                f"{path.name}:{number}: the number {match.group(0)!r} is typed into prose; "
                "glue it ({glue:text}) or rephrase"
            )
    return problems


_CELL = re.compile(r"^```\{code-cell\}.*?$(.*?)^```\s*$", re.MULTILINE | re.DOTALL)


#: The longest code cell a page may hold (non-blank lines).
MAX_CELL_LINES = 10


def cell_problems(name: str, page: str, cell: str) -> list[str]:
    """What in one code cell of page ``name`` (its file stem is ``page``) breaks the calls-only rule."""
    code = "\n".join(line for line in cell.splitlines() if not line.startswith(":"))
    problems = []
    n_lines = sum(1 for line in code.splitlines() if line.strip())
    if n_lines > MAX_CELL_LINES:
        problems.append(f"{name}: a cell of {n_lines} lines (at most {MAX_CELL_LINES})")
    try:
        tree = ast.parse(code)
    except SyntaxError as err:
        return [*problems, f"{name}: a cell that does not parse ({err.msg}, line {err.lineno})"]
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            problems.append(f"{name}: cell line {line}: a def/class/lambda belongs in analysis/")
        elif isinstance(node, ast.Constant) and node.value is not None:
            problems.append(
                f"{name}: cell line {line}: the literal {node.value!r} belongs in analysis.chapters.{page}"
            )
    for stmt in tree.body:
        if not isinstance(stmt, (ast.Import, ast.ImportFrom)) and not (
            isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)
        ):
            problems.append(
                f"{name}: cell line {stmt.lineno}: only imports and calls; "
                f"a {type(stmt).__name__.lower()} belongs in analysis.chapters.{page}"
            )
    return problems


def source_problems(book_dir: Path) -> list[str]:
    """Paired notebooks, direct MyST-NB glue, and the calls-only rule for every page's cells."""
    problems = [
        f"{p.relative_to(book_dir).as_posix()}: a paired .ipynb beside the MyST sources"
        for p in sorted(book_dir.rglob("*.ipynb"))
    ]
    for chapter in sorted(book_dir.rglob("*.md")):
        cells = _CELL.findall(chapter.read_text(encoding="utf-8"))
        for cell in cells:
            if re.search(r"\bmyst_nb\b", cell):
                problems.append(f"{chapter.name}: glue through bookkit.glue, not myst_nb")
            problems += cell_problems(chapter.name, chapter.stem, cell)
        own = re.compile(rf"^from analysis\.chapters import {re.escape(chapter.stem)}$", re.MULTILINE)
        if cells and not any(own.search(cell) for cell in cells):
            problems.append(f"{chapter.name}: the page does not import analysis.chapters.{chapter.stem}")
    return problems


def export_page_code(book_dir: Path, out_dir: Path) -> list[Path]:
    """Write the code cells of every page with code to ``out_dir/<page>.py`` (jupytext ``py:percent``)."""
    import jupytext

    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("*.py"):
        old.unlink()
    written = []
    for chapter in sorted(book_dir.rglob("*.md")):
        notebook = jupytext.read(chapter)
        if not any(cell.cell_type == "code" for cell in notebook.cells):
            continue
        notebook.cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
        target = out_dir / f"{chapter.stem}.py"
        jupytext.write(notebook, target, fmt="py:percent")
        written.append(target)
    return written


if __name__ == "__main__" and sys.argv[1:2] == ["--export-code"]:
    for written in export_page_code(paths.BOOK_DIR, Path(sys.argv[2])):
        print(written)
elif __name__ == "__main__":
    chapters = sorted(paths.BOOK_DIR.rglob("*.md"))
    found = [p for c in chapters for p in numerals(c)] + source_problems(paths.BOOK_DIR)
    print("\n".join(found) or f"prose lint passed ({len(chapters)} chapters)")
    sys.exit(1 if found else 0)
