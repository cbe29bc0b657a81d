"""The Chinese search.

jieba segments the pages into words for the index, but the search page split a query only at
spaces and punctuation, so a query such as 价值共创 (indexed as 价值 and 共创) found nothing.
:class:`ChineseSearch` sends a query splitter to the page that segments each run of Chinese
characters by longest match against the index's own words.

Each result also shows a snippet of its page around the words searched for: the search page
gets every page's text, by section, from ``_static/book-search-texts.js``
(:func:`collect_texts`, :func:`write_texts`, :func:`offer_texts`).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.search.zh import SearchChinese

__all__ = [
    "SPLIT_QUERY_JS",
    "TEXTS_JS",
    "ChineseSearch",
    "collect_texts",
    "offer_texts",
    "write_texts",
]

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


class _Terms(set[str]):
    """The Latin words seen so far, as a set that :class:`SearchChinese` can ``extend``."""

    def extend(self, words: list[str]) -> None:
        self.update(words)


class ChineseSearch(SearchChinese):
    """Sphinx's Chinese search, with a query splitter that matches how the index was cut.

    Sphinx keeps the Latin words of every page in a list (shared by the class) and looks each
    word to stem up in it: the index of the whole book took quadratic time (about 9 s of a
    build). A set per instance gives the same stems.
    """

    js_splitter_code = SPLIT_QUERY_JS

    def init(self, options: dict[str, str]) -> None:
        """Sphinx's set-up, with this instance's own set of Latin words."""
        super().init(options)
        self.latin_terms = _Terms()  # type: ignore[assignment]


# --- search results with snippets ----------------------------------------------------------------

#: The script that hands the search page every page's text (written into ``_static``).
TEXTS_JS = "book-search-texts.js"

#: Sphinx's search page fetches each result's page to cut a snippet from it; from ``file://`` the
#: browser refuses that request, so results showed titles only. The script answers those requests
#: from the texts below instead (``searchtools.js`` then cuts the snippet as usual).
_TEXTS_TEMPLATE = """(function () {
  "use strict";
  const TEXTS = %s;
  const fetchPage = window.fetch ? window.fetch.bind(window) : null;
  window.fetch = function (resource, init) {
    const url = String((resource && resource.url) || resource);
    const doc = url.replace(/^(\\.\\/)+/, "").replace(/[?#].*$/, "").replace(/\\.html$/, "");
    if (Object.prototype.hasOwnProperty.call(TEXTS, doc)) {
      return Promise.resolve(new Response(TEXTS[doc], { headers: { "Content-Type": "text/html" } }));
    }
    return fetchPage ? fetchPage(resource, init) : Promise.reject(new Error("no fetch"));
  };
})();
"""


def _text(node: nodes.Node) -> str:
    return "".join(
        t.astext() for t in node.findall(nodes.Text) if not isinstance(t.parent, (nodes.raw, nodes.comment))
    )


def _page_html(node: nodes.Element) -> str:
    parts = []
    for child in node.children:
        if isinstance(child, nodes.section) and child["ids"]:
            parts.append(f'<section id="{html.escape(child["ids"][0])}">{_page_html(child)}</section>')
        elif isinstance(child, nodes.container) and child.get("nb_element") == "cell_code":
            continue
        elif isinstance(child, nodes.Element) and not isinstance(child, (nodes.raw, nodes.comment)):
            text = " ".join(_text(child).split())
            if text:
                parts.append(f"<p>{html.escape(text)}</p>")
    return "".join(parts)


def collect_texts(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Keep the page's text, by section, for the search page's snippets (HTML only)."""
    if app.builder.format != "html":
        return
    texts: dict[str, str] = app.builder.__dict__.setdefault("book_search_texts", {})
    texts[docname] = f'<div role="main">{_page_html(doctree)}</div>'


def write_texts(app: Sphinx, exception: BaseException | None) -> None:
    """Write every page's text into ``_static`` for the search page."""
    if exception is not None or app.builder.format != "html":
        return
    texts = app.builder.__dict__.get("book_search_texts", {})
    body = json.dumps(texts, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    (Path(app.outdir) / "_static" / TEXTS_JS).write_text(_TEXTS_TEMPLATE % body, encoding="utf-8")


def offer_texts(app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    """Load the texts on the search page only."""
    if pagename == "search" and "script_files" in context:
        context["script_files"] = [*context["script_files"], f"_static/{TEXTS_JS}"]
