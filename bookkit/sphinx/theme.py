"""Repairs of the theme's output: its default colour mode, sphinx-thebe's scripts, its markup.

* ``config-inited``: a default colour mode (without it the theme logs "Got invalid theme mode" on
  a first visit).
* ``builder-inited``: the book's stylesheet, ``_static/book.css``: glued values read like the rest
  of the sentence (MyST-NB sets them in bold, so every computed number stood out).
* ``html-page-context``: drops sphinx-thebe's scripts (an offline book has no live kernel, and
  they name a CDN URL and redeclare a constant on every page).
* ``build-finished``: small accessibility repairs of the theme's markup in every page
  (:func:`repair_theme_markup`).

The theme (pydata-sphinx-theme 0.17 under sphinx-book-theme) and MyST-NB write things that
axe-core reports as serious; :func:`repair_theme_markup` fixes them in each built page:

* the sidebar's expand/collapse ``<summary>`` holds only an icon, so it has no name;
* the search button's ``aria-label`` (搜索) leaves out part of its visible text (Ctrl+K);
* the colour-mode button is labelled "Color mode" while its visible icon is titled 亮色 etc.;
* MyST-NB labels the summary of a collapsed code cell "Toggle hidden content", which is not its
  visible text (显示本页的计算代码): the label goes, the visible text names it;

and docutils marks the bibliography ``role="list"`` but its entries ``role="doc-biblioentry"``
(a role DPUB-ARIA 1.1 deprecated for that reason), which axe reports as critical: the entries
become ``role="listitem"``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from bookkit.sphinx.build import build_root

__all__ = ["BOOK_CSS", "book_style", "drop_thebe", "repair_pages", "repair_theme_markup", "theme_defaults"]

#: The book's own style rules, loaded after the theme's and MyST-NB's.
BOOK_CSS = """/* glued values are part of the sentence: not bold (MyST-NB's default) */
span.pasted-text {
  font-weight: inherit;
}
"""


def theme_defaults(app: Sphinx, config: Any) -> None:
    """Give the theme a default colour mode."""
    # Without a default colour mode the theme logs "Got invalid theme mode" on a first visit.
    config.html_context.setdefault("default_mode", "auto")


def book_style(app: Sphinx) -> None:
    """Write ``book.css`` into the build and load it on every HTML page, after the other styles."""
    if app.builder.format != "html":
        return
    folder = build_root(app) / ".style"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / "book.css"
    if not target.exists() or target.read_text(encoding="utf-8") != BOOK_CSS:
        target.write_text(BOOK_CSS, encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_css_file("book.css", priority=900)


def _is_thebe(script: Any) -> bool:
    name = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE" in body


def drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Remove sphinx-thebe's scripts from the page."""
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


_SUMMARY = re.compile(r'<summary>(\s*<span class="toctree-toggle" role="presentation">)')
_SEARCH_BUTTON = re.compile(r"<button[^>]*\bsearch-button-field\b[^>]*>")
_ARIA_LABEL = re.compile(r'\saria-label="[^"]*"')
_THEME_SWITCH = re.compile(r'aria-label="Color mode"')
_SYSTEM_TITLE = re.compile(r'title="System Settings"')


def repair_theme_markup(html: str) -> str:
    """The page with the theme's three unnamed or mislabelled controls repaired."""
    html = _SUMMARY.sub(r'<summary aria-label="展开或收起下级章节">\1', html)
    # its visible text (搜索 Ctrl+K) names the search button
    html = _SEARCH_BUTTON.sub(lambda m: _ARIA_LABEL.sub("", m.group(0)), html)
    html = _THEME_SWITCH.sub('aria-label="配色：亮色、暗色或跟随系统"', html)
    html = _SYSTEM_TITLE.sub('title="跟随系统"', html)
    html = html.replace('<summary aria-label="Toggle hidden content">', "<summary>")
    return html.replace('role="doc-biblioentry"', 'role="listitem"')


def repair_pages(app: Sphinx, exception: BaseException | None) -> None:
    """Apply :func:`repair_theme_markup` to every built HTML page."""
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        repaired = repair_theme_markup(text)
        if repaired != text:
            page.write_text(repaired, encoding="utf-8")
