"""Lints on the chapter sources in ``book/``.

* :func:`numerals`: digits typed into prose. Every number in the narrative must be glued; the
  allow-list admits only years, chapter/section/table/figure numbers, identifiers that carry a
  digit (H1, M0, v1) and seed numbers.
* :func:`source_problems`: a paired ``.ipynb`` beside the sources, a chapter that glues through
  ``myst_nb`` directly (bypassing :mod:`bookkit.glue`), or a ``def``/``class`` in a cell.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from analysis.data import paths

__all__ = ["ALLOWED", "numerals", "prose_lines", "source_problems"]

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


def source_problems(book_dir: Path) -> list[str]:
    """Paired notebooks, direct MyST-NB glue, and definitions inside chapter cells."""
    problems = [
        f"{p.relative_to(book_dir).as_posix()}: a paired .ipynb beside the MyST sources"
        for p in sorted(book_dir.rglob("*.ipynb"))
    ]
    for chapter in sorted(book_dir.rglob("*.md")):
        for cell in _CELL.findall(chapter.read_text(encoding="utf-8")):
            if re.search(r"\bmyst_nb\b", cell):
                problems.append(f"{chapter.name}: glue through bookkit.glue, not myst_nb")
            if re.search(r"^\s*(def|class)\s", cell, re.MULTILINE):
                problems.append(f"{chapter.name}: a def/class in a cell belongs in analysis/")
    return problems


if __name__ == "__main__":
    chapters = sorted(paths.BOOK_DIR.rglob("*.md"))
    found = [p for c in chapters for p in numerals(c)] + source_problems(paths.BOOK_DIR)
    print("\n".join(found) or f"prose lint passed ({len(chapters)} chapters)")
    sys.exit(1 if found else 0)
