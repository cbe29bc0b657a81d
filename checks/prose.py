"""Lints on the chapter sources in ``book/``.

* :func:`numerals`: digits typed into prose. Every number in the narrative must be glued; the
  allow-list admits only years, chapter/section/table/figure numbers, identifiers that carry a
  digit (H1, M0, v1) and the file numbers of the source studies (来源研究 003).
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
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

from analysis.data import paths
from bookkit import toc

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
    "source-study file number": re.compile(r"(来源研究|文件)\s*00[0-4](?!\d)"),
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


# --- the text a reader sees: the built pages ------------------------------------------------
#
# Glued values are pasted into sentences at build time, so a sentence that reads well in the
# source can read badly in the book ("有 0 个", "是 无"). These checks read the built HTML.

#: Latin-script words a reader may meet anywhere in the book, by reason. Upper-case labels of at
#: most five letters and digits, alone or joined by ``.``/``-`` (code ids CTX.POL and HS.VP.CD, case
#: ids C-YJ, segment ids SEG-LX-012, events E01, hypotheses H12, models M0, items BPC3,
#: abbreviations such as TWFE, ATT, SEM, DID, HTMT, AVE, REFI-QDA, SHA-256) and single letters
#: (C市, L市X局, p) are identifiers and pass too. Any other word in the main text (the front page
#: and the numbered parts) is a defect: say it in Chinese.
LATIN_ALLOWED: dict[str, frozenset[str]] = {
    "statistical notation": frozenset({"df", "se"}),
    "method, index or scale named after its author": frozenset(
        [
            "Krippendorff",
            "Cohen",
            "Callaway",
            "Sant'Anna",
            "Sun",
            "Abraham",
            "Goodman-Bacon",
            "Roth",
            "Rambachan",
            "HonestDiD",
            "Fornell-Larcker",
            "Fornell",
            "Larcker",
            "Jaccard",
            "Osborne",
            "Moore",
            "Miles",
            "Huberman",
            "Wald",
            "Rademacher",
            "Bonferroni",
            "Holm",
            "Likert",
            "Brent",
        ]
    ),
    "author cited by name": frozenset({"Baker", "Huntington-Klein"}),
    "term of the field or of the sources": frozenset({"Unicode", "App", "BibTeX"}),
    "software a source study names": frozenset({"AMOS"}),
}

#: Identifiers: see :data:`LATIN_ALLOWED`.
LATIN_IDENTIFIER = re.compile(r"^(?:[A-Z][A-Z0-9]{0,4}(?:[.-][A-Z0-9]+)*|[a-z]|v\d+)$")

#: Words an appendix may use besides :data:`LATIN_ALLOWED`: the software, files and data sets it
#: documents. Appendix tables (schemas, file names, package versions, estimates) are not checked.
APPENDIX_ALLOWED = frozenset(
    [
        "Python",
        "Stata",
        "semopy",
        "lavaan",
        "pyfixest",
        "moderndid",
        "diff-diff",
        "did",
        "krippendorff",
        "statsmodels",
        "pandera",
        "pandas",
        "numpy",
        "scipy",
        "altair",
        "Altair",
        "Vega",
        "Vega-Lite",
        "vl-convert",
        "Jupyter",
        "Book",
        "MyST",
        "Sphinx",
        "jupytext",
        "myst-nb",
        "sphinxcontrib-bibtex",
        "jieba",
        "Taguette",
        "qualitative-coding",
        "conda",
        "uv",
        "Debian",
        "Chromium",
        "make",
        "PoliticalDemocracy",
        "mpdta",
        "Medicaid",
        "git",
        "torch",
        "honestdid",
        "research",
        "compendium",
        "README",
        "data",
        "raw",
    ]
)

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:['’._~^+-][A-Za-z0-9]+)*")
#: Numbers that contain letters without being words: 1.2e-05, a commit hash.
_NOT_WORDS = re.compile(r"\d(?:\.\d+)?[eE][-+−]?\d+|\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{7,40}\b")
#: A file of the project, which an appendix names (``data/raw/coded_segments.csv``).
_FILE_NAME = re.compile(r"[\w./-]*\w\.(?:csv|yaml|yml|py|json|txt|qdc|qdpx|cff|bib|md|ipynb|lock)\b")


def latin_allowed(word: str, appendix: bool = False) -> bool:
    """Whether a Latin-script word may stand in the book's text (``appendix``: in an appendix)."""
    word = word.replace("’", "'")
    if LATIN_IDENTIFIER.match(word) or any(word in words for words in LATIN_ALLOWED.values()):
        return True
    return appendix and word in APPENDIX_ALLOWED


