"""Every number one click from its origin: the provenance panels (``doctree-resolved``, HTML only).

Each glued value, table and figure of a page (marked by :mod:`bookkit.sphinx.glue_keys`) becomes
a button: an inline value is itself the button, a table or figure gets one in its caption. The
button opens a small panel (``_static/book-provenance.js``) that shows

* the function that added the key to the page's :class:`~analysis.report.page.PageOutput`, with
  its file, line and the statement itself (the page's provenance record,
  :func:`bookkit.glue.provenance`, glued as :data:`bookkit.glue.PROVENANCE_KEY`);
* every data file the page read, with its SHA-256 (:func:`analysis.data.io.files_read`);
* for a quotation or a coded fact, the source lines: every quotation of the data files (coded
  segments, codebook examples, events, propositions …) whose text the value, table or figure
  shows, and every segment id it names, each linked to its row in the segment browser.

Everything is built from what the build already has; the panel needs no network. The records
go into the page as one JSON script (``#book-provenance-data``).
"""

from __future__ import annotations

import ast
import html
import importlib.util
import json
import re
import textwrap
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

from analysis.data import paths
from analysis.report import format as fmt
from bookkit.glue import PROVENANCE_KEY
from bookkit.sphinx import quotes
from bookkit.sphinx.build import build_root
from bookkit.sphinx.glue_keys import DOC, KEY, within

__all__ = ["DATA_ID", "STATIC_DIR", "add_panels", "add_static", "statement_at"]

#: The id of the page's JSON script with the panels' records.
DATA_ID = "book-provenance-data"
#: The panel's script and style sheet.
STATIC_DIR = Path(__file__).parent / "static"
#: The pages the panel links to: the segment browser and the data appendix.
SEGMENT_PAGE = "book/segments"
DATA_PAGE = "book/data_sources"
#: A glued text longer than this keeps its lines: a mark after it opens the panel.
MAX_BUTTON_TEXT = 16
#: At most this many source quotations are listed for one value, table or figure.
MAX_SOURCES = 80

_SEGMENT_ID = re.compile(r"SEG-[A-Z]+(?:-[A-Z]+)*-\d{3}")


def add_static(app: Sphinx) -> None:
    """Serve the panel's script and style sheet on every HTML page."""
    if app.builder.format != "html":
        return
    app.config.html_static_path.append(str(STATIC_DIR))
    app.add_js_file("book-provenance.js")
    app.add_css_file("book-reader.css")
    app.add_js_file("book-segments.js")


@cache
def _records(execute_dir: str, docname: str) -> dict[str, Any]:
    """The provenance record a page glued ({} for a page without one)."""
    path = Path(execute_dir) / f"{docname}.glue.json"
    if not path.is_file():
        return {}
    glued = json.loads(path.read_text(encoding="utf-8"))
    text = glued.get(PROVENANCE_KEY, {}).get("data", {}).get("text/plain", "")
    data = json.loads(text) if text else {}
    return dict(data) if isinstance(data, dict) else {}


@dataclass(frozen=True)
class _Module:
    """A module's project-relative file, its lines and its statements' positions."""

    rel: str
    lines: tuple[str, ...]  # with their line ends
    statements: tuple[tuple[int, int, int, int, bool], ...]  # lines, columns, compound


_COMPOUND = (ast.FunctionDef, ast.ClassDef, ast.For, ast.If, ast.With)


@cache
def _module(module: str) -> _Module | None:
    """A module parsed once per build (a page has hundreds of glued values to point to)."""
    if module == "__main__":  # a page's own cell (whatever ``__main__`` is in this process)
        return None
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):  # a page's own cell: ``__main__`` has no spec
        return None
    if spec is None or spec.origin is None or not spec.origin.endswith(".py"):
        return None
    path = Path(spec.origin)
    text = path.read_text(encoding="utf-8")
    try:
        rel = path.resolve().relative_to(paths.PROJECT_ROOT.resolve()).as_posix()
    except ValueError:
        rel = path.name
    statements = tuple(
        (
            node.lineno,
            node.end_lineno or node.lineno,
            node.col_offset,
            node.end_col_offset or 0,
            isinstance(node, _COMPOUND),
        )
        for node in ast.walk(ast.parse(text))
        if isinstance(node, ast.stmt)
    )
    return _Module(rel, tuple(text.splitlines(keepends=True)), statements)


def _segment(lines: tuple[str, ...], first: int, last: int, col: int, end_col: int) -> str:
    """The source of a statement, as :func:`ast.get_source_segment` with ``padded=True``."""
    head = lines[first - 1].encode()
    if first == last:
        return head[col:end_col].decode()
    pad = "".join(c if c in "\f\t" else " " for c in head[:col].decode())
    tail = lines[last - 1].encode()[:end_col].decode()
    return pad + head[col:].decode() + "".join(lines[first : last - 1]) + tail


@cache
def statement_at(module: str, line: int) -> tuple[str, str]:
    """The file of ``module`` and the source of its innermost statement on ``line``."""
    found = _module(module)
    if found is None:
        return "", ""
    best: tuple[int, int, int, int, bool] | None = None
    for stmt in found.statements:
        if stmt[0] <= line <= stmt[1] and (best is None or stmt[1] - stmt[0] <= best[1] - best[0]):
            best = stmt
    if best is None or best[4]:
        return found.rel, ""
    return found.rel, textwrap.dedent(_segment(found.lines, *best[:4]))


