r"""Sphinx extension of the book: the offline Vega bundle and the glue registry.

* ``builder-inited``: writes ``vl_convert.javascript_bundle()`` to ``_build/.vega/vega-bundle.js``,
  adds that folder to ``html_static_path`` and the script to every page, so the site's
  ``_static/vega-bundle.js`` is the only source of Vega, Vega-Lite and vega-embed.
* ``html-page-context``: drops sphinx-thebe's scripts (an offline book has no live kernel, and
  they name a CDN URL and redeclare a constant on every page).
* ``builder-inited``: also writes the coding's REFI-QDA exports to ``_build/exports``: the
  codebook as ``codebook.qdc`` and a Taguette CSV (both linked from the methods chapter), and,
  when the seeds are available, the whole project as ``project.qdpx``. The project embeds the
  full seed texts, whose copyright stays with their authors, so it is built locally and never
  published with the site.
* ``build-finished``: after a successful HTML build, writes ``_build/glue.json`` from the
  glue records in ``_build/jupyter_execute``, and copies the book's PDF into the site when
  ``make pdf`` has built it (``_build/latex/book.pdf`` -> ``_build/html/book.pdf``).
* ``html-page-context``: offers each notebook chapter's executed ``.ipynb`` in the theme's
  download menu (next to the MyST ``.md`` source), and the whole-book PDF when it exists. The PDF
  entry appears only when the PDF is part of the site, so the link is never broken.
* the Chinese search: jieba segments the pages into words for the index, but the search page
  split a query only at spaces and punctuation, so a query such as 价值共创 (indexed as 价值 and
  共创) found nothing. :class:`ChineseSearch` sends a query splitter to the page that segments
  each run of Chinese characters by longest match against the index's own words.
* ``build-finished``: small accessibility repairs of the theme's markup in every page
  (:func:`checks.a11y.repair_theme_markup`).
* ``doctree-resolved`` (LaTeX only): a part page before the first chapter of each part of
  ``_toc.yml`` and ``\appendix`` before the unnumbered part, so the PDF's chapters run 第1章 …
  in one sequence and the appendix chapters are lettered.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.search import languages
from sphinx.search.zh import SearchChinese

from analysis.coding import refiqda
from analysis.coding.codebook import load_codebook
from analysis.data import paths
from analysis.report.chart import javascript_bundle
from bookkit import toc
from bookkit.latex import allow_breaks_in_paths, column_weights, natural_widths, tex_escape
from bookkit.registry import registry_from_dir, write_registry
from checks import a11y

__all__ = ["setup"]

BUNDLE_NAME = "vega-bundle.js"
#: The whole-book PDF as ``make pdf`` leaves it (relative to the build root) and in the site.
PDF_BUILT = Path("latex") / "book.pdf"
PDF_IN_SITE = "book.pdf"


def _build_root(app: Sphinx) -> Path:
    # outdir is _build/html (or _build/latex); the build root is its parent.
    return Path(app.outdir).resolve().parent


def _write_bundle(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    folder = _build_root(app) / ".vega"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / BUNDLE_NAME
    # The bundle declares top-level constants (``_`` among them) that clash with the theme's
    # globals in a classic script; a function scope isolates them. It exports window.vegaEmbed.
    bundle = "(function () {\n" + javascript_bundle() + "\n})();\n"
    if not target.exists() or target.read_text(encoding="utf-8") != bundle:
        target.write_text(bundle, encoding="utf-8")
    app.config.html_static_path.append(str(folder))
    app.add_js_file(BUNDLE_NAME)


def _write_exports(app: Sphinx) -> None:
    folder = _build_root(app) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    codebook = load_codebook(paths.RAW_DIR / "codebook.yaml")
    (folder / "codebook.qdc").write_bytes(refiqda.codebook_to_qdc(codebook))
    (folder / "codebook_taguette.csv").write_text(
        refiqda.codebook_to_taguette_csv(codebook), encoding="utf-8"
    )
    if paths.seeds_dir().is_dir():
        refiqda.write_exports(folder)


def _is_thebe(script: Any) -> bool:
    name = str(getattr(script, "filename", script) or "")
    body = str(getattr(script, "attributes", {}).get("body", ""))
    return "thebe" in name.lower() or "THEBE" in body


def _drop_thebe(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    scripts = context.get("script_files")
    if scripts:
        context["script_files"] = [s for s in scripts if not _is_thebe(s)]


def _write_registry(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    root = _build_root(app)
    execute_dir = root / "jupyter_execute"
    rows = registry_from_dir(execute_dir) if execute_dir.is_dir() else []
    write_registry(rows, root / "glue.json")


#: The search page's query splitter (``splitQuery``, read by Sphinx's searchtools.js): Latin text
#: splits as before; each run of Han characters is cut into the longest words the index knows.
SPLIT_QUERY_JS = r"""
var splitQuery = (query) => {
  const index = (typeof Search !== "undefined" && Search._index) || {};
  const has = (table, word) => !!table && Object.prototype.hasOwnProperty.call(table, word);
  const known = (word) => has(index.terms, word) || has(index.titleterms, word);
  const out = [];
  query.split(/[^\p{Letter}\p{Number}_\p{Emoji_Presentation}]+/gu).filter((t) => t).forEach((chunk) => {
    chunk.split(/(\p{Script=Han}+)/u).filter((t) => t).forEach((part) => {
      if (!/^\p{Script=Han}+$/u.test(part) || known(part)) { out.push(part); return; }
      const words = [];
      let i = 0;
      while (i < part.length) {
        let j = part.length;
        while (j > i + 1 && !known(part.slice(i, j))) j--;
        if (j > i + 1) { words.push(part.slice(i, j)); i = j; } else { i += 1; }
      }
      out.push(...(words.length ? words : [part]));
    });
  });
  return out;
};
"""


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search, with a query splitter that matches how the index was cut."""

    js_splitter_code = SPLIT_QUERY_JS


