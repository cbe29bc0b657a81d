"""The download menu and the whole-book PDF.

* ``build-finished``: after a successful HTML build, copies the book's PDF into the site when
  ``make pdf`` has built it (``_build/latex/book.pdf`` -> ``_build/html/book.pdf``), and removes
  a stale copy when it has not.
* ``html-page-context``: offers each notebook chapter's executed ``.ipynb`` in the theme's
  download menu (next to the MyST ``.md`` source), and the whole-book PDF when it exists. The PDF
  entry appears only when the PDF is part of the site, so the link is never broken.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx

from bookkit.sphinx.build import build_root

__all__ = ["PDF_BUILT", "PDF_IN_SITE", "copy_pdf", "notebook_for_readers", "offer_notebook", "offer_pdf"]

#: The whole-book PDF as ``make pdf`` leaves it (relative to the build root) and in the site.
PDF_BUILT = Path("latex") / "book.pdf"
PDF_IN_SITE = "book.pdf"


def _pdf(app: Sphinx) -> Path:
    return build_root(app) / PDF_BUILT


def copy_pdf(app: Sphinx, exception: BaseException | None) -> None:
    """Copy the built PDF into the HTML site, or remove a copy whose PDF is gone."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / PDF_IN_SITE
    if _pdf(app).is_file():
        shutil.copy2(_pdf(app), target)
    elif target.exists():
        target.unlink()


def notebook_for_readers(executed: Path) -> str:
    """The executed notebook, with each chart's HTML dropped where a PNG of it exists.

    The HTML output calls the site's ``vegaEmbed``, which a reader's Jupyter does not have; the
    PNG then shows instead.
    """
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "image/png" in data and "vegaEmbed(" in "".join(data.get("text/html", [])):
                del data["text/html"]
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


def offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    """Put the page's executed notebook in ``_sources`` and name it for the download menu."""
    # Runs before the theme builds its download menu (priority 501), which then lists the .ipynb.
    executed = build_root(app) / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(notebook_for_readers(executed), encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def offer_pdf(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Add the whole-book PDF to the download menu when the PDF has been built."""
    # Runs after the theme built its download menu (priority 501).
    if not _pdf(app).is_file():
        return
    for button in context.get("header_buttons", []):
        if button.get("label") == "download-buttons":
            button["buttons"].append(
                {
                    "type": "link",
                    "url": context["pathto"](PDF_IN_SITE, 1),
                    "text": "全书 PDF",
                    "tooltip": "下载全书 PDF（XeLaTeX 排版）",
                    "icon": "fas fa-book",
                    "label": "download-book-pdf-button",
                }
            )
