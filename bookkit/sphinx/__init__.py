"""The book's Sphinx extension (``bookkit.sphinx`` in ``_config.yml``): :func:`setup` connects the handlers.

One module per concern:

* :mod:`~bookkit.sphinx.vega`: the offline Vega bundle, ``_static/vega-bundle.js``;
* :mod:`~bookkit.sphinx.exports`: the coding's REFI-QDA exports in ``_build/exports``;
* :mod:`~bookkit.sphinx.theme`: the theme's default colour mode, the book's stylesheet,
  sphinx-thebe's scripts removed, accessibility repairs of the theme's markup;
* :mod:`~bookkit.sphinx.downloads`: the executed notebooks and the whole-book PDF in the download
  menu, the PDF copied into the site;
* :mod:`~bookkit.sphinx.registry`: the glue registry ``_build/glue.json``;
* :mod:`~bookkit.sphinx.search`: the Chinese search's query splitter, its word cuts kept between
  builds, and its results' snippets;
* :mod:`~bookkit.sphinx.latex_parts` and :mod:`~bookkit.sphinx.latex_tables`: the PDF's part
  pages and appendix, and its tables;
* :mod:`~bookkit.sphinx.execute`: the stale pages (by what each used:
  :mod:`~bookkit.sphinx.inputs`) executed in parallel into MyST-NB's cache
  (:mod:`~bookkit.sphinx.pool`) while Sphinx reads the others, each read once it is in the cache,
  and the pages that paste their glue read again;
* :mod:`~bookkit.sphinx.glue_keys` and :mod:`~bookkit.sphinx.provenance`: the glue roles keep
  their key, and every glued value, table and figure opens a panel with its origin;
* :mod:`~bookkit.sphinx.calls`: the page's code cell shown collapsed, with what it does;
* :mod:`~bookkit.sphinx.segments`: the segment browser's rows and filters, and a link from
  every segment id in the book to its row;
* :mod:`~bookkit.sphinx.numbering`: lettered appendices (表 A.1) and ``{numref}`` as 第9章;
* :mod:`~bookkit.sphinx.citations`: citations and the reference list in Chinese form;
* :mod:`~bookkit.sphinx.build`: the build root the handlers write to.
"""

from __future__ import annotations

from typing import Any

import pybtex.plugin
from sphinx.application import Sphinx
from sphinx.search import languages
from sphinxcontrib.bibtex.plugin import register_plugin

from bookkit.sphinx import (
    calls,
    citations,
    downloads,
    execute,
    exports,
    glue_keys,
    latex_parts,
    latex_tables,
    numbering,
    pool,
    provenance,
    registry,
    search,
    segments,
    theme,
    vega,
)

__all__ = ["setup"]


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the event handlers."""
    app.add_config_value("bookkit_execution_workers", pool.DEFAULT_WORKERS, "env", types=[int])
    app.connect("env-get-outdated", execute.execute_stale_pages)
    app.connect("env-before-read-docs", execute.read_executed_pages_last)
    app.connect("source-read", execute.wait_for_execution)
    app.connect("env-updated", execute.finish_execution)
    app.connect("build-finished", execute.stop_execution)
    app.connect("doctree-read", execute.record_glue_sources)
    app.connect("env-purge-doc", execute.purge_glue_sources)
    app.connect("env-merge-info", execute.merge_glue_sources)
    app.connect("build-finished", execute.forget_environment_after_failure)
    app.add_domain(glue_keys.BookGlueDomain, override=True)
    app.add_domain(numbering.BookStandardDomain, override=True)
    app.connect("builder-inited", numbering.number_with_the_toc)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "book_zh", citations.BookBibStyle, force=True)
    register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "book_zh", citations.BookReferenceStyle, force=True
    )
    app.connect("config-inited", theme.theme_defaults)
    app.connect("builder-inited", vega.write_bundle)
    app.connect("builder-inited", theme.book_style)
    app.connect("builder-inited", exports.write_exports)
    app.connect("builder-inited", provenance.add_static)
    app.connect("html-page-context", theme.drop_thebe)
    app.connect("html-page-context", downloads.offer_notebook, priority=500)
    app.connect("html-page-context", downloads.offer_pdf, priority=502)
    app.connect("build-finished", registry.write_glue_registry)
    app.connect("build-finished", downloads.copy_pdf)
    app.connect("build-finished", theme.repair_pages)
    app.connect("build-finished", search.write_texts)
    app.connect("builder-inited", search.load_cuts)
    app.connect("build-finished", search.save_cuts)
    app.connect("html-page-context", search.offer_texts)
    app.connect("doctree-resolved", search.collect_texts)
    languages["zh"] = search.ChineseSearch
    app.connect("doctree-resolved", calls.explain_calls)
    app.connect("doctree-resolved", segments.mark_browser)
    app.connect("doctree-resolved", segments.link_segments)
    app.connect("doctree-resolved", provenance.add_panels)
    app.connect("doctree-resolved", latex_parts.latex_parts)
    app.connect("doctree-resolved", latex_tables.latex_tables)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