#: Phrasings that glued values produce and a reader should never see, with what to write instead.
TEMPLATE_ARTEFACTS: dict[str, re.Pattern[str]] = {
    "a count of zero (write 没有…)": re.compile(
        r"(?<![\d.])0\s*(?:个|项|处|份|条|次|种|名|对(?!\s*\d)|组|篇|家|类|段|位|行)"
    ),
    "a count of one in a plural frame (例如/分别/都/等 need several)": re.compile(
        r"(?<![\d.])1\s*(?:个|项|处|份|条|种|名|对|组|篇|家|类|段|位)[^。；！？]*?"
        r"(?:例如|比如|诸如|分别|均为|都是|都有|都在|都没有|之间|等)"
    ),
    "'n of n' (write 全部 n 个…)": re.compile(
        r"(?<![\d.])(\d+)\s*(个|项|处|份|条|次|种|名|对|组|篇|行|格|段)[^。；，]{0,30}?中(?:有|的)?\s*\1\s*\2"
    ),
    "无 standing for an empty list": re.compile(r"(?:是|为|包括|[：:]|有\s)\s*无\s*(?=[。；，、）)]|$)"),
    "doubled punctuation": re.compile(r"[。；，：、]\s*[”’」』）)》]*\s*[。；，：、]|[！？][”’」』]。"),
    "markup left unrendered (^, _ or ~ inside a word)": re.compile(
        r"[^\s\d]\^[\w{]|[A-Za-z0-9]_[A-Za-z]|\w~\w"
    ),
}

#: Build and tooling talk that belongs in the appendices, not in the main text.
BUILD_TALK: dict[str, re.Pattern[str]] = {
    "a numerical tolerance in e-notation": re.compile(r"\d(?:\.\d+)?\s*[eE]\s*[-+−]\s*\d+"),
    "a script or module path": re.compile(r"[\w/]+\.py\b|benchmarks/"),
    "solver internals (warm starts)": re.compile(r"热启动|warm start", re.IGNORECASE),
}

#: The word for a random seed, never for a source study (其 来源研究 or author and year).
SEED_WORD = re.compile(r"(?<!随机)(?<!随机数)种子")


@dataclass(frozen=True)
class TextBlock:
    """One paragraph, list item, heading, caption or table cell of a built page.

    ``text`` leaves out inline code, math and citations; ``raw`` keeps inline code.
    """

    page: str
    kind: str  # "prose", "caption" or "table"
    appendix: bool
    text: str
    raw: str


_BLOCKS = ("p", "li", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "th", "td")
#: What a reader does not read as prose: code (cells, their explanation, inline code is kept in
#: ``raw``), math, citations (their form is the citation style's), charts, numbering, navigation.
_DROPPED = (
    "script, style, pre, math, .math, .bibtex-citation, a.headerlink, .book-chart, "
    ".caption-number, div.cell, .book-calls-note, nav, .toctree-wrapper"
)