def _repair_pages(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for page in Path(app.outdir).rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        repaired = a11y.repair_theme_markup(text)
        if repaired != text:
            page.write_text(repaired, encoding="utf-8")


def _theme_defaults(app: Sphinx, config: Any) -> None:
    # Without a default colour mode the theme logs "Got invalid theme mode" on a first visit.
    config.html_context.setdefault("default_mode", "auto")


def _pdf(app: Sphinx) -> Path:
    return _build_root(app) / PDF_BUILT


def _copy_pdf(app: Sphinx, exception: BaseException | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / PDF_IN_SITE
    if _pdf(app).is_file():
        shutil.copy2(_pdf(app), target)
    elif target.exists():
        target.unlink()


def _notebook_for_readers(executed: Path) -> str:
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


def _offer_notebook(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    # Runs before the theme builds its download menu (priority 501), which then lists the .ipynb.
    executed = _build_root(app) / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file():
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(_notebook_for_readers(executed), encoding="utf-8")
    context["ipynb_source"] = f"{pagename}.ipynb"


def _offer_pdf(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
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


def _latex_parts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.format != "latex" or docname != app.config.root_doc:
        return
    first = {part.docs[0]: part for part in toc.parts() if part.docs}
    # The root page's own sections are front matter: unnumbered, before the first part.
    doctree.insert(0, nodes.raw("", "\\bookfrontmatter\n", format="latex"))
    main_started = appendix_started = False
    for sof in list(doctree.findall(addnodes.start_of_file)):
        part = first.get(sof.get("docname", ""))
        if part is None:
            continue
        tex = ""
        if not main_started:
            tex += "\\bookmainmatter\n"
            main_started = True
        if not part.numbered and not appendix_started:
            tex += "\\appendix\n"
            appendix_started = True
        tex += "\\bookpart{" + tex_escape(part.caption) + "}\n"
        sof.parent.insert(sof.parent.index(sof), nodes.raw("", tex, format="latex"))


def _latex_tables(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Every table as a longtable (it may break across pages) with columns sized by content."""
    if app.builder.format != "latex":
        return
    for table in doctree.findall(nodes.table):
        allow_breaks_in_paths(table)
        for tgroup in table.findall(nodes.tgroup):
            widest, longest = natural_widths(tgroup)
            colspecs = [c for c in tgroup.children if isinstance(c, nodes.colspec)]
            for colspec, weight in zip(
                colspecs, column_weights([max(w, 4) for w in widest], longest), strict=True
            ):
                colspec["colwidth"] = weight
        for cls in ("longtable", "colwidths-given"):
            if cls not in table["classes"]:
                table["classes"].append(cls)


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the event handlers."""
    app.connect("config-inited", _theme_defaults)
    app.connect("builder-inited", _write_bundle)
    app.connect("builder-inited", _write_exports)
    app.connect("html-page-context", _drop_thebe)
    app.connect("html-page-context", _offer_notebook, priority=500)
    app.connect("html-page-context", _offer_pdf, priority=502)
    app.connect("build-finished", _write_registry)
    app.connect("build-finished", _copy_pdf)
    app.connect("build-finished", _repair_pages)
    languages["zh"] = ChineseSearch
    app.connect("doctree-resolved", _latex_parts)
    app.connect("doctree-resolved", _latex_tables)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