def _normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass
class _Page:
    """What one page's panels need, collected while its doctree is resolved."""

    keys: dict[str, Any] = field(default_factory=dict)
    files: dict[str, list[list[str]]] = field(default_factory=dict)
    modules: dict[str, str] = field(default_factory=dict)


def _sources(text: str) -> list[dict[str, str]]:
    """The quotations of the data whose text ``text`` shows, and the segments it names."""
    flat = _normal(text)
    found: dict[tuple[str, str], quotes.Quote] = {}
    for text_probe, quote in quotes.probes():
        if text_probe in flat:
            found.setdefault((quote.table, quote.row_id), quote)
    by_segment = quotes.by_segment()
    for sid in dict.fromkeys(_SEGMENT_ID.findall(text)):
        if sid in by_segment:
            found.setdefault(("coded_segments", sid), by_segment[sid])
    out = []
    for quote in list(found.values())[:MAX_SOURCES]:
        out.append(
            {
                "ref": fmt.seed_ref(quote.seed_id, quote.line_from, quote.line_to),
                "quote": quote.text,
                "what": quote.what,
                "segment": quote.row_id if quote.table == "coded_segments" else "",
            }
        )
    return out


def _entry(record: dict[str, Any], key: str, kind: str, text: str) -> dict[str, Any] | None:
    origin = record.get("keys", {}).get(key)
    if origin is None:
        return None
    entry: dict[str, Any] = {"kind": kind}
    if "module" in origin:
        file, statement = statement_at(origin["module"], int(origin["line"]))
        entry |= {
            "function": f"{origin['module']}.{origin['function']}",
            "file": file,
            "line": int(origin["line"]),
            "statement": statement,
        }
    entry["sources"] = _sources(text)
    return entry


def _caption_label(app: Sphinx, docname: str, node: nodes.Element) -> str:
    figtype = "table" if isinstance(node, nodes.table) else "figure"
    ident = node["ids"][0] if node["ids"] else ""
    number = app.env.toc_fignumbers.get(docname, {}).get(figtype, {}).get(ident)
    if not number:
        return "表" if figtype == "table" else "图"
    return str(app.config.numfig_format.get(figtype, "%s")) % ".".join(map(str, number))


def _button(ident: str, label: str, text: str, cls: str) -> str:
    return (
        f'<button type="button" class="{cls}" data-prov="{html.escape(ident, quote=True)}" '
        f'aria-haspopup="dialog" aria-label="{html.escape(label, quote=True)}">{text}'
    )


def add_panels(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Turn the page's glued values, tables and figures into buttons; add the records as JSON."""
    if app.builder.format != "html":
        return
    execute_dir = str(build_root(app) / "jupyter_execute")
    page = _Page()
    for node in list(doctree.findall(lambda n: isinstance(n, nodes.Element) and KEY in n.attributes)):
        doc = node.get(DOC) or docname
        record = _records(execute_dir, doc)
        kind = (
            "table"
            if isinstance(node, nodes.table)
            else "figure"
            if isinstance(node, nodes.figure)
            else "value"
        )
        entry = _entry(record, str(node[KEY]), kind, node.astext() if kind != "figure" else "")
        if entry is None:
            continue
        ident = f"{doc}::{node[KEY]}"
        page.keys[ident] = entry
        page.files.setdefault(doc, [[p, s] for p, s in record.get("files", {}).items()])
        page.modules.setdefault(doc, "analysis.chapters." + doc.split("/")[-1])
        if kind == "value":
            if within(node, lambda n: isinstance(n, (nodes.reference, nodes.title, nodes.term))):
                continue
            value = node.astext()
            if len(value) <= MAX_BUTTON_TEXT:
                button = _button(ident, f"{value}（查看来源）", "", "prov-value")
                node.insert(0, nodes.raw("", button, format="html"))
                node.append(nodes.raw("", "</button>", format="html"))
            else:  # a long text wraps as prose; a mark after it opens the panel
                short = value[: MAX_BUTTON_TEXT - 2] + "…"
                mark = _button(ident, f"来源：{short}", "", "prov-mark") + "</button>"
                node.append(nodes.raw("", mark, format="html"))
        else:
            caption = next(iter(node.findall(nodes.caption if kind == "figure" else nodes.title)), None)
            if caption is None:
                continue
            label = _caption_label(app, docname, node)
            button = _button(ident, f"来源：{label}", "来源", "prov-open") + "</button>"
            caption.append(nodes.raw("", button, format="html"))
    if not page.keys:
        return
    uri = app.builder.get_relative_uri
    data = {
        "keys": page.keys,
        "files": page.files,
        "modules": page.modules,
        "links": {"segments": uri(docname, SEGMENT_PAGE), "data": uri(docname, DATA_PAGE)},
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    doctree.append(
        nodes.raw("", f'<script type="application/json" id="{DATA_ID}">{text}</script>', format="html")
    )
