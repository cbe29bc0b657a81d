"""Checks on the book's PDF (``make pdf`` runs them after XeLaTeX).

* every inline glued value that the HTML shows is also in the PDF's text;
* the numbered chapters are headed 第1章 … 第N章, in one sequence, N from ``_toc.yml``;
* the PDF holds at least one image per chart of the HTML book (the charts go in as PNGs);
* the text is Chinese text, not tofu: the PDF's text layer has the book's title.

``python -m checks.pdf`` checks ``_build/latex/book.pdf`` against ``_build/html``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bs4 import BeautifulSoup

from analysis.data import paths
from bookkit import toc

__all__ = ["chapter_heads", "missing_glue", "pdf_text", "run_all"]

PDF = paths.BUILD_DIR / "latex" / "book.pdf"
_SPACE = re.compile(r"\s+")


#: The bands of each page that hold the running head and the page number (points from the top
#: and from the bottom of the page; the book's A4 pages have their head at 36–47 pt and their
#: foot at 793–805 pt, the body between 72 and 775 pt).
HEAD_BAND, FOOT_BAND = 60, 60
#: xeCJK sets the ellipsis in the CJK font, whose glyph the text layer gives back as U+22EF.
_SAME = str.maketrans({"⋯": "…"})


def _page_size(pdf: Path) -> tuple[float, float]:
    done = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", done.stdout)
    if found is None:
        raise ValueError(f"{pdf}: pdfinfo gives no page size")
    return float(found.group(1)), float(found.group(2))


def _pdftotext(pdf: Path, *options: str) -> str:
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *options, str(pdf), "-"], capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def pdf_text(pdf: Path) -> str:
    """The text of the PDF's page bodies (poppler's ``pdftotext -raw``), all white space removed.

    Only the text between the running heads and the page numbers, so that a sentence broken
    across two pages reads on without the page's furniture in between; ``-raw`` gives it in the
    order it was set (a justified line's pieces can otherwise come out of order).
    """
    width, height = _page_size(pdf)
    crop = ["-x", "0", "-y", str(HEAD_BAND), "-W", str(int(width) + 1)]
    crop += ["-H", str(int(height - HEAD_BAND - FOOT_BAND))]
    return _SPACE.sub("", _pdftotext(pdf, "-raw", *crop))


def missing_glue(html_dir: Path, text: str) -> list[str]:
    """Inline glued values in the HTML chapters that the PDF text does not contain."""
    problems = []
    text = text.translate(_SAME)
    for page in sorted((html_dir / "book").rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        for span in soup.select("span[class*=pasted]"):
            value = _SPACE.sub("", span.get_text()).translate(_SAME)
            if value and value not in text:
                problems.append(f"{page.name}: glued value {value!r} is not in the PDF")
    return problems


def chapter_heads(text: str, n_chapters: int) -> list[str]:
    """Problems with the sequence of chapter heads 第1章 … 第N章 in the PDF text.

    ``text`` is the text layer with its lines (``pdftotext``'s own): a head starts its line,
    where a chapter cited in the prose ("《The Effect》第 18 章") does not.
    """
    found = [int(n) for n in re.findall(r"^第\s*(\d+)\s*章", text, flags=re.MULTILINE)]
    problems = [f"no chapter head 第{n}章 in the PDF" for n in range(1, n_chapters + 1) if n not in found]
    problems += [
        f"chapter head 第{n}章 beyond the {n_chapters} numbered chapters"
        for n in set(found)
        if n > n_chapters
    ]
    return problems


def _image_count(pdf: Path) -> int:
    done = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True)
    rows = done.stdout.splitlines()[2:]
    return sum(1 for row in rows if row.split() and row.split()[2] == "image")


def _chart_count(html_dir: Path) -> int:
    count = 0
    for page in sorted((html_dir / "book").rglob("*.html")):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        count += len(soup.select(".book-chart"))
    return count


def _title(html_dir: Path) -> str:
    soup = BeautifulSoup((html_dir / "book" / "index.html").read_text(encoding="utf-8"), "html.parser")
    heading = soup.find("h1")
    if heading is None:
        return ""
    for link in heading.select("a.headerlink"):
        link.decompose()
    return _SPACE.sub("", heading.get_text())


def missing_characters(log: Path) -> list[str]:
    """Characters XeLaTeX could not find in any font (they print as nothing in the PDF)."""
    if not log.is_file():
        return [f"{log}: no LaTeX log"]
    found = re.findall(
        r"Missing character: There is no (.) \((U\+[0-9A-F]+)\)", log.read_text(errors="replace")
    )
    return [f"{char} ({code}) has no glyph in the PDF's fonts" for char, code in sorted(set(found))]


def run_all(pdf: Path = PDF, html_dir: Path = paths.HTML_DIR) -> list[str]:
    """All PDF checks; an empty list means the PDF passes."""
    if not pdf.is_file():
        return [f"{pdf}: no PDF (run `make pdf`)"]
    text = pdf_text(pdf)
    numbered = sum(len(part.docs) for part in toc.parts() if part.numbered)
    problems = missing_glue(html_dir, text) + chapter_heads(_pdftotext(pdf), numbered)
    problems += missing_characters(pdf.with_suffix(".log"))
    charts, images = _chart_count(html_dir), _image_count(pdf)
    if images < charts:
        problems.append(f"the HTML book has {charts} charts but the PDF only {images} images")
    if _title(html_dir) not in text:
        problems.append("the book's Chinese title is not in the PDF's text layer (missing CJK font?)")
    return problems


if __name__ == "__main__":
    found = run_all()
    print("\n".join(found) or f"PDF checks passed ({PDF})")
    sys.exit(1 if found else 0)
