r"""The PDF's parts and appendix (``doctree-resolved``, LaTeX only).

A part page before the first chapter of each part of ``_toc.yml`` and ``\appendix`` before the
unnumbered part, so the PDF's chapters run 第1章 … in one sequence and the appendix chapters are
lettered. The root page's own sections become unnumbered front matter.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx

from bookkit import toc
from bookkit.latex import tex_escape

__all__ = ["latex_parts"]


def latex_parts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Insert the front matter, main matter, part and appendix commands into the root doctree."""
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
