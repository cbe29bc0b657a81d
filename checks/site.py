"""Checks on the built HTML site: offline loading, rendered glue, labelled figures and tables.

Each function returns a list of problems (one readable line each); an empty list means the
site passes. ``python -m checks.site`` runs them all on ``_build/html``.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from analysis.data import paths

__all__ = [
    "book_pages",
    "empty_glue",
    "external_loads",
    "run_all",
    "unlabelled_figures_and_tables",
]

_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*((?:https?:)?//[^)'\"]+)", re.IGNORECASE)
_CDN_HOSTS = re.compile(r"cdn\.jsdelivr\.net|unpkg\.com|cdnjs\.cloudflare\.com|googleapis\.com")
#: (tag, attribute) pairs that make the browser fetch something.
_LOADING = (
    ("script", "src"),
    ("img", "src"),
    ("img", "srcset"),
    ("iframe", "src"),
    ("source", "src"),
    ("source", "srcset"),
    ("video", "src"),
    ("audio", "src"),
    ("embed", "src"),
    ("object", "data"),
    ("input", "src"),
)
_LOADING_LINK_RELS = {"stylesheet", "preload", "modulepreload", "icon", "shortcut", "prefetch", "manifest"}


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def book_pages(html_dir: Path) -> Iterator[Path]:
    """The chapter pages (Sphinx's own genindex/search pages excluded)."""
    yield from sorted((html_dir / "book").rglob("*.html"))


def external_loads(html_dir: Path) -> list[str]:
    """Every script, style, font or image that a page or stylesheet would fetch from another host."""
    problems = []
    for page in sorted(html_dir.rglob("*.html")):
        rel = page.relative_to(html_dir).as_posix()
        soup = _soup(page)
        for tag_name, attr in _LOADING:
            for tag in soup.find_all(tag_name):
                value = tag.get(attr)
                if isinstance(value, str) and _REMOTE.match(value):
                    problems.append(f"{rel}: <{tag_name} {attr}={value!r}> loads from another host")
        for link in soup.find_all("link"):
            rels = {r.lower() for r in (link.get("rel") or [])}
            href = link.get("href")
            if rels & _LOADING_LINK_RELS and isinstance(href, str) and _REMOTE.match(href):
                problems.append(f"{rel}: <link rel={sorted(rels)} href={href!r}> loads from another host")
        for tag in soup.find_all(["script", "style"]):
            body = tag.string or ""
            if _CDN_HOSTS.search(body) or _CSS_URL.search(body):
                problems.append(f"{rel}: inline <{tag.name}> names a remote host")
        for tag in soup.find_all(style=True):
            if _CSS_URL.search(str(tag["style"])):
                problems.append(f"{rel}: inline style loads a remote url()")
    for css in sorted(html_dir.rglob("*.css")):
        for match in _CSS_URL.finditer(css.read_text(encoding="utf-8", errors="replace")):
            problems.append(f"{css.relative_to(html_dir).as_posix()}: url({match.group(1)})")
    return problems


def empty_glue(html_dir: Path) -> list[str]:
    """Inline glue that rendered empty (a missing key or a failed format spec)."""
    problems = []
    for page in book_pages(html_dir):
        for span in _soup(page).select("span[class*=pasted]"):
            if not span.get_text(strip=True):
                problems.append(f"{page.relative_to(html_dir).as_posix()}: an inline glue rendered empty")
    return problems


def _main_content(soup: BeautifulSoup) -> Tag | BeautifulSoup:
    main = soup.find("main") or soup.find("article")
    return main if isinstance(main, Tag) else soup


def unlabelled_figures_and_tables(html_dir: Path) -> list[str]:
    """Every figure and table in a chapter has a label (an id) and a non-empty caption."""
    problems = []
    for page in book_pages(html_dir):
        rel = page.relative_to(html_dir).as_posix()
        main = _main_content(_soup(page))
        for fig in main.find_all("figure"):
            caption = fig.find("figcaption")
            if not fig.get("id") or not caption or not caption.get_text(strip=True):
                problems.append(f"{rel}: a figure without a label or caption")
        for table in main.find_all("table"):
            classes: list[str] = list(table.get("class") or [])
            if "highlighttable" in classes:
                continue
            caption = table.find("caption")
            if not table.get("id") or not caption or not caption.get_text(strip=True):
                problems.append(f"{rel}: a table without a label or caption")
    return problems


def run_all(html_dir: Path = paths.HTML_DIR) -> list[str]:
    """All site checks."""
    if not (html_dir / "index.html").is_file():
        return [f"{html_dir}: no built site (run `make book` first)"]
    return external_loads(html_dir) + empty_glue(html_dir) + unlabelled_figures_and_tables(html_dir)


if __name__ == "__main__":
    found = run_all()
    print("\n".join(found) or "site checks passed")
    sys.exit(1 if found else 0)