def page_blocks(html: str, page: str, appendix: bool) -> list[TextBlock]:
    """The text blocks of one built page's article."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup.find("main") or soup
    for tag in article.select(_DROPPED):
        tag.decompose()
    blocks = []
    for tag in article.find_all(_BLOCKS):
        if tag.find(_BLOCKS):
            continue  # the innermost block holds the text
        raw = " ".join(tag.get_text(" ").split())
        for code in tag.find_all("code"):
            code.decompose()
        text = " ".join(tag.get_text(" ").split())
        kind = (
            "table"
            if tag.find_parent("table") and not tag.find_parent("caption") and tag.name != "caption"
            else "caption"
            if tag.name == "caption" or tag.find_parent(["figcaption", "caption"])
            else "prose"
        )
        if raw:
            blocks.append(TextBlock(page, kind, appendix, text, raw))
    return blocks


def block_problems(block: TextBlock) -> list[str]:
    """What in one block of text a reader should not meet."""
    where = f"{block.page} ({block.kind}): "
    problems = []
    for reason, pattern in TEMPLATE_ARTEFACTS.items():
        if block.kind == "table" and reason.startswith(("a count", "无")):
            continue  # a table cell may hold a bare 0 or 无
        if block.appendix and reason.startswith("markup"):
            continue  # an appendix names files and fields (note_en, dem60~ind60) on purpose
        text = block.text if reason.startswith("markup") else block.raw
        for match in pattern.finditer(text):
            problems.append(f"{where}{reason}: …{_context(text, match)}…")
    for match in SEED_WORD.finditer(block.text):
        problems.append(
            f"{where}种子 names a random seed only; name a source study by author and year "
            f"or as 来源研究: …{_context(block.text, match)}…"
        )
    if block.appendix and block.kind == "table":
        return problems
    text = _NOT_WORDS.sub(" ", block.text)
    if block.appendix:
        text = _FILE_NAME.sub(" ", text)
    for word in sorted({m.group(0) for m in _LATIN_WORD.finditer(text)}):
        if not latin_allowed(word, block.appendix):
            problems.append(
                f"{where}the Latin-script word {word!r} is not on the allow-list: say it in Chinese"
            )
    if not block.appendix:
        for reason, pattern in BUILD_TALK.items():
            for match in pattern.finditer(block.raw):
                problems.append(f"{where}{reason} belongs in an appendix: …{_context(block.raw, match)}…")
    return problems


def _context(text: str, match: re.Match[str], width: int = 12) -> str:
    return text[max(0, match.start() - width) : match.end() + width]


def bold_numbers(html: str, page: str) -> list[str]:
    """Numbers set in bold in the article (a computed number reads like the rest of the sentence)."""
    soup = BeautifulSoup(html, "html.parser")
    article = soup.find("article") or soup
    return [
        f"{page}: the number in bold {tag.get_text(strip=True)!r}"
        for tag in article.find_all(["strong", "b"])
        if re.search(r"\d", tag.get_text())
    ]


_PASTED_BOLD = re.compile(r"span\.pasted-text\s*\{[^}]*font-weight:\s*bold", re.DOTALL)
_PASTED_PLAIN = re.compile(r"span\.pasted-text\s*\{[^}]*font-weight:\s*(?:normal|inherit|400)", re.DOTALL)


def glue_styles(html_dir: Path) -> list[str]:
    """A stylesheet that sets glued text in bold (MyST-NB's does) must be overridden by the book's."""
    sheets = [
        css.read_text(encoding="utf-8", errors="replace") for css in sorted(html_dir.glob("_static/**/*.css"))
    ]
    if any(_PASTED_BOLD.search(s) for s in sheets) and not any(_PASTED_PLAIN.search(s) for s in sheets):
        return ["_static: glued values (span.pasted-text) are set in bold and no book style resets them"]
    return []


def reader_pages(html_dir: Path) -> list[tuple[Path, bool]]:
    """The built pages of the book in reading order, each with whether it is an appendix."""
    main = {"book/index"} | {doc for part in toc.parts() if part.numbered for doc in part.docs}
    return [
        (html_dir / f"{doc}.html", doc not in main)
        for doc in toc.chapters()
        if (html_dir / f"{doc}.html").is_file() and doc != "book/references"
    ]


def reader_text_problems(html_dir: Path = paths.HTML_DIR) -> list[str]:
    """Every template artefact, stray Latin word, build talk and bold number in the built book."""
    problems = []
    for page, appendix in reader_pages(html_dir):
        html = page.read_text(encoding="utf-8")
        name = page.relative_to(html_dir).as_posix()
        for block in page_blocks(html, name, appendix):
            problems += block_problems(block)
        problems += bold_numbers(html, name)
    return problems + glue_styles(html_dir)


if __name__ == "__main__" and sys.argv[1:2] == ["--export-code"]:
    for written in export_page_code(paths.BOOK_DIR, Path(sys.argv[2])):
        print(written)
elif __name__ == "__main__":
    chapters = sorted(paths.BOOK_DIR.rglob("*.md"))
    found = [p for c in chapters for p in numerals(c)] + source_problems(paths.BOOK_DIR)
    if (paths.HTML_DIR / "index.html").is_file():
        found += reader_text_problems(paths.HTML_DIR)
    else:
        found.append(f"{paths.HTML_DIR}: no built book, so the text a reader sees was not checked")
    print("\n".join(found) or f"prose lint passed ({len(chapters)} chapters)")
    sys.exit(1 if found else 0)
