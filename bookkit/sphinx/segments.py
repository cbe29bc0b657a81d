"""The segment browser and the links to it (``doctree-resolved``, HTML only).

* :func:`link_segments`: every segment id in the book's text (``SEG-LX-001``) becomes a link to
  its row in the segment browser (``book/segments``), at the anchor
  :func:`analysis.report.format.segment_link` names.
* :func:`mark_browser`: in the browser's table (``tbl-seg-all``) each row gets its segment's
  anchor, and each header cell a class naming its column
  (:data:`analysis.report.segment_browser.COLUMNS`), ``seg-filter`` on the columns to filter by.
  ``_static/book-segments.js`` builds the filter menus from those columns' values, so a new
  column (the actors, when their coding exists) gets its menu without a change here.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx

from analysis.report.format import segment_link
from analysis.report.segment_browser import COLUMNS, FILTERS
from bookkit.sphinx.glue_keys import is_glued_value, within

__all__ = ["BROWSER_PAGE", "BROWSER_TABLE", "SEGMENT_ID", "link_segments", "mark_browser"]

BROWSER_PAGE = "book/segments"
BROWSER_TABLE = "tbl-seg-all"
SEGMENT_ID = re.compile(r"SEG-[A-Z]+(?:-[A-Z]+)*-\d{3}")
_SKIP = (nodes.literal_block, nodes.literal, nodes.reference, nodes.raw, nodes.title, nodes.comment)


def _anchor(segment_id: str) -> str:
    return segment_link(segment_id).split("#", 1)[1]


def _skipped(node: nodes.Node) -> bool:
    return within(node, lambda n: isinstance(n, _SKIP) or is_glued_value(n))


def link_segments(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Link every segment id in the page's text to its row in the segment browser."""
    if app.builder.format != "html":
        return
    page = app.builder.get_relative_uri(docname, BROWSER_PAGE)
    for text in list(doctree.findall(nodes.Text)):
        if not SEGMENT_ID.search(text.astext()) or _skipped(text):
            continue
        parts: list[nodes.Node] = []
        rest = text.astext()
        last = 0
        for match in SEGMENT_ID.finditer(rest):
            if match.start() > last:
                parts.append(nodes.Text(rest[last : match.start()]))
            sid = match.group(0)
            ref = nodes.reference(sid, sid, refuri=f"{page}#{_anchor(sid)}", classes=["segment-link"])
            parts.append(ref)
            last = match.end()
        if last < len(rest):
            parts.append(nodes.Text(rest[last:]))
        parent = text.parent
        index = parent.index(text)
        parent.remove(text)
        for offset, part in enumerate(parts):
            parent.insert(index + offset, part)


def mark_browser(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Give the browser's rows their anchors and its header cells their column classes."""
    if app.builder.format != "html" or docname != BROWSER_PAGE:
        return
    keys = {header: key for key, header in COLUMNS.items()}
    for table in doctree.findall(nodes.table):
        if BROWSER_TABLE not in table["ids"]:
            continue
        for thead in table.findall(nodes.thead):
            for entry in thead.findall(nodes.entry):
                key = keys.get(entry.astext().strip())
                if key:
                    entry["classes"] += [f"seg-col-{key}"] + (["seg-filter"] if key in FILTERS else [])
        for tbody in table.findall(nodes.tbody):
            for row in tbody.findall(nodes.row):
                first = row.children[0].astext().strip() if row.children else ""
                if SEGMENT_ID.fullmatch(first):
                    row["ids"].append(_anchor(first))
